package io.cwbridge.mapping;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Subscription → ConnectWise agreement (R4).
 *
 * @param fromDate  first day the subscription may bill on the agreement (R25); null = its start date
 */
public record SubscriptionMapping(
        String partnerId,
        String subscriptionId,
        long agreementId,
        LocalDate fromDate,
        Instant mappedAt) {}
