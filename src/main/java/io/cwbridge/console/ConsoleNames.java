package io.cwbridge.console;

import io.cwbridge.mapping.ConnectWiseNames;
import io.cwbridge.mapping.ConnectWiseNames.Kind;
import io.cwbridge.mapping.ConnectWiseNames.Name;
import io.cwbridge.mapping.MappingPages;
import io.cwbridge.mapping.MappingPages.Line;
import io.cwbridge.tasks.TaskOperationView;
import io.cwbridge.tasks.TaskView;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The ConnectWise names a console page shows next to ids (issue 16): gathered for the whole page from
 * {@link ConnectWiseNames}, so a page costs at most one batched ConnectWise read per kind of record.
 */
@Component
public class ConsoleNames {

    private final ConnectWiseNames names;
    private final MappingPages pages;

    ConsoleNames(ConnectWiseNames names, MappingPages pages) {
        this.names = names;
        this.pages = pages;
    }

    /** A page's names by id; {@code company(id)} etc. answer the label or null (the page then shows the id alone). */
    public record PageNames(Map<Long, Name> companies, Map<Long, Name> catalogItems, Map<Long, Name> agreements,
                            Map<Long, Name> additions) {

        static final PageNames NONE = new PageNames(Map.of(), Map.of(), Map.of(), Map.of());

        public String company(Long id) {
            return name(companies, id);
        }

        /** A catalog item's identifier and, when it says more, its description. */
        public String catalogItem(Long id) {
            Name n = id == null ? null : catalogItems.get(id);
            return n == null || n.missing() ? null : n.label();
        }

        public String agreement(Long id) {
            return name(agreements, id);
        }

        public String addition(Long id) {
            return name(additions, id);
        }

        /** Whether ConnectWise was asked for the record and did not return it. */
        public boolean missing(String kind, Long id) {
            Map<Long, Name> map = switch (kind) {
                case "company" -> companies;
                case "catalogItem" -> catalogItems;
                case "agreement" -> agreements;
                default -> additions;
            };
            Name n = id == null ? null : map.get(id);
            return n != null && n.missing();
        }

        private static String name(Map<Long, Name> map, Long id) {
            Name n = id == null ? null : map.get(id);
            return n == null || n.missing() ? null : n.name();
        }
    }

    PageNames of(String partnerId, Collection<Long> companies, Collection<Long> catalogItems, Collection<Long> agreements,
                 Collection<Line> lines) {
        Map<Long, Name> additions = new HashMap<>();
        Map<Long, Long> unnamed = new LinkedHashMap<>();
        for (Line line : lines) {
            // the bundle's copy of its own lines names them without asking ConnectWise
            if (line.description() != null && !line.description().isBlank()) {
                additions.put(line.additionId(), new Name(line.description(), null, false));
            } else {
                unnamed.put(line.additionId(), line.agreementId());
            }
        }
        additions.putAll(names.additions(partnerId, unnamed));
        Set<Long> allAgreements = new LinkedHashSet<>(agreements);
        lines.forEach(l -> allAgreements.add(l.agreementId()));
        return new PageNames(names.of(partnerId, Kind.COMPANY, nonNull(companies)),
                names.of(partnerId, Kind.CATALOG_ITEM, nonNull(catalogItems)),
                names.of(partnerId, Kind.AGREEMENT, nonNull(allAgreements)), additions);
    }

    /** The task page's names: the customer's company, the product's catalog item, agreements and additions it names. */
    public PageNames forTask(String partnerId, TaskView task) {
        MappingPages.SubscriptionItem s = pages.subscription(partnerId, task.subscriptionId());
        Set<Long> agreements = new LinkedHashSet<>();
        Map<Long, Long> additionAgreement = new LinkedHashMap<>();
        if (s != null && s.agreementId() != null) agreements.add(s.agreementId());
        for (TaskOperationView op : task.operations()) {
            agreements.add(op.agreementId());
            if (op.additionId() != null) additionAgreement.put(op.additionId(), op.agreementId());
        }
        if (task.plan() != null) {
            task.plan().operations().forEach(op -> {
                agreements.add(op.agreementId());
                if (op.additionId() != null) additionAgreement.putIfAbsent(op.additionId(), op.agreementId());
            });
        }
        List<Line> lines = new java.util.ArrayList<>(s == null ? List.of() : s.lines());
        Set<Long> known = new LinkedHashSet<>();
        lines.forEach(l -> known.add(l.additionId()));
        Long fallback = s == null ? null : s.agreementId();
        for (Long addition : task.additionIds()) additionAgreement.putIfAbsent(addition, fallback);
        additionAgreement.forEach((addition, agreement) -> {
            if (!known.contains(addition) && agreement != null) lines.add(new Line(null, agreement, addition, null));
        });
        return of(partnerId, s == null || s.companyId() == null ? List.of() : List.of(s.companyId()),
                s == null || s.catalogItemId() == null ? List.of() : List.of(s.catalogItemId()), agreements, lines);
    }

    private static List<Long> nonNull(Collection<Long> ids) {
        return ids.stream().filter(Objects::nonNull).distinct().toList();
    }
}
