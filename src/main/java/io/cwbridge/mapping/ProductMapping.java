package io.cwbridge.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** Product → ConnectWise catalog item (R2). */
public record ProductMapping(
        String partnerId,
        String productId,
        long catalogItemId,
        Instant mappedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Only in the answer to {\"create\":true}: true when this call created the catalog item, "
                + "false when an item with the same identifier already existed and was mapped instead")
        Boolean created,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Only with ?sync=true (map & sync): the open tasks that ran at once and how they ended")
        java.util.List<MapAndSync.SyncedTask> tasks) implements TargetMappings.Mapped<ProductMapping> {

    ProductMapping withCreated(Boolean value) {
        return new ProductMapping(partnerId, productId, catalogItemId, mappedAt, value, tasks);
    }

    @Override
    public ProductMapping withTasks(java.util.List<MapAndSync.SyncedTask> value) {
        return new ProductMapping(partnerId, productId, catalogItemId, mappedAt, created, value);
    }

    @Override
    public long targetId() {
        return catalogItemId;
    }
}
