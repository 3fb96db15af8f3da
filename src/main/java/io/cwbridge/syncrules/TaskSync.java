package io.cwbridge.syncrules;

/**
 * When a partner's tasks go to ConnectWise (SPEC §4 "task sync", R31): IMMEDIATE when the event
 * arrives (the default); EVERY_5_MINUTES or DAILY (00:00 UTC) at the clustered timer's tick, the
 * tasks waiting PENDING until then; MANUAL, every task waits as AWAITING_APPROVAL until a person
 * approves it.
 */
public enum TaskSync {
    IMMEDIATE, EVERY_5_MINUTES, DAILY, MANUAL;

    /** The legacy {@code syncPeriod} (v1) in the terms of this rule. */
    public static TaskSync of(SyncPeriod period) {
        return period == SyncPeriod.EVERY_5_MINUTES ? EVERY_5_MINUTES : DAILY;
    }

    /** The legacy {@code syncPeriod} (v1) this rule reads as: EVERY_5_MINUTES, else DAILY. */
    public SyncPeriod period() {
        return this == EVERY_5_MINUTES ? SyncPeriod.EVERY_5_MINUTES : SyncPeriod.DAILY;
    }
}
