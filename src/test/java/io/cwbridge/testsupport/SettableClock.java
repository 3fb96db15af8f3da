package io.cwbridge.testsupport;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The tests' clock: the system clock (UTC) until a test sets an instant, then fixed there (the same
 * instant until it is set again), so one Spring context can walk a reconciliation through a
 * provider's cutover window, or a cache past an invoice date. {@link BundleTestBase} puts it in every
 * shared context and {@link #reset() resets} it before each test.
 */
public final class SettableClock extends Clock {

    /** null: follow the system clock. */
    private volatile Instant now;

    public SettableClock() {
        this.now = null;
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

    /** Back to the system clock. */
    public void reset() {
        now = null;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        Instant fixed = now;
        return fixed == null ? Clock.system(zone) : Clock.fixed(fixed, zone);
    }

    @Override
    public Instant instant() {
        Instant fixed = now;
        return fixed == null ? Instant.now() : fixed;
    }
}
