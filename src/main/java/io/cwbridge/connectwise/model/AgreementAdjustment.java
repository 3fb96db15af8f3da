package io.cwbridge.connectwise.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;
import java.time.LocalDate;

/** OpenAPI {@code Agreement.Adjustment} ({@code finance/agreements/{id}/adjustments}): how R27 posts a catch-up. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgreementAdjustment(
        long id,
        BigDecimal amount,
        String description,
        @JsonDeserialize(using = ConnectWiseDate.class) LocalDate effectiveDate,
        Long agreementId) {}
