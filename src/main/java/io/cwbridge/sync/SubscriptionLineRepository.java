package io.cwbridge.sync;

import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

/**
 * The one writer of table {@code subscription_line} (which addition holds which line of a
 * subscription, and the line's copy, {@link LineCopies}): adoption (R6), re-map (R8), the reads
 * that find an addition deleted in ConnectWise and the global sync's copies all write through it.
 *
 * <p>One exception, kept for issue 14's SQL budget: {@link OperationLedger} records a delivered
 * operation's line, its copy and the operation's DONE in one combined statement.
 */
@Repository
public class SubscriptionLineRepository {

    private final NamedParameterJdbcTemplate jdbc;

    public SubscriptionLineRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A line the bundle did not write (an adopted addition, R6): no copy yet. */
    public void add(String partnerId, String subscriptionId, String lineKey, long agreementId, long additionId) {
        jdbc.update("""
                INSERT INTO subscription_line (partner_id, subscription_id, line_key, agreement_id, addition_id)
                VALUES (:p, :s, :k, :ag, :a)""",
                Map.of("p", partnerId, "s", subscriptionId, "k", lineKey, "ag", agreementId, "a", additionId));
    }

    /**
     * R8: the line stays on the agreement the subscription left, ended the day before {@code movedOn}: it leaves the lines
     * the rules plan with and is kept in {@code subscription_line_moved} (this class owns that table too), where the
     * billing reconciliation and the three-way check still count the days it billed (R32, R34).
     */
    public void retire(String partnerId, String subscriptionId, String lineKey, java.time.LocalDate movedOn) {
        jdbc.update("""
                WITH gone AS (DELETE FROM subscription_line WHERE partner_id = :p AND subscription_id = :s AND line_key = :k
                              RETURNING partner_id, subscription_id, line_key, agreement_id, addition_id)
                INSERT INTO subscription_line_moved (partner_id, subscription_id, line_key, agreement_id, addition_id, moved_on)
                SELECT partner_id, subscription_id, line_key, agreement_id, addition_id, :on FROM gone
                ON CONFLICT (partner_id, addition_id) DO NOTHING""",
                Map.of("p", partnerId, "s", subscriptionId, "k", lineKey, "on", movedOn));
    }

    /**
     * R8: the addition's line takes {@code lineKey} once no other line holds it (a move records B's lines while A's still
     * hold their keys, under the next revision; once A's are retired they take their own).
     */
    public void rekey(String partnerId, String subscriptionId, long additionId, String lineKey) {
        jdbc.update("""
                UPDATE subscription_line SET line_key = :k, updated_at = now()
                WHERE partner_id = :p AND subscription_id = :s AND addition_id = :a AND line_key <> :k
                  AND NOT EXISTS (SELECT 1 FROM subscription_line o WHERE o.partner_id = :p AND o.subscription_id = :s AND o.line_key = :k)""",
                Map.of("p", partnerId, "s", subscriptionId, "a", additionId, "k", lineKey));
    }

    /** The line is forgotten: its addition is no longer the subscription's and never touched again. */
    public void forget(String partnerId, String subscriptionId, String lineKey) {
        jdbc.update("DELETE FROM subscription_line WHERE partner_id = :p AND subscription_id = :s AND line_key = :k",
                Map.of("p", partnerId, "s", subscriptionId, "k", lineKey));
    }

    /** The same, only while the line still names {@code additionId} (its addition was deleted in ConnectWise). */
    public void forget(String partnerId, String subscriptionId, String lineKey, long additionId) {
        jdbc.update("DELETE FROM subscription_line WHERE partner_id = :p AND subscription_id = :s AND line_key = :k AND addition_id = :a",
                Map.of("p", partnerId, "s", subscriptionId, "k", lineKey, "a", additionId));
    }

    /** Unmap: the subscription's adopted line (table subscription_adoption) is forgotten. */
    public void forgetAdopted(String partnerId, String subscriptionId) {
        jdbc.update("""
                DELETE FROM subscription_line l USING subscription_adoption a
                WHERE a.partner_id = :p AND a.subscription_id = :s
                  AND l.partner_id = a.partner_id AND l.subscription_id = a.subscription_id AND l.addition_id = a.addition_id""",
                Map.of("p", partnerId, "s", subscriptionId));
    }

    /** Keeps a copy of the line its addition holds: {@code columns} are the parameters of {@link LineCopies#SET_COPY}. */
    void storeCopy(String partnerId, long additionId, Map<String, Object> columns) {
        Map<String, Object> params = new java.util.HashMap<>(columns);
        params.put("p", partnerId);
        params.put("a", additionId);
        jdbc.update("UPDATE subscription_line SET " + LineCopies.SET_COPY + " WHERE partner_id = :p AND addition_id = :a", params);
    }

    /**
     * The copies of a read at {@code takenAt} (database time), in one batch: each source has {@code p},
     * {@code a} and the columns of {@link LineCopies#SET_COPY}. A line the bundle wrote or copied
     * after the read keeps what it has.
     */
    public void storeCopiesReadAt(OffsetDateTime takenAt, List<MapSqlParameterSource> copies) {
        if (copies.isEmpty()) return;
        SqlParameterSource[] batch = copies.stream().map(c -> c.addValue("t", takenAt)).toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate("""
                UPDATE subscription_line SET catalog_item_id = :item, quantity = :qty, unit_price = :price, unit_cost = :cost,
                       effective_date = :eff, cancelled_date = :cxl, description = :desc, invoice_description = :inv,
                       copied_at = clock_timestamp(), copy_next_invoice = :next
                WHERE partner_id = :p AND addition_id = :a AND updated_at < :t AND (copied_at IS NULL OR copied_at < :t)""", batch);
    }

    /** The line has no copy any more: it is read from ConnectWise next time. */
    void clearCopy(String partnerId, long additionId) {
        jdbc.update("UPDATE subscription_line SET copied_at = NULL WHERE partner_id = :p AND addition_id = :a",
                Map.of("p", partnerId, "a", additionId));
    }

    /** Every line of these subscriptions has no copy any more. */
    void clearCopies(String partnerId, Collection<String> subscriptionIds) {
        if (subscriptionIds.isEmpty()) return;
        jdbc.update("UPDATE subscription_line SET copied_at = NULL WHERE partner_id = :p AND subscription_id IN (:s)",
                Map.of("p", partnerId, "s", subscriptionIds));
    }
}
