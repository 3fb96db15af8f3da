package io.cwbridge.rules;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * R17a: what a line that starts inside a billing period bills for that first period, per unit:
 * (days in period − day of the effective date + 1) × unit price (cost) / days in period. Plans and
 * tasks always show it; {@code written} says whether the bundle sends it to ConnectWise
 * (proration MARKETPLACE on an agreement that does not prorate) or ConnectWise computes it
 * (proration CONNECTWISE, or an agreement with its Prorate setting on).
 */
public record ProratedAmounts(LocalDate periodStart, LocalDate periodEnd, long billedDays, long daysInPeriod,
        BigDecimal price, BigDecimal cost, boolean written) {
}
