package io.cwbridge.mapping;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Positive;

/** Body of {@code PUT …/customers/{customerId}/mapping}: {@code {companyId}} or {@code {"create":true}}. */
@Schema(description = "Either companyId (an existing ConnectWise company) or create=true (create the company from the customer's latest event)")
public record CustomerMappingRequest(
        @Positive @Schema(example = "250") Long companyId,
        @Schema(example = "false") Boolean create,
        @Schema(description = "With create=true on an item that is already mapped: create and map the company anyway "
                + "(without it the answer is 409 naming the existing mapping)", example = "false") Boolean replace)
        implements TargetMappings.TargetRequest {

    public CustomerMappingRequest(Long companyId, Boolean create) {
        this(companyId, create, null);
    }

    @Override
    public Long targetId() {
        return companyId;
    }
}
