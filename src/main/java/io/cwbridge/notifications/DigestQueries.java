package io.cwbridge.notifications;

import io.cwbridge.tasks.store.TaskStatus;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** What the digests list, and the record of digests sent (table {@code notification_digest}). */
@Repository
public class DigestQueries {

    private final NamedParameterJdbcTemplate jdbc;

    public DigestQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The partner's services that need action now (R33). Per subscription the bundle knows (from an
     * event or an import):
     * <ul>
     *   <li>Unmapped: a task waits in NEEDS_MAPPING (it holds back every later change of the subscription;
     *       the reason is the latest such task's: what mapping is missing), or no task waits and the
     *       subscription has no agreement mapped: it is listed whether or not a task waits, as the seed's
     *       Mapped Services page shows it (a subscription with a task still PENDING or AWAITING_APPROVAL
     *       is not settled yet and is left out).</li>
     *   <li>Failed: no task waits for a mapping and a task is FAILED (the latest such one's reason): a
     *       failure stays until that task itself succeeds (retried) or is dismissed; a later SYNCED task
     *       of the subscription does not apply the failed change, so it does not clear it (R31).</li>
     * </ul>
     * Customer and plan come from the subscription's latest event, else its import (the plan falls back
     * to the product name).
     */
    public List<ServiceMappingRow> servicesNeedingAction(String partnerId) {
        return jdbc.query("""
                WITH settled AS (
                    SELECT DISTINCT ON (subscription_id) subscription_id, status, reason
                    FROM sync_task
                    WHERE partner_id = :p AND status IN (:needsMapping, :failed, :synced)
                    ORDER BY subscription_id, (status = :needsMapping) DESC, (status = :failed) DESC, occurred_at DESC, task_id DESC),
                latest_event AS (
                    SELECT subscription_id, payload -> 'subscription' AS subscription
                    FROM latest_subscription_event
                    WHERE partner_id = :p),
                known AS (
                    SELECT subscription_id, subscription FROM latest_event
                    UNION ALL
                    SELECT i.subscription_id, i.payload FROM imported_subscription i
                    WHERE i.partner_id = :p AND NOT EXISTS (SELECT 1 FROM latest_event e WHERE e.subscription_id = i.subscription_id)),
                needing AS (
                    SELECT s.subscription_id, s.status, s.reason FROM settled s WHERE s.status IN (:needsMapping, :failed)
                    UNION ALL
                    SELECT k.subscription_id, CAST(:needsMapping AS text), 'no agreement mapped' FROM known k
                    WHERE NOT EXISTS (SELECT 1 FROM subscription_mapping m WHERE m.partner_id = :p AND m.subscription_id = k.subscription_id)
                      AND NOT EXISTS (SELECT 1 FROM sync_task t WHERE t.partner_id = :p AND t.subscription_id = k.subscription_id
                                      AND t.status IN (:unsettled)))
                SELECT n.subscription_id, n.status, n.reason,
                       k.subscription #>> '{customer,name}' AS customer,
                       COALESCE(k.subscription #>> '{product,plan}', k.subscription #>> '{product,name}') AS plan
                FROM needing n LEFT JOIN known k ON k.subscription_id = n.subscription_id
                ORDER BY (n.status = :failed), lower(k.subscription #>> '{customer,name}') NULLS LAST, n.subscription_id
                """, Map.of("p", partnerId, "needsMapping", TaskStatus.NEEDS_MAPPING.name(), "failed", TaskStatus.FAILED.name(),
                        "synced", TaskStatus.SYNCED.name(), "unsettled", TaskStatus.names(TaskStatus.PENDING,
                                TaskStatus.AWAITING_APPROVAL, TaskStatus.NEEDS_MAPPING, TaskStatus.FAILED)),
                (rs, i) -> new ServiceMappingRow(rs.getString("customer"), rs.getString("plan"),
                rs.getString("subscription_id"),
                TaskStatus.NEEDS_MAPPING.is(rs.getString("status")) ? ServiceMappingRow.UNMAPPED : ServiceMappingRow.FAILED,
                rs.getString("reason")));
    }

    /**
     * Seed 001's "all created and synchronized tasks": the partner's tasks created ({@code synced} false)
     * or synced ({@code synced} true) in [from, to), oldest first.
     */
    public List<TaskActivityRow> taskActivity(String partnerId, Instant from, Instant to, boolean synced) {
        return jdbc.query(synced ? """
                SELECT t.task_id, t.subscription_id, t.type, t.action, t.status, t.synced_at AS at,
                       e.payload #>> '{subscription,customer,name}' AS customer
                FROM sync_task t JOIN subscription_event e ON e.event_id = t.event_id
                WHERE t.partner_id = :p AND t.synced_at >= :from AND t.synced_at < :to
                ORDER BY t.synced_at, t.task_id""" : """
                SELECT t.task_id, t.subscription_id, t.type, t.action, t.status, t.created_at AS at,
                       e.payload #>> '{subscription,customer,name}' AS customer
                FROM sync_task t JOIN subscription_event e ON e.event_id = t.event_id
                WHERE t.partner_id = :p AND t.created_at >= :from AND t.created_at < :to
                ORDER BY t.created_at, t.task_id""",
                Map.of("p", partnerId, "from", Timestamp.from(from), "to", Timestamp.from(to)),
                (rs, i) -> new TaskActivityRow(rs.getLong("task_id"), rs.getString("customer"), rs.getString("subscription_id"),
                        rs.getString("type"), rs.getString("action"), rs.getString("status"),
                        rs.getObject("at", java.time.OffsetDateTime.class)));
    }

    /** How many of the partner's tasks wait for approval (R35). */
    public int awaitingApproval(String partnerId) {
        return jdbc.queryForObject("SELECT count(*) FROM sync_task WHERE partner_id = :p AND status = :awaiting",
                Map.of("p", partnerId, "awaiting", TaskStatus.AWAITING_APPROVAL.name()), Integer.class);
    }

    /**
     * Reconciliation status changes with {@code changed_at} in [from, to): per subscription and billing
     * period the last status of the window (a status that changed twice shows where it ended).
     */
    public List<ReconciliationRow> reconciliationChanges(String partnerId, Instant from, Instant to) {
        return jdbc.query("""
                SELECT subscription_id, period_start, status FROM (
                    SELECT DISTINCT ON (subscription_id, period_start) subscription_id, period_start, status
                    FROM reconciliation_status_change
                    WHERE partner_id = :p AND changed_at >= :from AND changed_at < :to
                    ORDER BY subscription_id, period_start, changed_at DESC, change_id DESC) last_change
                ORDER BY subscription_id, period_start
                """, Map.of("p", partnerId, "from", Timestamp.from(from), "to", Timestamp.from(to)),
                (rs, i) -> new ReconciliationRow(rs.getString("subscription_id"), rs.getObject("period_start", LocalDate.class),
                        rs.getString("status")));
    }

    /**
     * Claims the partner's digest of {@code day} for this run: true for exactly one caller across threads
     * and instances (the unique key), and again only after a run recorded it FAILED, or once a SENDING
     * claim is 15 minutes old: its instance died before it could record the outcome, and a digest sent
     * twice is better than one never sent.
     */
    public Long claim(String partnerId, DigestKind kind, LocalDate day, String recipientsJson, int rows) {
        List<Long> claimed = jdbc.queryForList("""
                INSERT INTO notification_digest (partner_id, digest, digest_day, status, recipients, row_count)
                VALUES (:p, :digest, :day, 'SENDING', CAST(:recipients AS jsonb), :rows)
                ON CONFLICT (partner_id, digest, digest_day) DO UPDATE
                    SET status = 'SENDING', recipients = EXCLUDED.recipients, row_count = EXCLUDED.row_count,
                        attempts = notification_digest.attempts + 1, reason = NULL, claimed_at = now()
                    WHERE notification_digest.status = 'FAILED'
                       -- a claim older than any send takes was left by an instance that died: take it over
                       OR (notification_digest.status = 'SENDING' AND notification_digest.claimed_at < now() - interval '15 minutes')
                RETURNING digest_id""", Map.of("p", partnerId, "digest", kind.name(), "day", day,
                "recipients", recipientsJson, "rows", rows), Long.class);
        return claimed.isEmpty() ? null : claimed.get(0);
    }

    public void markSent(long digestId) {
        jdbc.update("UPDATE notification_digest SET status = 'SENT', sent_at = now() WHERE digest_id = :id", Map.of("id", digestId));
    }

    public void markFailed(long digestId, String reason) {
        jdbc.update("UPDATE notification_digest SET status = 'FAILED', reason = :reason WHERE digest_id = :id",
                Map.of("id", digestId, "reason", reason));
    }
}
