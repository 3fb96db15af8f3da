package io.cwbridge.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** Customer → ConnectWise company (R1). */
public record CustomerMapping(
        String partnerId,
        String customerId,
        long companyId,
        Instant mappedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Only in the answer to {\"create\":true}: true when this call created the company, "
                + "false when a company with the same identifier already existed and was mapped instead")
        Boolean created,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Only with ?sync=true (map & sync): the open tasks that ran at once and how they ended")
        java.util.List<MapAndSync.SyncedTask> tasks) implements TargetMappings.Mapped<CustomerMapping> {

    CustomerMapping withCreated(Boolean value) {
        return new CustomerMapping(partnerId, customerId, companyId, mappedAt, value, tasks);
    }

    @Override
    public CustomerMapping withTasks(java.util.List<MapAndSync.SyncedTask> value) {
        return new CustomerMapping(partnerId, customerId, companyId, mappedAt, created, value);
    }

    @Override
    public long targetId() {
        return companyId;
    }
}
