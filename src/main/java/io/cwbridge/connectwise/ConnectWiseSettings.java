package io.cwbridge.connectwise;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the bundle talks to ConnectWise ({@code cwbridge.connectwise.*}).
 *
 * @param codebase           default codebase for new connections
 * @param apiVersion         model version pinned through the Accept header
 * @param requestsPerMinute  per-tenant budget; ConnectWise throttles above about 1,000 per minute
 * @param maxAttempts        attempts per call, the first included, for 429, 5xx and time-outs
 * @param initialBackoff     first wait between attempts, doubled each time up to maxBackoff
 * @param pageSize           page size for list reads (ConnectWise allows at most 1,000)
 * @param taskRetryInitial   wait before a task that ConnectWise failed transiently (all attempts
 *                           of a call spent) is tried again, doubled each time up to taskRetryMax
 */
@ConfigurationProperties(prefix = "cwbridge.connectwise")
public record ConnectWiseSettings(
        @DefaultValue("v4_6_release") String codebase,
        @DefaultValue("2026.4") String apiVersion,
        @DefaultValue("600") int requestsPerMinute,
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("500ms") Duration initialBackoff,
        @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("100") int pageSize,
        @DefaultValue("1m") Duration taskRetryInitial,
        @DefaultValue("30m") Duration taskRetryMax) {

    public ConnectWiseSettings {
        if (requestsPerMinute < 1) throw new IllegalArgumentException("requestsPerMinute must be at least 1");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (pageSize < 1 || pageSize > 1000) throw new IllegalArgumentException("pageSize must be 1..1000");
    }

    /**
     * The longest one delivery (all its attempts and the waits between them) can take, with a
     * margin: a claim on an operation older than this belongs to a run that is gone.
     */
    public Duration deliveryLease() {
        return connectTimeout.plus(requestTimeout).multipliedBy(maxAttempts)
                .plus(maxBackoff.multipliedBy(maxAttempts - 1L))
                .plus(requestTimeout);
    }

    /**
     * How often a live run renews its claims on the operations it is sending: a quarter of the
     * lease, so a claim lapses only after several renewals were missed (the run is gone).
     */
    public Duration claimRenewInterval() {
        return deliveryLease().dividedBy(4);
    }
}
