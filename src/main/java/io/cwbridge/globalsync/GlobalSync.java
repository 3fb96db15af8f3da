package io.cwbridge.globalsync;

import io.cwbridge.events.store.LatestEvents;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseSettings;
import io.cwbridge.connectwise.JsonPatchOperation;
import io.cwbridge.globalsync.RunTally.Kind;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.sync.AdvisoryLock;
import io.cwbridge.syncrules.PartnerSyncRules;
import io.cwbridge.syncrules.SyncRulesRepository;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Global sync (R30) of one partner, called by route {@code global-sync}: mapped companies and
 * catalog items get the fields the partner's rules push where ConnectWise differs (read, compare,
 * JSON Patch), and every subscription's lines get the month roll (R18), read agreement by agreement
 * where that takes fewer calls ({@link AgreementSnapshots}). Values of truth: the customer and product of the latest
 * event whose task is SYNCED (R30 x R31: a change waiting for approval, the task period, a retry or its mapping has not
 * been sent, and the catalog item or company must not carry it before its task does); the lines the bundle recorded.
 * Nothing differs, nothing is written.
 * One run per partner at a time across instances (advisory lock); one record's failure is reported
 * and the run goes on. On demand it may cover one customer, product or subscription only
 * ({@link GlobalSyncScope}); per customer and product, fields switched off ({@link MappingSyncFields}) are not pushed.
 */
@Component("globalSync")
public class GlobalSync {

    private static final Logger log = LoggerFactory.getLogger(GlobalSync.class);
    /** Reader threads of one run: ConnectWise reads ahead of the comparing thread (the tenant's rate limit still paces them). */
    private static final int READERS = 2;
    private static final int COMPANIES_AHEAD = 4;

    private final NamedParameterJdbcTemplate jdbc;
    private final DataSource dataSource;
    private final PartnerConnectionRepository connections;
    private final SyncRulesRepository syncRules;
    private final ConnectWiseClient client;
    private final MonthRollSync monthRoll;
    private final GlobalSyncRuns runs;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final int pageSize;
    private final io.cwbridge.sync.AgreementCache agreements;
    private final MappingSyncFields syncFields;
    private final LatestEvents latest;
    private final BulkMonthRoll bulk;
    private final io.cwbridge.connectwise.ConnectWiseResources resources;
    private final io.cwbridge.connectwise.AgreementAdditions additions;

    public GlobalSync(NamedParameterJdbcTemplate jdbc, DataSource dataSource, PartnerConnectionRepository connections,
            SyncRulesRepository syncRules, ConnectWiseClient client, MonthRollSync monthRoll, GlobalSyncRuns runs, Clock clock,
            ObjectMapper mapper, ConnectWiseSettings settings, io.cwbridge.sync.AgreementCache agreements,
            MappingSyncFields syncFields, LatestEvents latest, BulkMonthRoll bulk, io.cwbridge.connectwise.ConnectWiseResources resources,
            io.cwbridge.connectwise.AgreementAdditions additions) {
        this.jdbc = jdbc;
        this.resources = resources;
        this.additions = additions;
        this.bulk = bulk;
        this.latest = latest;
        this.syncFields = syncFields;
        this.dataSource = dataSource;
        this.connections = connections;
        this.syncRules = syncRules;
        this.client = client;
        this.monthRoll = monthRoll;
        this.runs = runs;
        this.clock = clock;
        this.mapper = mapper;
        this.pageSize = settings.pageSize();
        this.agreements = agreements;
    }

    /** Whether the partner has a ConnectWise connection to sync with. */
    public boolean knows(String partnerId) {
        return connections.exists(partnerId);
    }

    /** @param trigger ON_DEMAND or SCHEDULED, kept on the run; none given counts as ON_DEMAND */
    public GlobalSyncReport run(String partnerId, String trigger) throws SQLException {
        return run(partnerId, trigger, null);
    }

    /**
     * @param scope one customer, product or subscription (on demand, seed 000): only its records are read
     *              and written; null for all of the partner's
     */
    public GlobalSyncReport run(String partnerId, String trigger, GlobalSyncScope scope) throws SQLException {
        String runTrigger = trigger == null || trigger.isBlank() ? "ON_DEMAND" : trigger;
        ConnectWiseConnection cw = connections.find(partnerId)
                .orElseThrow(() -> new IllegalArgumentException("partner " + partnerId + " has no ConnectWise connection"));
        return AdvisoryLock.with(dataSource, "global-sync/" + partnerId, () -> runLocked(partnerId, runTrigger, cw, scope));
    }

