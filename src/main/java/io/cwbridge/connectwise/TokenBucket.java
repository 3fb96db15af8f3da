package io.cwbridge.connectwise;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The arithmetic of a tenant's request budget: a bucket of {@code capacity} tokens refilled evenly
 * at {@code refillPerNano}. A take may leave the balance negative: that is a reservation, and the
 * caller sends once the refill has paid it back ({@link #waitAfterTake}). So n calls granted within
 * any window of length W never exceed {@code capacity + refill x W}.
 *
 * <p>{@link PostgresTenantBudgets} does the same arithmetic in SQL; this is its reference.
 */
public record TokenBucket(double capacity, double refillPerNano) {

    /**
     * A short burst (a second's worth, at least one) and a refill of the rest of the minute, so any
     * one-minute window holds at most {@code requestsPerMinute} calls (capacity + refill x 60 s).
     * Below two a minute the refill is half the rate: 1.5 tokens a minute still grants only one.
     */
    public static TokenBucket perMinute(int requestsPerMinute) {
        double capacity = Math.max(1, requestsPerMinute / 60.0);
        double refillPerMinute = Math.max(requestsPerMinute - capacity, requestsPerMinute / 2.0);
        return new TokenBucket(capacity, refillPerMinute / TimeUnit.MINUTES.toNanos(1));
    }

    /** The balance after {@code elapsed} of refill (never above capacity; a clock going back refills nothing). */
    public double refill(double tokens, Duration elapsed) {
        double added = elapsed.isNegative() ? 0 : elapsed.toNanos() * refillPerNano;
        return Math.min(capacity, tokens + added);
    }

    /** How long a caller waits whose take left {@code tokensAfterTake}: until a negative balance is paid back. */
    public Duration waitAfterTake(double tokensAfterTake) {
        return tokensAfterTake >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokensAfterTake / refillPerNano));
    }

    /** Refill per second, for the SQL. */
    double refillPerSecond() {
        return refillPerNano * TimeUnit.SECONDS.toNanos(1);
    }
}
