package io.cwbridge.sync;

import java.time.Duration;

/**
 * Another sync run claimed this operation and may still be sending it: this run must not send it
 * too. Also raised before a plan is made (or stored) while a write to the subscription's lines is
 * in doubt, since a plan computed from lines that omit it would double or misplace a line (R16).
 * The task stays PENDING and is tried again after {@link #retryAfter()}: what is left of the other
 * run's claim, or at once when nobody holds one.
 */
public class OperationInFlightException extends RuntimeException {

    private final transient Duration retryAfter;

    public OperationInFlightException(long taskId, int seq, Duration retryAfter) {
        this("operation " + seq + " of task " + taskId + " is being delivered by another run", retryAfter);
    }

    public OperationInFlightException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
