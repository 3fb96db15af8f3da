package io.cwbridge.connectwise;

import java.time.Duration;
import java.util.Optional;

/**
 * When to try a ConnectWise call again, and after how long. Throttling (429), server errors (5xx)
 * and time-outs are transient; every other 4xx is a verdict on the request and is not retried.
 */
public record BackoffPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {

    public static boolean isTransient(int status) {
        return status == 429 || status >= 500;
    }

    public boolean mayRetry(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /**
     * Wait before attempt {@code attemptsMade + 1}: the server's Retry-After when it gave one
     * (it knows its budget better than we do), else exponential back-off, capped at maxDelay.
     */
    public Duration delayAfter(int attemptsMade, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent() && !retryAfter.get().isNegative()) {
            return retryAfter.get();
        }
        long factor = 1L << Math.min(Math.max(attemptsMade - 1, 0), 20);
        Duration exponential = initialDelay.multipliedBy(factor);
        return exponential.compareTo(maxDelay) > 0 ? maxDelay : exponential;
    }

    /** Retry-After is given in seconds by ConnectWise (an HTTP date is also legal; we then fall back). */
    public static Optional<Duration> parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
