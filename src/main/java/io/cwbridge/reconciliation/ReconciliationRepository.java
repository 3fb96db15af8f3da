package io.cwbridge.reconciliation;

import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.reconciliation.rules.Decision;
import io.cwbridge.reconciliation.rules.InvoiceTotals;
import io.cwbridge.reconciliation.rules.InvoiceType;
import io.cwbridge.reconciliation.rules.ReconciliationStatus;
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

    private final NamedParameterJdbcTemplate jdbc;
    private final Clock clock;

    public ReconciliationRepository(NamedParameterJdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Subscriptions of this provider to reconcile for the month: those with an invoice line for
     * it, and those synced to ConnectWise (lines recorded) whose latest event says they started
     * by the month's end, so a subscription with no invoice at all shows as PENDING (both missing).
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
                      FROM (SELECT DISTINCT ON (partner_id, subscription_id) partner_id, subscription_id, payload
                              FROM subscription_event ORDER BY partner_id, subscription_id, occurred_at DESC) e
                     WHERE e.payload -> 'subscription' -> 'product' ->> 'providerId' = :providerText
                       AND (e.payload -> 'subscription' ->> 'startDate') <= CAST(:periodEnd AS text)
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

    public Optional<ReconciliationView> find(String partnerId, String subscriptionId, YearMonth period) {
        return jdbc.query("SELECT * FROM billing_reconciliation WHERE partner_id = :p AND subscription_id = :s AND period_start = :d",
                Map.of("p", partnerId, "s", subscriptionId, "d", period.atDay(1)), ReconciliationRepository::view).stream().findFirst();
    }

    public Optional<ReconciliationView> find(String partnerId, long id) {
        return jdbc.query("SELECT * FROM billing_reconciliation WHERE partner_id = :p AND reconciliation_id = :id",
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
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("p", partnerId).addValue("from", from).addValue("to", to)
                .addValue("statuses", statuses.isEmpty() ? List.of("-") : statuses.stream().map(Enum::name).toList())
                .addValue("anyStatus", statuses.isEmpty());
        return jdbc.query("""
                SELECT * FROM billing_reconciliation
                 WHERE partner_id = :p AND period_start <= :to AND period_end >= :from
                   AND (:anyStatus OR status IN (:statuses))
                 ORDER BY period_start, subscription_id
                """, p, ReconciliationRepository::view);
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
                .addValue("deltaCost", d.deltaCost()).addValue("deltaPrice", d.deltaPrice())
                .addValue("agreementId", target == null ? null : target.agreementId())
                .addValue("catalogItemId", target == null ? null : target.catalogItemId())
                .addValue("now", Timestamp.from(now));
        if (existing == null) {
            List<Long> ids = jdbc.queryForList("""
                    INSERT INTO billing_reconciliation (partner_id, subscription_id, period_start, period_end, provider_id, kind,
                        status, missing_invoice, reason, invoice_quantity, invoice_cost, invoice_price, psa_quantity, psa_cost,
                        psa_price, delta_cost, delta_price, agreement_id, catalog_item_id, checked_at, updated_at)
                    VALUES (:partnerId, :subscriptionId, :periodStart, :periodEnd, :providerId, :kind, :status, :missing, :reason,
                        :invoiceQuantity, :invoiceCost, :invoicePrice, :psaQuantity, :psaCost, :psaPrice, :deltaCost, :deltaPrice,
                        :agreementId, :catalogItemId, :now, :now)
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

    private static ReconciliationView view(ResultSet rs, int i) throws SQLException {
        return new ReconciliationView(rs.getLong("reconciliation_id"), rs.getString("partner_id"), rs.getString("subscription_id"),
                YearMonth.from(rs.getObject("period_start", LocalDate.class)).toString(), rs.getInt("provider_id"),
                rs.getString("kind"), rs.getString("status"), rs.getString("missing_invoice"), rs.getString("reason"),
                rs.getBigDecimal("invoice_quantity"), rs.getBigDecimal("psa_quantity"),
                rs.getBigDecimal("invoice_cost"), rs.getBigDecimal("psa_cost"),
                rs.getBigDecimal("invoice_price"), rs.getBigDecimal("psa_price"),
                rs.getBigDecimal("delta_cost"), rs.getBigDecimal("delta_price"),
                (Long) rs.getObject("agreement_id"), (Long) rs.getObject("addition_id"),
                instant(rs, "checked_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
