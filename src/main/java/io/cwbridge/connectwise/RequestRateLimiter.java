package io.cwbridge.connectwise;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Keeps each ConnectWise tenant under its request budget, across all routes and threads and, with
 * {@link #shared}, across all instances of the bundle: a token bucket per tenant ({@link TokenBucket})
 * that refills evenly over the minute. Callers wait until their token is due, so a burst is smoothed
 * instead of provoking 429s; the wait is the computed time to that token, never a poll.
 *
 * <p>When the tenant answers 429 anyway, {@link #throttled} pauses the whole tenant: every caller
 * waits until the pause (ConnectWise's Retry-After, else the back-off of {@link ConnectWiseRetry}) is
 * over, instead of each call hammering on by itself. Consecutive 429s are counted per tenant, so a
 * back-off without Retry-After keeps growing across calls until a call gets through ({@link #answered}).
 */
public final class RequestRateLimiter {

    /** Waits; tests pass one that moves their clock instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration wait) throws InterruptedException;
    }

    static final Sleeper THREAD_SLEEP = wait -> TimeUnit.NANOSECONDS.sleep(wait.toNanos());

    private final TenantBudgets budgets;
    private final Clock clock;
    private final Sleeper sleeper;

    /** Budgets of this instance only. */
    public RequestRateLimiter(int requestsPerMinute) {
        this(new LocalTenantBudgets(TokenBucket.perMinute(requestsPerMinute)), Clock.systemUTC(), THREAD_SLEEP);
    }

    RequestRateLimiter(TenantBudgets budgets, Clock clock, Sleeper sleeper) {
        this.budgets = budgets;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Budgets kept in PostgreSQL (V22), shared by every instance on that database, so N instances
     * together stay within {@code requestsPerMinute} per tenant.
     */
    public static RequestRateLimiter shared(int requestsPerMinute, DataSource dataSource, Clock clock, Sleeper sleeper) {
        return new RequestRateLimiter(new PostgresTenantBudgets(dataSource, TokenBucket.perMinute(requestsPerMinute)), clock, sleeper);
    }

    /** Blocks until the tenant identified by {@code key} may send one more request (and is not paused). */
    public void acquire(String key) throws InterruptedException {
        while (true) {
            TenantBudgets.Take take = budgets.take(key, clock.instant());
            if (!take.delay().isZero()) {
                sleeper.sleep(take.delay());
            }
            if (take.granted()) return;
            // The pause is over (or was extended meanwhile): look again, then take a token.
        }
    }

    /**
     * The tenant answered 429: no caller of it sends anything for {@code pause} (an earlier,
     * longer pause stands).
     *
     * @return the tenant's consecutive 429s, this one included
     */
    public int throttled(String key, Duration pause) {
        Instant now = clock.instant();
        return budgets.throttled(key, now, now.plus(pause.isNegative() ? Duration.ZERO : pause));
    }

    /** The tenant's consecutive 429s so far (0 once a call got another answer). */
    public int throttles(String key) {
        return budgets.throttles(key);
    }

    /** A call of the tenant got an answer other than 429: the throttling streak is over. */
    public void answered(String key) {
        budgets.answered(key);
    }
}
