package io.cwbridge.sync;

import io.cwbridge.tasks.store.TaskStatus;
import io.cwbridge.tasks.store.SyncTasks;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.OptionalInt;
import org.springframework.dao.DuplicateKeyException;
import io.cwbridge.connectwise.ConnectWiseRetry;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.connectwise.ConnectWiseSettings;
import io.cwbridge.syncrules.SyncRulesRepository;
import io.cwbridge.syncrules.TaskSync;
import io.cwbridge.syncrules.TaskSyncChanged;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The Java steps of the per-subscription loop, route {@code subscription-tasks}
 * (routes/subscription-sync.yaml): it syncs one subscription's open tasks in the order their changes
 * happened, one task at a time through route {@code subscription-task-sync}, under a PostgreSQL
 * advisory lock per subscription ({@link #lock}) that keeps two threads or instances from syncing the
 * same subscription at once. A task waiting for a
 * mapping or for ConnectWise to recover holds back the later ones. A FAILED one holds them back only
 * while it has operations not DONE (its plan is part-way: a later plan would be made from lines that
 * omit what it still has to write), and the waiting task's reason names it; a FAILED task with no
 * unfinished operation does not (the rules read ConnectWise's current lines, so later changes still
 * land right, and the failure stays listed until it is retried or dismissed).
 *
 * <p>Task sync (R31): route {@code subscription-sync} asks {@link #taskSync} and runs everything
 * (IMMEDIATE), or first turns the waiting tasks into AWAITING_APPROVAL ({@link #awaitApproval},
 * MANUAL) and runs only what a person let go or what is part-way; EVERY_5_MINUTES and DAILY leave
 * the rest to the timer's tick. {@link #run(String, String)} and {@link #runApproved} run the same
 * loop for the Java callers (the tick, a person's retry, map &amp; sync).
 *
 * <p>A task whose plan is stored but not yet DONE goes first, whenever its change happened: its
 * plan was computed from the lines as they were, and one of its writes may have landed in
 * ConnectWise without its answer (a crash, a lost answer). Until that write is confirmed (looked
 * up, its addition recorded as the line's) nothing else of the subscription is planned, so no plan
 * is computed from lines that omit it (R16: a second change of the same day updates that line).
 *
 * <p>A task left PENDING by a ConnectWise outage (every attempt of a call spent) is tried again by
 * itself, with back-off ({@code cwbridge.connectwise.task-retry-*}), so "will retry" holds even
 * with automatic sync off and no further event: its due time is stored on the task
 * ({@link SubscriptionRetries}, route {@code subscription-retries-due}), so a stop does not lose it.
 * The run that gave up releases its claims on the operations it sent, so that retry is not held
 * back by the delivery lease, which only guards against a run that is gone.
 */
@Component("subscriptionSync")
public class SubscriptionSync {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionSync.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final SyncTasks syncTasks;
    private final DataSource dataSource;
    private final ProducerTemplate producer;
    private final ConnectWiseRetry retry;
    private final TaskOperations operations;
    private final SyncRulesRepository syncRules;
    private final RefusedWrites refusedWrites;
    private final SubscriptionRetries retries;
    private final TransientRedelivery redelivery;
    private final io.cwbridge.tasks.store.TaskHistory history;

    public SubscriptionSync(NamedParameterJdbcTemplate jdbc, DataSource dataSource, ProducerTemplate producer,
                            ConnectWiseSettings settings, TaskOperations operations, SyncRulesRepository syncRules,
                            RefusedWrites refusedWrites, SyncTasks syncTasks, SubscriptionRetries retries,
                            io.cwbridge.tasks.store.TaskHistory history) {
        this.history = history;
        this.retries = retries;
        this.jdbc = jdbc;
        this.syncTasks = syncTasks;
        this.syncRules = syncRules;
        this.refusedWrites = refusedWrites;
        this.operations = operations;
        this.dataSource = dataSource;
        this.producer = producer;
        this.retry = new ConnectWiseRetry(settings);
        this.redelivery = new TransientRedelivery(producer.getCamelContext());
    }

    /**
     * Subscriptions a hand-over of route {@code subscription-sync} is running on this instance: FALSE while it runs, TRUE once
     * another hand-over of the same subscription came meanwhile (that one did not wait: the running one looks again).
     */
    private final ConcurrentHashMap<String, Boolean> runs = new ConcurrentHashMap<>();

    /**
     * Route {@code subscription-sync}: true when this hand-over is to run the subscription; false when another hand-over runs
     * it on this instance right now, which then runs once more (issue 14: consumers no longer queue on the advisory lock
     * behind one subscription whose changes came together). Its tasks were stored before their hand-over was sent.
     */
    public boolean claimRun(@Variable("partnerId") String partnerId, @Variable("subscriptionId") String subscriptionId) {
        boolean[] first = {false};
        runs.compute(AdvisoryLock.subscription(partnerId, subscriptionId), (key, again) -> {
            first[0] = again == null;
            return first[0] ? Boolean.FALSE : Boolean.TRUE;
        });
        return first[0];
    }

    /** After a run of route {@code subscription-sync}: true, keeping the claim, when another hand-over came during it. */
    public boolean runAgain(@Variable("partnerId") String partnerId, @Variable("subscriptionId") String subscriptionId) {
        return runs.compute(AdvisoryLock.subscription(partnerId, subscriptionId),
                (key, again) -> Boolean.TRUE.equals(again) ? Boolean.FALSE : null) != null;
    }

    /** Route {@code subscription-sync}'s finally: the claim goes; a hand-over that came during a run that failed is queued again. */
    public void releaseRun(@Variable("partnerId") String partnerId, @Variable("subscriptionId") String subscriptionId) {
        if (Boolean.TRUE.equals(runs.remove(AdvisoryLock.subscription(partnerId, subscriptionId)))) {
            enqueue(partnerId, subscriptionId);
        }
    }

    /** The partner's task sync rule (R31) by name, for the choice in route {@code subscription-sync}. */
    public String taskSync(@Variable("partnerId") String partnerId) {
        return syncRules.taskSync(partnerId).name(); // kept per partner (issue 14)
    }

    /** Syncs every open task of the subscription, in order (task sync IMMEDIATE, the timer's tick, map &amp; sync). */
    public void run(String partnerId, String subscriptionId) throws SQLException {
        run(partnerId, subscriptionId, false);
    }

    /**
     * Syncs only the open tasks a person approved or asked to retry, and those whose plan is part-way
     * (stored, not all DONE: they go first whatever the mode); the others keep waiting.
     */
    public void runApproved(String partnerId, String subscriptionId) throws SQLException {
        run(partnerId, subscriptionId, true);
    }

    /**
     * Task sync MANUAL: the subscription's PENDING and NEEDS_MAPPING tasks nobody approved and with no
     * plan stored yet become AWAITING_APPROVAL (under the subscription's lock, so no run is planning them).
     *
     * @return how many tasks now wait for approval
     */
    public int awaitApproval(@Variable("partnerId") String partnerId, @Variable("subscriptionId") String subscriptionId) throws SQLException {
        return AdvisoryLock.with(dataSource, AdvisoryLock.subscription(partnerId, subscriptionId),
                // asked again under the lock: a switch away from MANUAL since the route asked lets go of what waits (R31)
                () -> syncRules.taskSync(partnerId) == TaskSync.MANUAL ? syncTasks.awaitApproval(partnerId, subscriptionId) : 0);
    }

    /**
     * R31: the partner's task sync was switched. Leaving MANUAL lets go of the tasks awaiting approval (PENDING again);
     * under IMMEDIATE everything that waited (for a person or a timer's tick) runs now; under MANUAL the waiting tasks
     * are handed over so they turn AWAITING_APPROVAL (under each subscription's lock) instead of waiting for a tick
     * that no longer comes; EVERY_5_MINUTES and DAILY leave them to the tick.
     */
    @EventListener
    public void onTaskSyncChanged(TaskSyncChanged change) {
        String partnerId = change.partnerId();
        // the tasks' history says why they no longer wait (a probe's finding: "by system" with no reason)
        java.util.Set<String> released = new java.util.LinkedHashSet<>(change.from() == TaskSync.MANUAL
                ? history.as("system", "task sync changed from MANUAL to " + change.to() + ": no approval is asked for any more",
                        () -> syncTasks.releaseApprovals(partnerId))
                : List.of());
        if (!released.isEmpty()) {
            log.info("Task sync of partner {} is {} (was MANUAL): tasks of {} subscription(s) no longer wait for approval",
                    partnerId, change.to(), released.size());
        }
        if (change.to() == TaskSync.IMMEDIATE || change.to() == TaskSync.MANUAL) {
            java.util.Set<String> handOver = new java.util.LinkedHashSet<>(released);
            handOver.addAll(syncTasks.subscriptionsWithPendingTasks(partnerId));
            handOver.forEach(subscriptionId -> enqueue(partnerId, subscriptionId));
        }
    }

    /** The same as route {@code subscription-sync} does: the loop is route {@code subscription-tasks}. */
    private void run(String partnerId, String subscriptionId, boolean approvedOnly) throws SQLException {
        Exchange done = producer.send("direct:subscription-tasks", e -> {
            e.setVariable("partnerId", partnerId);
            e.setVariable("subscriptionId", subscriptionId);
            e.setVariable("approvedOnly", approvedOnly);
        });
        Exception failure = done.getException();
        if (failure == null) return;
        if (failure instanceof SQLException sql) throw sql;
        if (failure instanceof RuntimeException runtime) throw runtime;
        throw new IllegalStateException("sync of subscription " + subscriptionId + " failed: " + failure.getMessage(), failure);
    }

    /** First step of route {@code subscription-tasks}: the subscription's lock, held until {@link #unlock}. */
    public AdvisoryLock.Held lock(@Variable("partnerId") String partnerId, @Variable("subscriptionId") String subscriptionId) throws SQLException {
        return AdvisoryLock.acquire(dataSource, AdvisoryLock.subscription(partnerId, subscriptionId));
    }

    /** Last step of route {@code subscription-tasks}, whatever happened. */
    public void unlock(@Variable("subscriptionLock") AdvisoryLock.Held lock) throws SQLException {
        if (lock != null) lock.close();
    }

    /**
     * The task route {@code subscription-tasks} syncs first (see {@link #openTasks}) with all its plan is made from
     * ({@link TaskRows}), or null when none may run now: there is none, or it waits behind a FAILED task's unfinished
     * operations. One round trip (issue 14): under the subscription's lock, so what it reads stays the run's.
     */
    public TaskRows firstTask(@Variable("partnerId") String partnerId, @Variable("subscriptionId") String subscriptionId,
                              @Variable("approvedOnly") boolean approvedOnly) {
        Map<String, Object> params = new HashMap<>(openTaskParams(partnerId, subscriptionId, approvedOnly));
        params.put("lease", operations.leaseSeconds());
        List<Map<String, Object>> rows = jdbc.queryForList(approvedOnly ? FIRST_APPROVED_TASK_ROWS : FIRST_TASK_ROWS, params);
        if (rows.isEmpty()) return null;
        TaskRows first = rows(withUpgradeLines(rows));
        if (first.failedTask() == null) return first;
        waitsBehindFailure(first.taskId(), subscriptionId, first.failedTask(), first.row().get("seqs"));
        return null;
    }

    /**
     * Variable {@code taskRows} of route {@code subscription-task-sync}: {@code given} (read by {@link #firstTask} for
     * this try), else the task's rows read now (a second try after a refusal dropped its plan, or no loop read them).
     */
    public TaskRows taskRows(@Variable("taskId") long taskId, @Variable("taskRows") TaskRows given) {
        if (given != null && given.taskId() == taskId) return given;
        Map<String, Object> params = new HashMap<>(Map.of("t", taskId, "lease", operations.leaseSeconds(),
                "syncable", TaskStatus.SYNCABLE));
        List<Map<String, Object>> rows = jdbc.queryForList(TASK_ROWS_OF_TASK, params);
        if (rows.isEmpty()) throw new IllegalStateException("task " + taskId + " is gone");
        return rows(withUpgradeLines(rows));
    }

    /** The lines of an upgrade's two subscriptions, for {@link #withUpgradeLines}. */
    private static final String UPGRADE_LINES = "SELECT " + String.join(", ", TaskRows.LINE_COLUMNS)
            + " FROM subscription_line WHERE partner_id = :p AND subscription_id IN (:s, :u) ORDER BY line_key";

    /**
     * {@code rows}, for an upgrade event (SPEC 8.1 {@code upgradeTo}) with the lines of both its subscriptions: read
     * again for both, in line order as one query on both would give them, each a row with the task's columns. Read
     * after the task's statement: a write to those lines since its {@code lines_read_at} makes the plan's store refuse
     * ({@link TaskOperations#persist}), so the plan is made again from a fresh read.
     */
    private List<Map<String, Object>> withUpgradeLines(List<Map<String, Object>> rows) {
        Map<String, Object> task = rows.get(0);
        String upgrade = (String) task.get("upgrade_subscription_id");
        if (upgrade == null || upgrade.isEmpty() || upgrade.equals(task.get("subscription_id"))) return rows;
        List<Map<String, Object>> lines = jdbc.queryForList(UPGRADE_LINES, Map.of("p", task.get("partner_id"), "s", task.get("subscription_id"), "u", upgrade));
        if (lines.isEmpty()) return rows;
        List<Map<String, Object>> merged = new ArrayList<>(lines.size());
        for (Map<String, Object> line : lines) {
            Map<String, Object> row = new HashMap<>(task);
            row.putAll(line);
            merged.add(row);
        }
        return merged;
    }

    private static TaskRows rows(List<Map<String, Object>> rows) {
        Map<String, Object> row = rows.get(0);
        return new TaskRows(((Number) row.get("task_id")).longValue(), ((Number) row.get("open_tasks")).longValue(), rows);
    }

    /**
     * The task after {@code last}, or null: a task that did not end SYNCED or FAILED (it waits
     * for a mapping, for ConnectWise or for another run) holds back the later ones.
     */
    public TaskRows nextTask(@Variable("partnerId") String partnerId, @Variable("subscriptionId") String subscriptionId,
                             @Variable("approvedOnly") boolean approvedOnly, @Variable("taskRows") TaskRows last,
                             @Variable("taskStatus") String lastStatus) {
        if (!TaskStatus.SYNCED.is(lastStatus) && !TaskStatus.FAILED.is(lastStatus)) {
            // R31 / §8.2 (probe 47 F9): the later PENDING tasks it holds back say which task they wait for
            if (TaskStatus.NEEDS_MAPPING.is(lastStatus) && last.openTasks() > 1) {
                syncTasks.waitBehind(partnerId, subscriptionId, last.taskId(), "waits for NEEDS_MAPPING task " + last.taskId()
                        + " of subscription " + subscriptionId + ": a subscription's tasks sync in order, so this one runs"
                        + " once that task's mapping is saved and it has synced");
            }
            return null;
        }
        // The only open task when the run took it: none to look for (issue 14). A task stored since was handed over to
        // route subscription-sync by its intake and runs once this run lets the lock go.
        if (last.openTasks() == 1) return null;
        TaskRows next = firstTask(partnerId, subscriptionId, approvedOnly);
        // A task is tried once per run (it is no longer open once SYNCED or FAILED; this only guards the loop).
        return next != null && next.taskId() == last.taskId() ? null : next;
    }

    /**
     * A FAILED task of the subscription (or one with operations on its lines) still has operations
     * not DONE: then this task's plan would be made from lines that lack them, so it stays PENDING
     * with a reason naming that task until it is retried to the end or dismissed.
     */
    private void waitsBehindFailure(long taskId, String subscriptionId, Object failedTask, Object seqs) {
        String reason = "waits for FAILED task " + failedTask + " of subscription " + subscriptionId
                + ": its operations " + seqs + " on the same lines are not done, and this task's plan "
                + "depends on them; retry or dismiss that task";
        syncTasks.waits(taskId, reason);
        log.info("Task {} {}", taskId, reason);
    }

    /** Step of route {@code subscription-tasks}: runs one task through route {@code subscription-task-sync}, records a failure on it. */
    public String syncTask(@Variable("taskRows") TaskRows rows, @Variable(TaskOperations.SYNC_RUN) String runId,
                           @Variable("partnerId") String partnerId, @Variable("subscriptionId") String subscriptionId) {
        long taskId = rows.taskId();
        Exchange done;
        for (int attempt = 1; ; attempt++) {
            boolean firstTry = attempt == 1;
            // The task's routes have no error handler of their own (caller-error-handling: no exchange copy per step,
            // issue 14): a transient database failure sends the whole task again, as bundle-error-handling would have
            // redelivered its step. From a fresh read: a plan stored meanwhile is resumed, a write in doubt looked up.
            done = redelivery.send("task " + taskId, redeliveries -> {
                try {
                    return producer.send("direct:subscription-task-sync", e -> {
                        // The route's inputs (routes/subscription-sync.yaml): variables taskId, syncRunId and, on the
                        // first try, taskRows (a re-plan or a redelivery reads them afresh).
                        e.setVariable("taskId", taskId);
                        e.setVariable(TaskOperations.SYNC_RUN, runId);
                        if (firstTry && redeliveries == 0) e.setVariable("taskRows", rows);
                    });
                } finally {
                    operations.stopRenewing(taskId, runId);
                }
            });
            // issue 14 hook (RefusedWrites): a write ConnectWise refused is planned once more from a fresh read.
            if (done.getException() == null || attempt > 1 || !refusedWrites.replan(taskId, done.getException())) break;
        }
        Exception failure = done.getException();
        if (failure != null) {
            releaseClaims(taskId, runId);
            OptionalInt attempts;
            try {
                attempts = recordFailure(taskId, failure);
            } catch (RuntimeException e) {
                // The database is still away: the task stays as it was (PENDING); try again later all the same.
                log.warn("Could not record the failure of task {}: {}", taskId, e.getMessage());
                retries.putOff(taskId, retry.retryLater(1, false));
                throw e;
            }
            Optional<OperationInFlightException> busy = inFlight(failure);
            if (busy.isPresent()) {
                retries.putOff(taskId, busy.get().retryAfter());
            } else if (attempts.isPresent()) {
                // The delay is ConnectWiseRetry's (a database restart starts its back-off at 1 s).
                retries.putOff(taskId, retry.retryLater(attempts.getAsInt(), databaseAway(failure)));
            }
        }
        // The route's own answer (variable taskStatus, set where it stores SYNCED or NEEDS_MAPPING); read only after a failure.
        String status = failure == null ? done.getVariable("taskStatus", String.class) : null;
        return status != null ? status
                : jdbc.queryForObject("SELECT status FROM sync_task WHERE task_id = :t", Map.of("t", taskId), String.class);
    }

    /**
     * Transient ConnectWise trouble, an operation another run is delivering, a plan another
     * run stored at the same moment, or a database that went away (a restart: the route's own
     * redeliveries were spent) leave the task PENDING for the next try; anything else is
     * FAILED with the reason. A task another run has meanwhile SYNCED stays SYNCED.
     *
     * @return the task's attempts so far when it was left PENDING, else empty
     */
    OptionalInt recordFailure(long taskId, Exception failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof ConnectWiseException) && !(cause instanceof OperationInFlightException)
                && !(cause instanceof DuplicateKeyException)) {
            cause = cause.getCause();
        }
        boolean databaseAway = databaseAway(failure);
        boolean retry = cause instanceof ConnectWiseException cw && cw.isTransient()
                || cause instanceof OperationInFlightException || cause instanceof DuplicateKeyException || databaseAway;
        String reason = cause instanceof ConnectWiseException cw ? "ConnectWise: " + cw.describe()
                : databaseAway ? "database unavailable: " + cause.getMessage() : cause.getMessage();
        OptionalInt attempts = syncTasks.triedWithout(taskId, retry ? TaskStatus.PENDING : TaskStatus.FAILED,
                (retry ? "will retry: " : "") + reason);
        log.warn("Task {} {}: {}", taskId, retry ? "will be retried" : "failed", reason);
        return retry ? attempts : OptionalInt.empty();
    }

    /** This run has given up on the task: its claims lapse soon, so the retry need not wait out the lease. */
    private void releaseClaims(long taskId, String runId) {
        try {
            operations.release(taskId, runId);
        } catch (RuntimeException e) {
            // The database is away: the claims lapse with their lease instead.
            log.warn("Could not release the claims of task {}: {}", taskId, e.getMessage());
        }
    }

    /** A lost or refused database connection somewhere in the chain (SQL state class 08, or 57P: the server shutting down). */
    static boolean databaseAway(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.springframework.dao.TransientDataAccessException
                    || t instanceof org.springframework.dao.RecoverableDataAccessException
                    || t instanceof org.springframework.dao.DataAccessResourceFailureException
                    || t instanceof org.springframework.transaction.TransactionSystemException
                    || t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (t.getCause() == t) break;
        }
        return false;
    }

    private static Optional<OperationInFlightException> inFlight(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OperationInFlightException busy) return Optional.of(busy);
        }
        return Optional.empty();
    }

    /** Tasks waiting for a mapping are tried again as soon as a mapping is saved (SPEC 3). */
    @EventListener
    public void onMappingChanged(MappingChanged change) {
        if (!change.mapped()) return;
        // Only the subscriptions the change can concern (a customer's, the subscription itself), so an
        // onboarding of thousands of waiting subscriptions (R7) is not queued again on every mapping saved.
        List<String> subscriptions = jdbc.queryForList("""
                SELECT DISTINCT t.subscription_id FROM sync_task t JOIN subscription_event e ON e.event_id = t.event_id
                WHERE t.partner_id = :p AND t.status = :waiting
                  AND CASE :kind WHEN 'CUSTOMER' THEN e.payload->'subscription'->'customer'->>'id' = :id
                                 WHEN 'SUBSCRIPTION' THEN t.subscription_id = :id
                                 ELSE true END""",
                Map.of("p", change.partnerId(), "kind", change.kind(), "id", change.id(), "waiting", TaskStatus.NEEDS_MAPPING.name()),
                String.class);
        for (String subscriptionId : subscriptions) {
            enqueue(change.partnerId(), subscriptionId);
        }
    }

    /** Hands the subscription to route {@code subscription-sync} (asynchronous, one subscription at a time). */
    public void enqueue(String partnerId, String subscriptionId) {
        producer.sendBodyAndHeaders("seda:subscription-sync", null, Map.of("partnerId", partnerId, "subscriptionId", subscriptionId));
    }

    /**
     * The subscription's PENDING and NEEDS_MAPPING tasks: first those with a stored plan not yet
     * DONE (a write of theirs may be in doubt, and their plan was made from the lines before any
     * later one), then the others, each group in the order the changes happened.
     */
    public List<Long> openTasks(String partnerId, String subscriptionId) {
        return openTasks(partnerId, subscriptionId, false);
    }

    private List<Long> openTasks(String partnerId, String subscriptionId, boolean approvedOnly) {
        return jdbc.queryForList(OPEN_TASKS, openTaskParams(partnerId, subscriptionId, approvedOnly), Long.class);
    }

    /** {@link #OPEN_TASKS} with each task's place in that order ({@code ord}), for a query that reorders. */
    private static final String OPEN_TASKS_ORDERED = """
            SELECT t.task_id, row_number() OVER (ORDER BY EXISTS (SELECT 1 FROM task_operation o WHERE o.task_id = t.task_id
                                                                   AND o.status <> 'DONE') DESC, t.occurred_at, t.task_id) AS ord
            FROM sync_task t
            WHERE t.partner_id = :p AND t.subscription_id = :s AND t.status IN (:syncable)
              AND (NOT :approvedOnly OR t.approved_at IS NOT NULL
                   OR EXISTS (SELECT 1 FROM task_operation o WHERE o.task_id = t.task_id AND o.status <> 'DONE'))
            ORDER BY ord""";

    /**
     * The rows of {@link TaskRows} for the task of CTE {@code target} (task_id, open_tasks, failed_task, seqs; the
     * placeholder): its row, event and stored operations, its mapping (sql/mapping-lookup.sql,
     * {@code m_}), the first other open task's operation not DONE on its lines (R16, TaskOperations' in-doubt check),
     * and its subscriptions' lines with their copies (sql/subscription-lines.sql), one row per line.
     */
    private static final String TASK_ROWS = """
            WITH %s,
            task AS (
                SELECT tg.open_tasks, tg.failed_task, tg.seqs, t.task_id, t.partner_id, t.subscription_id, t.status,
                       e.payload::text AS payload,
                       (SELECT json_agg(json_build_object('seq', o.seq, 'line_key', o.line_key, 'reason', o.reason,
                                                          'request', o.request::text, 'status', o.status) ORDER BY o.seq)::text
                        FROM task_operation o WHERE o.task_id = t.task_id) AS operations,
                       EXISTS (SELECT 1 FROM invoiced_catch_up c WHERE c.task_id = t.task_id) AS has_catch_ups,
                       e.payload->'subscription'->'customer'->>'id' AS customer_key,
                       e.payload->'subscription'->'product'->>'id' AS product_key,
                       coalesce(e.payload->'upgradeTo'->'product'->>'id', '') AS upgrade_product_key,
                       coalesce(e.payload->'upgradeTo'->>'subscriptionId', '') AS upgrade_subscription_id
                FROM target tg JOIN sync_task t ON t.task_id = tg.task_id JOIN subscription_event e ON e.event_id = t.event_id),
            -- The task's own columns, once: MATERIALIZED, so its look-ups run once per task instead of once per line of the
            -- answer (an inlined subquery's scalar look-ups are evaluated for every joined row: 14 look-ups x each line).
            facts AS MATERIALIZED (
            SELECT task.*,
                   coalesce((SELECT version FROM subscription_plan_version
                             WHERE partner_id = task.partner_id AND subscription_id = task.subscription_id), 0) AS plan_version,
                   coalesce((SELECT version FROM subscription_plan_version
                             WHERE partner_id = task.partner_id AND subscription_id = task.upgrade_subscription_id), 0)
                       AS upgrade_plan_version,
                   (SELECT company_id FROM customer_mapping
                     WHERE partner_id = task.partner_id AND customer_id = task.customer_key) AS m_company_id,
                   (SELECT catalog_item_id FROM product_mapping
                     WHERE partner_id = task.partner_id AND product_id = task.product_key) AS m_catalog_item_id,
                   (SELECT catalog_item_id FROM product_mapping
                     WHERE partner_id = task.partner_id AND product_id = task.upgrade_product_key) AS m_upgrade_catalog_item_id,
                   sm.agreement_id AS m_agreement_id, sm.from_date AS m_from_date,
                   (SELECT rules::text FROM sync_rules WHERE partner_id = task.partner_id) AS m_sync_rules,
                   EXISTS (SELECT 1 FROM subscription_unmapped
                           WHERE partner_id = task.partner_id AND subscription_id = task.subscription_id) AS m_unmapped,
                   (SELECT coalesce(CAST(ce.payload ->> 'cancellationDate' AS date), CAST(timezone('UTC', ct.occurred_at) AS date))
                      FROM sync_task ct JOIN subscription_event ce ON ce.event_id = ct.event_id
                     WHERE ct.partner_id = task.partner_id AND ct.subscription_id = task.subscription_id
                       AND ct.type = 'CANCELLATION_ORDER' AND ct.status = 'SYNCED'
                     ORDER BY ct.occurred_at DESC, ct.task_id DESC LIMIT 1) AS m_cancelled_from,
                   (SELECT addition_id FROM subscription_adoption
                     WHERE partner_id = task.partner_id AND subscription_id = task.subscription_id) AS m_adopted_addition_id,
                   EXISTS (SELECT 1 FROM task_override ov WHERE ov.task_id = task.task_id) AS has_override,
                   EXISTS (SELECT 1 FROM invoiced_catch_up c
                           WHERE c.partner_id = task.partner_id AND c.subscription_id IN (task.subscription_id, task.upgrade_subscription_id)
                             AND c.lines <> '[]'::jsonb AND (c.task_id IS NULL OR c.task_id <> task.task_id)) AS has_caught_up_lines,
                   d.task_id AS doubt_task, d.seq AS doubt_seq, d.status AS doubt_status, d.claim_left AS doubt_claim_left
            FROM task
            LEFT JOIN subscription_mapping sm ON sm.partner_id = task.partner_id AND sm.subscription_id = task.subscription_id
            LEFT JOIN LATERAL (
                SELECT o.task_id, o.seq, o.status,
                       greatest(0, extract(epoch FROM coalesce(o.claimed_until, o.started_at + make_interval(secs => :lease)) - now()))
                           AS claim_left
                FROM task_operation o JOIN sync_task ot ON ot.task_id = o.task_id
                WHERE o.status <> 'DONE' AND o.task_id <> task.task_id AND ot.partner_id = task.partner_id AND ot.status IN (:syncable)
                  AND (ot.subscription_id IN (task.subscription_id, task.upgrade_subscription_id)
                       OR left(o.line_key, length(task.subscription_id) + 1) = task.subscription_id || '/'
                       OR (task.upgrade_subscription_id <> ''
                           AND left(o.line_key, length(task.upgrade_subscription_id) + 1) = task.upgrade_subscription_id || '/'))
                ORDER BY ot.occurred_at, o.task_id, o.seq LIMIT 1) d ON true)
            SELECT facts.*, now() AS lines_read_at,
                   l.line_key, l.agreement_id, l.addition_id, l.catalog_item_id, l.quantity, l.unit_price, l.unit_cost,
                   l.effective_date, l.cancelled_date, l.description, l.invoice_description, l.copied_at, l.copy_next_invoice
            FROM facts
            -- The subscription's own lines, by both columns of the primary key's prefix. An upgrade's other subscription is
            -- read apart (withUpgradeLines): with IN on the two, PostgreSQL's generic plan could not look the lines up (an IN
            -- on outer columns is no index condition) and read all of the partner's lines by their partner_id, 1,588 rows
            -- per task in the benchmark, half of this statement's time, and more with every subscription the partner has.
            LEFT JOIN subscription_line l ON l.partner_id = facts.partner_id AND l.subscription_id = facts.subscription_id
            ORDER BY l.line_key""";

    /**
     * The statement of {@link #firstTask}, one text for each {@code approvedOnly}: as a literal, not a parameter, so
     * PostgreSQL's one generic plan of each text is as cheap as a plan for the value would be, and it keeps the generic
     * plan instead of planning the statement anew on each call (its plan cache compares the two; with the value a
     * parameter, some sessions changed to planning every call, about 1 ms each).
     */
    static final String FIRST_TASK_ROWS = firstTaskRows(false);

    /** The statement of {@link #taskRows}: the rows of one given task ({@code :t}). */
    private static final String TASK_ROWS_OF_TASK = TASK_ROWS.formatted("""
            target AS (SELECT CAST(:t AS bigint) AS task_id, 1 AS open_tasks, CAST(NULL AS bigint) AS failed_task,
                              CAST(NULL AS text) AS seqs)""");
    static final String FIRST_APPROVED_TASK_ROWS = firstTaskRows(true);

    private static String firstTaskRows(boolean approvedOnly) {
        // The open tasks' and the failed task's statuses as literals (TaskStatus.withStatusLiterals); the in-doubt look-up
        // of TASK_ROWS keeps them as parameters: with literals its generic plan started from partial index sync_task_open,
        // every open task of the partner (hundreds while a batch waits), and the statement's execution took twice as long.
        return TASK_ROWS.formatted(TaskStatus.withStatusLiterals("""
                first AS (%s LIMIT 2),
                target AS (
                    SELECT first.task_id, (SELECT count(*) FROM first) AS open_tasks, f.task_id AS failed_task, f.seqs
                    FROM first LEFT JOIN LATERAL (
                        SELECT f.task_id, string_agg(o.seq::text, ', ' ORDER BY o.seq) AS seqs
                        FROM sync_task f JOIN task_operation o ON o.task_id = f.task_id
                        WHERE f.partner_id = :p AND f.status = :failed AND f.task_id <> first.task_id AND o.status <> 'DONE'
                          AND (f.subscription_id = :s OR left(o.line_key, length(:s) + 1) = :s || '/')
                        GROUP BY f.task_id ORDER BY min(f.occurred_at), f.task_id LIMIT 1) f ON true
                    ORDER BY first.ord LIMIT 1)""".formatted(OPEN_TASKS_ORDERED.replace(":approvedOnly", String.valueOf(approvedOnly)))));
    }

    private static final String OPEN_TASKS = TaskStatus.withStatusLiterals("""
            SELECT t.task_id FROM sync_task t
            WHERE t.partner_id = :p AND t.subscription_id = :s AND t.status IN (:syncable)
              AND (NOT :approvedOnly OR t.approved_at IS NOT NULL
                   OR EXISTS (SELECT 1 FROM task_operation o WHERE o.task_id = t.task_id AND o.status <> 'DONE'))
            ORDER BY EXISTS (SELECT 1 FROM task_operation o WHERE o.task_id = t.task_id AND o.status <> 'DONE') DESC,
                     t.occurred_at, t.task_id""");

    private static Map<String, Object> openTaskParams(String partnerId, String subscriptionId, boolean approvedOnly) {
        // syncable: for the in-doubt look-up, which keeps the statuses as parameters (firstTaskRows)
        return Map.of("p", partnerId, "s", subscriptionId, "approvedOnly", approvedOnly, "syncable", TaskStatus.SYNCABLE);
    }
}
