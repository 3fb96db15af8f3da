package io.cwbridge.tasks.store;

import java.util.Arrays;
import java.util.List;

/**
 * A task's state (SPEC 8.2, R31): PENDING -> SYNCED | FAILED (with a reason) | NEEDS_MAPPING;
 * AWAITING_APPROVAL (task sync MANUAL) -> PENDING when a person approves it; FAILED -> PENDING when
 * a person retries it, or DISMISSED (with the person's reason), which ends it.
 */
public enum TaskStatus { PENDING, NEEDS_MAPPING, AWAITING_APPROVAL, SYNCED, FAILED, DISMISSED;

    /** Open tasks that a run of their subscription syncs (the others wait for a person or are over). */
    public static final List<String> SYNCABLE = names(PENDING, NEEDS_MAPPING);

    /** The column values of {@code statuses}, for a query's {@code IN (:…)}. */
    public static List<String> names(TaskStatus... statuses) {
        return Arrays.stream(statuses).map(Enum::name).toList();
    }

    /** Whether {@code status} (a column value) is this one. */
    public boolean is(Object status) {
        return name().equals(status);
    }
}
