package io.cwbridge.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Subscription → ConnectWise agreement (R4).
 *
 * @param fromDate  first day the subscription may bill on the agreement (R25); null = its start date
 * @param adoption  the existing addition taken over as its base line (R6), or null
 */
public record SubscriptionMapping(
        String partnerId,
        String subscriptionId,
        long agreementId,
        LocalDate fromDate,
        Instant mappedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Only with ?sync=true (map & sync): the open tasks that ran at once and how they ended")
        java.util.List<MapAndSync.SyncedTask> tasks,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "R6: the existing addition adopted as the subscription's base line, when one was")
        AdditionAdoption.Adoption adoption) {

    public SubscriptionMapping(String partnerId, String subscriptionId, long agreementId, LocalDate fromDate, Instant mappedAt,
                               java.util.List<MapAndSync.SyncedTask> tasks) {
        this(partnerId, subscriptionId, agreementId, fromDate, mappedAt, tasks, null);
    }

    SubscriptionMapping withTasks(java.util.List<MapAndSync.SyncedTask> value) {
        return new SubscriptionMapping(partnerId, subscriptionId, agreementId, fromDate, mappedAt, value, adoption);
    }

    SubscriptionMapping withAdoption(AdditionAdoption.Adoption value) {
        return new SubscriptionMapping(partnerId, subscriptionId, agreementId, fromDate, mappedAt, tasks, value);
    }
}