    /** Whether the scope names something of the partner's the global sync looks at (mapped, or with recorded lines). */
    public boolean knows(String partnerId, GlobalSyncScope scope) {
        String sql = switch (scope.kind()) {
            case CUSTOMER -> "SELECT count(*) FROM customer_mapping WHERE partner_id = :p AND customer_id = :id";
            case PRODUCT -> "SELECT count(*) FROM product_mapping WHERE partner_id = :p AND product_id = :id";
            case SUBSCRIPTION -> "SELECT count(*) FROM subscription_line WHERE partner_id = :p AND subscription_id = :id";
        };
        Long n = jdbc.queryForObject(sql, Map.of("p", partnerId, "id", scope.id()), Long.class);
        return n != null && n > 0;
    }

    private GlobalSyncReport runLocked(String partnerId, String trigger, ConnectWiseConnection cw, GlobalSyncScope scope) {
        Instant started = clock.instant();
        LocalDate today = LocalDate.ofInstant(started, ZoneOffset.UTC);
        long runId = runs.start(partnerId, trigger, started);
        PartnerSyncRules rules = syncRules.find(partnerId);
        RunTally tally = new RunTally();
        String status;
        ExecutorService readers = Executors.newFixedThreadPool(READERS, r -> {
            Thread thread = new Thread(r, "global-sync-read-" + runId);
            thread.setDaemon(true);
            return thread;
        });
        try {
            long t = System.nanoTime();
            if (scope == null || !scope.excludes(GlobalSyncScope.Kind.CUSTOMER)) companies(partnerId, cw, rules, tally, scope, readers);
            tally.time("companies", t);
            t = System.nanoTime();
            if (scope == null || !scope.excludes(GlobalSyncScope.Kind.PRODUCT)) catalogItems(partnerId, cw, rules, tally, scope);
            tally.time("catalog items", t);
            AgreementSnapshots snapshots = new AgreementSnapshots(resources, additions, jdbc, cw, partnerId, pageSize, tally, agreements);
            if (scope == null) {
                // The whole partner: in bulk, only the subscriptions with something to send one by one (issue 14).
                bulk.run(runId, partnerId, cw, today, rules.additionRules(), tally, snapshots, readers);
            } else if (scope.kind() == GlobalSyncScope.Kind.SUBSCRIPTION) {
                tally.lookedAt(Kind.SUBSCRIPTION);
                try {
                    monthRoll.sync(runId, partnerId, scope.id(), cw, today, rules.additionRules(), tally, snapshots,
                            monthRoll.sequence(runId));
                } catch (Exception e) {
                    tally.failed(Kind.SUBSCRIPTION, scope.id(), e);
                }
            }
            status = tally.failures.isEmpty() ? "COMPLETED" : "COMPLETED_WITH_FAILURES";
        } catch (RuntimeException e) {
            log.warn("Global sync {} of partner {} failed: {}", runId, partnerId, e.getMessage());
            tally.failures.add(new GlobalSyncReport.Failure("RUN", String.valueOf(runId), e.getMessage()));
            status = "FAILED";
        } finally {
            readers.shutdownNow();
        }
        GlobalSyncReport report = new GlobalSyncReport(runId, partnerId, trigger, status, started, clock.instant(),
                tally.counts(tally.lookedAt), tally.counts(tally.changed), tally.counts(tally.failed),
                new GlobalSyncReport.Calls(tally.reads, tally.writes), List.copyOf(tally.changes), List.copyOf(tally.failures),
                scope == null ? null : scope.toString(), List.copyOf(tally.renewalsDue));
        runs.finish(report);
        log.info("Global sync {} of partner {}: {}, looked at {}, changed {}, failed {}, calls {}; {}", runId, partnerId, status,
                report.lookedAt(), report.changed(), report.failed(), report.calls(), tally.phasesMillis());
        return report;
    }

