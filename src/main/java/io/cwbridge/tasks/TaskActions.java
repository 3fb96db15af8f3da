package io.cwbridge.tasks;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.AdditionOperation;
import io.cwbridge.rules.PlannedOperation;
import io.cwbridge.sync.PlanController.PlannedStep;
import io.cwbridge.sync.SubscriptionSync;
import io.cwbridge.sync.TaskOperations;
import io.cwbridge.sync.TaskPlanner;
import io.cwbridge.syncrules.SyncRulesRepository;
import io.cwbridge.tasks.store.SyncTasks;
import io.cwbridge.tasks.store.SyncTasks.TaskKey;
import io.cwbridge.tasks.store.TaskHistory;
import io.cwbridge.tasks.store.TaskStatus;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * A person's decisions on tasks (R31): approve a task AWAITING_APPROVAL (one, a selection, all of a
 * partner's), retry a FAILED one, dismiss one. Each status change is recorded in the task's history
 * with who did it and why ({@link TaskHistory#as}). An approved or retried task is synced at once, in
 * the request, through the same sync as every task ({@link SubscriptionSync#runApproved}): its plan is
 * computed then, from ConnectWise's lines as they are then (so what is sent is what a GET shows at that
 * moment), or, for a retry, the stored plan resumes without repeating an operation already DONE.
 */
@Service
public class TaskActions {

    private static final Logger log = LoggerFactory.getLogger(TaskActions.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TaskHistory history;
    private final TaskRepository tasks;
    private final SubscriptionSync sync;
    private final ProducerTemplate producer;
    private final TaskOperations operations;
    private final SyncTasks syncTasks;
    private final SyncRulesRepository syncRules;

    public TaskActions(NamedParameterJdbcTemplate jdbc, TaskHistory history, TaskRepository tasks, SubscriptionSync sync,
                       ProducerTemplate producer, TaskOperations operations, SyncTasks syncTasks, SyncRulesRepository syncRules) {
        this.syncRules = syncRules;
        this.operations = operations;
        this.syncTasks = syncTasks;
        this.jdbc = jdbc;
        this.history = history;
        this.tasks = tasks;
        this.sync = sync;
        this.producer = producer;
    }

    /** The task; one AWAITING_APPROVAL with the plan it would send now (a dry run against ConnectWise, nothing written). */
    public TaskView show(long taskId) {
        TaskView task = tasks.find(taskId).orElseThrow(() -> ApiProblems.notFound("No task " + taskId));
        if (!TaskStatus.AWAITING_APPROVAL.name().equals(task.status())) return task;
        return task.withPlan(plan(task));
    }

    TaskPlanView plan(TaskView task) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String payload = jdbc.queryForObject("SELECT payload::text FROM subscription_event WHERE event_id = :e",
                Map.of("e", task.eventId()), String.class);
        try {
            TaskPlanner.Preview preview = producer.requestBody("direct:subscription-plan", payload, TaskPlanner.Preview.class);
            List<PlannedStep> steps = preview.plan() == null ? List.of()
                    : preview.plan().operations().stream().map(TaskActions::step).toList();
            List<String> notes = new ArrayList<>(preview.notes());
            if (preview.plan() != null) notes.addAll(preview.plan().notes());
            List<Long> earlier = jdbc.queryForList("""
                    SELECT e.task_id FROM sync_task e JOIN sync_task t ON t.task_id = :t
                    WHERE e.partner_id = t.partner_id AND e.subscription_id = t.subscription_id AND e.task_id <> t.task_id
                      AND e.status IN (:open)
                      AND (e.occurred_at, e.task_id) < (t.occurred_at, t.task_id)
                    ORDER BY e.occurred_at, e.task_id""", Map.of("t", task.taskId(), "open", Stream.of(TaskStatus.PENDING,
                    TaskStatus.NEEDS_MAPPING, TaskStatus.AWAITING_APPROVAL, TaskStatus.FAILED).map(Enum::name).toList()), Long.class);
            if (!earlier.isEmpty()) {
                notes.add("earlier change(s) of this subscription not in ConnectWise yet (task " + earlier
                        + "): this plan is made without them; approve those first to keep the order");
            }
            return new TaskPlanView(now, steps, preview.plannedCatchUps(syncRules.additionRules(task.partnerId()).invoicedCatchUp()),
                    preview.missing(), notes, null);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            log.warn("Could not compute the plan of task {}: {}", task.taskId(), cause.getMessage());
            return new TaskPlanView(now, List.of(), List.of(), List.of(), List.of(), "the plan could not be computed now: " + cause.getMessage());
        }
    }

    private static PlannedStep step(PlannedOperation p) {
        AdditionOperation op = TaskOperations.toDelivery(p);
        return new PlannedStep(op.kind().name(), p.line().toString(), op.agreementId(), op.additionId(), op.fields(), p.reason(),
                p.prorated());
    }

    /** Approves one task AWAITING_APPROVAL and syncs it; 404 unknown, 409 in any other status. */
    public TaskView approve(long taskId, String actor) {
        TaskKey task = history.as(actor, "approved", () -> syncTasks.letGo(List.of(taskId), TaskStatus.AWAITING_APPROVAL, actor))
                .stream().findFirst().orElseThrow(() -> notIn(taskId, TaskStatus.AWAITING_APPROVAL));
        syncNow(task.partnerId(), List.of(task.subscriptionId()));
        return tasks.find(taskId).orElseThrow();
    }

    /** What a selection's or an "all" approval did. */
    public record Approval(List<Long> approved, List<TaskView> tasks) {}

    /**
     * Approves the partner's tasks {@code taskIds}, or all it has AWAITING_APPROVAL when {@code all}, and
     * syncs them, each subscription's in the order their changes happened. A selection is approved
     * whole or not at all: 404 when one is not the partner's, 409 naming those not AWAITING_APPROVAL.
     */
    public Approval approve(String partnerId, Collection<Long> taskIds, boolean all, String actor) {
        List<TaskKey> approved = history.as(actor, "approved", () -> {
            List<Long> ids;
            if (all) {
                ids = jdbc.queryForList("""
                        SELECT task_id FROM sync_task WHERE partner_id = :p AND status = :s
                        ORDER BY occurred_at, task_id FOR UPDATE""", Map.of("p", partnerId, "s", TaskStatus.AWAITING_APPROVAL.name()),
                        Long.class);
            } else {
                Map<Long, String> found = new LinkedHashMap<>();
                jdbc.query("SELECT task_id, status FROM sync_task WHERE partner_id = :p AND task_id IN (:ids) ORDER BY task_id FOR UPDATE",
                        Map.of("p", partnerId, "ids", taskIds), rs -> { found.put(rs.getLong(1), rs.getString(2)); });
                List<Long> unknown = taskIds.stream().filter(id -> !found.containsKey(id)).toList();
                if (!unknown.isEmpty()) throw ApiProblems.notFound("Partner " + partnerId + " has no task " + unknown);
                List<ApiProblems.FieldProblem> notWaiting = new ArrayList<>();
                int i = 0;
                for (Long id : taskIds) {
                    if (!TaskStatus.AWAITING_APPROVAL.name().equals(found.get(id))) {
                        notWaiting.add(new ApiProblems.FieldProblem("taskIds[" + i + "]",
                                "task " + id + " is " + found.get(id) + ", not AWAITING_APPROVAL"));
                    }
                    i++;
                }
                if (!notWaiting.isEmpty()) {
                    throw ApiProblems.conflict("Only tasks AWAITING_APPROVAL can be approved; nothing was approved.", notWaiting,
                            Map.of());
                }
                ids = List.copyOf(new LinkedHashSet<>(taskIds));
            }
            return ids.isEmpty() ? List.<TaskKey>of() : syncTasks.letGo(ids, TaskStatus.AWAITING_APPROVAL, actor);
        });
        Set<String> subscriptions = new LinkedHashSet<>();
        List<Long> ids = new ArrayList<>();
        approved.forEach(t -> {
            subscriptions.add(t.subscriptionId());
            ids.add(t.taskId());
        });
        syncNow(partnerId, subscriptions);
        List<TaskView> views = ids.stream().map(id -> tasks.find(id).orElseThrow()).toList();
        return new Approval(ids, views);
    }

    /**
     * Runs a FAILED task again: its stored plan resumes (operations DONE are not sent again), or it is
     * planned afresh when it failed before storing one. 404 unknown, 409 when it is not FAILED.
     */
    public TaskView retry(long taskId, String actor) {
        TaskKey task = history.as(actor, "retry requested", () -> {
            operations.endClaimsOfFailed(taskId);
            return syncTasks.letGo(List.of(taskId), TaskStatus.FAILED, actor);
        }).stream().findFirst().orElseThrow(() -> notIn(taskId, TaskStatus.FAILED));
        String partnerId = task.partnerId();
        String subscriptionId = task.subscriptionId();
        syncNow(partnerId, List.of(subscriptionId));
        // Tasks that waited behind it go as the partner's task sync says.
        sync.enqueue(partnerId, subscriptionId);
        return tasks.find(taskId).orElseThrow();
    }

    /**
     * Ends a FAILED task, or one AWAITING_APPROVAL a person decided not to send: DISMISSED with the
     * person's reason (its earlier failure stays in its history). Tasks that waited behind it go on.
     */
    public TaskView dismiss(long taskId, String reason, String actor) {
        List<TaskKey> done = history.as(actor, reason, () -> syncTasks.dismiss(taskId, reason));
        if (done.isEmpty()) throw notIn(taskId, TaskStatus.FAILED, TaskStatus.AWAITING_APPROVAL);
        sync.enqueue(done.get(0).partnerId(), done.get(0).subscriptionId());
        return tasks.find(taskId).orElseThrow();
    }

    private void syncNow(String partnerId, Collection<String> subscriptionIds) {
        for (String subscriptionId : subscriptionIds) {
            try {
                sync.runApproved(partnerId, subscriptionId);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not sync subscription " + subscriptionId + ": " + e.getMessage(), e);
            }
        }
    }

    private ErrorResponseException notIn(long taskId, TaskStatus... expected) {
        List<String> status = jdbc.queryForList("SELECT status FROM sync_task WHERE task_id = :t", Map.of("t", taskId), String.class);
        if (status.isEmpty()) return ApiProblems.notFound("No task " + taskId);
        List<String> names = java.util.Arrays.stream(expected).map(Enum::name).toList();
        return ApiProblems.conflict("Task " + taskId + " is " + status.get(0) + "; this needs it " + String.join(" or ", names) + ".",
                List.of(new ApiProblems.FieldProblem("status", "is " + status.get(0) + ", must be " + String.join(" or ", names))),
                Map.of("taskStatus", status.get(0))); // not "status": that is the problem's HTTP status
    }
}
