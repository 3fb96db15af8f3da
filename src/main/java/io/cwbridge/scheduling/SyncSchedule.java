package io.cwbridge.scheduling;

import io.cwbridge.syncrules.PartnerSyncRules;
import io.cwbridge.syncrules.SyncPeriod;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;

/**
 * Which automatic work a partner is due at a tick of the 5-minute timer (SPEC §4, §6): nothing with
 * automatic sync off (the default); task auto-sync (R31) at every tick for EVERY_5_MINUTES and at the
 * 00:00 UTC tick for DAILY; the global sync (R30) at the 00:00 UTC tick only. The 00:00 tick is the
 * one whose instant falls in [00:00, 00:05) UTC, so a tick that starts a little late still counts.
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
        if (!rules.automaticSync()) {
            return new Due(false, false);
        }
        boolean midnight = isMidnightTick(tick);
        return new Due(midnight || rules.syncPeriod() == SyncPeriod.EVERY_5_MINUTES, midnight);
    }

    public static boolean isMidnightTick(Instant tick) {
        return tick.atOffset(ZoneOffset.UTC).toLocalTime().isBefore(MIDNIGHT_TICK_END);
    }
}
