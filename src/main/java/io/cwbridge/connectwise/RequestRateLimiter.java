package io.cwbridge.connectwise;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Keeps each ConnectWise tenant under its request budget, across all routes and threads of this
 * instance: a token bucket per tenant that refills evenly over the minute. Callers block until a
 * token is free, so a burst is smoothed instead of provoking 429s.
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

    /** Blocks until the tenant identified by {@code key} may send one more request. */
    public void acquire(String key) throws InterruptedException {
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, System.nanoTime()));
        long waitNanos;
        synchronized (bucket) {
            long now = System.nanoTime();
            bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) * permitsPerNano);
            bucket.updatedAt = now;
            bucket.tokens -= 1;
            // A negative balance is a reservation: this caller waits until it is paid back.
            waitNanos = bucket.tokens >= 0 ? 0 : (long) Math.ceil(-bucket.tokens / permitsPerNano);
        }
        if (waitNanos > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNanos);
        }
    }

    private static final class Bucket {
        double tokens;
        long updatedAt;

        Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }
    }
}
