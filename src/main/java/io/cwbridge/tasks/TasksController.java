package io.cwbridge.tasks;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.partner.PartnerIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/tasks/{taskId}} and {@code GET /api/v1/partners/{p}/tasks} (SPEC 8.2). */
@RestController
@Tag(name = "Tasks")
public class TasksController {

    static final int MAX_LIMIT = 500;

    private final TaskRepository tasks;

    public TasksController(TaskRepository tasks) {
        this.tasks = tasks;
    }

    @GetMapping("/api/v1/tasks/{taskId}")
    @Operation(summary = "Show one task with its operations",
            description = "status PENDING, NEEDS_MAPPING, SYNCED or FAILED (with reason); operations in plan order; "
                    + "additionIds: the ConnectWise additions of the operations done; catchUps (R27): amounts of the change that "
                    + "fell into invoiced periods (amount, cost, period, licenceDays, reason, status LISTED / POSTING / "
                    + "POSTED with adjustmentId / FAILED with message). 404 for an unknown task.")
    public TaskView get(@PathVariable long taskId) {
        return tasks.find(taskId).orElseThrow(() -> ApiProblems.notFound("No task " + taskId));
    }

    @GetMapping("/api/v1/partners/{partnerId}/tasks")
    @Operation(summary = "List the partner's tasks, newest first",
            description = "{items, total, limit, offset}; filters: status (PENDING, NEEDS_MAPPING, SYNCED, FAILED), "
                    + "subscriptionId. limit 1-500 (default 50).")
    public TaskPage list(@PathVariable String partnerId,
                         @RequestParam(required = false) String status,
                         @RequestParam(required = false) String subscriptionId,
                         @RequestParam(defaultValue = "50") int limit,
                         @RequestParam(defaultValue = "0") int offset) {
        PartnerIds.check(partnerId);
        if (limit < 1 || limit > MAX_LIMIT) throw ApiProblems.badRequest("limit", "must be between 1 and " + MAX_LIMIT);
        if (offset < 0) throw ApiProblems.badRequest("offset", "must not be negative");
        return tasks.list(partnerId, status(status), blankToNull(subscriptionId), limit, offset);
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
