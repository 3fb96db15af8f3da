package io.cwbridge.mapping;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Positive;

/** Body of {@code PUT …/products/{productId}/mapping}: {@code {catalogItemId}} or {@code {"create":true}}. */
@Schema(description = "Either catalogItemId (an existing ConnectWise catalog item) or create=true (create it from the product in the latest event that names it)")
public record ProductMappingRequest(
        @Positive @Schema(example = "31") Long catalogItemId,
        @Schema(example = "false") Boolean create,
        @Schema(description = "With create=true on an item that is already mapped: create and map the catalog item anyway "
                + "(without it the answer is 409 naming the existing mapping)", example = "false") Boolean replace)
        implements TargetMappings.TargetRequest {

    public ProductMappingRequest(Long catalogItemId, Boolean create) {
        this(catalogItemId, create, null);
    }

    @Override
    public Long targetId() {
        return catalogItemId;
    }
}
