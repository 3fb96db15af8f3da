package io.cwbridge.globalsync;

import java.time.Instant;
import java.util.List;

/**
 * What one global sync run (R30) did: records looked at, changed and failed per kind, the
 * ConnectWise calls it made, and each change and failure; {@code scope} the one customer, product or
 * subscription an on-demand run covered ("customer 65533"), null for all of the partner's;
 * {@code renewalsDue} the subscriptions whose base line ends within 7 days while the marketplace says
 * they renew (R30: a renewal event may be missing). Stored in {@code global_sync_run}.
 */
public record GlobalSyncReport(
        long runId,
        String partnerId,
        String trigger,
        String status,
        Instant startedAt,
        Instant finishedAt,
        Counts lookedAt,
        Counts changed,
        Counts failed,
        Calls calls,
        List<Change> changes,
        List<Failure> failures,
        String scope,
        List<RenewalDue> renewalsDue) {

    /** Per kind of record: companies, catalog items, subscriptions (their addition lines). */
    public record Counts(int companies, int catalogItems, int subscriptions) {}

    /** ConnectWise requests made: reads (GET) and writes (POST, PATCH, PUT, DELETE). */
    public record Calls(int reads, int writes) {}

    /** One record changed: kind COMPANY / CATALOG_ITEM / ADDITION, its ConnectWise id, what changed. */
    public record Change(String kind, Long id, String what) {}

    /**
     * R30: a subscription whose base line in ConnectWise ends on {@code baseLineEnds}, {@code daysLeft}
     * from the run's day, while its latest event says it renews (auto-renew on, active) and ends on
     * {@code marketplaceEnd}: check that its renewal event (R23) was not lost.
     */
    public record RenewalDue(String subscriptionId, java.time.LocalDate baseLineEnds, long daysLeft,
            java.time.LocalDate marketplaceEnd) {}

    /** One record that could not be synced, and why (never a secret: ConnectWise's error text). */
    public record Failure(String kind, String id, String reason) {}
}
