package io.cwbridge.tasks;

import io.cwbridge.catchup.CatchUpView;
import io.cwbridge.tasks.store.TaskHistoryEntry;
import io.cwbridge.tasks.store.TaskOverride;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A sync task as the API shows it. {@code additionIds} are the ConnectWise additions its done
 * operations touched, for an operator to look them up without reading every operation.
 * {@code catchUps} (R27): the parts of the change that fell into periods ConnectWise had already
 * invoiced, with amount, cost, period, licence-days, reason and status (LISTED for review, POSTED as
 * an agreement adjustment, FAILED with ConnectWise's message). {@code history}: every state change, oldest
 * first. {@code plan} (R31, only on {@code GET /api/v1/tasks/{id}} of a task AWAITING_APPROVAL): the
 * operations it would send, computed against ConnectWise as it is at that moment; null otherwise.
 * {@code overrides} (R31, issue 15): the values a person set for the task before it synced, with who,
 * when and why; null when none.
 */
public record TaskView(long taskId, String eventId, String partnerId, String subscriptionId, String type, String action,
                       OffsetDateTime occurredAt, String status, String reason, int attempts,
                       OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime syncedAt,
                       List<TaskOperationView> operations, List<Long> additionIds, List<CatchUpView> catchUps,
                       List<TaskHistoryEntry> history, TaskPlanView plan, TaskOverride overrides) {

    public TaskView withOverrides(TaskOverride value) {
        return new TaskView(taskId, eventId, partnerId, subscriptionId, type, action, occurredAt, status, reason, attempts,
                createdAt, updatedAt, syncedAt, operations, additionIds, catchUps, history, plan, value);
    }

    public TaskView withPlan(TaskPlanView plan) {
        return new TaskView(taskId, eventId, partnerId, subscriptionId, type, action, occurredAt, status, reason, attempts,
                createdAt, updatedAt, syncedAt, operations, additionIds, catchUps, history, plan, overrides);
    }
}
