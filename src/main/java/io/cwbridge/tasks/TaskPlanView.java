package io.cwbridge.tasks;

import io.cwbridge.sync.PlanController.PlannedStep;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What a task AWAITING_APPROVAL would send if approved now (R31): the operations computed at
 * {@code computedAt} against ConnectWise's current lines, nothing written; approving computes them
 * again and sends exactly those. {@code missingMappings} when a mapping is missing (approving it then
 * leaves it NEEDS_MAPPING); {@code error} when the plan could not be computed (e.g. ConnectWise unreachable).
 */
public record TaskPlanView(OffsetDateTime computedAt, List<PlannedStep> operations, List<String> missingMappings,
                           List<String> notes, String error) {}
