package io.cwbridge.connectwise;

import java.time.Duration;
import java.util.Optional;

/**
 * The one owner of when ConnectWise is tried again, and after how long: the attempts of one call
 * ({@link ConnectWiseClient}: 429 with its Retry-After, 5xx, time-outs; {@code max-attempts},
 * {@code initial-backoff}, {@code max-backoff}), the tenant-wide pause after a 429 (its length; the
 * pause itself is kept by {@link RequestRateLimiter}), and the retry-later of a whole task once a
 * call's attempts are spent ({@code task-retry-*}, used by {@code sync/SubscriptionSync}).
 */
public final class ConnectWiseRetry {

    /** A database restart is usually over in seconds: a task it interrupted is retried from 1 s on. */
    private static final Duration DATABASE_RETRY_INITIAL = Duration.ofSeconds(1);

    private final BackoffPolicy call;
    private final BackoffPolicy task;
    private final BackoffPolicy database;

    public ConnectWiseRetry(ConnectWiseSettings settings) {
        this.call = new BackoffPolicy(settings.maxAttempts(), settings.initialBackoff(), settings.maxBackoff());
        // Whole tasks never give up across ConnectWise outages (the task stays PENDING).
        this.task = new BackoffPolicy(Integer.MAX_VALUE, settings.taskRetryInitial(), settings.taskRetryMax());
        this.database = new BackoffPolicy(Integer.MAX_VALUE, DATABASE_RETRY_INITIAL, settings.taskRetryMax());
    }

    /** 429, 5xx (and time-outs, status 0 by the client) are worth another attempt; other 4xx are verdicts. */
    public static boolean isTransient(int status) {
        return BackoffPolicy.isTransient(status);
    }

    public static Optional<Duration> retryAfter(String header) {
        return BackoffPolicy.parseRetryAfter(header);
    }

    public int maxAttempts() {
        return call.maxAttempts();
    }

    /**
     * Whether attempt {@code attempt} of a call, which failed with {@code failure}, is followed by
     * another: only a transient failure, while attempts are left, and never a create whose first
     * attempt may have landed without a look-up to tell ({@code unsafeToRepeat}).
     */
    public boolean mayRepeat(int attempt, ConnectWiseException failure, boolean unsafeToRepeat) {
        return failure.isTransient() && !unsafeToRepeat && call.mayRetry(attempt);
    }

    /** The wait after a failed attempt that was not a 429: Retry-After if given, else the back-off. */
    public Duration afterFailure(int attempt, Optional<Duration> retryAfter) {
        return call.delayAfter(attempt, retryAfter);
    }

    /**
     * How long the whole tenant pauses after a 429: Retry-After if given, else a back-off that grows
     * with the tenant's consecutive 429s ({@code tenantThrottles} before this one), since throttling
     * is the tenant's, not the call's.
     */
    public Duration throttlePause(int attempt, int tenantThrottles, Optional<Duration> retryAfter) {
        return call.delayAfter(Math.max(attempt, tenantThrottles + 1), retryAfter);
    }

    /**
     * When a task left PENDING is tried again after its {@code attempts}-th failure: after a
     * ConnectWise outage (all attempts of a call spent) or, when {@code databaseAway}, a database restart.
     */
    public Duration retryLater(int attempts, boolean databaseAway) {
        return (databaseAway ? database : task).delayAfter(attempts, Optional.empty());
    }
}
