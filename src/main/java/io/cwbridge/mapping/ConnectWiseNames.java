package io.cwbridge.mapping;

import io.cwbridge.connectwise.AgreementAdditions;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.connectwise.model.CatalogItem;
import io.cwbridge.connectwise.model.Company;
import io.cwbridge.partner.PartnerConnectionRepository;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The names of the ConnectWise records the console shows next to their ids (issue 16), table
 * connectwise_name. {@link #remember} keeps what the bundle read anyway (candidate searches, agreement
 * lists, addition candidates); {@link #of} answers a page's ids from the table and reads the ones it
 * lacks (or read more than {@link #FRESH} ago, for renames made in ConnectWise) in one batched
 * {@code conditions=id in (…)} call, never one call per row. Names are a courtesy: when ConnectWise
 * cannot be asked, the page shows the ids with what the table has.
 */
@Component
public class ConnectWiseNames {

    private static final Logger log = LoggerFactory.getLogger(ConnectWiseNames.class);

    /** Read again after this long, so a rename in ConnectWise shows within a day. */
    static final Duration FRESH = Duration.ofDays(1);
    /** Ids per batched read (well under ConnectWise's 1000 page size and URL limits). */
    static final int BATCH = 100;

    /**
     * The kinds of record named: a company by its name (detail: identifier), a catalog item by its
     * identifier (description), an agreement by its name (its company's name), an addition by its
     * description (its catalog item's identifier; listed per agreement).
     */
    public enum Kind { COMPANY, CATALOG_ITEM, AGREEMENT, ADDITION }

    /**
     * @param name   company / agreement name, catalog item identifier, addition description; null when
     *               ConnectWise did not return the record ({@link #missing})
     * @param detail company identifier, catalog item description, agreement's company, addition's catalog item
     */
    public record Name(String name, String detail, boolean missing) {

        /** The name, and the detail when it says more (a catalog item's description next to its identifier). */
        public String label() {
            if (name == null || name.isBlank()) return detail;
            return detail == null || detail.isBlank() || detail.equals(name) ? name : name + " — " + detail;
        }
    }

    private record Stored(Name name, Instant readAt) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final ConnectWiseResources resources;
    private final AgreementAdditions additions;
    private final PartnerConnectionRepository connections;
    private final Clock clock;

    ConnectWiseNames(NamedParameterJdbcTemplate jdbc, ConnectWiseResources resources, AgreementAdditions additions,
                     PartnerConnectionRepository connections, Clock clock) {
        this.jdbc = jdbc;
        this.resources = resources;
        this.additions = additions;
        this.connections = connections;
        this.clock = clock;
    }

    /** Keeps names the bundle has just read (id → name, detail). */
    public void remember(String partnerId, Kind kind, Map<Long, Name> names) {
        if (names.isEmpty()) return;
        Timestamp now = Timestamp.from(clock.instant());
        MapSqlParameterSource[] rows = names.entrySet().stream().map(e -> new MapSqlParameterSource()
                .addValue("p", partnerId).addValue("k", kind.name()).addValue("id", e.getKey())
                .addValue("name", e.getValue().missing() ? null : e.getValue().name())
                .addValue("detail", e.getValue().missing() ? null : e.getValue().detail())
                .addValue("at", now)).toArray(MapSqlParameterSource[]::new);
        jdbc.batchUpdate("""
                INSERT INTO connectwise_name (partner_id, kind, record_id, name, detail, read_at)
                VALUES (:p, :k, :id, :name, :detail, :at)
                ON CONFLICT (partner_id, kind, record_id)
                DO UPDATE SET name = EXCLUDED.name, detail = EXCLUDED.detail, read_at = EXCLUDED.read_at
                """, rows);
    }

    public void remember(String partnerId, Kind kind, long id, String name, String detail) {
        remember(partnerId, kind, Map.of(id, new Name(name, detail, false)));
    }

    /**
     * The names of these records: from the table, and for the ones it lacks or read long ago one batched
     * ConnectWise read (per agreement for additions: {@code additions} gives each addition's agreement).
     */
    public Map<Long, Name> of(String partnerId, Kind kind, Collection<Long> ids) {
        return of(partnerId, kind, ids, Map.of());
    }

    /** Additions: {@code agreementOf} addition id → its agreement id (where ConnectWise lists it). */
    public Map<Long, Name> additions(String partnerId, Map<Long, Long> agreementOf) {
        return of(partnerId, Kind.ADDITION, agreementOf.keySet(), agreementOf);
    }

    private Map<Long, Name> of(String partnerId, Kind kind, Collection<Long> ids, Map<Long, Long> agreementOf) {
        Set<Long> wanted = ids.stream().filter(Objects::nonNull).collect(Collectors.toCollection(LinkedHashSet::new));
        Map<Long, Name> names = new HashMap<>();
        if (wanted.isEmpty()) return names;
        Map<Long, Stored> stored = stored(partnerId, kind, wanted);
        Instant stale = clock.instant().minus(FRESH);
        List<Long> toRead = new ArrayList<>();
        for (Long id : wanted) {
            Stored s = stored.get(id);
            if (s != null) names.put(id, s.name());
            if (s == null || s.readAt().isBefore(stale)) toRead.add(id);
        }
        if (!toRead.isEmpty()) names.putAll(read(partnerId, kind, toRead, agreementOf));
        return names;
    }

    private Map<Long, Stored> stored(String partnerId, Kind kind, Set<Long> ids) {
        Map<Long, Stored> found = new HashMap<>();
        jdbc.query("SELECT record_id, name, detail, read_at FROM connectwise_name WHERE partner_id = :p AND kind = :k"
                        + " AND record_id IN (:ids)", Map.of("p", partnerId, "k", kind.name(), "ids", ids),
                rs -> {
                    String name = rs.getString("name");
                    String detail = rs.getString("detail");
                    found.put(rs.getLong("record_id"), new Stored(new Name(name, detail, name == null && detail == null),
                            rs.getTimestamp("read_at").toInstant()));
                });
        return found;
    }

    /** One batched read per {@link #BATCH} ids (and per agreement for additions); what it returns is kept. */
    private Map<Long, Name> read(String partnerId, Kind kind, List<Long> ids, Map<Long, Long> agreementOf) {
        Optional<ConnectWiseConnection> connection = connections.find(partnerId);
        if (connection.isEmpty()) return Map.of();
        // Additions are listed per agreement (0: the other kinds, listed whole).
        Map<Long, List<Long>> byList = new LinkedHashMap<>();
        for (Long id : ids) {
            Long list = kind == Kind.ADDITION ? agreementOf.get(id) : Long.valueOf(0);
            if (list != null) byList.computeIfAbsent(list, p -> new ArrayList<>()).add(id);
        }
        Map<Long, Name> read = new HashMap<>();
        byList.forEach((agreementId, all) -> {
            for (int from = 0; from < all.size(); from += BATCH) {
                List<Long> batch = all.subList(from, Math.min(all.size(), from + BATCH));
                try {
                    Map<Long, Name> got = new HashMap<>();
                    String in = "id in (" + batch.stream().map(String::valueOf).collect(Collectors.joining(",")) + ")";
                    ConnectWiseConnection c = connection.get();
                    switch (kind) {
                        case COMPANY -> resources.companies(c, in).forEach(r -> got.put(r.id(), name(r)));
                        case CATALOG_ITEM -> resources.catalogItems(c, in).forEach(r -> got.put(r.id(), name(r)));
                        case AGREEMENT -> resources.agreements(c, in).forEach(r -> got.put(r.id(), name(r)));
                        case ADDITION -> additions.list(c, agreementId, in).forEach(r -> got.put(r.id(), name(r)));
                    }
                    // asked for and not returned: deleted (or never there); remembered so the next page does not ask again today
                    batch.forEach(id -> got.putIfAbsent(id, new Name(null, null, true)));
                    remember(partnerId, kind, got);
                    read.putAll(got);
                } catch (RuntimeException e) {
                    log.warn("Could not read the names of {} {} of partner {} from ConnectWise: {}", kind, batch, partnerId,
                            e.getMessage());
                }
            }
        });
        return read;
    }

    static Name name(Company c) {
        return new Name(text(c.name()), text(c.identifier()), false);
    }

    static Name name(CatalogItem i) {
        return new Name(text(i.identifier()), text(i.description()), false);
    }

    static Name name(Agreement a) {
        return new Name(text(a.name()), a.company() == null ? null : text(a.company().name()), false);
    }

    static Name name(AgreementAddition a) {
        return new Name(text(a.description()), a.product() == null ? null : text(a.product().identifier()), false);
    }

    /** Blank is no name. */
    private static String text(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
