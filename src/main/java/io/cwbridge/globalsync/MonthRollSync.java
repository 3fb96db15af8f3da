package io.cwbridge.globalsync;

import io.cwbridge.catchup.CatchUpRepository;
import io.cwbridge.sync.InvoicedCatchUps;
import io.cwbridge.connectwise.AdditionDelivery.DeliveryResult;
import io.cwbridge.connectwise.AdditionFields;
import io.cwbridge.connectwise.AdditionOperation;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.globalsync.RunTally.Kind;
import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.reconciliation.ReconciliationRepository;
import io.cwbridge.reconciliation.ReconciliationRepository.FinalUnitCost;
import io.cwbridge.rules.AdditionLine;
import io.cwbridge.rules.AdditionPlan;
import io.cwbridge.rules.AgreementBilling;
import io.cwbridge.rules.MonthRoll;
import io.cwbridge.rules.PlannedOperation;
import io.cwbridge.rules.RenewalWatch;
import io.cwbridge.rules.SubscriptionLines;
import io.cwbridge.rules.SyncRules;
import io.cwbridge.sync.AdvisoryLock;
import io.cwbridge.sync.OperationLedger;
import io.cwbridge.sync.SubscriptionLinesReader;
import io.cwbridge.sync.TaskOperations;
import io.cwbridge.sync.TransientRedelivery;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The addition part of the global sync for one subscription: the month roll (R18) on the lines the
 * bundle recorded (subscription_line), as ConnectWise holds them now, then the unit price / cost of
 * the base line billing today where they differ from the latest event's ({@link AdditionPrices}). It takes the same per-subscription
 * advisory lock as the task sync ({@link AdvisoryLock#subscription}), so a roll and a task never interleave. The roll's operations are
 * stored before they are sent (global_sync_operation); one left unfinished by a crash is completed
 * first by the next run, with a look-up before any create, so nothing is lost or sent twice.
 */
@Component
class MonthRollSync {

    private final NamedParameterJdbcTemplate jdbc;
    private final DataSource dataSource;
    private final SubscriptionLinesReader reader;
    private final ProducerTemplate producer;
    private final OperationLedger ledger;
    private final TaskOperations operations;
    private final CatchUpRepository catchUps;
    private final InvoicedCatchUps invoicedCatchUps;
    private final TransientRedelivery redelivery;
    private final ReconciliationRepository reconciliations;
    private final io.cwbridge.connectwise.ConnectWiseResources resources;

    MonthRollSync(NamedParameterJdbcTemplate jdbc, DataSource dataSource, SubscriptionLinesReader reader, ProducerTemplate producer,
            OperationLedger ledger, TaskOperations operations, CatchUpRepository catchUps, InvoicedCatchUps invoicedCatchUps,
            ReconciliationRepository reconciliations, io.cwbridge.connectwise.ConnectWiseResources resources) {
        this.reconciliations = reconciliations;
        this.resources = resources;
        this.operations = operations;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.reader = reader;
        this.producer = producer;
        this.ledger = ledger;
        this.catchUps = catchUps;
        this.invoicedCatchUps = invoicedCatchUps;
        this.redelivery = new TransientRedelivery(producer.getCamelContext());
    }

    void sync(long runId, String partnerId, String subscriptionId, ConnectWiseConnection cw, LocalDate today, SyncRules rules,
            RunTally tally, AgreementSnapshots snapshots, Sequence seq) throws SQLException {
        AdvisoryLock.with(dataSource, AdvisoryLock.subscription(partnerId, subscriptionId), () -> {
            int sent = finishOpen(partnerId, subscriptionId, tally);
            operations.refuseWhileInDoubt(partnerId, subscriptionId); // no roll from lines that omit a task's write in doubt
            // Unmapped (SPEC 3): its additions are no longer touched, no roll, no price, no renewal watch.
            Map<Long, List<Map<String, Object>>> byAgreement = jdbc.queryForList("""
                    SELECT line_key, agreement_id, addition_id FROM subscription_line l
                    WHERE partner_id = :p AND subscription_id = :s
                      AND NOT EXISTS (SELECT 1 FROM subscription_unmapped u WHERE u.partner_id = l.partner_id
                                      AND u.subscription_id = l.subscription_id)
                    ORDER BY line_key""",
                    Map.of("p", partnerId, "s", subscriptionId)).stream()
                    .collect(Collectors.groupingBy(r -> ((Number) r.get("agreement_id")).longValue()));
            Optional<Truth> truth = byAgreement.isEmpty() ? Optional.empty()
                    : truth(partnerId, subscriptionId).map(t -> catalogPriced(t, rules, catalogReads(cw, tally)));
            Map<Long, BigDecimal> written = byAgreement.isEmpty() ? Map.of() : writtenQuantities(partnerId, subscriptionId);
            List<AdditionLine> billed = new java.util.ArrayList<>();
            for (Map.Entry<Long, List<Map<String, Object>>> agreement : byAgreement.entrySet()) {
                int ids = agreement.getValue().size();
                SubscriptionLines lines = snapshots.lines(agreement.getKey(), subscriptionId, agreement.getValue())
                        .orElseGet(() -> {
                            tally.reads += SubscriptionLinesReader.calls(ids);
                            return reader.read(partnerId, cw, agreement.getValue());
                        });
                lines = withCatchUpLines(partnerId, subscriptionId, agreement.getKey(), lines);
                AgreementBilling billing = snapshots.billing(agreement.getKey());
                AdditionPlan plan = roll(lines, agreement.getKey(), today, billing, truth, rules, written);
                // R18 x R10 x R30 (probe 58 F1): a past line a person changed after the bundle wrote it is listed, left as is
                plan.notes().stream().filter(n -> n.startsWith(MonthRoll.DIFFERS))
                        .forEach(n -> tally.change("ADDITION", additionOf(n), n));
                // R27: the part of the roll that falls into invoiced periods, kept (once) for review or adjustment.
                catchUps.recordForRun(runId, new CatchUpRepository.Owner(partnerId, subscriptionId, agreement.getKey(),
                        truth.map(Truth::currency).orElse(null), billing.nextInvoiceDate()), plan.catchUps());
                if (!plan.isEmpty()) {
                    for (PlannedOperation p : plan.operations()) {
                        store(runId, seq.next(), partnerId, subscriptionId, p.line().toString(), p.reason(), TaskOperations.toDelivery(p));
                    }
                    sent += finishOpen(partnerId, subscriptionId, tally);
                    tally.reads += SubscriptionLinesReader.calls(ids + 1); // the lines as the roll left them
                    lines = withCatchUpLines(partnerId, subscriptionId, agreement.getKey(),
                            reader.read(partnerId, cw, lines(partnerId, subscriptionId, agreement.getKey())));
                }
                billed.addAll(lines.all());
                if (truth.isEmpty()) continue;
                boolean stored = false;
                for (AdditionLine line : lines.all()) {
                    Optional<AdditionFields> fields = pricePatch(line, truth.get(), rules, today, billing);
                    if (fields.isPresent()) {
                        store(runId, seq.next(), partnerId, subscriptionId, line.key().toString(),
                                truth.get().overridden() ? "R30 unit price / cost of the latest event, as its task's override (R31) set them"
                                        : truth.get().pricedBy(rules) == SyncRules.PriceSource.CONNECTWISE_CATALOG
                                        ? "R30 unit price / cost of the catalog item (R17 price source CONNECTWISE_CATALOG)"
                                        : "R30 unit price / cost of the latest event",
                                AdditionOperation.update(agreement.getKey(), line.additionId(), fields.get()));
                        stored = true;
                    }
                }
                if (stored) sent += finishOpen(partnerId, subscriptionId, tally);
            }
            // R30: the lines as ConnectWise bills them now, against what the marketplace says of the renewal.
            listRenewal(subscriptionId, SubscriptionLines.of(billed), truth, today, tally);
            invoicedCatchUps.settleRolls(partnerId, subscriptionId, runId, rules.invoicedCatchUp());
            if (sent > 0) tally.changed(Kind.SUBSCRIPTION);
            return null;
        });
    }

    /**
     * The bulk path's check (issue 14) of one subscription on one agreement, from lines read with the
     * agreement's additions and nothing else known about it (no catch-up lines, no open operation, no
     * write since the read): true when {@link #sync} would send nothing and keep nothing for it, the
     * same rules on the same lines (R18 roll, R27 catch-ups, R30 prices); then its renewal (R30) is
     * listed here. False: the subscription needs {@link #sync}, which locks it and decides again.
     */
    boolean nothingToSend(String subscriptionId, long agreementId, SubscriptionLines lines, AgreementBilling billing,
            Optional<Truth> truth, SyncRules rules, LocalDate today, RunTally tally, Map<Long, BigDecimal> written) {
        AdditionPlan plan = roll(lines, agreementId, today, billing, truth, rules, written);
        if (!plan.isEmpty() || !plan.catchUps().isEmpty()) return false;
        // R18 x R10 x R30: a past line that differs from what the bundle wrote is listed by the subscription's own sync
        if (plan.notes().stream().anyMatch(n -> n.startsWith(MonthRoll.DIFFERS))) return false;
        if (truth.isPresent()) {
            for (AdditionLine line : lines.all()) {
                if (pricePatch(line, truth.get(), rules, today, billing).isPresent()) return false;
            }
        }
        listRenewal(subscriptionId, lines, truth, today, tally);
        return true;
    }

    /**
     * R30: the unit price / cost the line should carry where it differs; never on a catch-up line (R27: not in ConnectWise).
     * R31: priced as the latest synced task's override priced its base line (its price source), when it did.
     */
    private static Optional<AdditionFields> pricePatch(AdditionLine line, Truth truth, SyncRules rules, LocalDate today,
            AgreementBilling billing) {
        if (line.caughtUp()) return Optional.empty();
        SyncRules priced = truth.priceSource() == null ? rules : rules.withPriceSource(truth.priceSource());
        return AdditionPrices.patch(line, truth.catalogItemId(), truth.unitPrice(), truth.unitCost(), truth.kind(), priced, today, billing,
                truth.cycle(), truth.currency());
    }

    /** R30: the lines as ConnectWise bills them now, against what the marketplace says of the renewal. */
    private static void listRenewal(String subscriptionId, SubscriptionLines billed, Optional<Truth> truth, LocalDate today,
            RunTally tally) {
        truth.flatMap(t -> RenewalWatch.check(subscriptionId, billed, t.autoRenew(), t.active(), t.endDate(), today))
                .ifPresent(due -> tally.renewalsDue.add(new GlobalSyncReport.RenewalDue(due.subscriptionId(),
                        due.baseLineEnds(), due.daysLeft(), due.marketplaceEnd())));
    }

    /** R27: the catch-up lines the bundle keeps for the subscription on this agreement, with ConnectWise's lines. */
    private SubscriptionLines withCatchUpLines(String partnerId, String subscriptionId, long agreementId, SubscriptionLines read) {
        List<AdditionLine> caughtUp = catchUps.caughtUpLines(partnerId, List.of(subscriptionId), agreementId);
        if (caughtUp.isEmpty()) return read;
        List<AdditionLine> all = new java.util.ArrayList<>(read.all());
        all.addAll(caughtUp);
        return SubscriptionLines.of(all);
    }

    /** A new run's operation numbers ({@link Sequence}). */
    Sequence sequence(long runId) {
        return new Sequence(runId);
    }

    /**
     * The run's next operation number, read from the table on first use only (one run of a partner at
     * a time); one per run, shared by its lanes.
     */
    final class Sequence {
        private final long runId;
        private Integer last;

        private Sequence(long runId) {
            this.runId = runId;
        }

        synchronized int next() {
            if (last == null) {
                last = jdbc.queryForObject("SELECT coalesce(max(seq), 0) FROM global_sync_operation WHERE run_id = :r",
                        Map.of("r", runId), Integer.class);
            }
            return ++last;
        }
    }

    /**
     * The subscription's current values as ConnectWise has been sent them: the unit price, cost (or the newer final reseller
     * cost of R32 v2, {@link AdditionPrices#unitCost}) and kind of its latest event whose task is SYNCED (view latest_synced_subscription_event, V35), and its product's catalog item. An event still waiting
     * (for a person's approval under MANUAL, the task period, a retry, its mapping) is not the truth yet (R30 x R31): its task's
     * own plan dates the change, where a price pushed onto the running base line would re-price the days before it.
     *
     * <p>R31: a person's override on the task of that event ({@code task_override}) is part of what was sent: its unit price,
     * unit cost and price source are the truth of the base line where that task wrote the base line with them (LineOverrides
     * applies an override to the lines the task creates or updates, not to a line it only ends), so a timer does not undo
     * the decision. A later event is a new decision point: its own values (and its task's override, if any) are the truth.
     * The other overridable fields (dates, description, quantity, billCustomer, taxableFlag) are not written by the global
     * sync from the event: the roll (R18) only ends lines and adds their deltas' licences to what the lines hold.
     *
     * @param priceSource the override's price source where it priced the base line, else null (the partner's rules)
     * @param overridden  whether the unit price, cost or price source comes from the task's override
     */
    record Truth(Long catalogItemId, BigDecimal unitPrice, BigDecimal unitCost, SubscriptionKind kind, String currency,
            boolean autoRenew, boolean active, LocalDate endDate, io.cwbridge.events.BillingCycle cycle,
            SyncRules.PriceSource priceSource, boolean overridden, boolean priceFixed, boolean costFixed) {

        /** The price source its lines are priced by: the override's where it priced the base line, else the partner's. */
        SyncRules.PriceSource pricedBy(SyncRules rules) {
            return priceSource != null ? priceSource : rules.priceSource();
        }

        Truth withPrices(BigDecimal price, BigDecimal cost) {
            return new Truth(catalogItemId, price, cost, kind, currency, autoRenew, active, endDate, cycle, priceSource, overridden,
                    priceFixed, costFixed);
        }
    }

    /**
     * R17 CONNECTWISE_CATALOG x R30 / R18 (probe 45 F4): under the catalog price source the base line's truth is the catalog
     * item's current price and cost (one read per catalog item and run, {@code items}), as a task's lines take them
     * (sync/CatalogPrices): the global sync re-prices the base billing today to it, as it re-prices to the latest event under
     * MARKETPLACE, and the month roll's continuation is written with it. A task override's price or cost (R31) and a final
     * reseller cost (R32 v2) stay the truth ({@code priceFixed} / {@code costFixed}).
     */
    static Truth catalogPriced(Truth truth, SyncRules rules, java.util.function.Function<Long, io.cwbridge.connectwise.model.CatalogItem> items) {
        if (truth.pricedBy(rules) != SyncRules.PriceSource.CONNECTWISE_CATALOG || truth.catalogItemId() == null) return truth;
        io.cwbridge.connectwise.model.CatalogItem item = items.apply(truth.catalogItemId());
        return truth.withPrices(truth.priceFixed() ? truth.unitPrice() : item.price(), truth.costFixed() ? truth.unitCost() : item.cost());
    }

    /** Reads a catalog item once per call of the returned function's owner (a run, or one subscription's sync), counting the read. */
    java.util.function.Function<Long, io.cwbridge.connectwise.model.CatalogItem> catalogReads(ConnectWiseConnection cw, RunTally tally) {
        Map<Long, io.cwbridge.connectwise.model.CatalogItem> read = new java.util.concurrent.ConcurrentHashMap<>();
        return id -> read.computeIfAbsent(id, i -> {
            synchronized (tally) {
                tally.reads++;
            }
            return resources.catalogItem(cw, i);
        });
    }

    /** R18 with R17a: the roll of the subscription's lines, prorated as its cycle, currency and the partner's rule say. */
    static AdditionPlan roll(SubscriptionLines lines, long agreementId, LocalDate today, AgreementBilling billing, Optional<Truth> truth,
                             SyncRules rules) {
        return roll(lines, agreementId, today, billing, truth, rules, null);
    }

    /**
     * As {@link #roll(SubscriptionLines, long, LocalDate, AgreementBilling, Optional, SyncRules)}, with the quantity the bundle
     * last wrote on each line ({@code written}, {@link #writtenQuantities}): R18 x R10 x R30 (probe 58 F1), the roll carries
     * an ended line's count as the bundle wrote it, so a hand edit of a past line does not flow into the later months.
     */
    static AdditionPlan roll(SubscriptionLines lines, long agreementId, LocalDate today, AgreementBilling billing, Optional<Truth> truth,
                             SyncRules rules, Map<Long, BigDecimal> written) {
        // R17 CONNECTWISE_CATALOG x R18: the continuation takes the catalog item's current price and cost (catalogPriced),
        // also with "sync unit price / cost" off: it is a new line, and a new line carries the catalog's explicitly then
        // (probe 59 N1: with price sync off it copied the old base's 30.00 after the catalog and the delta said 32.00)
        MonthRoll.CurrentPrice current = truth.filter(t -> t.pricedBy(rules) == SyncRules.PriceSource.CONNECTWISE_CATALOG)
                .map(t -> new MonthRoll.CurrentPrice(t.catalogItemId(), t.unitPrice(), t.unitCost())).orElse(null);
        return MonthRoll.plan(lines, agreementId, today, billing, rules.proration(),
                truth.map(Truth::cycle).orElse(io.cwbridge.events.BillingCycle.MONTHLY), truth.map(Truth::currency).orElse(null), current, written);
    }

    // any task's operation on the line counts (an upgrade's task of another subscription may re-net it), each line once
    private static final String WRITTEN = """
            SELECT DISTINCT ON (l.subscription_id, l.addition_id) l.subscription_id, l.addition_id, w.quantity FROM (
                SELECT op.addition_id, op.request->'fields'->>'quantity' AS quantity, op.done_at
                FROM task_operation op JOIN sync_task t ON t.task_id = op.task_id
                WHERE t.partner_id = :p AND op.status = 'DONE' AND op.addition_id IS NOT NULL
                  AND op.request->'fields'->>'quantity' IS NOT NULL %1$s
                UNION ALL
                SELECT g.addition_id, g.request->'fields'->>'quantity', g.done_at
                FROM global_sync_operation g
                WHERE g.partner_id = :p AND g.status = 'DONE' AND g.addition_id IS NOT NULL
                  AND g.request->'fields'->>'quantity' IS NOT NULL %2$s
            ) w
            JOIN subscription_line l ON l.partner_id = :p AND l.addition_id = w.addition_id %3$s
            ORDER BY l.subscription_id, l.addition_id, w.done_at DESC""";

    private static final String OF_THE_SUBSCRIPTION =
            "AND %s.addition_id IN (SELECT addition_id FROM subscription_line WHERE partner_id = :p AND subscription_id = :s)";

    /**
     * R18 x R10 x R30 (probe 58 F1): the quantity the bundle last wrote on each of the subscription's lines, by addition id
     * (its tasks' and global syncs' operations that set one, as sent); a line it never set a quantity on (adopted, say) is
     * missing and counts as ConnectWise holds it.
     */
    Map<Long, BigDecimal> writtenQuantities(String partnerId, String subscriptionId) {
        Map<Long, BigDecimal> written = new HashMap<>();
        jdbc.queryForList(WRITTEN.formatted(OF_THE_SUBSCRIPTION.formatted("op"), OF_THE_SUBSCRIPTION.formatted("g"),
                        "AND l.subscription_id = :s"),
                Map.of("p", partnerId, "s", subscriptionId)).forEach(r ->
                written.put(((Number) r.get("addition_id")).longValue(), new BigDecimal((String) r.get("quantity"))));
        return written;
    }

    /** As {@link #writtenQuantities(String, String)}, every subscription of the partner at once (the bulk path), by subscription. */
    Map<String, Map<Long, BigDecimal>> writtenQuantities(String partnerId) {
        Map<String, Map<Long, BigDecimal>> written = new HashMap<>();
        jdbc.queryForList(WRITTEN.formatted("", "", ""), Map.of("p", partnerId)).forEach(r ->
                written.computeIfAbsent((String) r.get("subscription_id"), k -> new HashMap<>())
                        .put(((Number) r.get("addition_id")).longValue(), new BigDecimal((String) r.get("quantity"))));
        return written;
    }

    /** The addition a {@link MonthRoll#DIFFERS} note names ("addition N (…"), or null. */
    private static Long additionOf(String note) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("addition (\\d+) ").matcher(note);
        return m.find() ? Long.valueOf(m.group(1)) : null;
    }

    private static final String TRUTH_COLUMNS = """
            SELECT e.subscription_id,
                   e.payload->'subscription'->>'unitPrice' AS unit_price, e.payload->'subscription'->>'unitCost' AS unit_cost,
                   e.payload->'subscription'->>'kind' AS kind, e.payload->'subscription'->>'currency' AS currency,
                   e.payload->'subscription'->>'autoRenew' AS auto_renew, e.payload->'subscription'->>'status' AS status,
                   e.payload->'subscription'->>'endDate' AS end_date, e.payload->'subscription'->>'billingCycle' AS billing_cycle, e.type,
                   CAST(timezone('UTC', e.occurred_at) AS date) AS occurred_on,
                   m.catalog_item_id,
                   o.unit_price AS override_price, o.unit_cost AS override_cost, o.price_source AS override_price_source,
                   o.task_id IS NOT NULL AND EXISTS (SELECT 1 FROM task_operation op WHERE op.task_id = t.task_id
                           AND op.kind <> 'DELETE' AND op.line_key ~ '/BASE/[0-9]{4}-[0-9]{2}-[0-9]{2}(#[0-9]+)?$'
                           AND coalesce(op.request->'fields'->'unitPrice', 'null'::jsonb) <> 'null'::jsonb) AS base_priced,
                   o.task_id IS NOT NULL AND EXISTS (SELECT 1 FROM task_operation op WHERE op.task_id = t.task_id
                           AND op.kind <> 'DELETE' AND op.line_key ~ '/BASE/[0-9]{4}-[0-9]{2}-[0-9]{2}(#[0-9]+)?$'
                           AND coalesce(op.request->'fields'->'unitCost', 'null'::jsonb) <> 'null'::jsonb) AS base_costed
            FROM latest_synced_subscription_event e
            -- R31: the override of the event's task (one task per event), and whether that task priced the base line with it
            JOIN sync_task t ON t.event_id = e.event_id
            LEFT JOIN task_override o ON o.task_id = t.task_id
            LEFT JOIN product_mapping m ON m.partner_id = e.partner_id
                 AND m.product_id = e.payload->'subscription'->'product'->>'id'
            WHERE e.partner_id = :p""";

    private Optional<Truth> truth(String partnerId, String subscriptionId) {
        Map<String, FinalUnitCost> finals = reconciliations.finalUnitCosts(partnerId, subscriptionId);
        return jdbc.queryForList(TRUTH_COLUMNS + " AND e.subscription_id = :s", Map.of("p", partnerId, "s", subscriptionId))
                .stream().findFirst().map(r -> truth(r, finals.get(subscriptionId)));
    }

    /** Every subscription's current values at once (one scan of view latest_synced_subscription_event), for the bulk path. */
    Map<String, Truth> truths(String partnerId) {
        Map<String, FinalUnitCost> finals = reconciliations.finalUnitCosts(partnerId, null);
        Map<String, Truth> all = new HashMap<>();
        jdbc.queryForList(TRUTH_COLUMNS, Map.of("p", partnerId)).forEach(r -> {
            String subscriptionId = (String) r.get("subscription_id");
            all.put(subscriptionId, truth(r, finals.get(subscriptionId)));
        });
        return all;
    }

    /**
     * The row's values, as the task's override set them where it priced the base line with them (R31,
     * {@link AdditionPrices#truth}); its unit cost the final reseller cost {@code finalCost} where that is newer (R32 v2,
     * AdditionPrices.unitCost).
     */
    private static Truth truth(Map<String, Object> r, FinalUnitCost finalCost) {
        LocalDate occurredOn = r.get("occurred_on") == null ? null : ((java.sql.Date) r.get("occurred_on")).toLocalDate();
        boolean priced = Boolean.TRUE.equals(r.get("base_priced"));
        boolean costed = Boolean.TRUE.equals(r.get("base_costed"));
        BigDecimal overridePrice = (BigDecimal) r.get("override_price");
        BigDecimal overrideCost = (BigDecimal) r.get("override_cost");
        String overrideSource = (String) r.get("override_price_source");
        BigDecimal unitPrice = AdditionPrices.truth(decimal(r.get("unit_price")), priced ? overridePrice : null);
        BigDecimal eventCost = AdditionPrices.truth(decimal(r.get("unit_cost")), costed ? overrideCost : null);
        BigDecimal unitCost = AdditionPrices.unitCost(eventCost, occurredOn,
                finalCost == null ? null : finalCost.unitCost(), finalCost == null ? null : finalCost.periodEnd());
        SyncRules.PriceSource priceSource = (priced || costed) && overrideSource != null ? SyncRules.PriceSource.valueOf(overrideSource) : null;
        boolean overridden = (priced && overridePrice != null) || (costed && overrideCost != null) || priceSource != null;
        return new Truth(
                r.get("catalog_item_id") == null ? null : ((Number) r.get("catalog_item_id")).longValue(),
                unitPrice, unitCost,
                r.get("kind") == null ? null : SubscriptionKind.valueOf((String) r.get("kind")), (String) r.get("currency"),
                "true".equals(r.get("auto_renew")),
                "ACTIVE".equals(r.get("status")) && !"CANCELLATION_ORDER".equals(r.get("type")),
                r.get("end_date") == null ? null : LocalDate.parse((String) r.get("end_date")),
                "YEARLY".equals(r.get("billing_cycle")) ? io.cwbridge.events.BillingCycle.YEARLY : io.cwbridge.events.BillingCycle.MONTHLY,
                priceSource, overridden, priced && overridePrice != null,
                (costed && overrideCost != null) || (finalCost != null && AdditionPrices.finalCostApplies(occurredOn, finalCost.unitCost(),
                        finalCost.periodEnd())));
    }

    private static BigDecimal decimal(Object text) {
        return text == null || text.toString().isBlank() ? null : new BigDecimal(text.toString().trim());
    }

    private List<Map<String, Object>> lines(String partnerId, String subscriptionId, long agreementId) {
        return jdbc.queryForList("""
                SELECT line_key, agreement_id, addition_id FROM subscription_line
                WHERE partner_id = :p AND subscription_id = :s AND agreement_id = :a ORDER BY line_key""",
                Map.of("p", partnerId, "s", subscriptionId, "a", agreementId));
    }

    private void store(long runId, int seq, String partnerId, String subscriptionId, String lineKey, String reason,
            AdditionOperation op) {
        Map<String, Object> params = new HashMap<>();
        params.put("r", runId);
        params.put("seq", seq);
        params.put("p", partnerId);
        params.put("s", subscriptionId);
        params.put("k", lineKey);
        params.put("reason", reason);
        params.put("request", ledger.write(op));
        jdbc.update("""
                INSERT INTO global_sync_operation (run_id, seq, partner_id, subscription_id, line_key, reason, request)
                VALUES (:r, :seq, :p, :s, :k, :reason, CAST(:request AS jsonb))""", params);
    }

    /** Sends the subscription's operations not yet DONE, in order; one STARTED before may have landed, so it is looked up first. */
    private int finishOpen(String partnerId, String subscriptionId, RunTally tally) {
        List<Map<String, Object>> open = jdbc.queryForList("""
                SELECT run_id, seq, line_key, reason, request::text AS request, status FROM global_sync_operation
                WHERE partner_id = :p AND subscription_id = :s AND status <> 'DONE' ORDER BY run_id, seq""",
                Map.of("p", partnerId, "s", subscriptionId));
        for (Map<String, Object> row : open) {
            long runId = ((Number) row.get("run_id")).longValue();
            int seq = ((Number) row.get("seq")).intValue();
            AdditionOperation op = ledger.read((String) row.get("request"));
            boolean verify = "STARTED".equals(row.get("status"));
            jdbc.update("UPDATE global_sync_operation SET status = 'STARTED' WHERE run_id = :r AND seq = :seq",
                    Map.of("r", runId, "seq", seq));
            if (verify && op.kind() == AdditionOperation.Kind.CREATE) tally.reads++;
            // route connectwise-deliver has no error handler of its own (caller-error-handling, issue 14): a transient
            // database failure sends the operation again, as bundle-error-handling redelivered the route's step
            Exchange done = redelivery.send("month roll of " + subscriptionId, redeliveries -> producer.send("direct:connectwise-deliver", e -> {
                e.getMessage().setBody(op);
                e.getMessage().setHeader("partnerId", partnerId);
                e.getMessage().setHeader("CwVerifyFirst", verify);
            }));
            tally.writes++;
            if (done.getException() != null) {
                throw new IllegalStateException("month roll of " + subscriptionId + " stopped: " + done.getException().getMessage(),
                        done.getException());
            }
            DeliveryResult result = done.getMessage().getBody(DeliveryResult.class);
            jdbc.update("UPDATE global_sync_operation SET status = 'DONE', addition_id = :a, done_at = now() WHERE run_id = :r AND seq = :seq",
                    Map.of("a", result.additionId(), "r", runId, "seq", seq));
            ledger.recordLine(partnerId, subscriptionId, (String) row.get("line_key"), op, result.additionId(), result.addition(), null);
            tally.change("ADDITION", result.additionId(), op.kind() + " " + row.get("reason"));
        }
        return open.size();
    }
}
