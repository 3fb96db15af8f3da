package io.cwbridge.sync;

import io.cwbridge.connectwise.AdditionOperation;

/**
 * One planned ConnectWise operation of a task, as stored in {@code task_operation}: PLANNED,
 * STARTED (sent, outcome not yet recorded) or DONE.
 */
public record TaskOperation(long taskId, int seq, String partnerId, String lineKey, String reason,
                            AdditionOperation operation, String status) {}
