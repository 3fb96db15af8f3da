package io.cwbridge.tasks.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.camel.Variable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;

/**
 * The only writer of table {@code sync_task} (issue 18): every insert and status change of a task
 * goes through here, Java and routes alike (bean {@code syncTasks}); reads stay with their users.
 * Status changes run in the caller's transaction, so a person's action in {@code TaskHistory.as}
 * is recorded under their name by the table's history trigger (V14), and every other change too.
 * The intake's task too: {@code ingest/EventIntake.record} stores an accepted event and calls
 * {@link #createPending} in one transaction (TableOwnersTest allows no other writer).
 */
@Repository
public class SyncTasks {

    /** A task a change applied to. */
    public record TaskKey(long taskId, String partnerId, String subscriptionId) {}

    private final NamedParameterJdbcTemplate jdbc;

    public SyncTasks(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Creates a PENDING task, with {@code reason}, for each of the events {@code eventIds} (just stored). */
    public List<TaskKey> createPending(Collection<String> eventIds, String reason) {
        if (eventIds.isEmpty()) return List.of();
        Map<String, Object> params = new HashMap<>();
        params.put("ids", eventIds);
        params.put("status", TaskStatus.PENDING.name());
        params.put("reason", reason);
        return jdbc.query("""
                INSERT INTO sync_task (event_id, partner_id, subscription_id, type, action, occurred_at, status, reason)
                SELECT event_id, partner_id, subscription_id, type, action, occurred_at, :status, :reason
                FROM subscription_event WHERE event_id IN (:ids) ORDER BY occurred_at, event_id
                RETURNING task_id, partner_id, subscription_id""", params, SyncTasks::key);
    }

    /** The named parameters {@link #pendingOf} and {@link #syncedWhen} need. */
    public static final Map<String, Object> PENDING_PARAMS = Map.of("pendingStatus", TaskStatus.PENDING.name(),
            "syncedStatus", TaskStatus.SYNCED.name());

    /**
     * A writer of another table that stores events in the same statement (issue 14: the intake's event and its task
     * in one round trip, {@code ingest/EventIntake.record}): this owner's INSERT of a PENDING task for each row of
     * CTE {@code stored} (event_id, partner_id, subscription_id, type, action, occurred_at), as a CTE body returning
     * task_id (and event_id: a statement storing several events finds each one's task); parameters {@link #PENDING_PARAMS}.
     */
    public static String pendingOf(String stored) {
        return """
                INSERT INTO sync_task (event_id, partner_id, subscription_id, type, action, occurred_at, status, reason)
                SELECT event_id, partner_id, subscription_id, type, action, occurred_at, :pendingStatus, NULL FROM %s
                RETURNING task_id, partner_id, subscription_id, event_id""".formatted(stored);
    }

    /**
     * As {@link #synced}, as a CTE body for a statement that records the task's last operation (issue 14: line, copy,
     * DONE and SYNCED in one round trip, {@code sync/OperationLedger}): task {@code :t} becomes SYNCED with reason
     * {@code :syncedReason} when {@code condition} (SQL) holds; parameters {@link #PENDING_PARAMS}.
     */
    public static String syncedWhen(String condition) {
        return """
                UPDATE sync_task SET status = :syncedStatus, reason = CAST(:syncedReason AS text), attempts = attempts + 1,
                       synced_at = now(), retry_due_at = NULL, updated_at = now()
                WHERE task_id = CAST(:t AS bigint) AND %s RETURNING 1""".formatted(condition);
    }

    /**
     * The task's plan was stored from its subscription's lines as read at {@code :since} (R16: what its plan is made
     * from), as a CTE body for the statement that stores the plan ({@code sync/TaskOperations.persist}), when
     * {@code condition} (SQL) holds.
     */
    public static String linesReadWhen(String condition) {
        return """
                UPDATE sync_task SET lines_read_at = CAST(:since AS timestamptz)
                WHERE task_id = CAST(:t AS bigint) AND %s RETURNING 1""".formatted(condition);
    }

    /**
     * Step of route {@code task-needs-mapping}: the task waits as NEEDS_MAPPING with what is missing (SPEC 3). The
     * routes' steps bind their parameters by annotation (camel-bean, once per method; issue 14).
     */
    public void needsMapping(@Variable("taskId") long taskId, @Variable("taskReason") String reason) {
        set(taskId, TaskStatus.NEEDS_MAPPING, reason, "");
    }

    /** Last step of route {@code task-deliver}: the task's operations are all delivered. */
    public void synced(@Variable("taskId") long taskId, @Variable("taskReason") String reason) {
        set(taskId, TaskStatus.SYNCED, reason, ", attempts = attempts + 1, synced_at = now(), retry_due_at = NULL");
    }

    /**
     * The PENDING task is tried again once {@code after} has passed (V28 {@code retry_due_at}, the database's clock,
     * which every instance shares); an earlier due time it has stands.
     *
     * @return whether the task was PENDING (else nothing is put off)
     */
    public boolean retryAfter(long taskId, java.time.Duration after) {
        return jdbc.update("""
                UPDATE sync_task SET retry_due_at = least(coalesce(retry_due_at, 'infinity'), now() + make_interval(secs => :s))
                WHERE task_id = :t AND status = :pending""",
                Map.of("t", taskId, "s", after.toMillis() / 1000.0, "pending", TaskStatus.PENDING.name())) > 0;
    }

    /**
     * Claims the PENDING tasks whose retry is due (their due time is cleared; concurrent callers on other instances
     * skip the rows one has locked, so each is claimed once), at most {@code limit}, earliest first.
     */
    public List<TaskKey> claimDueRetries(int limit) {
        return jdbc.query("""
                UPDATE sync_task SET retry_due_at = NULL
                WHERE task_id IN (SELECT task_id FROM sync_task
                                  WHERE retry_due_at <= now() AND status = :pending
                                  ORDER BY retry_due_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                RETURNING task_id, partner_id, subscription_id""",
                Map.of("pending", TaskStatus.PENDING.name(), "limit", limit), SyncTasks::key);
    }

    private void set(long taskId, TaskStatus status, String reason, String more) {
        Map<String, Object> params = new HashMap<>();
        params.put("t", taskId);
        params.put("status", status.name());
        params.put("reason", reason == null || reason.isEmpty() ? null : reason);
        jdbc.update("UPDATE sync_task SET status = :status, reason = :reason" + more + ", updated_at = now() WHERE task_id = :t", params);
    }

    /**
     * Onboarding (R7): the PENDING tasks among {@code reasons}' keys wait as NEEDS_MAPPING, each with
     * its reason (one batch).
     */
    public void needMapping(Map<Long, String> reasons) {
        if (reasons.isEmpty()) return;
        SqlParameterSource[] batch = reasons.entrySet().stream()
                .map(r -> new MapSqlParameterSource("t", r.getKey()).addValue("r", r.getValue())
                        .addValue("to", TaskStatus.NEEDS_MAPPING.name()).addValue("from", TaskStatus.PENDING.name()))
                .toArray(SqlParameterSource[]::new);
        jdbc.batchUpdate("UPDATE sync_task SET status = :to, reason = :r, updated_at = now() WHERE task_id = :t AND status = :from",
                batch);
    }

    /**
     * Task sync MANUAL: the subscription's PENDING and NEEDS_MAPPING tasks nobody approved and with no
     * plan stored become AWAITING_APPROVAL. The caller holds the subscription's lock.
     *
     * @return how many tasks now wait for approval
     */
    public int awaitApproval(String partnerId, String subscriptionId) {
        return jdbc.update("""
                UPDATE sync_task t SET status = :to, updated_at = now(),
                       reason = 'task sync MANUAL: waits for a person to approve it'
                WHERE t.partner_id = :p AND t.subscription_id = :s AND t.status IN (:open)
                  AND t.approved_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM task_operation o WHERE o.task_id = t.task_id)""",
                Map.of("p", partnerId, "s", subscriptionId, "to", TaskStatus.AWAITING_APPROVAL.name(),
                        "open", List.of(TaskStatus.PENDING.name(), TaskStatus.NEEDS_MAPPING.name())));
    }

    /**
     * Task sync is no longer MANUAL (R31): the partner's tasks awaiting approval become PENDING again, to run as the new
     * mode runs them (a person's approval is no longer asked for).
     *
     * @return the subscriptions whose tasks were let go
     */
    public List<String> releaseApprovals(String partnerId) {
        return jdbc.queryForList("""
                WITH released AS (
                    UPDATE sync_task SET status = :to, reason = NULL, updated_at = now()
                    WHERE partner_id = :p AND status = :from RETURNING subscription_id)
                SELECT DISTINCT subscription_id FROM released""",
                Map.of("p", partnerId, "from", TaskStatus.AWAITING_APPROVAL.name(), "to", TaskStatus.PENDING.name()), String.class);
    }

    /** The partner's subscriptions with a PENDING task: waiting for a timer's tick, a retry, or a run now. */
    public List<String> subscriptionsWithPendingTasks(String partnerId) {
        return jdbc.queryForList("SELECT DISTINCT subscription_id FROM sync_task WHERE partner_id = :p AND status = :pending",
                Map.of("p", partnerId, "pending", TaskStatus.PENDING.name()), String.class);
    }

    /** Why an open task (PENDING or NEEDS_MAPPING) keeps waiting; its status stays. */
    public void waits(long taskId, String reason) {
        jdbc.update("UPDATE sync_task SET reason = :r, updated_at = now() WHERE task_id = :t AND status IN (:open)",
                Map.of("r", reason, "t", taskId, "open", List.of(TaskStatus.PENDING.name(), TaskStatus.NEEDS_MAPPING.name())));
    }

    /**
     * R31: the subscription's other PENDING tasks wait behind task {@code taskId} (NEEDS_MAPPING), with {@code reason};
     * one that already says why it waits (a retry, a FAILED task) keeps its reason.
     */
    public void waitBehind(String partnerId, String subscriptionId, long taskId, String reason) {
        jdbc.update("""
                UPDATE sync_task SET reason = :r, updated_at = now()
                WHERE partner_id = :p AND subscription_id = :s AND task_id <> :t AND status = :pending
                  AND (reason IS NULL OR reason LIKE 'waits for NEEDS_MAPPING task %')""",
                Map.of("r", reason, "p", partnerId, "s", subscriptionId, "t", taskId, "pending", TaskStatus.PENDING.name()));
    }

    /**
     * A try of the task that did not sync it: PENDING (tried again) or FAILED, with the reason; a
     * task another run has meanwhile SYNCED stays SYNCED.
     *
     * @return the task's attempts so far, empty when it was SYNCED already
     */
    public OptionalInt triedWithout(long taskId, TaskStatus status, String reason) {
        Map<String, Object> params = new HashMap<>();
        params.put("t", taskId);
        params.put("status", status.name());
        params.put("reason", reason);
        params.put("synced", TaskStatus.SYNCED.name());
        List<Integer> attempts = jdbc.queryForList("""
                UPDATE sync_task SET status = :status, reason = :reason, attempts = attempts + 1, updated_at = now()
                WHERE task_id = :t AND status <> :synced RETURNING attempts""", params, Integer.class);
        return attempts.isEmpty() ? OptionalInt.empty() : OptionalInt.of(attempts.get(0));
    }

    /**
     * A person approves or retries (R31): the tasks {@code taskIds} that are {@code from} become
     * PENDING, approved by {@code actor}.
     *
     * @return those moved, in {@code taskIds}' order
     */
    public List<TaskKey> letGo(List<Long> taskIds, TaskStatus from, String actor) {
        List<TaskKey> moved = new ArrayList<>(jdbc.query("""
                UPDATE sync_task SET status = :to, reason = NULL, approved_at = now(), approved_by = :a, updated_at = now()
                WHERE task_id IN (:ids) AND status = :from RETURNING task_id, partner_id, subscription_id""",
                Map.of("ids", taskIds, "from", from.name(), "to", TaskStatus.PENDING.name(), "a", actor), SyncTasks::key));
        // RETURNING comes in the rows' physical order, not the order asked for (the order changes happened).
        moved.sort(Comparator.comparingInt(t -> taskIds.indexOf(t.taskId())));
        return moved;
    }

    /**
     * A person ends a FAILED task or one AWAITING_APPROVAL (R31): DISMISSED with their reason.
     *
     * @return the task, empty when it was in another status
     */
    public List<TaskKey> dismiss(long taskId, String reason) {
        return jdbc.query("""
                UPDATE sync_task SET status = :to, reason = :r, updated_at = now()
                WHERE task_id = :t AND status IN (:from) RETURNING task_id, partner_id, subscription_id""",
                Map.of("t", taskId, "r", reason, "to", TaskStatus.DISMISSED.name(),
                        "from", List.of(TaskStatus.FAILED.name(), TaskStatus.AWAITING_APPROVAL.name())), SyncTasks::key);
    }

    private static TaskKey key(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new TaskKey(rs.getLong("task_id"), rs.getString("partner_id"), rs.getString("subscription_id"));
    }
}
