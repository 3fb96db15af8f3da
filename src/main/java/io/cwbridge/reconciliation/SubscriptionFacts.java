package io.cwbridge.reconciliation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.model.AgreementAddition;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.rules.reconciliation.PsaLine;
import io.cwbridge.rules.reconciliation.ThreeWay;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the three-way check (R34) and the monthly revenue read of a partner's subscriptions, read one way
 * for both: the marketplace from the stored events, and the lines as ConnectWise answers them.
 */
@Component
class SubscriptionFacts {

    /**
     * A subscription's quantity by day ({@code steps}, null without any; each step names the product it bills by its
     * product id), its latest event's subscription, and its usage by period (R24: the latest usage event of each period).
     */
    record Events(List<ThreeWay.QuantityStep> steps, JsonNode latest, List<ThreeWay.UsageCharge> usage) {}

    /**
     * One line of a subscription: its agreement, the addition ConnectWise has for it (null when it has none) and that
     * addition's catalog item (null when unknown).
     */
    record Line(long agreementId, PsaLine line, Long catalogItemId) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final PsaReader psa;
    private final ObjectMapper mapper;

    SubscriptionFacts(NamedParameterJdbcTemplate jdbc, PsaReader psa, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.psa = psa;
        this.mapper = mapper;
    }

    /**
     * Per subscription, from its events: each event's quantity from its day (a sale from its start date, a
     * cancellation 0 from the day it took effect), and the latest event's subscription.
     */
    Map<String, Events> events(String partnerId) {
        Map<String, List<ThreeWay.QuantityStep>> steps = new HashMap<>();
        Map<String, JsonNode> latest = new HashMap<>();
        Map<String, List<ThreeWay.QuantityStep>> upgraded = new HashMap<>();
        Map<String, JsonNode> upgradedLatest = new HashMap<>();
        Map<String, Map<LocalDate, ThreeWay.UsageCharge>> usage = new HashMap<>();
        jdbc.query("""
                SELECT subscription_id, type, action, occurred_at, CAST(payload AS text) AS payload FROM subscription_event
                 WHERE partner_id = :p ORDER BY subscription_id, occurred_at, received_at
                """, Map.of("p", partnerId), rs -> {
            JsonNode payload;
            try {
                // Money as written, never through a double.
                payload = mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(rs.getString("payload"));
            } catch (IOException e) {
                return;
            }
            String id = rs.getString("subscription_id");
            String type = rs.getString("type");
            JsonNode s = payload.path("subscription");
            LocalDate day = rs.getTimestamp("occurred_at").toInstant().atZone(ZoneOffset.UTC).toLocalDate();
            if ("SALES_ORDER".equals(type) && s.path("startDate").isTextual()) day = LocalDate.parse(s.path("startDate").asText().substring(0, 10));
            // A late cancellation names the day it took effect (R21's c), as the pipeline reads it.
            if ("CANCELLATION_ORDER".equals(type) && payload.path("cancellationDate").isTextual()) {
                day = LocalDate.parse(payload.path("cancellationDate").asText().substring(0, 10));
            }
            // a usage event's snapshot changes no licences (and must not bring back a cancelled subscription)
            BigDecimal quantity = "CANCELLATION_ORDER".equals(type) ? BigDecimal.ZERO
                    : "BILLING_ORDER".equals(type) ? null
                    : s.path("quantity").isNumber() ? s.path("quantity").decimalValue() : null;
            // each step at the prices its event carried (a price change bills its new price from its day)
            BigDecimal price = decimalOrNull(s.path("unitPrice"));
            BigDecimal cost = decimalOrNull(s.path("unitCost"));
            JsonNode upgrade = payload.path("upgradeTo");
            String action = rs.getString("action");
            boolean toAnother = upgrade.path("subscriptionId").isTextual() && !upgrade.path("subscriptionId").asText().equals(id);
            if ("FULL_UPGRADE".equals(action) && upgrade.isObject()) {
                if (toAnother) {
                    quantity = BigDecimal.ZERO; // R19: the new subscription (below) bills the licences from c
                } else {
                    // R19: the subscription goes on in the new product, at its price, from c
                    if (upgrade.path("quantity").isNumber()) quantity = upgrade.path("quantity").decimalValue();
                    if (upgrade.has("unitPrice")) price = decimalOrNull(upgrade.path("unitPrice"));
                    if (upgrade.has("unitCost")) cost = decimalOrNull(upgrade.path("unitCost"));
                }
            }
            // R19: a full upgrade of the subscription itself bills the new product from c
            String product = "FULL_UPGRADE".equals(action) && upgrade.isObject() && !toAnother && upgrade.path("product").path("id").isTextual()
                    ? upgrade.path("product").path("id").asText() : s.path("product").path("id").asText(null);
            if (quantity != null) {
                steps.computeIfAbsent(id, k -> new ArrayList<>()).add(new ThreeWay.QuantityStep(day, quantity, price, cost, product));
            }
            if ("BILLING_ORDER".equals(type)) usage(payload, s).ifPresent(u -> usage.computeIfAbsent(id, k -> new java.util.TreeMap<>()).put(u.from(), u));
            latest.put(id, s);
            boolean anUpgrade = "PARTIAL_UPGRADE".equals(action) || "FULL_UPGRADE".equals(action);
            if (anUpgrade && toAnother && upgrade.path("quantity").isNumber()) {
                // R19 / R20: the new subscription bills from c, before (or without) an event of its own
                String created = upgrade.path("subscriptionId").asText();
                upgraded.computeIfAbsent(created, k -> new ArrayList<>()).add(new ThreeWay.QuantityStep(day,
                        upgrade.path("quantity").decimalValue(), decimalOrNull(upgrade.path("unitPrice")), decimalOrNull(upgrade.path("unitCost")),
                        upgrade.path("product").path("id").asText(null)));
                com.fasterxml.jackson.databind.node.ObjectNode made = s.deepCopy();
                made.put("id", created);
                made.set("product", upgrade.path("product"));
                made.set("quantity", upgrade.path("quantity"));
                made.set("unitPrice", upgrade.path("unitPrice"));
                made.set("unitCost", upgrade.path("unitCost"));
                if (upgrade.path("endDate").isTextual()) made.set("endDate", upgrade.path("endDate"));
                made.put("startDate", day.toString());
                upgradedLatest.put(created, made);
            }
        });
        upgraded.forEach((id, list) -> {
            // the upgrade's step first; the new subscription's own events (later) follow it
            List<ThreeWay.QuantityStep> own = steps.getOrDefault(id, List.of());
            List<ThreeWay.QuantityStep> merged = new ArrayList<>(list);
            merged.addAll(own);
            steps.put(id, merged);
            latest.putIfAbsent(id, upgradedLatest.get(id));
        });
        Map<String, Events> out = new HashMap<>();
        latest.forEach((id, s) -> out.put(id, new Events(endedAtItsEnd(steps.get(id), s), s,
                List.copyOf(usage.getOrDefault(id, Map.of()).values()))));
        return out;
    }

