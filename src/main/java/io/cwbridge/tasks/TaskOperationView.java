package io.cwbridge.tasks;

import java.time.OffsetDateTime;

/**
 * One planned ConnectWise operation of a task, in plan order ({@code seq}). {@code additionId} is
 * set once the addition exists; {@code status} DONE with {@code doneAt} once it was performed.
 */
public record TaskOperationView(int seq, String kind, String lineKey, long agreementId, Long additionId,
                                String reason, String status, OffsetDateTime doneAt) {}
