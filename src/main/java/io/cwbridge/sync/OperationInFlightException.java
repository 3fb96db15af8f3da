package io.cwbridge.sync;

import java.time.Duration;

/**
 * Another sync run claimed this operation and may still be sending it: this run must not send it
 * too. The task stays PENDING and is tried again once the other run's lease has run out.
 */
public class OperationInFlightException extends RuntimeException {

    private final transient Duration retryAfter;

    public OperationInFlightException(long taskId, int seq, Duration retryAfter) {
        super("operation " + seq + " of task " + taskId + " is being delivered by another run");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
