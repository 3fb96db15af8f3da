package io.cwbridge.globalsync;

import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.globalsync.GlobalSyncReport.Change;
import io.cwbridge.globalsync.GlobalSyncReport.Failure;
import java.util.ArrayList;
import java.util.List;

/**
 * The counts of one run as it goes; becomes the {@link GlobalSyncReport}. Used by one thread: a lane
 * of the run counts in a tally of its own, {@link #add}ed to the run's when it is done.
 */
final class RunTally {

    enum Kind { COMPANY, CATALOG_ITEM, SUBSCRIPTION }

    final int[] lookedAt = new int[3];
    final int[] changed = new int[3];
    final int[] failed = new int[3];
    int reads;
    int writes;
    final List<Change> changes = new ArrayList<>();
    final List<Failure> failures = new ArrayList<>();
    final List<GlobalSyncReport.RenewalDue> renewalsDue = new ArrayList<>();

    /** Wall time per phase of the run (nanoseconds), for the log line and the benchmark's breakdown. */
    final java.util.Map<String, Long> phases = new java.util.LinkedHashMap<>();

    /** Adds the time since {@code startNanos} (System.nanoTime) to {@code phase}. */
    void time(String phase, long startNanos) {
        phases.merge(phase, System.nanoTime() - startNanos, Long::sum);
    }

    /** The phases in milliseconds, for the log. */
    String phasesMillis() {
        java.util.StringJoiner out = new java.util.StringJoiner(", ");
        phases.forEach((phase, nanos) -> out.add(phase + " " + nanos / 1_000_000 + " ms"));
        return out.toString();
    }

    void lookedAt(Kind kind) {
        lookedAt[kind.ordinal()]++;
    }

    void changed(Kind kind) {
        changed[kind.ordinal()]++;
    }

    void change(String changeKind, Long id, String what) {
        changes.add(new Change(changeKind, id, what));
    }

    void failed(Kind kind, String id, Exception e) {
        failed[kind.ordinal()]++;
        String reason = e instanceof ConnectWiseException cw ? "ConnectWise: " + cw.describe() : e.getMessage();
        failures.add(new Failure(kind.name(), id, reason));
    }

    /** Adds what another tally (a lane's) counted. */
    void add(RunTally other) {
        for (int i = 0; i < 3; i++) {
            lookedAt[i] += other.lookedAt[i];
            changed[i] += other.changed[i];
            failed[i] += other.failed[i];
        }
        reads += other.reads;
        writes += other.writes;
        changes.addAll(other.changes);
        failures.addAll(other.failures);
        renewalsDue.addAll(other.renewalsDue);
        other.phases.forEach((phase, nanos) -> phases.merge(phase, nanos, Long::sum));
    }

    GlobalSyncReport.Counts counts(int[] values) {
        return new GlobalSyncReport.Counts(values[0], values[1], values[2]);
    }
}
