package io.cwbridge.sync;

import io.cwbridge.connectwise.AdditionDelivery.DeliveryResult;
import io.cwbridge.connectwise.AdditionFields;
import io.cwbridge.connectwise.AdditionOperation;
import io.cwbridge.connectwise.ConnectWiseSettings;
import io.cwbridge.rules.AdditionPlan;
import io.cwbridge.rules.LineFields;
import io.cwbridge.rules.PlannedOperation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Message;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The operations of a task in {@code task_operation}. A plan is stored before anything is sent,
 * each operation is marked STARTED before and DONE after its call, so a retry after a failure
 * part-way sends only what is not DONE, and re-checks ConnectWise for what was STARTED.
 */
@Component("taskOperations")
public class TaskOperations {

    private final NamedParameterJdbcTemplate jdbc;
    private final OperationLedger ledger;
    private final Duration lease;

    /** Header naming the sync run that delivers a task's operations (see {@link #started}). */
    public static final String SYNC_RUN = "syncRunId";

    public TaskOperations(NamedParameterJdbcTemplate jdbc, OperationLedger ledger, ConnectWiseSettings settings) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.lease = settings.deliveryLease();
    }

    public List<TaskOperation> forTask(long taskId, String partnerId) {
        return jdbc.query("SELECT seq, line_key, reason, request::text AS request, status FROM task_operation WHERE task_id = :t ORDER BY seq",
                Map.of("t", taskId), (rs, n) -> new TaskOperation(taskId, rs.getInt("seq"), partnerId, rs.getString("line_key"),
                        rs.getString("reason"), ledger.read(rs.getString("request")), rs.getString("status")));
    }

    public List<TaskOperation> persist(long taskId, String partnerId, AdditionPlan plan) {
        List<TaskOperation> saved = new ArrayList<>();
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
            jdbc.update("""
                    INSERT INTO task_operation (task_id, seq, kind, line_key, agreement_id, addition_id, reason, request)
                    VALUES (:t, :seq, :kind, :line, :agreement, :addition, :reason, CAST(:request AS jsonb))""", params);
            saved.add(new TaskOperation(taskId, seq, partnerId, p.line().toString(), p.reason(), op, "PLANNED"));
        }
        return saved;
    }

    /** The rules' operation in the sink's terms; both field sets are the same by construction. */
    public static AdditionOperation toDelivery(PlannedOperation p) {
        LineFields f = p.fields();
        AdditionFields fields = f == null ? null : new AdditionFields(f.catalogItemId(), f.quantity(), f.unitPrice(),
                f.unitCost(), f.effectiveDate(), f.cancelledDate(), f.clearCancelledDate(), f.description(),
                f.invoiceDescription(), f.billCustomer(), f.proratePrice(), f.prorateCost());
        return new AdditionOperation(AdditionOperation.Kind.valueOf(p.kind().name()), p.agreementId(), p.additionId(), fields);
    }

    /**
     * Route step before delivery: claims the operation for this sync run (header
     * {@code syncRunId}) and marks it STARTED. An operation already STARTED may have landed, so
     * ConnectWise is checked first. One STARTED by another run within its lease may still be on its
     * way: this run refuses it ({@link OperationInFlightException}) instead of sending it twice.
     */
    public void started(Message message) {
        TaskOperation op = message.getBody(TaskOperation.class);
        String run = message.getHeader(SYNC_RUN, String.class);
        Map<String, Object> params = new HashMap<>(Map.of("t", op.taskId(), "seq", op.seq(),
                "lease", lease.toMillis() / 1000.0));
        params.put("run", run == null ? java.util.UUID.randomUUID().toString() : run);
        List<String> previous = jdbc.queryForList("""
                WITH prev AS (
                    SELECT status, started_by, started_at FROM task_operation WHERE task_id = :t AND seq = :seq FOR UPDATE)
                UPDATE task_operation o SET status = 'STARTED', started_at = now(), started_by = :run
                FROM prev
                WHERE o.task_id = :t AND o.seq = :seq AND prev.status <> 'DONE'
                  AND (prev.status = 'PLANNED' OR prev.started_at IS NULL OR prev.started_by = :run
                       OR prev.started_at < now() - make_interval(secs => :lease))
                RETURNING prev.status""", params, String.class);
        if (previous.isEmpty()) {
            throw new OperationInFlightException(op.taskId(), op.seq(), lease);
        }
        message.setHeader("taskOperation", op);
        message.setHeader("partnerId", op.partnerId());
        message.setHeader("CwVerifyFirst", "STARTED".equals(previous.get(0)));
        message.setBody(op.operation());
    }

    /** Route step after delivery: marks DONE and records which addition holds the line. */
    public void done(Message message) {
        TaskOperation op = message.getHeader("taskOperation", TaskOperation.class);
        DeliveryResult result = message.getBody(DeliveryResult.class);
        jdbc.update("UPDATE task_operation SET status = 'DONE', addition_id = :a, done_at = now() WHERE task_id = :t AND seq = :seq",
                Map.of("a", result.additionId(), "t", op.taskId(), "seq", op.seq()));
        ledger.recordLine(op.partnerId(), LineKeys.parse(op.lineKey()).subscriptionId(), op.lineKey(), op.operation(),
                result.additionId(), op.taskId());
    }
}
