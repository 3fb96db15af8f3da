package io.cwbridge.testsupport;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A fixed clock the test moves (the same instant until it is set again), so one Spring context can
 * walk a reconciliation through a provider's cutover window, or a cache past an invoice date.
 */
public final class SettableClock extends Clock {

    private volatile Instant now;

    public SettableClock() {
        this(Instant.parse("2024-03-01T00:30:00Z"));
    }

    public SettableClock(Instant now) {
        this.now = now;
    }

    /** Half past midnight UTC of that day. */
    public void set(String isoDate) {
        now = Instant.parse(isoDate + "T00:30:00Z");
    }

    public void setInstant(String isoInstant) {
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
