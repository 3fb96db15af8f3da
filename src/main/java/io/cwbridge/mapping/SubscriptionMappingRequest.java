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
        @Schema(description = "Only with additionId: the adopted addition's effective date; default its own (moved to the "
                + "subscription's start when it lies before it and was never invoiced). A different one is written to "
                + "ConnectWise. 400 when it lies outside the subscription's term (R10) or, on an agreement that does not "
                + "prorate and invoice prorated additions, before its next invoice date (R27)", example = "2024-02-14") LocalDate effectiveDate,
        @Schema(description = "Only with additionId: take this addition even though the subscription already has a base "
                + "line; the old one stops the day before this one's effective date (cancelled, or deleted when it was never "
                + "invoiced, R22), so each day bills one base line (R10)", example = "false") Boolean replace,
        @Schema(description = "Only with additionId (R6 cut-over): instead of adopting the addition, end it at the end of the "
                + "agreement's last invoiced period (cancelled the day before its nextInvoiceDate; deleted when it was never "
                + "invoiced, R22) and bill the subscription from the next invoice date on a base line of the bundle's own "
                + "(current licences, unit price / cost per R17, until the subscription's end, R25; from the subscription's start when "
                + "that is later), so no day is billed "
                + "twice or dropped. description is then the new base line's (default the addition's own); fromDate and "
                + "effectiveDate are not allowed. A repeated request changes nothing; an interrupted one is finished by "
                + "the next request or at start-up", example = "true") Boolean cutover) {

    public SubscriptionMappingRequest(Long agreementId, LocalDate fromDate) {
        this(agreementId, fromDate, null, null, null, null, null);
    }

    public SubscriptionMappingRequest(Long agreementId, LocalDate fromDate, Long additionId, String description,
                                      LocalDate effectiveDate, Boolean replace) {
        this(agreementId, fromDate, additionId, description, effectiveDate, replace, null);
    }

    boolean cutsOver() {
        return Boolean.TRUE.equals(cutover);
    }

    boolean adopts() {
        return additionId != null;
    }

    boolean replaces() {
        return Boolean.TRUE.equals(replace);
    }
}
