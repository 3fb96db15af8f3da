package io.cwbridge.reconciliation.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/** One ConnectWise addition of a subscription as read back (unit values; dates may be open). */
public record PsaLine(BigDecimal quantity, BigDecimal unitCost, BigDecimal unitPrice,
                      LocalDate effectiveDate, LocalDate cancelledDate) {

    public PsaLine {
        Objects.requireNonNull(quantity, "quantity");
        unitCost = unitCost == null ? BigDecimal.ZERO : unitCost;
        unitPrice = unitPrice == null ? BigDecimal.ZERO : unitPrice;
    }

    /** Billed in the month when it starts on or before its last day and is not cancelled before its first. */
    boolean activeIn(LocalDate periodStart, LocalDate periodEnd) {
        return (effectiveDate == null || !effectiveDate.isAfter(periodEnd))
                && (cancelledDate == null || !cancelledDate.isBefore(periodStart));
    }
}
