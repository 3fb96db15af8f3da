package io.cwbridge.mapping;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Positive;

/** Body of {@code PUT …/products/{productId}/mapping}: {@code {catalogItemId}} or {@code {"create":true}}. */
@Schema(description = "Either catalogItemId (an existing ConnectWise catalog item) or create=true (create it from the product in the latest event that names it)")
public record ProductMappingRequest(
        @Positive @Schema(example = "31") Long catalogItemId,
        @Schema(example = "false") Boolean create) implements TargetMappings.TargetRequest {

    @Override
    public Long targetId() {
        return catalogItemId;
    }
}
