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

    /**
     * {@code sql} with its status parameters {@code IN (:syncable)} and {@code = :failed} written as literals
     * ({@code IN ('PENDING', 'NEEDS_MAPPING')}, {@code = 'FAILED'}), made from this enum, never from input. For the look-up
     * of a subscription's open tasks: with the values as parameters PostgreSQL's generic plan can neither estimate them
     * nor prove partial index {@code sync_task_open}'s predicate, and past a few hundred subscriptions its plan cache
     * chose to plan the task-rows statement anew on every call (0.5 ms each; issue 14's benchmark at 400 subscriptions).
     * Not for the in-doubt look-ups, which start from the operations not DONE (see {@code SubscriptionSync.firstTaskRows}).
     */
    public static String withStatusLiterals(String sql) {
        String syncable = String.join(", ", SYNCABLE.stream().map(s -> "'" + s + "'").toList());
        String literal = sql.replace("status IN (:syncable)", "status IN (" + syncable + ")")
                .replaceAll("status = :failed\\b", "status = '" + FAILED.name() + "'");
        // A text whose spelling changed would silently keep the parameters (and the re-planning): refused instead.
        if (literal.equals(sql)) throw new IllegalArgumentException("no status IN (:syncable) or status = :failed in " + sql);
        return literal;
    }

    /** The column values of {@code statuses}, for a query's {@code IN (:…)}. */
    public static List<String> names(TaskStatus... statuses) {
        return Arrays.stream(statuses).map(Enum::name).toList();
    }

    /** Whether {@code status} (a column value) is this one. */
    public boolean is(Object status) {
        return name().equals(status);
    }
}