    private void companies(String partnerId, ConnectWiseConnection cw, PartnerSyncRules rules, RunTally tally, GlobalSyncScope scope,
            ExecutorService readers) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("p", partnerId);
        params.put("c", scope == null ? null : scope.id());
        Map<Long, List<String>> customersByCompany = jdbc.queryForList("""
                SELECT customer_id, company_id FROM customer_mapping
                WHERE partner_id = :p AND (CAST(:c AS varchar) IS NULL OR customer_id = :c) ORDER BY customer_id""", params)
                .stream().collect(Collectors.groupingBy(r -> ((Number) r.get("company_id")).longValue(),
                        java.util.TreeMap::new, Collectors.mapping(r -> (String) r.get("customer_id"), Collectors.toList())));
        // The whole partner: every customer's latest event in one query (issue 14), not one per company.
        Map<String, LatestCustomer> latestOfAll = scope == null ? latestCustomers(partnerId) : null;
        Map<Long, JsonNode> truths = new java.util.LinkedHashMap<>();
        customersByCompany.forEach((companyId, customers) -> {
            // Two customers on one company: the latest event of either is the truth.
            Optional<JsonNode> customer = latestOfAll == null ? latest.syncedCustomer(partnerId, customers)
                    : customers.stream().map(latestOfAll::get).filter(java.util.Objects::nonNull).max(LatestCustomer.ORDER)
                            .map(LatestCustomer::customer);
            customer.ifPresent(c -> truths.put(companyId, c));
        });
        ReadAhead<Long, io.cwbridge.connectwise.model.Company> companies = new ReadAhead<>(List.copyOf(truths.keySet()),
                companyId -> resources.company(cw, companyId), readers, COMPANIES_AHEAD);
        truths.forEach((companyId, customer) -> {
            tally.lookedAt(Kind.COMPANY);
            try {
                String path = "company/companies/" + companyId;
                tally.reads++;
                io.cwbridge.connectwise.model.Company company = companies.next();
                List<JsonPatchOperation> ops = FieldChanges.company(customer, company,
                        syncFields.companyFields(partnerId, customersByCompany.get(companyId), rules));
                if (ops.isEmpty()) return;
                tally.writes++;
                client.patch(cw, path, ops);
                tally.changed(Kind.COMPANY);
                tally.change("COMPANY", companyId, fields(ops));
            } catch (RuntimeException e) {
                tally.failed(Kind.COMPANY, String.valueOf(companyId), e);
            }
        });
    }

    /** A customer's latest event (its {@code subscription.customer}) and when it happened and arrived. */
    private record LatestCustomer(JsonNode customer, Instant occurredAt, Instant receivedAt) {
        /** The order of {@link LatestEvents}: by date of change, then the one received last. */
        static final java.util.Comparator<LatestCustomer> ORDER = java.util.Comparator.comparing(LatestCustomer::occurredAt)
                .thenComparing(LatestCustomer::receivedAt);
    }

    /** Each customer's latest event of the partner whose task is SYNCED (R30 x R31), by customer id (as {@link LatestEvents#syncedCustomer}). */
    private Map<String, LatestCustomer> latestCustomers(String partnerId) {
        Map<String, LatestCustomer> latestOf = new java.util.HashMap<>();
        jdbc.query("""
                SELECT DISTINCT ON (payload->'subscription'->'customer'->>'id')
                       payload->'subscription'->'customer'->>'id' AS customer_id, payload->'subscription'->'customer' AS customer,
                       occurred_at, received_at
                FROM subscription_event e
                WHERE partner_id = :p AND payload->'subscription'->'customer'->>'id' IS NOT NULL
                  AND EXISTS (SELECT 1 FROM sync_task t WHERE t.event_id = e.event_id AND t.status = 'SYNCED')
                ORDER BY payload->'subscription'->'customer'->>'id', occurred_at DESC, received_at DESC""", Map.of("p", partnerId), rs -> {
            try {
                latestOf.put(rs.getString("customer_id"), new LatestCustomer(mapper.readTree(rs.getString("customer")),
                        rs.getTimestamp("occurred_at").toInstant(), rs.getTimestamp("received_at").toInstant()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("subscription_event.payload is not JSON", e);
            }
        });
        return latestOf;
    }

    private void catalogItems(String partnerId, ConnectWiseConnection cw, PartnerSyncRules rules, RunTally tally,
            GlobalSyncScope scope) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("p", partnerId);
        params.put("id", scope == null ? null : scope.id());
        List<Map<String, Object>> mapped = jdbc.queryForList("""
                SELECT product_id, catalog_item_id FROM product_mapping
                WHERE partner_id = :p AND (CAST(:id AS varchar) IS NULL OR product_id = :id) ORDER BY product_id""", params);
        for (Map<String, Object> row : mapped) {
            String productId = (String) row.get("product_id");
            long itemId = ((Number) row.get("catalog_item_id")).longValue();
            // The latest synced event naming the product: its own subscription's, or an upgrade's target (R19, R20); R30 x R31.
            Optional<JsonNode> named = latest.syncedProduct(partnerId, productId);
            if (named.isEmpty()) continue;
            JsonNode source = named.get();
            tally.lookedAt(Kind.CATALOG_ITEM);
            try {
                String path = "procurement/catalog/" + itemId;
                tally.reads++;
                List<JsonPatchOperation> ops = FieldChanges.catalogItem(source.path("product"),
                        FieldChanges.decimal(source.path("unitPrice")), FieldChanges.decimal(source.path("unitCost")),
                        resources.catalogItem(cw, itemId), syncFields.productFields(partnerId, productId, rules), rules.priceSource());
                if (ops.isEmpty()) continue;
                tally.writes++;
                client.patch(cw, path, ops);
                tally.changed(Kind.CATALOG_ITEM);
                tally.change("CATALOG_ITEM", itemId, fields(ops));
            } catch (RuntimeException e) {
                tally.failed(Kind.CATALOG_ITEM, String.valueOf(itemId), e);
            }
        }
    }

    private static String fields(List<JsonPatchOperation> ops) {
        return ops.stream().map(JsonPatchOperation::path).collect(Collectors.joining(", "));
    }
}
