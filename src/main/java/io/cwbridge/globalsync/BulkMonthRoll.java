package io.cwbridge.globalsync;

import io.cwbridge.connectwise.AgreementAdditions;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.globalsync.RunTally.Kind;
import io.cwbridge.rules.AgreementBilling;
import io.cwbridge.rules.SubscriptionLines;
import io.cwbridge.rules.SyncRules;
import io.cwbridge.sync.LineCopies;
import io.cwbridge.sync.SubscriptionLineRepository;
import io.cwbridge.sync.SubscriptionLinesReader;
import io.cwbridge.tasks.store.TaskStatus;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The addition part of a whole-partner global sync (R30, R18) in bulk (issue 14): the partner's
 * lines, latest events and open work are read with one query each, every agreement's additions with
 * one paged read at ConnectWise's largest page ({@value #PAGE_SIZE}; {@code id in (…)} when it holds
 * at most {@value #ID_CHUNK} of the bundle's lines), and each subscription is compared in memory with
 * the same rules as {@link MonthRollSync#sync}. A subscription with anything to send or keep, or that
 * the snapshot cannot judge alone (an addition missing from it, a line the bundle wrote since it was
 * read, an operation or a task write not yet done, catch-up lines, a roll catch-up to post, lines on
 * more than one agreement), goes to {@link MonthRollSync#sync}, which takes its lock and decides
 * again from the same snapshot or a fresh read; only those are written, {@value #LANES} at a time in
 * lanes of their own. The next agreements are read ahead meanwhile ({@link ReadAhead}); every call,
 * read or write, still waits for the tenant's rate limit. The others cost no SQL of
 * their own, except one batch that refreshes the line copies ({@code subscription_line}, V15) the
 * snapshot shows differently, skipping any line the bundle wrote or copied after the read.
 */
@Component
class BulkMonthRoll {

    /** ConnectWise's largest page size (its API facts: max 1000). */
    static final int PAGE_SIZE = 1000;
    /** Up to this many of the bundle's additions on an agreement, they are read by id (one call) rather than the agreement whole. */
    static final int ID_CHUNK = AgreementAdditions.IDS_PER_READ;

    private final NamedParameterJdbcTemplate jdbc;
    private final ConnectWiseResources resources;
    private final AgreementAdditions additionsReader;
    private final SubscriptionLineRepository subscriptionLines;
    private final MonthRollSync monthRoll;

    BulkMonthRoll(NamedParameterJdbcTemplate jdbc, ConnectWiseResources resources, AgreementAdditions additionsReader,
                  SubscriptionLineRepository subscriptionLines, MonthRollSync monthRoll) {
        this.jdbc = jdbc;
        this.resources = resources;
        this.additionsReader = additionsReader;
        this.subscriptionLines = subscriptionLines;
        this.monthRoll = monthRoll;
    }

    /** Agreements read ahead of the one being compared: each holds its additions in memory until compared. */
    static final int AGREEMENTS_AHEAD = 2;
    /** Subscriptions sent on at once, each in a lane (two connections: its lock and its statements), and how many may wait. */
    static final int LANES = 2;
    static final int PENDING = 16;

    /** @param readers the run's reader threads (read ahead) */
    void run(long runId, String partnerId, ConnectWiseConnection cw, LocalDate today, SyncRules rules, RunTally tally,
            AgreementSnapshots snapshots, ExecutorService readers) {
        long t = System.nanoTime();
        Map<String, List<Map<String, Object>>> linesBySubscription = jdbc.queryForList("""
                SELECT subscription_id, line_key, agreement_id, addition_id, updated_at, catalog_item_id, quantity, unit_price,
                       unit_cost, effective_date, cancelled_date, description, invoice_description, copied_at, copy_next_invoice
                FROM subscription_line l WHERE partner_id = :p
                  -- an unmapped subscription's additions are no longer touched (SPEC 3, Unmap)
                  AND NOT EXISTS (SELECT 1 FROM subscription_unmapped u WHERE u.partner_id = l.partner_id
                                  AND u.subscription_id = l.subscription_id)
                ORDER BY subscription_id, line_key""", Map.of("p", partnerId))
                .stream().collect(Collectors.groupingBy(r -> (String) r.get("subscription_id"), LinkedHashMap::new, Collectors.toList()));
        Map<String, MonthRollSync.Truth> truths = new HashMap<>();
        java.util.function.Function<Long, io.cwbridge.connectwise.model.CatalogItem> items = monthRoll.catalogReads(cw, tally);
        // R17 CONNECTWISE_CATALOG x R30: each catalog item read once for the run (MonthRollSync.catalogPriced)
        monthRoll.truths(partnerId).forEach((s, truth) -> truths.put(s, MonthRollSync.catalogPriced(truth, rules, items)));
        Set<String> unsettled = unsettled(partnerId, rules);
        // R18 x R10 x R30 (probe 58 F1): what the bundle last wrote on each line, one query for the partner
        Map<String, Map<Long, java.math.BigDecimal>> written = monthRoll.writtenQuantities(partnerId);
        Map<Long, List<String>> byAgreement = new TreeMap<>();
        List<String> acrossAgreements = new ArrayList<>();
        linesBySubscription.forEach((subscriptionId, rows) -> {
            Set<Long> agreements = rows.stream().map(r -> ((Number) r.get("agreement_id")).longValue()).collect(Collectors.toSet());
            if (agreements.size() == 1) byAgreement.computeIfAbsent(agreements.iterator().next(), a -> new ArrayList<>()).add(subscriptionId);
            else acrossAgreements.add(subscriptionId);
        });
        tally.time("bulk SQL reads", t);

        MonthRollSync.Sequence seq = monthRoll.sequence(runId);
        List<CompletableFuture<RunTally>> lanes = new ArrayList<>();
        Lanes lanePool = new Lanes(Executors.newFixedThreadPool(LANES, r -> {
            Thread thread = new Thread(r, "global-sync-lane-" + runId);
            thread.setDaemon(true);
            return thread;
        }), new Semaphore(PENDING));
        try {
            // The next agreements' reads go on while this one is compared and written (issue 14).
            ReadAhead<Long, AgreementRead> reads = new ReadAhead<>(List.copyOf(byAgreement.keySet()),
                    agreementId -> read(cw, agreementId, byAgreement.get(agreementId).stream()
                            .flatMap(s -> linesBySubscription.get(s).stream()).toList()), readers, AGREEMENTS_AHEAD);
            for (Map.Entry<Long, List<String>> agreement : byAgreement.entrySet()) {
                long agreementId = agreement.getKey();
                List<String> subscriptions = agreement.getValue();
                t = System.nanoTime();
                AgreementRead read = reads.next();
                tally.reads += read.calls();
                OffsetDateTime takenAt = read.takenAt();
                Map<Long, AgreementAddition> additions = read.additions();
                // Without the agreement or its additions each subscription is read and judged on its own, and fails on its own.
                AgreementBilling billing = read.agreement() == null ? null : snapshots.billing(agreementId, read.agreement());
                if (billing == null) additions = null;
                snapshots.use(agreementId, takenAt, additions);
                tally.time("waiting for ConnectWise reads", t);

                t = System.nanoTime();
                List<Map<String, Object>> quiet = new ArrayList<>();
                for (String subscriptionId : subscriptions) {
                    tally.lookedAt(Kind.SUBSCRIPTION);
                    List<Map<String, Object>> rows = linesBySubscription.get(subscriptionId);
                    Optional<SubscriptionLines> lines = additions == null || unsettled.contains(subscriptionId)
                            || writtenSince(rows, takenAt) ? Optional.empty() : SubscriptionLinesReader.from(rows, additions);
                    if (lines.isPresent() && monthRoll.nothingToSend(subscriptionId, agreementId, lines.get(), billing,
                            Optional.ofNullable(truths.get(subscriptionId)), rules, today, tally,
                            written.getOrDefault(subscriptionId, Map.of()))) {
                        quiet.addAll(rows);
                        continue;
                    }
                    long s = System.nanoTime();
                    lanes.add(lane(lanePool, runId, partnerId, subscriptionId, cw, today, rules, snapshots, missing(rows, additions), seq));
                    t += System.nanoTime() - s; // waiting for a free lane is not comparing
                }
                tally.time("in-memory compare", t);
                t = System.nanoTime();
                if (additions != null && billing != null) refreshCopies(partnerId, quiet, additions, billing.nextInvoiceDate(), takenAt);
                tally.time("line copies", t);
            }
            t = System.nanoTime();
            lanes.forEach(lane -> tally.add(lane.join()));
            tally.time("waiting for the lanes", t);
            t = System.nanoTime();
            for (String subscriptionId : acrossAgreements) {
                tally.lookedAt(Kind.SUBSCRIPTION);
                sync(runId, partnerId, subscriptionId, cw, today, rules, tally, snapshots, List.of(), seq);
            }
            tally.time("subscriptions on several agreements", t);
        } finally {
            lanePool.threads().shutdownNow();
        }
    }

    /** One run's lanes: their threads, and the permits of the subscriptions sent on and not yet done. */
    private record Lanes(ExecutorService threads, Semaphore pending) {}

    /**
     * Sends one subscription on to {@link MonthRollSync#sync} in a lane of its own ({@value #LANES}
     * run at once, each under the subscription's lock, every call paced by the tenant's rate limit),
     * with a tally and a copy of the snapshot of its own; waits while {@value #PENDING} are queued.
     */
    private CompletableFuture<RunTally> lane(Lanes lanes, long runId, String partnerId, String subscriptionId, ConnectWiseConnection cw, LocalDate today,
            SyncRules rules, AgreementSnapshots snapshots, List<Long> missing, MonthRollSync.Sequence seq) {
        RunTally laneTally = new RunTally();
        AgreementSnapshots laneSnapshots = snapshots.forLane(laneTally);
        lanes.pending().acquireUninterruptibly();
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    long s = System.nanoTime();
                    sync(runId, partnerId, subscriptionId, cw, today, rules, laneTally, laneSnapshots, missing, seq);
                    laneTally.time("subscriptions synced one by one (summed over the lanes)", s);
                    return laneTally;
                } finally {
                    lanes.pending().release();
                }
            }, lanes.threads());
        } catch (RuntimeException e) {
            lanes.pending().release();
            throw e;
        }
    }

    private void sync(long runId, String partnerId, String subscriptionId, ConnectWiseConnection cw, LocalDate today, SyncRules rules,
            RunTally tally, AgreementSnapshots snapshots, List<Long> missing, MonthRollSync.Sequence seq) {
        try {
            monthRoll.sync(runId, partnerId, subscriptionId, cw, today, rules, tally, snapshots, seq);
            reportForgotten(partnerId, subscriptionId, missing, tally);
        } catch (Exception e) {
            tally.failed(Kind.SUBSCRIPTION, subscriptionId, e);
        }
    }

    /** What was read of one agreement ahead: its record and its additions (null when a read failed), and the calls made. */
    record AgreementRead(OffsetDateTime takenAt, Agreement agreement, Map<Long, AgreementAddition> additions, int calls) {}

    /**
     * The agreement (how it invoices) and its additions that hold the bundle's lines, by id: read by
     * id when they are few, else the agreement whole in pages of {@value #PAGE_SIZE}. Runs on a
     * reader thread; {@code takenAt} is the database's time before the additions were read.
     */
    private AgreementRead read(ConnectWiseConnection cw, long agreementId, List<Map<String, Object>> rows) {
        OffsetDateTime takenAt = jdbc.queryForObject("SELECT clock_timestamp()", Map.of(), OffsetDateTime.class);
        int calls = 0;
        try {
            Set<Long> ids = rows.stream().map(r -> ((Number) r.get("addition_id")).longValue())
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
            List<AgreementAddition> read;
            if (ids.size() <= ID_CHUNK) {
                calls++;
                read = additionsReader.withIds(cw, agreementId, ids, PAGE_SIZE);
            } else {
                read = additionsReader.list(cw, agreementId, null, PAGE_SIZE);
                calls += Math.max(1, (read.size() + PAGE_SIZE - 1) / PAGE_SIZE);
            }
            Map<Long, AgreementAddition> byId = new HashMap<>();
            read.forEach(a -> byId.put(a.id(), a));
            calls++;
            Agreement agreement = resources.agreement(cw, agreementId);
            return new AgreementRead(takenAt, agreement, byId, calls);
        } catch (RuntimeException e) {
            return new AgreementRead(takenAt, null, null, calls);
        }
    }

    /**
     * Subscriptions the snapshot cannot judge alone: a global sync operation not done (a crash's, sent
     * first), a task operation not done on their lines (the roll waits for it), catch-up lines the
     * bundle keeps (R27), a roll catch-up still to post as an adjustment.
     */
    private Set<String> unsettled(String partnerId, SyncRules rules) {
        Set<String> subscriptions = new HashSet<>(jdbc.queryForList(
                "SELECT DISTINCT subscription_id FROM global_sync_operation WHERE partner_id = :p AND status <> 'DONE'",
                Map.of("p", partnerId), String.class));
        jdbc.query("""
                SELECT t.subscription_id, o.line_key FROM task_operation o JOIN sync_task t ON t.task_id = o.task_id
                WHERE o.status <> 'DONE' AND t.partner_id = :p AND t.status IN (:syncable)""",
                Map.of("p", partnerId, "syncable", TaskStatus.SYNCABLE), rs -> {
                    subscriptions.add(rs.getString(1));
                    String key = rs.getString(2);
                    if (key != null) subscriptions.add(subscriptionOf(key));
                });
        subscriptions.addAll(jdbc.queryForList(
                "SELECT DISTINCT subscription_id FROM invoiced_catch_up WHERE partner_id = :p AND lines <> '[]'::jsonb",
                Map.of("p", partnerId), String.class));
        if (rules.invoicedCatchUp() == SyncRules.InvoicedCatchUp.ADJUSTMENT) {
            subscriptions.addAll(jdbc.queryForList("""
                    SELECT DISTINCT subscription_id FROM invoiced_catch_up
                    WHERE partner_id = :p AND task_id IS NULL AND status IN ('LISTED', 'POSTING')""", Map.of("p", partnerId), String.class));
        }
        return subscriptions;
    }

    /** The subscription of a line key ({@code sub/ROLE/2024-03-15#1}; the subscription id itself may hold '/'). */
    static String subscriptionOf(String lineKey) {
        int last = lineKey.lastIndexOf('/');
        int middle = last <= 0 ? -1 : lineKey.lastIndexOf('/', last - 1);
        return middle < 0 ? lineKey : lineKey.substring(0, middle);
    }

    /** Whether the bundle recorded a write to one of the lines at or after the snapshot's read (both database time). */
    private static boolean writtenSince(List<Map<String, Object>> rows, OffsetDateTime takenAt) {
        return rows.stream().anyMatch(r -> !instant(r.get("updated_at")).isBefore(takenAt.toInstant()));
    }

    private static List<Long> missing(List<Map<String, Object>> rows, Map<Long, AgreementAddition> additions) {
        if (additions == null) return List.of();
        return rows.stream().map(r -> ((Number) r.get("addition_id")).longValue()).filter(id -> !additions.containsKey(id)).toList();
    }

    /**
     * A line whose addition was deleted in ConnectWise by hand is forgotten by the read that finds it
     * gone ({@link SubscriptionLinesReader}): no longer the subscription's, never written again. The
     * run's report names it, so a person can see why those licences are no longer billed.
     */
    private void reportForgotten(String partnerId, String subscriptionId, List<Long> missing, RunTally tally) {
        if (missing.isEmpty()) return;
        Set<Long> kept = new HashSet<>(jdbc.queryForList("""
                SELECT addition_id FROM subscription_line WHERE partner_id = :p AND subscription_id = :s AND addition_id IN (:a)""",
                Map.of("p", partnerId, "s", subscriptionId, "a", missing), Long.class));
        missing.stream().filter(id -> !kept.contains(id)).forEach(id -> tally.change("ADDITION", id,
                "FORGOTTEN deleted in ConnectWise: no longer a line of subscription " + subscriptionId));
    }

    /**
     * Keeps the snapshot as the copies of the quiet subscriptions' lines where a copy is missing or
     * differs, in one batch; a line the bundle wrote or copied after the read keeps what it has.
     */
    private void refreshCopies(String partnerId, List<Map<String, Object>> rows, Map<Long, AgreementAddition> additions, LocalDate nextInvoice,
            OffsetDateTime takenAt) {
        if (nextInvoice == null) return; // a copy holds only under a known next invoice date
        List<MapSqlParameterSource> batch = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            long additionId = ((Number) row.get("addition_id")).longValue();
            Copy copy = Copy.of(additions.get(additionId));
            if (row.get("copied_at") != null && Objects.equals(localDate(row.get("copy_next_invoice")), nextInvoice)
                    && copy.sameAs(row)) continue;
            batch.add(new MapSqlParameterSource().addValue("p", partnerId).addValue("a", additionId)
                    .addValue("item", copy.catalogItemId()).addValue("qty", copy.quantity()).addValue("price", copy.unitPrice())
                    .addValue("cost", copy.unitCost()).addValue("eff", sqlDate(copy.effectiveDate()))
                    .addValue("cxl", sqlDate(copy.cancelledDate())).addValue("desc", copy.description())
                    .addValue("inv", copy.invoiceDescription()).addValue("next", sqlDate(nextInvoice)));
        }
        subscriptionLines.storeCopiesReadAt(takenAt, batch);
    }

    /** The fields of an addition a line copy keeps (V15), as {@code sync/LineCopies} takes them. */
    record Copy(Long catalogItemId, BigDecimal quantity, BigDecimal unitPrice, BigDecimal unitCost, LocalDate effectiveDate,
            LocalDate cancelledDate, String description, String invoiceDescription) {

        static Copy of(AgreementAddition a) {
            return new Copy(a.catalogItemId(), a.quantity(), a.unitPrice(), a.unitCost(), a.effectiveDate(), a.cancelledDate(),
                    a.description(), a.invoiceDescription());
        }

        boolean sameAs(Map<String, Object> row) {
            return Objects.equals(catalogItemId, row.get("catalog_item_id") == null ? null : ((Number) row.get("catalog_item_id")).longValue())
                    && sameAmount(quantity, row.get("quantity")) && sameAmount(unitPrice, row.get("unit_price"))
                    && sameAmount(unitCost, row.get("unit_cost")) && Objects.equals(effectiveDate, localDate(row.get("effective_date")))
                    && Objects.equals(cancelledDate, localDate(row.get("cancelled_date")))
                    && Objects.equals(description, row.get("description")) && Objects.equals(invoiceDescription, row.get("invoice_description"));
        }

        private static boolean sameAmount(BigDecimal value, Object column) {
            BigDecimal held = (BigDecimal) column;
            return value == null ? held == null : held != null && value.compareTo(held) == 0;
        }
    }

    private static java.time.Instant instant(Object timestamp) {
        if (timestamp instanceof java.sql.Timestamp ts) return ts.toInstant();
        if (timestamp instanceof OffsetDateTime odt) return odt.toInstant();
        throw new IllegalStateException("not a timestamp: " + timestamp);
    }

    private static LocalDate localDate(Object value) {
        return LineCopies.localDate(value);
    }

    private static Date sqlDate(LocalDate d) {
        return LineCopies.sqlDate(d);
    }
}
