package io.cwbridge.notifications;

import java.time.OffsetDateTime;

/** A task of the "all created and synchronized tasks" digest (seed 001): when it was created or synced. */
public record TaskActivityRow(long taskId, String customer, String subscriptionId, String type, String action, String status,
        OffsetDateTime at) {}
