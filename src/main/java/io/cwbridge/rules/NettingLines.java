package io.cwbridge.rules;

import io.cwbridge.events.Subscription;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The −Q line of a cancellation (R21) or full upgrade (R19): from {@code day} to the end of the
 * lines it nets, it takes the licences of every licence line active on {@code day} back to zero.
 * Normally one line to EOM(day); when some of the netted lines end earlier (a subscription ending
 * mid-month) one line per end date, so R10 holds on every day.
 */
final class NettingLines {

    interface Describer {
        String describe(Long catalogItemId, BigDecimal netted);
    }

    private NettingLines() {
    }

    static void net(PlanBuilder plan, Subscription sub, LocalDate day, LineRole role, MappingContext mapping, SyncRules rules,
            Describer describer, String reason) {
        record Group(Long catalogItemId, LocalDate end) {
        }
        List<AdditionLine> active = plan.view().forSubscription(sub.id()).where(l -> l.countsLicences() && l.activeOn(day));
        Map<Group, List<AdditionLine>> groups = new LinkedHashMap<>();
        for (AdditionLine line : active) {
            groups.computeIfAbsent(new Group(line.catalogItemId(), line.cancelledDate()), g -> new ArrayList<>()).add(line);
        }
        List<Group> ordered = new ArrayList<>(groups.keySet());
        ordered.sort(Comparator.comparing((Group g) -> g.end() == null ? LocalDate.MAX : g.end()));
        LinePricing pricing = new LinePricing(rules, sub.kind());
        for (Group group : ordered) {
            List<AdditionLine> lines = groups.get(group);
            BigDecimal quantity = lines.stream().map(AdditionLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            if (quantity.signum() == 0) {
                continue;
            }
            AdditionLine priced = active.stream()
                    .filter(l -> l.role() == LineRole.BASE && Objects.equals(l.catalogItemId(), group.catalogItemId()))
                    .findFirst().orElse(lines.get(0));
            LinePricing.Amounts amounts = pricing.unprorated(priced.unitPrice(), priced.unitCost());
            LineKey key = plan.nextKey(sub.id(), role, day);
            BigDecimal netted = quantity.negate();
            plan.create(new AdditionLine(null, key, group.catalogItemId(), netted, amounts.unitPrice(), amounts.unitCost(), day,
                    group.end(), false, describer.describe(group.catalogItemId(), quantity), null),
                    reason + ": line " + LineDescriptions.signed(netted) + " effective " + day
                            + (group.end() == null ? "" : ", cancelled " + group.end()));
        }
    }
}
