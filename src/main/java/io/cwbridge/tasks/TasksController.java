package io.cwbridge.tasks;

import io.cwbridge.sync.TaskOverrides;
import io.cwbridge.sync.TaskRequests;
import io.cwbridge.tasks.store.TaskOverride;
import io.cwbridge.tasks.store.TaskStatus;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.partner.PartnerIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import io.cwbridge.api.ApiProblems.FieldProblem;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/tasks/{taskId}}, {@code GET /api/v1/partners/{p}/tasks} (SPEC 8.2) and a person's
 * decisions (R31): approve, retry, dismiss, and a task's override (issue 15). Who acted is the logged-in principal's name, else {@code api}.
 */
@RestController
@Tag(name = "Tasks")
public class TasksController {

    static final int MAX_LIMIT = 500;

    private final TaskRepository tasks;
    private final TaskActions actions;
    private final TaskOverrides overrides;

    public TasksController(TaskRepository tasks, TaskActions actions, TaskOverrides overrides) {
        this.tasks = tasks;
        this.actions = actions;
        this.overrides = overrides;
    }

    @PutMapping("/api/v1/tasks/{taskId}/override")
    @Operation(summary = "Set a task's override before it syncs (R31): dates, description, quantity, price, cost, bill, tax, price source",
            description = "Body {effectiveDate?, cancelledDate?, description?, quantity?, unitPrice?, unitCost?, billCustomer? "
                    + "(Billable, DoNotBill, NoCharge), taxableFlag?, priceSource? (MARKETPLACE, CONNECTWISE_CATALOG), reason} — "
                    + "replaces any earlier override; reason required. Allowed while the task is AWAITING_APPROVAL or "
                    + "NEEDS_MAPPING, or PENDING under a task sync other than IMMEDIATE, and nothing of it is sent; else 409. "
                    + "400 problem+json per field: quantity a whole number ≥ 0; money ≥ 0 with at most 2 decimals; "
                    + "cancelledDate ≥ effectiveDate; dates inside the subscription's term and never in a period the "
                    + "agreement has invoiced unless it prorates and invoices prorated additions (R27). Applies to the lines "
                    + "the task creates or changes; recorded in the task's history; the task's plan shows it.")
    public TaskOverride setOverride(@PathVariable long taskId, @Valid @RequestBody TaskRequests.Override request,
                                    Principal principal) {
        return overrides.set(taskId, request, actor(principal));
    }

