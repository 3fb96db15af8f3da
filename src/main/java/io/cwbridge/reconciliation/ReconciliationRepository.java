package io.cwbridge.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.rules.reconciliation.Decision;
import io.cwbridge.rules.reconciliation.InvoiceTotals;
import io.cwbridge.rules.reconciliation.InvoiceType;
import io.cwbridge.rules.reconciliation.ReconciliationStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tables invoice_line, billing_reconciliation and reconciliation_status_change (V3, V5). Every
 * status change goes through {@link #changeStatus} or {@link #record}, which write the change row
 * in the same transaction.
 */
@Repository
public class ReconciliationRepository {

    /** A subscription the daily run looks at for one billing month. */
    public record Candidate(String partnerId, String subscriptionId, int providerId, SubscriptionKind kind) {}

    /** One write to ConnectWise the reconciliation made (reconciliation_operation). */
    public record Operation(long id, String kind, Long additionId, JsonNode request, JsonNode previous, String status,
                            String error, Instant doneAt) {}

    /**
     * The log's rows with the names of their subscription's latest event (customer, provider,
     * plan); provider names of the cutover table first.
     */
    private static final String VIEW = """
            SELECT r.*, ev.payload -> 'subscription' -> 'customer' ->> 'name' AS customer_name,
                   coalesce(pn.name, ev.payload -> 'subscription' -> 'product' ->> 'provider') AS provider_name,
                   ev.payload -> 'subscription' -> 'product' ->> 'plan' AS plan_name
              FROM billing_reconciliation r
              LEFT JOIN latest_subscription_event ev
                     ON ev.partner_id = r.partner_id AND ev.subscription_id = r.subscription_id
              LEFT JOIN (VALUES (2, 'Google Cloud Platform'), (1, 'Amazon Web Services'), (3, 'Azure Legacy'),
                                (28, 'Microsoft Modern Workplace'), (30, 'Microsoft CSP'), (19, 'Generic Web Service'),
                                (32, 'Sophos')) AS pn (id, name) ON pn.id = r.provider_id
            """;

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;
    private final ObjectMapper mapper;

    public ReconciliationRepository(NamedParameterJdbcTemplate jdbc, Clock clock, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.mapper = mapper;
    }

    /**
     * Subscriptions of this provider to reconcile for the month: those with an invoice line for
     * it, and those synced to ConnectWise (lines recorded) whose latest event says they started
     * by the month's end and were not cancelled before it began, so a subscription with no invoice at all shows as PENDING
     * (both missing), and one cancelled in an earlier month does not wait for invoices that never come.
     */
    public List<Candidate> candidates(int providerId, YearMonth period) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("providerId", providerId)
                .addValue("periodStart", period.atDay(1))
                .addValue("periodEnd", period.atEndOfMonth())
                .addValue("providerText", Integer.toString(providerId));
        return jdbc.query("""
                SELECT partner_id, subscription_id, min(kind) AS kind FROM (
                    SELECT partner_id, subscription_id, kind FROM invoice_line
                     WHERE provider_id = :providerId AND period_start = :periodStart
                    UNION ALL
                    SELECT e.partner_id, e.subscription_id, e.payload -> 'subscription' ->> 'kind'
                      FROM latest_subscription_event e
                     WHERE e.payload -> 'subscription' -> 'product' ->> 'providerId' = :providerText
                       AND (e.payload -> 'subscription' ->> 'startDate') <= CAST(:periodEnd AS text)
                       -- cancelled before the month: nothing of it bills then, no invoice will come (one that does is above)
                       AND NOT (e.type = 'CANCELLATION_ORDER'
                                AND coalesce(CAST(e.payload ->> 'cancellationDate' AS date),
                                             CAST(timezone('UTC', e.occurred_at) AS date)) < :periodStart)
                       AND EXISTS (SELECT 1 FROM subscription_line l
                                    WHERE l.partner_id = e.partner_id AND l.subscription_id = e.subscription_id)
                ) c
                GROUP BY partner_id, subscription_id
                ORDER BY partner_id, subscription_id
                """, p, (rs, i) -> new Candidate(rs.getString("partner_id"), rs.getString("subscription_id"), providerId,
                SubscriptionKind.valueOf(rs.getString("kind"))));
    }

    public Map<InvoiceType, InvoiceTotals> invoices(String partnerId, String subscriptionId, YearMonth period) {
        Map<InvoiceType, InvoiceTotals> found = new EnumMap<>(InvoiceType.class);
        jdbc.query("""
                SELECT invoice_type, quantity, amount FROM invoice_line
                 WHERE partner_id = :p AND subscription_id = :s AND period_start = :periodStart
                """, Map.of("p", partnerId, "s", subscriptionId, "periodStart", period.atDay(1)),
                rs -> {
                    found.put(InvoiceType.valueOf(rs.getString("invoice_type")),
                            new InvoiceTotals(rs.getBigDecimal("quantity"), rs.getBigDecimal("amount")));
                });
        return found;
    }

    /** R32 × §2: the currency of each invoice line of the subscription's month. */
    public Map<InvoiceType, String> invoiceCurrencies(String partnerId, String subscriptionId, YearMonth period) {
        Map<InvoiceType, String> found = new EnumMap<>(InvoiceType.class);
        jdbc.query("""
                SELECT invoice_type, currency FROM invoice_line
                 WHERE partner_id = :p AND subscription_id = :s AND period_start = :periodStart
                """, Map.of("p", partnerId, "s", subscriptionId, "periodStart", period.atDay(1)),
                rs -> {
                    found.put(InvoiceType.valueOf(rs.getString("invoice_type")), rs.getString("currency"));
                });
        return found;
    }

    /** The subscription's currency as its latest event says (null when none is known). */
    public String subscriptionCurrency(String partnerId, String subscriptionId) {
        List<String> found = jdbc.queryForList("""
                SELECT payload -> 'subscription' ->> 'currency' FROM latest_subscription_event
                 WHERE partner_id = :p AND subscription_id = :s""", Map.of("p", partnerId, "s", subscriptionId), String.class);
        return found.isEmpty() ? null : found.get(0);
    }

    public Optional<ReconciliationView> find(String partnerId, String subscriptionId, YearMonth period) {
        return jdbc.query(VIEW + " WHERE r.partner_id = :p AND r.subscription_id = :s AND r.period_start = :d",
                Map.of("p", partnerId, "s", subscriptionId, "d", period.atDay(1)), ReconciliationRepository::view).stream().findFirst();
    }

    public Optional<ReconciliationView> find(String partnerId, long id) {
        return jdbc.query(VIEW + " WHERE r.partner_id = :p AND r.reconciliation_id = :id",
                Map.of("p", partnerId, "id", id), ReconciliationRepository::view).stream().findFirst();
    }

    /** Where an accept posts: the agreement and catalog item found when ConnectWise was read. */
    public record PostTarget(Long agreementId, Long catalogItemId) {}

    public PostTarget postTarget(long id) {
        return jdbc.queryForObject("SELECT agreement_id, catalog_item_id FROM billing_reconciliation WHERE reconciliation_id = :id",
                Map.of("id", id), (rs, i) -> new PostTarget((Long) rs.getObject("agreement_id"), (Long) rs.getObject("catalog_item_id")));
    }

    /** The log (R32): billing months overlapping [from, to], optionally of some statuses. */
    public List<ReconciliationView> list(String partnerId, LocalDate from, LocalDate to, Collection<ReconciliationStatus> statuses) {
        return list(partnerId, from, to, statuses, null);
    }

    /**
     * The log (R32 v2): billing months overlapping [from, to], optionally of some statuses, and
     * containing {@code search} (case-insensitive) in the subscription id, customer, provider or plan.
     */
    public List<ReconciliationView> list(String partnerId, LocalDate from, LocalDate to, Collection<ReconciliationStatus> statuses,
                                         String search) {
        String text = search == null || search.isBlank() ? null : search.trim().toLowerCase(java.util.Locale.ROOT);
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("p", partnerId).addValue("from", from).addValue("to", to)
                .addValue("statuses", statuses.isEmpty() ? List.of("-") : statuses.stream().map(Enum::name).toList())
                .addValue("anyStatus", statuses.isEmpty())
                .addValue("anyText", text == null)
                .addValue("text", text == null ? "" : "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        return jdbc.query("SELECT * FROM (" + VIEW + """
                 WHERE r.partner_id = :p AND r.period_start <= :to AND r.period_end >= :from
                   AND (:anyStatus OR r.status IN (:statuses))) v
                 WHERE :anyText OR lower(concat_ws(' ', v.subscription_id, v.customer_name, v.provider_name, v.plan_name)) LIKE :text
                 ORDER BY v.period_start, v.customer_name NULLS LAST, v.provider_name, v.plan_name, v.subscription_id
                """, p, ReconciliationRepository::view);
    }

    /** Every month of one subscription's reconciliation, newest first. */
    public List<ReconciliationView> ofSubscription(String partnerId, String subscriptionId) {
        return jdbc.query(VIEW + " WHERE r.partner_id = :p AND r.subscription_id = :s ORDER BY r.period_start DESC",
                Map.of("p", partnerId, "s", subscriptionId), ReconciliationRepository::view);
    }

    public void recordOperation(long reconciliationId, String kind, Long additionId, Object request, Object previous,
                                String status, String error) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", reconciliationId);
        p.put("kind", kind);
        p.put("additionId", additionId);
        p.put("request", json(request));
        p.put("previous", previous == null ? null : json(previous));
        p.put("status", status);
        p.put("error", error);
        p.put("now", Timestamp.from(clock.instant()));
        jdbc.update("""
                INSERT INTO reconciliation_operation (reconciliation_id, kind, addition_id, request, previous, status, error, done_at)
                VALUES (:id, :kind, :additionId, CAST(:request AS jsonb), CAST(:previous AS jsonb), :status, :error, :now)
                """, p);
    }

    public List<Operation> operations(long reconciliationId) {
        return jdbc.query("""
                SELECT operation_id, kind, addition_id, request::text AS request, previous::text AS previous, status, error, done_at
                  FROM reconciliation_operation WHERE reconciliation_id = :id ORDER BY operation_id
                """, Map.of("id", reconciliationId), (rs, i) -> new Operation(rs.getLong("operation_id"), rs.getString("kind"),
                (Long) rs.getObject("addition_id"), tree(rs.getString("request")), tree(rs.getString("previous")),
                rs.getString("status"), rs.getString("error"), instant(rs, "done_at")));
    }

    /**
     * The charges the reconciliation posted to ConnectWise and not taken back yet, newest first: delta lines and IaaS line
     * values DONE with no later DONE undo of the same addition (an undo that failed half-way is retried for the rest).
     */
    public List<Operation> operationsToUndo(long reconciliationId) {
        Map<String, String> undoOf = Map.of(ConnectWiseWrites.DELTA_LINE, ConnectWiseWrites.UNDO_DELTA_LINE,
                ConnectWiseWrites.IAAS_LINE, ConnectWiseWrites.UNDO_IAAS_LINE);
        java.util.Deque<Operation> open = new java.util.ArrayDeque<>();
        for (Operation o : operations(reconciliationId)) {
            if (!"DONE".equals(o.status()) || o.additionId() == null) continue;
            if (undoOf.containsKey(o.kind())) {
                open.push(o);
            } else if (undoOf.containsValue(o.kind())) {
                // the newest open write of that kind on that addition is taken back
                for (java.util.Iterator<Operation> it = open.iterator(); it.hasNext(); ) {
                    Operation w = it.next();
                    if (undoOf.get(w.kind()).equals(o.kind()) && w.additionId().equals(o.additionId())) {
                        it.remove();
                        break;
                    }
                }
            }
        }
        return new java.util.ArrayList<>(open); // newest first
    }

    /** The daily run posted the final charges by itself: the row stays PENDING_REVIEW, open to Accept / Reject. */
    public void markAutoPosted(long id, Long additionId, String reason) {
        Map<String, Object> p = new HashMap<>();
        p.put("id", id);
        p.put("additionId", additionId);
        p.put("reason", reason);
        p.put("now", Timestamp.from(clock.instant()));
        jdbc.update("""
                UPDATE billing_reconciliation SET auto_posted_at = :now, addition_id = coalesce(:additionId, addition_id),
                       reason = :reason, updated_at = :now
                 WHERE reconciliation_id = :id
                """, p);
    }

    /** A rejected automatic post was taken back. */
    public void clearAutoPosted(long id) {
        jdbc.update("UPDATE billing_reconciliation SET auto_posted_at = NULL, addition_id = NULL WHERE reconciliation_id = :id",
                Map.of("id", id));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode tree(String text) {
        if (text == null) return null;
        try {
            // Money keeps its scale (18.00, not 18.0).
            return mapper.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .with(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true)).readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stores the outcome of a check: a new reconciliation, or the update of one that was still
     * {@code expected}. A status change also writes its reconciliation_status_change row.
     */
    @Transactional
    public void record(Candidate c, YearMonth period, ReconciliationView existing, Decision d, PostTarget target) {
        Instant now = clock.instant();
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("partnerId", c.partnerId()).addValue("subscriptionId", c.subscriptionId())
                .addValue("periodStart", period.atDay(1)).addValue("periodEnd", period.atEndOfMonth())
                .addValue("providerId", c.providerId()).addValue("kind", c.kind().name())
                .addValue("status", d.status().name())
                .addValue("missing", d.missing() == null ? null : d.missing().name())
                .addValue("reason", d.reason())
                .addValue("invoiceQuantity", d.invoiceQuantity())
                .addValue("invoiceCost", d.invoiceCost()).addValue("invoicePrice", d.invoicePrice())
                .addValue("psaQuantity", d.psa() == null ? null : d.psa().quantity())
                .addValue("psaCost", d.psa() == null ? null : d.psa().cost())
                .addValue("psaPrice", d.psa() == null ? null : d.psa().price())
                .addValue("psaEndQuantity", d.psa() == null ? null : d.psa().endQuantity())
                .addValue("usageQuantity", d.psa() == null ? null : d.psa().usageQuantity())
                .addValue("deltaCost", d.deltaCost()).addValue("deltaPrice", d.deltaPrice())
                .addValue("agreementId", target == null ? null : target.agreementId())
                .addValue("catalogItemId", target == null ? null : target.catalogItemId())
                .addValue("now", Timestamp.from(now));
        if (existing == null) {
            List<Long> ids = jdbc.queryForList("""
                    INSERT INTO billing_reconciliation (partner_id, subscription_id, period_start, period_end, provider_id, kind,
                        status, missing_invoice, reason, invoice_quantity, invoice_cost, invoice_price, psa_quantity, psa_cost,
                        psa_price, delta_cost, delta_price, agreement_id, catalog_item_id, checked_at, updated_at,
                        psa_end_quantity, usage_quantity)
                    VALUES (:partnerId, :subscriptionId, :periodStart, :periodEnd, :providerId, :kind, :status, :missing, :reason,
                        :invoiceQuantity, :invoiceCost, :invoicePrice, :psaQuantity, :psaCost, :psaPrice, :deltaCost, :deltaPrice,
                        :agreementId, :catalogItemId, :now, :now, :psaEndQuantity, :usageQuantity)
                    ON CONFLICT (partner_id, subscription_id, period_start) DO NOTHING
                    RETURNING reconciliation_id
                    """, p, Long.class);
            if (!ids.isEmpty()) {
                statusChanged(c.partnerId(), c.subscriptionId(), period.atDay(1), null, d.status().name(), now);
            }
            return;
        }
        p.addValue("id", existing.id()).addValue("expected", existing.status());
        int updated = jdbc.update("""
                UPDATE billing_reconciliation SET status = :status, missing_invoice = :missing, reason = :reason,
                       kind = :kind, invoice_quantity = :invoiceQuantity, invoice_cost = :invoiceCost,
                       invoice_price = :invoicePrice, psa_quantity = :psaQuantity, psa_cost = :psaCost, psa_price = :psaPrice,
                       delta_cost = :deltaCost, delta_price = :deltaPrice,
                       psa_end_quantity = :psaEndQuantity, usage_quantity = :usageQuantity,
                       agreement_id = coalesce(:agreementId, agreement_id), catalog_item_id = coalesce(:catalogItemId, catalog_item_id),
                       checked_at = :now, updated_at = CASE WHEN status = :status THEN updated_at ELSE :now END
                 WHERE reconciliation_id = :id AND status = :expected AND posting_since IS NULL
                """, p);
        if (updated == 1 && !existing.status().equals(d.status().name())) {
            statusChanged(c.partnerId(), c.subscriptionId(), period.atDay(1), existing.status(), d.status().name(), now);
        }
    }

    /**
     * Claims a reconciliation for an accept: only one caller at a time gets it (a claim older than
     * five minutes is taken to be from a caller that died).
     */
    public boolean claimForPosting(long id, Collection<ReconciliationStatus> from) {
        Instant now = clock.instant();
        return jdbc.update("""
                UPDATE billing_reconciliation SET posting_since = :now
                 WHERE reconciliation_id = :id AND status IN (:from)
                   AND (posting_since IS NULL OR posting_since < :stale)
                """, new MapSqlParameterSource().addValue("id", id).addValue("now", Timestamp.from(now))
                .addValue("stale", Timestamp.from(now.minusSeconds(300)))
                .addValue("from", from.stream().map(Enum::name).toList())) == 1;
    }

    /** Moves a reconciliation from one of {@code from} to {@code to}, ending any claim; false when it was not in {@code from}. */
    @Transactional
    public boolean changeStatus(long id, Collection<ReconciliationStatus> from, ReconciliationStatus to, String reason, Long additionId) {
        Instant now = clock.instant();
        Map<String, Object> row = jdbc.query("SELECT partner_id, subscription_id, period_start, status FROM billing_reconciliation "
                        + "WHERE reconciliation_id = :id FOR UPDATE", Map.of("id", id),
                rs -> rs.next() ? Map.of("partnerId", rs.getString(1), "subscriptionId", rs.getString(2),
                        "periodStart", rs.getObject(3, LocalDate.class), "status", rs.getString(4)) : null);
        if (row == null || from.stream().noneMatch(s -> s.name().equals(row.get("status")))) {
            return false;
        }
        Map<String, Object> p = new HashMap<>();
        p.put("id", id);
        p.put("status", to.name());
        p.put("reason", reason);
        p.put("additionId", additionId);
        p.put("now", Timestamp.from(now));
        jdbc.update("""
                UPDATE billing_reconciliation SET status = :status, reason = :reason, missing_invoice = NULL,
                       addition_id = coalesce(:additionId, addition_id), posting_since = NULL, updated_at = :now
                 WHERE reconciliation_id = :id
                """, p);
        if (!to.name().equals(row.get("status"))) {
            statusChanged((String) row.get("partnerId"), (String) row.get("subscriptionId"), (LocalDate) row.get("periodStart"),
                    (String) row.get("status"), to.name(), now);
        }
        return true;
    }

    public void releaseClaim(long id) {
        jdbc.update("UPDATE billing_reconciliation SET posting_since = NULL WHERE reconciliation_id = :id", Map.of("id", id));
    }

    private void statusChanged(String partnerId, String subscriptionId, LocalDate periodStart, String previous, String status, Instant at) {
        Map<String, Object> p = new HashMap<>();
        p.put("p", partnerId);
        p.put("s", subscriptionId);
        p.put("d", periodStart);
        p.put("prev", previous);
        p.put("status", status);
        p.put("at", Timestamp.from(at));
        jdbc.update("""
                INSERT INTO reconciliation_status_change (partner_id, subscription_id, period_start, previous_status, status, changed_at)
                VALUES (:p, :s, :d, :prev, :status, :at)
                """, p);
    }

    /** R32 v2: the final reseller cost last written to a subscription's additions, and the end of the period it is of. */
    public record FinalUnitCost(java.math.BigDecimal unitCost, LocalDate periodEnd) {}

    /**
     * R32 v2 x R30: per subscription of the partner (or only {@code subscriptionId} when not null), the unit cost of its latest
     * final reseller cost written to ConnectWise (operation FINAL_UNIT_COST, DONE), latest period first, for the global sync
     * to keep (MonthRollSync.Truth).
     */
    public Map<String, FinalUnitCost> finalUnitCosts(String partnerId, String subscriptionId) {
        Map<String, FinalUnitCost> costs = new HashMap<>();
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("p", partnerId).addValue("s", subscriptionId)
                .addValue("kind", ConnectWiseWrites.UNIT_COST).addValue("undo", ConnectWiseWrites.UNDO_UNIT_COST);
        jdbc.query("""
                SELECT DISTINCT ON (r.subscription_id) r.subscription_id, o.request->>'unitCost' AS unit_cost, r.period_end
                FROM reconciliation_operation o JOIN billing_reconciliation r ON r.reconciliation_id = o.reconciliation_id
                WHERE o.kind = :kind AND o.status = 'DONE' AND r.partner_id = :p
                  -- a unit cost put back (a rejected row, a half-done patch) is not the partner's final cost
                  AND NOT EXISTS (SELECT 1 FROM reconciliation_operation u WHERE u.reconciliation_id = o.reconciliation_id
                                   AND u.kind = :undo AND u.status = 'DONE' AND u.addition_id = o.addition_id
                                   AND u.operation_id > o.operation_id)
                  AND (CAST(:s AS text) IS NULL OR r.subscription_id = CAST(:s AS text))
                ORDER BY r.subscription_id, r.period_end DESC, o.operation_id DESC""", p, rs -> {
            String cost = rs.getString("unit_cost");
            if (cost != null) {
                costs.put(rs.getString("subscription_id"), new FinalUnitCost(new java.math.BigDecimal(cost),
                        rs.getObject("period_end", LocalDate.class)));
            }
        });
        return costs;
    }

    private static ReconciliationView view(ResultSet rs, int i) throws SQLException {
        return new ReconciliationView(rs.getLong("reconciliation_id"), rs.getString("partner_id"), rs.getString("subscription_id"),
                YearMonth.from(rs.getObject("period_start", LocalDate.class)).toString(), rs.getInt("provider_id"),
                rs.getString("kind"), rs.getString("status"), rs.getString("missing_invoice"), rs.getString("reason"),
                rs.getBigDecimal("invoice_quantity"), rs.getBigDecimal("psa_quantity"),
                rs.getBigDecimal("invoice_cost"), rs.getBigDecimal("psa_cost"),
                rs.getBigDecimal("invoice_price"), rs.getBigDecimal("psa_price"),
                rs.getBigDecimal("delta_cost"), rs.getBigDecimal("delta_price"),
                (Long) rs.getObject("agreement_id"), (Long) rs.getObject("addition_id"),
                instant(rs, "checked_at"), instant(rs, "updated_at"),
                rs.getString("customer_name"), rs.getString("provider_name"), rs.getString("plan_name"),
                rs.getBigDecimal("usage_quantity"), instant(rs, "auto_posted_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
