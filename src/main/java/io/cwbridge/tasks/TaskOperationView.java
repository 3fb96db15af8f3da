package io.cwbridge.tasks;

import io.cwbridge.rules.ProratedAmounts;
import java.time.OffsetDateTime;

/**
 * One planned ConnectWise operation of a task, in plan order ({@code seq}). {@code additionId} is
 * set once the addition exists; {@code status} DONE with {@code doneAt} once it was performed.
 * {@code prorated} (R17a): what a line starting inside a billing period bills per unit for that first
 * period, and whether the bundle wrote it ({@code written}) or ConnectWise computes it; null otherwise.
 */
public record TaskOperationView(int seq, String kind, String lineKey, long agreementId, Long additionId,
                                String reason, String status, OffsetDateTime doneAt, ProratedAmounts prorated) {}
