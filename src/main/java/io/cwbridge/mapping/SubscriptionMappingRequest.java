package io.cwbridge.mapping;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;

/** Body of {@code PUT …/subscriptions/{subscriptionId}/mapping}. */
public record SubscriptionMappingRequest(
        @Positive @Schema(description = "Optional when the company has exactly one eligible agreement (R4)", example = "17") Long agreementId,
        @Schema(description = "Optional first billing day on this agreement (R25)", example = "2024-03-01") LocalDate fromDate,
        @Positive @Schema(description = "R6: an existing addition of the agreement that becomes the subscription's base line "
                + "(no second base line is created)", example = "42") Long additionId,
        @Size(max = 6000) @Schema(description = "Only with additionId: the adopted addition's description; default its own. "
                + "A different one is written to ConnectWise") String description,
        @Schema(description = "Only with additionId: the adopted addition's effective date; default its own. "
                + "A different one is written to ConnectWise", example = "2024-02-14") LocalDate effectiveDate,
        @Schema(description = "Only with additionId: take this addition even though the subscription already has a base "
                + "line (the old one is forgotten and left as it is in ConnectWise)", example = "false") Boolean replace) {

    public SubscriptionMappingRequest(Long agreementId, LocalDate fromDate) {
        this(agreementId, fromDate, null, null, null, null);
    }

    boolean adopts() {
        return additionId != null;
    }

    boolean replaces() {
        return Boolean.TRUE.equals(replace);
    }
}
