package io.cwbridge.scheduling;

import io.cwbridge.syncrules.PartnerSyncRules;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Which automatic work a partner is due at a tick of the 5-minute timer (SPEC §4, §6):
 * <ul>
 *   <li>the global sync (R30) at the 00:00 UTC tick when it is on ({@code automaticSync}, alias {@code globalSync});</li>
 *   <li>the task sync (R31) by {@code taskSync}: EVERY_5_MINUTES at every tick, DAILY at the 00:00 UTC tick,
 *       MANUAL never (a person approves), IMMEDIATE (tasks went at arrival) at the 00:00 UTC tick when the
 *       global sync is on, retrying what was left waiting (as automatic sync did in v1).</li>
 * </ul>
 * The 00:00 tick is the one whose instant falls in [00:00, 00:05) UTC, so a tick that starts a little late
 * still counts.
 */
public final class SyncSchedule {

    static final LocalTime MIDNIGHT_TICK_END = LocalTime.of(0, 5);

    private SyncSchedule() {}

    public record Due(boolean taskAutoSync, boolean globalSync) {
        public boolean any() {
            return taskAutoSync || globalSync;
        }
    }

    public static Due due(PartnerSyncRules rules, Instant tick) {
        boolean midnight = isMidnightTick(tick);
        boolean global = rules.automaticSync() && midnight;
        boolean tasks = switch (rules.taskSync()) {
            case EVERY_5_MINUTES -> true;
            case DAILY -> midnight;
            case MANUAL -> false;
            case IMMEDIATE -> global;
        };
        return new Due(tasks, global);
    }

    public static boolean isMidnightTick(Instant tick) {
        return tick.atOffset(ZoneOffset.UTC).toLocalTime().isBefore(MIDNIGHT_TICK_END);
    }
}
