package io.cwbridge.rules.reconciliation;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One ConnectWise addition of a subscription as read back (unit values; dates may be open).
 * {@code licences} says whether its quantity is a licence count (base, delta, cancellation and
 * upgrade lines) or an amount line (usage, setup: quantity 1 carrying a charge), as the line's
 * role in subscription_line says. {@code additionId} is ConnectWise's id (null when unknown); {@code catalogItemId}
 * the product it bills (null when unknown; R32 v2 × R19: a month billing two products has no one unit cost).
 */
public record PsaLine(BigDecimal quantity, BigDecimal unitCost, BigDecimal unitPrice,
                      LocalDate effectiveDate, LocalDate cancelledDate, boolean licences, Long additionId, Long catalogItemId) {

    public PsaLine {
        Objects.requireNonNull(quantity, "quantity");
        unitCost = unitCost == null ? BigDecimal.ZERO : unitCost;
        unitPrice = unitPrice == null ? BigDecimal.ZERO : unitPrice;
    }

    /** A line of unknown product. */
    public PsaLine(BigDecimal quantity, BigDecimal unitCost, BigDecimal unitPrice, LocalDate effectiveDate, LocalDate cancelledDate,
                   boolean licences, Long additionId) {
        this(quantity, unitCost, unitPrice, effectiveDate, cancelledDate, licences, additionId, null);
    }

    /** A licence line of unknown id. */
    public PsaLine(BigDecimal quantity, BigDecimal unitCost, BigDecimal unitPrice, LocalDate effectiveDate, LocalDate cancelledDate) {
        this(quantity, unitCost, unitPrice, effectiveDate, cancelledDate, true, null, null);
    }

    /** Billed in the month when it starts on or before its last day and is not cancelled before its first. */
    boolean activeIn(LocalDate periodStart, LocalDate periodEnd) {
        return (effectiveDate == null || !effectiveDate.isAfter(periodEnd))
                && (cancelledDate == null || !cancelledDate.isBefore(periodStart))
                && (effectiveDate == null || cancelledDate == null || !cancelledDate.isBefore(effectiveDate));
    }

    /**
     * Days of {@code period} the line is active: from its effective date (or the month's first day)
     * through its cancelled date (or the month's last day), both included; 0 when it is not active.
     */
    public int activeDays(YearMonth period) {
        return activeDays(period.atDay(1), period.atEndOfMonth());
    }

    /** Days from {@code first} through {@code last} (a billing period, R5 a yearly one too) the line is active, both included. */
    public int activeDays(LocalDate first, LocalDate last) {
        if (!activeIn(first, last)) return 0;
        LocalDate from = effectiveDate == null || effectiveDate.isBefore(first) ? first : effectiveDate;
        LocalDate to = cancelledDate == null || cancelledDate.isAfter(last) ? last : cancelledDate;
        return (int) ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** Whether the line bills day {@code d}. */
    public boolean activeOn(LocalDate d) {
        return activeIn(d, d);
    }

    public PsaLine withUnits(BigDecimal newUnitCost, BigDecimal newUnitPrice) {
        return new PsaLine(quantity, newUnitCost, newUnitPrice, effectiveDate, cancelledDate, licences, additionId, catalogItemId);
    }
}
