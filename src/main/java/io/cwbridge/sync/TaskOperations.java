package io.cwbridge.sync;

import io.cwbridge.tasks.store.TaskStatus;
import io.cwbridge.tasks.store.OperationStatus;
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
import org.apache.camel.Variable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

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
 * re-checks, in the statement that stores the plan, that nothing was planned on or written to the lines since they
 * were read (the subscriptions' plan versions, V30).
 *
 * <p>The one writer of table {@code task_operation} (issue 18): {@link OperationLedger} records a line with this
 * class's DONE ({@link #doneWhen}), {@link RefusedWrites} drops a refused plan through {@link #dropUndelivered}.
 */
@Component("taskOperations")
public class TaskOperations {

    private static final Logger log = LoggerFactory.getLogger(TaskOperations.class);

    /** Variable naming the sync run that delivers a task's operations (see {@link #started}). */
    public static final String SYNC_RUN = "syncRunId";

    /** Variable of route {@code task-operation-deliver}: the operation being sent, for {@link #done}. */
    public static final String OPERATION = "taskOperation";

    private final NamedParameterJdbcTemplate jdbc;
    private final OperationLedger ledger;
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
                          OperationProration proration) {
        this.proration = proration;
        this.jdbc = jdbc;
        this.ledger = ledger;
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

    /** The delivery lease in seconds, the {@code :lease} of the queries that compute a claim's time left. */
    double leaseSeconds() {
        return lease.toMillis() / 1000.0;
    }

    /**
     * Route step after a task read its subscription's lines to plan ({@link TaskRows}, in the same round trip as
     * everything else, issue 14): refuses while another open task's write to those lines is not DONE (its plan is
     * stored but not delivered, or it was sent and its result is unknown, e.g. after a crash), since the lines would
     * omit it; the subscription's run confirms that write first ({@link SubscriptionSync#openTasks}). Keeps when the
     * lines were read and their plan versions, for {@link #persist}. Route subscription-task-sync calls this only for
     * a task with no stored plan, under the subscription's lock.
     */
    public void linesSettled(@Variable("taskId") long taskId, @Variable("taskRows") TaskRows rows) {
        Map<String, Object> row = rows.row();
        linesRead.put(taskId, new LinesRead((String) row.get("subscription_id"), rows.linesReadAt(), rows.planVersions()));
        if (row.get("doubt_task") != null) {
            throw inDoubt(row.get("doubt_task"), row.get("doubt_seq"), row.get("doubt_status"), (Number) row.get("doubt_claim_left"),
                    rows.planVersions().keySet());
        }
    }

    /** When a task read its lines ({@link #linesSettled}) and their plan versions, kept for its {@link #persist} by the same run. */
    private record LinesRead(String subscriptionId, Timestamp at, Map<String, Long> versions) {}

    private final Map<Long, LinesRead> linesRead = new ConcurrentHashMap<>();

    /** First operations claimed by the statement that stored their plan ({@link #persist}): {@link #started} sends them as they are. */
    private final Set<Claim> claimedAtStore = ConcurrentHashMap.newKeySet();

    /** Tasks marked SYNCED by the statement that recorded their last operation ({@link #done}), until {@link #syncedByLastOperation}. */
    private final Set<Long> syncedWithLastOperation = ConcurrentHashMap.newKeySet();

    /** As {@link #persist(long, String, AdditionPlan, String)} with no claim taken (the first operation stays PLANNED). */
    public List<TaskOperation> persist(long taskId, String partnerId, AdditionPlan plan) {
        return persist(taskId, partnerId, plan, null);
    }

    /**
     * Stores the plan, in one statement (issue 14), and only when the lines it was computed from are still what they
     * were: the plan versions (V30) of the subscriptions it touches are still the ones read with the lines (each is
     * moved on by the same statement, so of two plans made from the same lines only the first is stored), no other
     * task's write to them is open, and none was done since this task read them. Otherwise nothing is stored and the
     * task is tried again. With {@code run}, the first operation is claimed for that run by the same statement
     * (STARTED, as {@link #started} would: a crash before its call leaves it in doubt, so it is looked up before it is
     * sent again).
     */
    public List<TaskOperation> persist(long taskId, String partnerId, AdditionPlan plan, String run) {
        // Kept until the run is done with the task (stopRenewing): a task sent again after a lost connection
        // (SubscriptionSync, TransientRedelivery) reads its rows afresh and resumes the plan if the first commit landed.
        LinesRead read = linesRead.get(taskId);
        if (read == null) {
            // Only route subscription-task-sync stores plans, after linesSettled: without that read, plan again.
            throw new OperationInFlightException("task " + taskId + " has no read of its lines to store a plan from; planning again",
                    Duration.ZERO);
        }
        Set<String> subscriptions = new TreeSet<>(Set.of(read.subscriptionId()));
        plan.operations().forEach(p -> subscriptions.add(p.line().subscriptionId()));
        Map<String, Long> versions = new java.util.TreeMap<>(read.versions());
        versions.keySet().retainAll(subscriptions);
        List<TaskOperation> saved = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        int seq = 0;
        for (PlannedOperation p : plan.operations()) {
            AdditionOperation op = toDelivery(p);
            Map<String, Object> row = new HashMap<>();
            row.put("seq", ++seq);
            row.put("kind", op.kind().name());
            row.put("line_key", p.line().toString());
            row.put("agreement_id", op.agreementId());
            row.put("addition_id", op.additionId());
            row.put("reason", p.reason());
            row.put("request", ledger.write(op));
            row.put("prorated", proration.json(p)); // R17a: the amounts shown with the operation
            rows.add(row);
            saved.add(new TaskOperation(taskId, seq, partnerId, p.line().toString(), p.reason(), op, OperationStatus.PLANNED.name()));
        }
        List<Map<String, Object>> bumps = versions.entrySet().stream()
                .map(v -> Map.<String, Object>of("s", v.getKey(), "v", v.getValue())).toList();
        MapSqlParameterSource params = doubtParams(taskId, partnerId, subscriptions).addValue("since", read.at())
                .addValue("ops", ledger.json(rows)).addValue("bumps", ledger.json(bumps)).addValue("n", bumps.size())
                .addValue("run", run).addValue("planned", OperationStatus.PLANNED.name())
                .addValue("started", OperationStatus.STARTED.name());
        Map<String, Object> stored = jdbc.queryForMap(storeStatement(subscriptions.size()), params);
        linesRead.remove(taskId);
        if (!Boolean.TRUE.equals(stored.get("ok"))) {
            if (stored.get("task_id") != null) {
                throw inDoubt(stored.get("task_id"), stored.get("seq"), stored.get("status"), (Number) stored.get("claim_left"),
                        subscriptions);
            }
            throw new OperationInFlightException("the lines of subscription " + read.subscriptionId()
                    + " changed while task " + taskId + " was planned; planning again", Duration.ZERO);
        }
        if (run != null && !saved.isEmpty()) {
            Claim claim = new Claim(taskId, 1, run);
            claimedAtStore.add(claim);
            claims.add(claim);
        }
        return saved;
    }

    /**
     * The statement of {@link #persist} for a plan on {@code subscriptions} subscriptions (its in-doubt check names each,
     * {@link #lineOf}): made once for one and two (an upgrade's), not formatted on every call (issue 14 profile).
     */
    private static String storeStatement(int subscriptions) {
        return subscriptions <= STORE_STATEMENTS.length ? STORE_STATEMENTS[subscriptions - 1] : storeStatementText(subscriptions);
    }

    private static String storeStatementText(int subscriptions) {
        return """
                WITH bump AS (
                    INSERT INTO subscription_plan_version AS v (partner_id, subscription_id, version)
                    SELECT :p, b.s, b.v + 1 FROM json_to_recordset(CAST(:bumps AS json)) AS b(s text, v bigint) ORDER BY b.s
                    ON CONFLICT (partner_id, subscription_id) DO UPDATE SET version = v.version + 1
                        WHERE v.version = EXCLUDED.version - 1
                    RETURNING 1),
                doubt AS (%s),
                clear AS (SELECT (SELECT count(*) FROM bump) = :n AND NOT EXISTS (SELECT 1 FROM doubt WHERE task_id IS NOT NULL)
                                 AND NOT (%s) AS ok),
                ins AS (
                    INSERT INTO task_operation (task_id, seq, kind, line_key, agreement_id, addition_id, reason, request, prorated,
                                                status, started_at, started_by, claimed_until)
                    SELECT :t, o.seq, o.kind, o.line_key, o.agreement_id, o.addition_id, o.reason, CAST(o.request AS jsonb),
                           CAST(o.prorated AS jsonb),
                           CASE WHEN o.seq = 1 AND CAST(:run AS text) IS NOT NULL THEN :started ELSE :planned END,
                           CASE WHEN o.seq = 1 AND CAST(:run AS text) IS NOT NULL THEN now() END,
                           CASE WHEN o.seq = 1 THEN CAST(:run AS text) END,
                           CASE WHEN o.seq = 1 AND CAST(:run AS text) IS NOT NULL THEN now() + make_interval(secs => :lease) END
                    FROM json_to_recordset(CAST(:ops AS json)) AS o(seq int, kind text, line_key text, agreement_id bigint,
                         addition_id bigint, reason text, request text, prorated text)
                    WHERE (SELECT ok FROM clear)
                    RETURNING seq),
                read_mark AS (%s)
                SELECT (SELECT ok FROM clear) AS ok, (SELECT count(*) FROM ins) AS inserted, d.task_id, d.seq, d.status, d.claim_left
                FROM (SELECT 1) one LEFT JOIN doubt d ON true""".formatted(IN_DOUBT.formatted(lineOf(subscriptions)), WRITTEN_SINCE,
                io.cwbridge.tasks.store.SyncTasks.linesReadWhen("(SELECT ok FROM clear)"));
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
        Set<String> subscriptions = subscriptions(subscriptionId, null);
        Map<String, Object> op = jdbc.queryForMap("SELECT d.task_id, d.seq, d.status, d.claim_left FROM (SELECT 1) one"
                + " LEFT JOIN (" + IN_DOUBT.formatted(lineOf(subscriptions)) + ") d ON true",
                doubtParams(-1, partnerId, subscriptions));
        if (op.get("task_id") != null) {
            throw inDoubt(op.get("task_id"), op.get("seq"), op.get("status"), (Number) op.get("claim_left"), subscriptions);
        }
    }

    /**
     * The first operation not DONE of an open task other than {@code :t} on the lines of {@code :subs} (its task is
     * theirs, or its line is: the placeholder, {@link #lineOf}), with its claim's time left; no row when none.
     */
    private static final String IN_DOUBT = """
            SELECT o.task_id, o.seq, o.status,
                   greatest(0, extract(epoch FROM coalesce(o.claimed_until, o.started_at + make_interval(secs => :lease)) - now()))
                       AS claim_left
            FROM task_operation o JOIN sync_task t ON t.task_id = o.task_id
            WHERE o.status <> 'DONE' AND o.task_id <> :t AND t.partner_id = :p AND t.status IN (:syncable)
              AND (t.subscription_id IN (:subs) OR %s)
            ORDER BY t.occurred_at, o.task_id, o.seq LIMIT 1""";

    /** Whether another task's operation or the month roll wrote to the lines of {@code :subs} since {@code :since}. */
    private static final String WRITTEN_SINCE = """
            EXISTS (SELECT 1 FROM task_operation o JOIN sync_task t ON t.task_id = o.task_id
                    WHERE t.partner_id = :p AND t.subscription_id IN (:subs) AND o.task_id <> :t AND o.done_at >= :since)
            OR EXISTS (SELECT 1 FROM subscription_line
                       WHERE partner_id = :p AND subscription_id IN (:subs) AND updated_at >= :since)""";

    /** {@link #storeStatement}'s texts for one and two subscriptions (after the constants they are made of). */
    private static final String[] STORE_STATEMENTS = {storeStatementText(1), storeStatementText(2)};

    private MapSqlParameterSource doubtParams(long taskId, String partnerId, Set<String> subscriptions) {
        MapSqlParameterSource params = new MapSqlParameterSource().addValue("t", taskId).addValue("p", partnerId)
                .addValue("subs", subscriptions).addValue("lease", leaseSeconds()).addValue("syncable", TaskStatus.SYNCABLE);
        int i = 0;
        for (String s : subscriptions) params.addValue("s" + i++, s);
        return params;
    }

    /** An operation's line is one of {@code subscriptions}' (parameters {@code :s0}, {@code :s1}, … of {@link #doubtParams}). */
    private static String lineOf(Set<String> subscriptions) {
        return lineOf(subscriptions.size());
    }

    private static String lineOf(int subscriptions) {
        StringBuilder lineOf = new StringBuilder();
        for (int i = 0; i < subscriptions; i++) {
            lineOf.append(i == 0 ? "" : " OR ").append("left(o.line_key, length(:s").append(i).append(") + 1) = :s").append(i).append(" || '/'");
        }
        return lineOf.toString();
    }

    /**
     * The refusal while an operation of another open task is not DONE on the lines. The retry comes when that
     * operation's claim lapses, or at once when nobody holds one (the subscription's run then delivers or confirms it
     * before anything else).
     */
    private static OperationInFlightException inDoubt(Object taskId, Object seq, Object status, Number claimLeft,
                                                      Set<String> subscriptions) {
        Duration retryAfter = OperationStatus.STARTED.is(status) && claimLeft != null
                ? Duration.ofMillis((long) (claimLeft.doubleValue() * 1000)) : Duration.ZERO;
        return new OperationInFlightException("operation " + seq + " of task " + taskId + " on subscription "
                + String.join(", ", subscriptions) + " is " + (OperationStatus.STARTED.is(status) ? "in doubt (sent, result unknown)"
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
        if (run != null && claimedAtStore.remove(new Claim(op.taskId(), op.seq(), run))) {
            // Claimed by the statement that stored the plan just now (issue 14): PLANNED before, so nothing to look up.
            exchange.setVariable(OPERATION, op);
            message.setHeader("partnerId", op.partnerId());
            message.setHeader("CwVerifyFirst", false);
            message.setBody(op.operation());
            return;
        }
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
        // The task's last operation, and no R27 catch-ups to settle after it (route task-deliver): the same statement
        // marks the task SYNCED too, with its reason (variable taskReason), once this operation is DONE.
        boolean last = Boolean.TRUE.equals(exchange.getProperty(Exchange.SPLIT_COMPLETE, Boolean.class))
                && Boolean.FALSE.equals(exchange.getVariable("catchUps", Boolean.class));
        String reason = exchange.getVariable("taskReason", String.class);
        // Line, its copy and DONE in one statement (issue 14), DONE only once the line is recorded.
        boolean synced = ledger.recordLineDone(op.partnerId(), LineKeys.parse(op.lineKey()).subscriptionId(), op.lineKey(),
                op.operation(), result.additionId(), result.addition(), op.taskId(), op.seq(),
                last ? java.util.Optional.of(reason == null ? "" : reason) : java.util.Optional.empty());
        if (synced) syncedWithLastOperation.add(op.taskId());
        claims.removeIf(c -> c.taskId() == op.taskId() && c.seq() == op.seq());
    }

    /**
     * Step of route {@code task-deliver} after its operations: whether {@link #done} marked the task SYNCED with its
     * last operation (then the route's own SYNCED step is left out).
     */
    public boolean syncedByLastOperation(@Variable("taskId") long taskId) {
        return syncedWithLastOperation.remove(taskId);
    }

    /**
     * The CTE marking operation {@code :doneSeq} of task {@code :t} DONE with addition {@code :a} when {@code recorded}
     * (SQL) holds: this owner's text for {@link OperationLedger}'s statement that records the line (issue 14: one
     * round trip for line, copy and DONE).
     */
    static String doneWhen(String recorded) {
        return """
                UPDATE task_operation SET status = 'DONE', addition_id = :a, done_at = now(), claimed_until = NULL
                WHERE task_id = CAST(:t AS bigint) AND seq = CAST(:doneSeq AS int) AND %s RETURNING 1""".formatted(recorded);
    }

    /**
     * ConnectWise refused a write of task {@code taskId} ({@link RefusedWrites}): its operations, with the task's
     * partner and subscription.
     */
    List<Map<String, Object>> withTask(long taskId) {
        return jdbc.queryForList("""
                SELECT o.seq, o.status, o.agreement_id, o.line_key, t.partner_id, t.subscription_id
                FROM task_operation o JOIN sync_task t ON t.task_id = o.task_id WHERE o.task_id = :t""", Map.of("t", taskId));
    }

    /** Drops the operations of task {@code taskId} not DONE (a refused write did not land), so it is planned again. */
    int dropUndelivered(long taskId) {
        return jdbc.update("DELETE FROM task_operation WHERE task_id = :t AND status <> 'DONE'", Map.of("t", taskId));
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
        syncedWithLastOperation.remove(taskId);
        claimedAtStore.removeIf(c -> c.taskId() == taskId && c.run().equals(run));
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