    @DeleteMapping("/api/v1/tasks/{taskId}/override")
    @Operation(summary = "Clear a task's override (the partner's rules decide again)",
            description = "Body {reason} (required), kept in the task's history. 404 unknown task or no override, 409 when "
                    + "the task is no longer before its sync. Answers 204.")
    public ResponseEntity<Void> clearOverride(@PathVariable long taskId, @Valid @RequestBody TaskRequests.ClearOverride request,
                                              Principal principal) {
        overrides.clear(taskId, request.reason().strip(), actor(principal));
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/v1/tasks/{taskId}")
    @Operation(summary = "Show one task with its operations",
            description = "status PENDING, NEEDS_MAPPING, AWAITING_APPROVAL, SYNCED, FAILED (with reason) or DISMISSED; "
                    + "history: every state change (at, by, from, to, reason); plan (AWAITING_APPROVAL only): the operations "
                    + "approving would send, computed against ConnectWise now, nothing written; operations in plan order; "
                    + "additionIds: the ConnectWise additions of the operations done; catchUps (R27): amounts of the change that "
                    + "fell into invoiced periods (amount, cost, period, licenceDays, reason, status LISTED / POSTING / "
                    + "POSTED with adjustmentId / FAILED with message); overrides: a person's values for the task (who, when, "
                    + "why), applied to its plan. 404 for an unknown task.")
    public TaskView get(@PathVariable long taskId) {
        return actions.show(taskId);
    }

    @PostMapping("/api/v1/tasks/{taskId}/approve")
    @Operation(summary = "Approve a task AWAITING_APPROVAL (task sync MANUAL) and sync it now",
            description = "The plan is computed again now, against ConnectWise's current lines, and exactly that is sent; "
                    + "answers the task afterwards. 404 unknown task, 409 problem+json when it is not AWAITING_APPROVAL.")
    public TaskView approve(@PathVariable long taskId, Principal principal) {
        return actions.approve(taskId, actor(principal));
    }

    @PostMapping("/api/v1/partners/{partnerId}/tasks/approve")
    @Operation(summary = "Approve a selection ({taskIds:[…]}) or all ({all:true}) of the partner's tasks AWAITING_APPROVAL",
            description = "Synced now, each subscription's in the order their changes happened. A selection is approved whole "
                    + "or not at all: 409 naming each task that is not AWAITING_APPROVAL, 404 for a task not the partner's. "
                    + "Answers {approved:[ids], tasks:[…]}.")
    public TaskActions.Approval approveMany(@PathVariable String partnerId, @Valid @RequestBody TaskRequests.Approve request,
                                            Principal principal) {
        PartnerIds.check(partnerId);
        boolean all = Boolean.TRUE.equals(request.all());
        boolean some = request.taskIds() != null && !request.taskIds().isEmpty();
        List<FieldProblem> errors = new ArrayList<>();
        if (all == some) {
            errors.add(new FieldProblem(all ? "all" : "taskIds", all ? "must not be given together with taskIds"
                    : "give taskIds (at least one) or all: true"));
        }
        if (request.all() != null && !request.all() && !some) errors.add(new FieldProblem("all", "must be true when given"));
        if (request.taskIds() != null) {
            for (int i = 0; i < request.taskIds().size(); i++) {
                if (request.taskIds().get(i) == null) errors.add(new FieldProblem("taskIds[" + i + "]", "must be a task id"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST,
                    ApiProblems.problem(HttpStatus.BAD_REQUEST, "The approval is invalid.", errors), null);
        }
        return actions.approve(partnerId, some ? request.taskIds() : List.of(), all, actor(principal));
    }

    @PostMapping("/api/v1/tasks/{taskId}/retry")
    @Operation(summary = "Run a FAILED task again now",
            description = "Its stored plan resumes: operations already DONE are not sent again. Answers the task afterwards "
                    + "(SYNCED, or FAILED again with the reason). 404 unknown task, 409 when it is not FAILED.")
    public TaskView retry(@PathVariable long taskId, Principal principal) {
        return actions.retry(taskId, actor(principal));
    }

    @PostMapping("/api/v1/tasks/{taskId}/dismiss")
    @Operation(summary = "Dismiss a FAILED task (or one AWAITING_APPROVAL): it ends as DISMISSED with the reason given",
            description = "Body {\"reason\":\"…\"} (required). The failure then no longer shows as action needed; its "
                    + "history keeps it. 404 unknown task, 409 in another status.")
    public TaskView dismiss(@PathVariable long taskId, @Valid @RequestBody TaskRequests.Dismiss request, Principal principal) {
        return actions.dismiss(taskId, request.reason().strip(), actor(principal));
    }

    private static String actor(Principal principal) {
        return principal == null || principal.getName() == null || principal.getName().isBlank() ? "api" : principal.getName();
    }

    @GetMapping("/api/v1/partners/{partnerId}/tasks")
    @Operation(summary = "List the partner's tasks, newest first",
            description = "{items, total, limit, offset}; filters: status (PENDING, NEEDS_MAPPING, AWAITING_APPROVAL, SYNCED, "
                    + "FAILED, DISMISSED), type (SALES_ORDER, CHANGE_ORDER, BILLING_ORDER, CANCELLATION_ORDER), "
                    + "subscriptionId. limit 1-500 (default 50).")
    public TaskPage list(@PathVariable String partnerId,
                         @RequestParam(required = false) String status,
                         @RequestParam(required = false) String subscriptionId,
                         @RequestParam(required = false) String type,
                         @RequestParam(defaultValue = "50") int limit,
                         @RequestParam(defaultValue = "0") int offset) {
        PartnerIds.check(partnerId);
        if (limit < 1 || limit > MAX_LIMIT) throw ApiProblems.badRequest("limit", "must be between 1 and " + MAX_LIMIT);
        if (offset < 0) throw ApiProblems.badRequest("offset", "must not be negative");
        return tasks.list(partnerId, status(status), type(type), blankToNull(subscriptionId), limit, offset);
    }

    private static io.cwbridge.events.EventType type(String type) {
        if (type == null || type.isBlank()) return null;
        try {
            return io.cwbridge.events.EventType.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw ApiProblems.badRequest("type", "must be one of " + Arrays.toString(io.cwbridge.events.EventType.values()));
        }
    }

    private static TaskStatus status(String status) {
        if (status == null || status.isBlank()) return null;
        try {
            return TaskStatus.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw ApiProblems.badRequest("status", "must be one of " + Arrays.toString(TaskStatus.values()));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
