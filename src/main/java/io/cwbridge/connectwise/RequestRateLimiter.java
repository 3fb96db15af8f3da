package io.cwbridge.connectwise;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps each ConnectWise tenant under its request budget, across all routes and threads of this
 * instance: a token bucket per tenant that refills evenly over the minute. Callers block until a
 * token is free, so a burst is smoothed instead of provoking 429s.
 *
 * <p>When the tenant answers 429 anyway, {@link #throttled} pauses the whole tenant: every caller
 * waits until the pause (ConnectWise's Retry-After, else the back-off) is over, instead of each
 * call hammering on by itself. Consecutive 429s are counted per tenant, so a back-off without
 * Retry-After keeps growing across calls until a call gets through ({@link #answered}).
 */
public final class RequestRateLimiter {

    private final double permitsPerNano;
    private final double capacity;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RequestRateLimiter(int requestsPerMinute) {
        this.permitsPerNano = requestsPerMinute / (double) TimeUnit.MINUTES.toNanos(1);
        // A short burst is fine; a minute's worth at once is what gets an integration throttled.
        this.capacity = Math.max(1, requestsPerMinute / 60.0);
    }

    /** Blocks until the tenant identified by {@code key} may send one more request (and is not paused). */
    public void acquire(String key) throws InterruptedException {
        Bucket bucket = bucket(key);
        while (true) {
            long waitNanos;
            boolean paused;
            synchronized (bucket) {
                long now = System.nanoTime();
                long pause = bucket.pausedUntil - now;
                paused = pause > 0;
                if (paused) {
                    waitNanos = pause;
                } else {
                    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) * permitsPerNano);
                    bucket.updatedAt = now;
                    bucket.tokens -= 1;
                    // A negative balance is a reservation: this caller waits until it is paid back.
                    waitNanos = bucket.tokens >= 0 ? 0 : (long) Math.ceil(-bucket.tokens / permitsPerNano);
                }
            }
            if (waitNanos > 0) {
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            }
            if (!paused) return;
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
        Bucket bucket = bucket(key);
        synchronized (bucket) {
            long until = System.nanoTime() + Math.max(0, pause.toNanos());
            if (until - bucket.pausedUntil > 0) bucket.pausedUntil = until;
            return ++bucket.throttles;
        }
    }

    /** The tenant's consecutive 429s so far (0 once a call got another answer). */
    public int throttles(String key) {
        Bucket bucket = bucket(key);
        synchronized (bucket) {
            return bucket.throttles;
        }
    }

    /** A call of the tenant got an answer other than 429: the throttling streak is over. */
    public void answered(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket == null) return;
        synchronized (bucket) {
            bucket.throttles = 0;
        }
    }

    private Bucket bucket(String key) {
        return buckets.computeIfAbsent(key, k -> new Bucket(capacity, System.nanoTime()));
    }

    private static final class Bucket {
        double tokens;
        long updatedAt;
        long pausedUntil;
        int throttles;

        Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
            this.pausedUntil = updatedAt;
        }
    }
}
