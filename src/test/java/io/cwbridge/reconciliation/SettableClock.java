package io.cwbridge.reconciliation;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A fixed clock the test moves from day to day (the same instant until it is set again), so one
 * Spring context can walk a reconciliation through a provider's cutover window.
 */
final class SettableClock extends Clock {

    private volatile Instant now = Instant.parse("2024-03-01T00:30:00Z");

    void set(String isoDate) {
        now = Instant.parse(isoDate + "T00:30:00Z");
    }

    void setInstant(String isoInstant) {
        now = Instant.parse(isoInstant);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(now, zone);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
