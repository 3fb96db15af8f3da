package io.cwbridge.connectwise;

import java.time.Duration;
import java.time.Instant;

/**
 * Where the tenants' request budgets and 429 pauses are kept: in memory for one instance
 * ({@link LocalTenantBudgets}) or in PostgreSQL, shared by every instance ({@link PostgresTenantBudgets}).
 * {@link RequestRateLimiter} is the one user; it does the waiting.
 */
interface TenantBudgets {

    /**
     * Takes one token of the tenant at {@code now}, unless the tenant is paused (then nothing is taken).
     */
    Take take(String key, Instant now);

    /**
     * The tenant answered 429 at {@code now}: pause it until {@code until} (a later pause stands).
     *
     * @return the tenant's consecutive 429s, this one included
     */
    int throttled(String key, Instant now, Instant until);

    /** The tenant's consecutive 429s so far. */
    int throttles(String key);

    /** A call of the tenant got another answer: the streak is over. */
    void answered(String key);

    /**
     * @param granted  a token was taken (the caller sends after {@code wait}); false: the tenant is
     *                 paused, wait and ask again
     * @param delay    how long to wait from {@code now}
     * @param throttles the tenant's consecutive 429s as seen by this take
     */
    record Take(boolean granted, Duration delay, int throttles) {}
}
