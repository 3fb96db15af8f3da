package io.cwbridge.tasks.store;

/**
 * The state of one planned operation of a task ({@code task_operation.status}, V2): PLANNED when
 * stored, STARTED while it is sent (in doubt until its result is known), DONE once ConnectWise confirmed it.
 * SQL keeps the literal in {@code status <> 'DONE'}: it is the predicate of partial index
 * {@code task_operation_not_done} (V11), which a bound parameter would not match.
 */
public enum OperationStatus { PLANNED, STARTED, DONE;

    /** Whether {@code status} (a column value) is this one. */
    public boolean is(Object status) {
        return name().equals(status);
    }
}
