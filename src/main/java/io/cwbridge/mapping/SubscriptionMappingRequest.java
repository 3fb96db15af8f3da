package io.cwbridge.mapping;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Positive;
import java.time.LocalDate;

/** Body of {@code PUT …/subscriptions/{subscriptionId}/mapping}. */
public record SubscriptionMappingRequest(
        @Positive @Schema(description = "Optional when the company has exactly one eligible agreement (R4)", example = "17") Long agreementId,
        @Schema(description = "Optional first billing day on this agreement (R25)", example = "2024-03-01") LocalDate fromDate) {}
