package io.cwbridge.sync;

import io.cwbridge.tasks.store.TaskStatus;
import io.cwbridge.tasks.store.OperationStatus;
import io.cwbridge.tasks.store.SyncTasks;
import io.cwbridge.connectwise.AdditionDelivery.DeliveryResult;
import io.cwbridge.connectwise.AdditionFields;
import io.cwbridge.connectwise.AdditionOperation;
import io.cwbridge.connectwise.ConnectWiseSettings;
import io.cwbridge.rules.AdditionPlan;
import io.cwbridge.rules.LineFields;
import io.cwbridge.rules.PlannedOperation;
import jakarta.annotation.PreDestroy;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operations of a task in {@code task_operation}. A plan is stored before anything is sent,
 * each operation is marked STARTED before and DONE after its call, so a retry after a failure
 * part-way sends only what is not DONE, and re-checks ConnectWise for what was STARTED.
 *
 * <p>Claims: an operation is claimed by its sync run before it is sent ({@code started_by},
 * {@code claimed_until}). The claim is renewed while the run is alive and released (down to one
 * request time-out, for an answer that may still be on its way) when the run gives up, so the
 * delivery lease only keeps other runs away from an operation whose run is gone (killed).
 *
 * <p>In-doubt writes (R16): while another open task's operation on the subscription's lines is not
 * DONE (planned, or sent with its result unknown), no new plan is made or stored for the
 * subscription; {@link #linesSettled} refuses before the lines are read and {@link #persist}
 * re-checks, under a lock, that nothing was written to the lines since they were read.
 */
@Component("taskOperations")
public class TaskOperations {

    private static final Logger log = LoggerFactory.getLogger(TaskOperations.class);

    /** Variable naming the sync run that delivers a task's operations (see {@link #started}). */
    public static final String SYNC_RUN = "syncRunId";

    /** Variable of route {@code task-operation-deliver}: the operation being sent, for {@link #done}. */
    public static final String OPERATION = "taskOperation";

    private final NamedParameterJdbcTemplate jdbc;
    private final SyncTasks syncTasks;
    private final OperationLedger ledger;
    private final TransactionTemplate transactions;
    private final Duration lease;
    private final Duration grace;
    private final Set<Claim> claims = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "task-operation-claims");
        t.setDaemon(true);
        return t;
    });

    /** A claim this instance holds and keeps alive. */
    record Claim(long taskId, int seq, String run) {}

    private final OperationProration proration;

    public TaskOperations(NamedParameterJdbcTemplate jdbc, OperationLedger ledger, ConnectWiseSettings settings,
                          PlatformTransactionManager transactionManager, SyncTasks syncTasks, OperationProration proration) {
        this.proration = proration;
        this.jdbc = jdbc;
        this.syncTasks = syncTasks;
        this.ledger = ledger;
        this.transactions = new TransactionTemplate(transactionManager);
        this.lease = settings.deliveryLease();
        this.grace = settings.requestTimeout().compareTo(lease) < 0 ? settings.requestTimeout() : lease;
        long every = Math.max(200, settings.claimRenewInterval().toMillis());
        renewals.scheduleWithFixedDelay(this::renewClaims, every, every, TimeUnit.MILLISECONDS);
    }

    /** A stored operation's request (column {@code request} as text). */
    AdditionOperation operation(String request) {
        return ledger.read(request);
    }

    public List<TaskOperation> forTask(long taskId, String partnerId) {
        return jdbc.query("SELECT seq, line_key, reason, request::text AS request, status FROM task_operation WHERE task_id = :t ORDER BY seq",
                Map.of("t", taskId), (rs, n) -> new TaskOperation(taskId, rs.getInt("seq"), partnerId, rs.getString("line_key"),
                        rs.getString("reason"), ledger.read(rs.getString("request")), rs.getString("status")));
    }

    /**
     * Route step before a task reads its subscription's lines to plan: refuses while another open
     * task's write to those lines is not DONE (its plan is stored but not delivered, or it was sent
     * and its result is unknown, e.g. after a crash), since the lines would omit it; the subscription's
     * run confirms that write first ({@link SubscriptionSync#openTasks}). Records when the lines were
     * read, for {@link #persist}. A task that has a plan already finishes it and is let through.
     *
     * @param lookup variable {@code lookup} (partnerId, subscriptionId, upgradeSubscriptionId)
     */
    public void linesSettled(long taskId, Map<String, Object> lookup) {
        // Route subscription-task-sync calls this only for a task with no stored plan (variable storedPlan null: none
        // of its operations exists), under the subscription's lock, so it need not count them again (issue 14).
        String partnerId = (String) lookup.get("partnerId");
        String subscriptionId = (String) lookup.get("subscriptionId");
        Set<String> subscriptions = subscriptions(subscriptionId, (String) lookup.get("upgradeSubscriptionId"));
        linesRead.put(taskId, new LinesRead(subscriptionId, syncTasks.linesRead(taskId)));
        refuseWhileInDoubt(taskId, partnerId, subscriptions);
    }

    /** When a task read its lines ({@link #linesSettled}), kept for its {@link #persist} by the same run. */
    private record LinesRead(String subscriptionId, Timestamp at) {}

    private final Map<Long, LinesRead> linesRead = new ConcurrentHashMap<>();

    /**
     * Stores the plan, in one transaction and only when the lines it was computed from are still
     * what they were: no other task's write to them is open, and none was done since this task read
     * them ({@code sync_task.lines_read_at}). Otherwise nothing is stored and the task is tried again.
     */
    public List<TaskOperation> persist(long taskId, String partnerId, AdditionPlan plan) {
        try {
            return persistChecked(taskId, partnerId, plan);
        } catch (TransactionSystemException e) {
            // The connection went away mid-transaction (a database restart): nothing was stored, or the commit
            // landed and the retry finds the plan. Either way a lost connection, which the route redelivers.
            if (e.getApplicationException() instanceof RuntimeException original) throw original;
            throw new DataAccessResourceFailureException("storing the plan of task " + taskId + " failed: " + e.getMessage(), e);
        }
    }

    private List<TaskOperation> persistChecked(long taskId, String partnerId, AdditionPlan plan) {
        // The read this run recorded, else (another path stored no read here) the task's row.
        LinesRead read = linesRead.remove(taskId);
        return transactions.execute(status -> {
            Map<String, Object> task = read != null ? Map.of("subscription_id", read.subscriptionId(), "lines_read_at", read.at())
                    : jdbc.queryForMap("SELECT subscription_id, lines_read_at FROM sync_task WHERE task_id = :t", Map.of("t", taskId));
            Set<String> subscriptions = new TreeSet<>(Set.of((String) task.get("subscription_id")));
            plan.operations().forEach(p -> subscriptions.add(p.line().subscriptionId()));
            for (String s : subscriptions) {
                // Serialises the stores of plans for one subscription (sorted: no deadlock between two keys).
                jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtext(:k))",
                        Map.of("k", "plan/" + AdvisoryLock.subscription(partnerId, s)));
            }
            Timestamp readAt = (Timestamp) task.get("lines_read_at");
            // One round trip (issue 14): the in-doubt check and whether the lines were written since they were read.
            if (refuseWhileInDoubt(taskId, partnerId, subscriptions, readAt)) {
                throw new OperationInFlightException("the lines of subscription " + task.get("subscription_id")
                        + " changed while task " + taskId + " was planned; planning again", Duration.ZERO);
            }
            return insert(taskId, partnerId, plan);
        });
    }

    private List<TaskOperation> insert(long taskId, String partnerId, AdditionPlan plan) {
        List<TaskOperation> saved = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        int seq = 0;
        for (PlannedOperation p : plan.operations()) {
            AdditionOperation op = toDelivery(p);
            Map<String, Object> params = new HashMap<>();
            params.put("t", taskId);
            params.put("seq", ++seq);
            params.put("kind", op.kind().name());
            params.put("line", p.line().toString());
            params.put("agreement", op.agreementId());
            params.put("addition", op.additionId());
            params.put("reason", p.reason());
            params.put("request", ledger.write(op));
            params.put("prorated", proration.json(p)); // R17a: the amounts shown with the operation
            rows.add(params);
            saved.add(new TaskOperation(taskId, seq, partnerId, p.line().toString(), p.reason(), op, OperationStatus.PLANNED.name()));
        }
        // One batch for the whole plan (issue 14).
        if (!rows.isEmpty()) {
            jdbc.batchUpdate("""
                    INSERT INTO task_operation (task_id, seq, kind, line_key, agreement_id, addition_id, reason, request, prorated)
                    VALUES (:t, :seq, :kind, :line, :agreement, :addition, :reason, CAST(:request AS jsonb), CAST(:prorated AS jsonb))""",
                    rows.stream().map(MapSqlParameterSource::new).toArray(MapSqlParameterSource[]::new));
        }
        return saved;
    }

    private static Set<String> subscriptions(String subscriptionId, String upgradeSubscriptionId) {
        Set<String> s = new TreeSet<>();
        s.add(subscriptionId);
        if (upgradeSubscriptionId != null && !upgradeSubscriptionId.isBlank()) s.add(upgradeSubscriptionId);
        return s;
    }

    /**
     * For other planners of a subscription's lines (the month roll): throws
     * {@link OperationInFlightException} while an open task's write to them is not DONE.
     */
    public void refuseWhileInDoubt(String partnerId, String subscriptionId) {
        refuseWhileInDoubt(-1, partnerId, subscriptions(subscriptionId, null));
    }

    /**
     * Throws when an open task other than {@code taskId} has an operation not DONE on the lines of
     * {@code subscriptions} (its task is theirs, or its line is). The retry comes when that
     * operation's claim lapses, or at once when nobody holds one (the subscription's run then
     * delivers or confirms it before anything else).
     */
    private void refuseWhileInDoubt(long taskId, String partnerId, Set<String> subscriptions) {
        refuseWhileInDoubt(taskId, partnerId, subscriptions, null);
    }

    /**
     * As {@link #refuseWhileInDoubt(long, String, Set)}; with {@code since}, also answers whether another task's
     * operation or the month roll wrote to the lines since then (false without it).
     */
    private boolean refuseWhileInDoubt(long taskId, String partnerId, Set<String> subscriptions, Timestamp since) {
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("t", taskId).addValue("p", partnerId)
                .addValue("subs", subscriptions).addValue("lease", lease.toMillis() / 1000.0)
                .addValue("syncable", TaskStatus.SYNCABLE);
        StringBuilder lineOf = new StringBuilder();
        int i = 0;
        for (String s : subscriptions) {
            params.addValue("s" + i, s);
            lineOf.append(i == 0 ? "" : " OR ").append("left(o.line_key, length(:s").append(i).append(") + 1) = :s").append(i).append(" || '/'");
            i++;
        }
        params.addValue("since", since);
        String written = since == null ? "false" : """
                EXISTS (SELECT 1 FROM task_operation o JOIN sync_task t ON t.task_id = o.task_id
                        WHERE t.partner_id = :p AND t.subscription_id IN (:subs) AND o.task_id <> :t AND o.done_at >= :since)
                OR EXISTS (SELECT 1 FROM subscription_line
                           WHERE partner_id = :p AND subscription_id IN (:subs) AND updated_at >= :since)""";
        Map<String, Object> op = jdbc.queryForMap("""
                SELECT op.task_id, op.seq, op.status, op.claim_left, %s AS written
                FROM (SELECT 1) one LEFT JOIN LATERAL (
                    SELECT o.task_id, o.seq, o.status,
                           greatest(0, extract(epoch FROM coalesce(o.claimed_until, o.started_at + make_interval(secs => :lease)) - now()))
                               AS claim_left
                    FROM task_operation o JOIN sync_task t ON t.task_id = o.task_id
                    WHERE o.status <> 'DONE' AND o.task_id <> :t AND t.partner_id = :p AND t.status IN (:syncable)
                      AND (t.subscription_id IN (:subs) OR %s)
                    ORDER BY t.occurred_at, o.task_id, o.seq LIMIT 1) op ON true""".formatted(written, lineOf), params);
        if (op.get("task_id") == null) return Boolean.TRUE.equals(op.get("written"));
        Number left = (Number) op.get("claim_left");
        Duration retryAfter = OperationStatus.STARTED.is(op.get("status")) && left != null
                ? Duration.ofMillis((long) (left.doubleValue() * 1000)) : Duration.ZERO;
        throw new OperationInFlightException("operation " + op.get("seq") + " of task " + op.get("task_id") + " on subscription "
                + String.join(", ", subscriptions) + " is " + (OperationStatus.STARTED.is(op.get("status")) ? "in doubt (sent, result unknown)"
                : "planned and not yet sent") + ": it is confirmed before anything else is planned", retryAfter);
    }

    /** The rules' operation in the sink's terms; both field sets are the same by construction. */
    public static AdditionOperation toDelivery(PlannedOperation p) {
        LineFields f = p.fields();
        AdditionFields fields = f == null ? null : new AdditionFields(f.catalogItemId(), f.quantity(), f.unitPrice(),
                f.unitCost(), f.effectiveDate(), f.cancelledDate(), f.clearCancelledDate(), f.description(),
                f.invoiceDescription(), f.billCustomer(), f.proratePrice(), f.prorateCost(), f.taxableFlag());
        return new AdditionOperation(AdditionOperation.Kind.valueOf(p.kind().name()), p.agreementId(), p.additionId(), fields);
    }

    /**
     * Route step before delivery: claims the operation (body) for this sync run (variable
     * {@code syncRunId}) and marks it STARTED; the body becomes what the sink sends, with the headers
     * it reads (partnerId, CwVerifyFirst), and the operation variable {@code taskOperation}. An operation already STARTED may have landed, so
     * ConnectWise is checked first. One claimed by another run whose claim has not lapsed may still
     * be on its way: this run refuses it ({@link OperationInFlightException}, retried when that
     * claim lapses) instead of sending it twice. The claim is kept alive until {@link #done} or
     * {@link #release}.
     */
    public void started(Exchange exchange) {
        Message message = exchange.getMessage();
        TaskOperation op = message.getBody(TaskOperation.class);
        String run = exchange.getVariable(SYNC_RUN, String.class);
        Map<String, Object> params = new HashMap<>(Map.of("t", op.taskId(), "seq", op.seq(),
                "lease", lease.toMillis() / 1000.0));
        params.put("run", run == null ? UUID.randomUUID().toString() : run);
        List<String> previous = jdbc.queryForList("""
                WITH prev AS (
                    SELECT status, started_by, coalesce(claimed_until, started_at + make_interval(secs => :lease)) AS lapses
                    FROM task_operation WHERE task_id = :t AND seq = :seq FOR UPDATE)
                UPDATE task_operation o SET status = 'STARTED', started_at = now(), started_by = :run,
                       claimed_until = now() + make_interval(secs => :lease)
                FROM prev
                WHERE o.task_id = :t AND o.seq = :seq AND prev.status <> 'DONE'
                  AND (prev.status = 'PLANNED' OR prev.lapses IS NULL OR prev.started_by = :run OR prev.lapses < now())
                RETURNING prev.status""", params, String.class);
        if (previous.isEmpty()) {
            List<Number> left = jdbc.queryForList("""
                    SELECT greatest(0, extract(epoch FROM coalesce(claimed_until, started_at + make_interval(secs => :lease)) - now()))
                    FROM task_operation WHERE task_id = :t AND seq = :seq AND status <> 'DONE'""", params, Number.class);
            Duration retryAfter = left.isEmpty() || left.get(0) == null ? Duration.ZERO
                    : Duration.ofMillis((long) (left.get(0).doubleValue() * 1000));
            throw new OperationInFlightException(op.taskId(), op.seq(), retryAfter);
        }
        claims.add(new Claim(op.taskId(), op.seq(), (String) params.get("run")));
        exchange.setVariable(OPERATION, op);
        // The sink's own inputs (kamelet connectwise-agreement-addition-sink).
        message.setHeader("partnerId", op.partnerId());
        message.setHeader("CwVerifyFirst", OperationStatus.STARTED.is(previous.get(0)));
        message.setBody(op.operation());
    }

    /**
     * Route step after delivery: records which addition holds the line, then marks the operation
     * DONE (in this order, so an operation is never DONE while its line is unknown; repeating the
     * record is harmless) and lets its claim go.
     */
    public void done(Exchange exchange) {
        TaskOperation op = exchange.getVariable(OPERATION, TaskOperation.class);
        DeliveryResult result = exchange.getMessage().getBody(DeliveryResult.class);
        // Line, its copy and DONE in one statement (issue 14), DONE only once the line is recorded.
        ledger.recordLineDone(op.partnerId(), LineKeys.parse(op.lineKey()).subscriptionId(), op.lineKey(), op.operation(),
                result.additionId(), result.addition(), op.taskId(), op.seq());
        claims.removeIf(c -> c.taskId() == op.taskId() && c.seq() == op.seq());
    }

    /**
     * The run {@code run} gave up on task {@code taskId} (its delivery failed): its claims stop being
     * renewed and lapse after one request time-out (an answer to a timed-out request may still be
     * carried out by ConnectWise), so the task's retry takes the operation over, and looks it up first.
     */
    public void release(long taskId, String run) {
        stopRenewing(taskId, run);
        jdbc.update("""
                UPDATE task_operation SET claimed_until = least(coalesce(claimed_until, now() + make_interval(secs => :grace)),
                                                                now() + make_interval(secs => :grace))
                WHERE task_id = :t AND started_by = :run AND status = 'STARTED'""",
                Map.of("t", taskId, "run", run, "grace", grace.toMillis() / 1000.0));
    }

    /**
     * A person retries FAILED task {@code taskId} (R31): the run that failed it is over and ConnectWise
     * answered it with a refusal, so no answer is on its way and its claims end now instead of after the
     * grace. An operation left STARTED is still looked up in ConnectWise before it is sent again.
     *
     * @return how many claims ended
     */
    public int endClaimsOfFailed(long taskId) {
        return jdbc.update("""
                UPDATE task_operation o SET claimed_until = now()
                FROM sync_task t
                WHERE o.task_id = :t AND t.task_id = o.task_id AND t.status = :failed AND o.status = :started""",
                Map.of("t", taskId, "failed", TaskStatus.FAILED.name(), "started", OperationStatus.STARTED.name()));
    }

    /** The run {@code run} is finished with task {@code taskId}: its claims are no longer kept alive. */
    public void stopRenewing(long taskId, String run) {
        linesRead.remove(taskId);
        claims.removeIf(c -> c.taskId() == taskId && c.run().equals(run));
    }

    /** Keeps the claims of the runs alive in this instance from lapsing (every {@code claim-renew-interval}). */
    void renewClaims() {
        if (claims.isEmpty()) return;
        try {
            for (Claim c : List.copyOf(claims)) {
                int renewed = jdbc.update("""
                        UPDATE task_operation SET claimed_until = now() + make_interval(secs => :lease)
                        WHERE task_id = :t AND seq = :seq AND started_by = :run AND status = 'STARTED'""",
                        Map.of("t", c.taskId(), "seq", c.seq(), "run", c.run(), "lease", lease.toMillis() / 1000.0));
                if (renewed == 0 && claims.remove(c)) {
                    log.debug("Claim on operation {} of task {} is no longer run {}'s", c.seq(), c.taskId(), c.run());
                }
            }
        } catch (RuntimeException e) {
            // The database may be away for a moment (a restart): the claims hold for a whole lease.
            log.warn("Could not renew {} operation claim(s): {}", claims.size(), e.getMessage());
        }
    }

    @PreDestroy
    void stopRenewals() {
        renewals.shutdownNow();
    }
}
