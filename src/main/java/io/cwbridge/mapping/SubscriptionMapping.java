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
 * @param cutover   the hand-made addition ended and replaced by the bundle's base line (R6 cut-over), or null
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
        AdditionAdoption.Adoption adoption,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "R6 cut-over: the hand-made addition ended and the bundle's base line from the cut day, when one was")
        AdditionCutover.Cutover cutover) {

    public SubscriptionMapping(String partnerId, String subscriptionId, long agreementId, LocalDate fromDate, Instant mappedAt,
                               java.util.List<MapAndSync.SyncedTask> tasks, AdditionAdoption.Adoption adoption) {
        this(partnerId, subscriptionId, agreementId, fromDate, mappedAt, tasks, adoption, null);
    }

    public SubscriptionMapping(String partnerId, String subscriptionId, long agreementId, LocalDate fromDate, Instant mappedAt,
                               java.util.List<MapAndSync.SyncedTask> tasks) {
        this(partnerId, subscriptionId, agreementId, fromDate, mappedAt, tasks, null);
    }

    SubscriptionMapping withTasks(java.util.List<MapAndSync.SyncedTask> value) {
        return new SubscriptionMapping(partnerId, subscriptionId, agreementId, fromDate, mappedAt, value, adoption, cutover);
    }

    SubscriptionMapping withAdoption(AdditionAdoption.Adoption value) {
        return new SubscriptionMapping(partnerId, subscriptionId, agreementId, fromDate, mappedAt, tasks, value, cutover);
    }

    SubscriptionMapping withCutover(AdditionCutover.Cutover value) {
        return new SubscriptionMapping(partnerId, subscriptionId, agreementId, fromDate, mappedAt, tasks, adoption, value);
    }
}