    /**
     * R24: a usage event's period and amounts, overused amount × overuse price / cost rounded as the pipeline rounds them
     * ({@link io.cwbridge.rules.Proration#overuse}); empty without a period start.
     */
    private static java.util.Optional<ThreeWay.UsageCharge> usage(JsonNode payload, JsonNode subscription) {
        JsonNode u = payload.path("usage");
        if (!u.path("periodStart").isTextual()) return java.util.Optional.empty();
        try {
            LocalDate from = LocalDate.parse(u.path("periodStart").asText().substring(0, 10));
            LocalDate to = u.path("periodEnd").isTextual() ? LocalDate.parse(u.path("periodEnd").asText().substring(0, 10)) : null;
            String currency = subscription.path("currency").asText(null);
            BigDecimal amount = decimalOrNull(u.path("overusedAmount"));
            BigDecimal price = io.cwbridge.rules.Proration.overuse(amount, decimalOrNull(u.path("overusePrice")), currency);
            BigDecimal cost = io.cwbridge.rules.Proration.overuse(amount, decimalOrNull(u.path("overuseCost")), currency);
            return java.util.Optional.of(new ThreeWay.UsageCharge(from, to, price, cost));
        } catch (RuntimeException unreadable) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The marketplace bills a subscription up to its end date (the latest event's; a renewal moves it, R23): no licence
     * from the day after, unless a later event says otherwise. A renewal that has not arrived is R30's renewal watch's to
     * report, not a licence the marketplace bills.
     */
    private static List<ThreeWay.QuantityStep> endedAtItsEnd(List<ThreeWay.QuantityStep> steps, JsonNode latest) {
        if (steps == null || !latest.path("endDate").isTextual()) return steps;
        LocalDate after = LocalDate.parse(latest.path("endDate").asText().substring(0, 10)).plusDays(1);
        if (steps.stream().anyMatch(step -> !step.from().isBefore(after))) return steps;
        List<ThreeWay.QuantityStep> ended = new ArrayList<>(steps);
        ended.add(new ThreeWay.QuantityStep(after, BigDecimal.ZERO));
        return ended;
    }

    /**
     * Per subscription, its lines as ConnectWise answers them, each agreement read once; {@code cw} is asked for
     * only where there is a line to read.
     */
    Map<String, List<Line>> lines(String partnerId, Supplier<ConnectWiseConnection> cw) {
        return read(partnerId, cw).lines();
    }

    /** An addition no subscription owns, of a catalog item the partner's products map to, on an agreement read (R34). */
    record Unowned(long agreementId, AgreementAddition addition) {}

    /**
     * The subscriptions' lines and, from the same reads, the additions of mapped catalog items no subscription owns and
     * the billing reconciliation's delta lines that stand (R32: posted, not taken back), by subscription and billing period.
     */
    record Read(Map<String, List<Line>> lines, List<Unowned> unowned, Map<String, Map<YearMonth, ThreeWay.Adjustments>> charges,
                Map<Long, ThreeWay.Adjustments> patched) {

        /**
         * What the reconciliation's standing charges of the subscription bill for the month (price and cost amounts): its
         * delta lines, and what it added to an IaaS usage line's values (R32 v2, {@link #patched}).
         */
        ThreeWay.Adjustments chargesOf(String subscriptionId, YearMonth month) {
            return charges.getOrDefault(subscriptionId, Map.of()).getOrDefault(month, ThreeWay.Adjustments.NONE);
        }

        /**
         * R32 v2 × R34: a line as it billed before the reconciliation added its charges to the line's values (an IaaS usage
         * line, operation IAAS_LINE_VALUES not taken back): ConnectWise's values less the charges, which {@link #chargesOf}
         * counts; the line as it is otherwise.
         */
        PsaLine beforeCharges(PsaLine line) {
            ThreeWay.Adjustments added = line == null || line.additionId() == null ? null : patched.get(line.additionId());
            if (added == null || line.quantity().signum() == 0) return line;
            return line.withUnits(line.unitCost().subtract(added.cost().divide(line.quantity(), 12, java.math.RoundingMode.HALF_UP)),
                    line.unitPrice().subtract(added.price().divide(line.quantity(), 12, java.math.RoundingMode.HALF_UP)));
        }
    }

    /**
     * As {@link #lines}, with the additions of the agreements read that bill a catalog item of the partner's product
     * mappings and that no subscription owns: not a line of one (subscription_line, or subscription_line_moved after a
     * move, R8), not a hand-made addition a subscription was cut over from (R6), not a reconciliation's own post (R32).
     */
    Read read(String partnerId, Supplier<ConnectWiseConnection> cw) {
        Map<String, List<long[]>> linesOf = new HashMap<>();
        Map<Long, String> keys = new HashMap<>();
        TreeSet<Long> agreements = new TreeSet<>();
        // R8: the lines a subscription left on an agreement it moved from billed their days too; listed first, so a
        // subscription's last line is on the agreement it bills on now
        jdbc.query("""
                SELECT subscription_id, agreement_id, addition_id, line_key, 0 AS current_line FROM subscription_line_moved WHERE partner_id = :p
                UNION ALL
                SELECT subscription_id, agreement_id, addition_id, line_key, 1 FROM subscription_line WHERE partner_id = :p
                ORDER BY current_line""",
                Map.of("p", partnerId), rs -> {
                    long agreement = rs.getLong("agreement_id");
                    long addition = rs.getLong("addition_id");
                    linesOf.computeIfAbsent(rs.getString("subscription_id"), k -> new ArrayList<>()).add(new long[] {agreement, addition});
                    keys.put(addition, rs.getString("line_key"));
                    agreements.add(agreement);
                });
        // R32: the delta lines the reconciliation posted and did not take back (a rejected automatic post deletes its line)
        record Delta(String subscriptionId, YearMonth period, long agreementId, long additionId) {}
        List<Delta> deltas = new ArrayList<>();
        jdbc.query("""
                SELECT DISTINCT r.subscription_id, r.period_start, CAST(o.request ->> 'agreementId' AS bigint) AS agreement_id, o.addition_id
                  FROM reconciliation_operation o JOIN billing_reconciliation r ON r.reconciliation_id = o.reconciliation_id
                 WHERE r.partner_id = :p AND o.kind = 'DELTA_LINE' AND o.status = 'DONE' AND o.addition_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM reconciliation_operation u WHERE u.reconciliation_id = o.reconciliation_id
                                      AND u.kind = 'UNDO_DELTA_LINE' AND u.status = 'DONE' AND u.addition_id = o.addition_id)""",
                Map.of("p", partnerId), rs -> {
                    Delta d = new Delta(rs.getString("subscription_id"), YearMonth.from(rs.getObject("period_start", LocalDate.class)),
                            rs.getLong("agreement_id"), rs.getLong("addition_id"));
                    deltas.add(d);
                    agreements.add(d.agreementId());
                });
        // R32 v2: what the reconciliation added to an IaaS usage line's values and did not take back (a reject restores them)
        record Patch(String subscriptionId, YearMonth period, long additionId, BigDecimal cost, BigDecimal price) {}
        List<Patch> patches = new ArrayList<>();
        jdbc.query("""
                SELECT r.subscription_id, r.period_start, o.addition_id, CAST(o.request AS text) AS request, CAST(o.previous AS text) AS previous
                  FROM reconciliation_operation o JOIN billing_reconciliation r ON r.reconciliation_id = o.reconciliation_id
                 WHERE r.partner_id = :p AND o.kind = 'IAAS_LINE_VALUES' AND o.status = 'DONE' AND o.addition_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM reconciliation_operation u WHERE u.reconciliation_id = o.reconciliation_id
                                      AND u.kind = 'UNDO_IAAS_LINE_VALUES' AND u.status = 'DONE' AND u.addition_id = o.addition_id)
                 ORDER BY o.operation_id""",
                Map.of("p", partnerId), rs -> {
                    try {
                        JsonNode request = mapper.readTree(rs.getString("request"));
                        JsonNode previous = rs.getString("previous") == null ? mapper.createObjectNode() : mapper.readTree(rs.getString("previous"));
                        patches.add(new Patch(rs.getString("subscription_id"), YearMonth.from(rs.getObject("period_start", LocalDate.class)),
                                rs.getLong("addition_id"), added(request, previous, "unitCost"), added(request, previous, "unitPrice")));
                    } catch (IOException unreadable) {
                        // not a recorded patch
                    }
                });
        if (agreements.isEmpty()) return new Read(Map.of(), List.of(), Map.of(), Map.of());
        ConnectWiseConnection connection = cw.get();
        Map<Long, AgreementAddition> additions = new HashMap<>();
        Map<Long, Long> agreementOf = new HashMap<>();
        for (long agreement : agreements) {
            for (AgreementAddition a : psa.agreementAdditions(connection, agreement)) {
                additions.put(a.id(), a);
                agreementOf.put(a.id(), agreement);
            }
        }
        java.util.Set<Long> owned = new java.util.HashSet<>(keys.keySet());
        owned.addAll(jdbc.queryForList("""
                SELECT ended_addition_id FROM subscription_cutover WHERE partner_id = :p
                UNION SELECT o.addition_id FROM reconciliation_operation o
                        JOIN billing_reconciliation r ON r.reconciliation_id = o.reconciliation_id
                       WHERE r.partner_id = :p AND o.addition_id IS NOT NULL""", Map.of("p", partnerId), Long.class));
        java.util.Set<Long> mappedItems = new java.util.HashSet<>(jdbc.queryForList(
                "SELECT DISTINCT catalog_item_id FROM product_mapping WHERE partner_id = :p AND catalog_item_id IS NOT NULL",
                Map.of("p", partnerId), Long.class));
        List<Unowned> unowned = new ArrayList<>();
        additions.values().stream().sorted(java.util.Comparator.comparingLong(AgreementAddition::id))
                .filter(a -> !owned.contains(a.id()) && a.catalogItemId() != null && mappedItems.contains(a.catalogItemId()))
                .forEach(a -> unowned.add(new Unowned(agreementOf.get(a.id()), a)));
        Map<String, List<Line>> out = new HashMap<>();
        linesOf.forEach((id, list) -> {
            List<Line> found = new ArrayList<>();
            for (long[] l : list) {
                AgreementAddition a = additions.get(l[1]);
                found.add(new Line(l[0], a == null ? null : PsaReader.line(a, keys.get(l[1])), a == null ? null : a.catalogItemId()));
            }
            out.put(id, found);
        });
        // as ConnectWise has them now: a line deleted or edited by hand bills what it bills
        Map<String, Map<YearMonth, ThreeWay.Adjustments>> charges = new HashMap<>();
        for (Delta d : deltas) {
            AgreementAddition a = additions.get(d.additionId());
            if (a == null || a.quantity() == null) continue;
            BigDecimal price = a.quantity().multiply(a.unitPrice() == null ? BigDecimal.ZERO : a.unitPrice());
            BigDecimal cost = a.quantity().multiply(a.unitCost() == null ? BigDecimal.ZERO : a.unitCost());
            charges.computeIfAbsent(d.subscriptionId(), k -> new HashMap<>())
                    .merge(d.period(), new ThreeWay.Adjustments(price, cost), ThreeWay.Adjustments::plus);
        }
        Map<Long, ThreeWay.Adjustments> patched = new HashMap<>();
        for (Patch p : patches) {
            if (!additions.containsKey(p.additionId())) continue; // a line deleted since bills nothing
            ThreeWay.Adjustments added = new ThreeWay.Adjustments(p.price(), p.cost());
            patched.merge(p.additionId(), added, ThreeWay.Adjustments::plus);
            charges.computeIfAbsent(p.subscriptionId(), k -> new HashMap<>()).merge(p.period(), added, ThreeWay.Adjustments::plus);
        }
        return new Read(out, unowned, charges, patched);
    }

    /** What a patch added to one unit value: its new value less the one it replaced (0 when it did not send that value). */
    private static BigDecimal added(JsonNode request, JsonNode previous, String field) {
        BigDecimal now = decimalOrNull(request.path(field));
        if (now == null) return BigDecimal.ZERO;
        BigDecimal before = decimalOrNull(previous.path(field));
        return before == null ? BigDecimal.ZERO : now.subtract(before);
    }

    private static BigDecimal decimalOrNull(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : decimal(n);
    }

    static BigDecimal decimal(JsonNode n) {
        return n.isNumber() ? n.decimalValue() : n.isTextual() ? new BigDecimal(n.asText()) : null;
    }
}
