package io.cwbridge.mapping;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Positive;

/** Body of {@code PUT …/customers/{customerId}/mapping}: {@code {companyId}} or {@code {"create":true}}. */
@Schema(description = "Either companyId (an existing ConnectWise company) or create=true (create the company from the customer's latest event)")
public record CustomerMappingRequest(
        @Positive @Schema(example = "250") Long companyId,
        @Schema(example = "false") Boolean create) implements TargetMappings.TargetRequest {

    @Override
    public Long targetId() {
        return companyId;
    }
}
