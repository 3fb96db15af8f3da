package io.cwbridge.tasks;

import io.cwbridge.sync.PlanController.PlannedCatchUp;
import io.cwbridge.sync.PlanController.PlannedStep;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What a task AWAITING_APPROVAL would send if approved now (R31): the operations computed at
 * {@code computedAt} against ConnectWise's current lines, nothing written; approving computes them
 * again and sends exactly those. {@code catchUps} (R27): the amounts of invoiced periods approving
 * keeps, as {@code POST /api/v1/plan} lists them: {@code settlement} ADJUSTMENT (approving posts each as
 * an agreement adjustment effective {@code effectiveDate}, invoiced catch-up ADJUSTMENT) or LISTED (kept
 * for review). {@code missingMappings} when a mapping is missing (approving it then leaves it
 * NEEDS_MAPPING); {@code error} when the plan could not be computed (e.g. ConnectWise unreachable).
 */
public record TaskPlanView(OffsetDateTime computedAt, List<PlannedStep> operations, List<PlannedCatchUp> catchUps,
                           List<String> missingMappings, List<String> notes, String error) {}
