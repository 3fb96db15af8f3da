package io.cwbridge.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
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
        Instant mappedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Only with ?sync=true (map & sync): the open tasks that ran at once and how they ended")
        java.util.List<MapAndSync.SyncedTask> tasks) {

    SubscriptionMapping withTasks(java.util.List<MapAndSync.SyncedTask> value) {
        return new SubscriptionMapping(partnerId, subscriptionId, agreementId, fromDate, mappedAt, value);
    }
}
