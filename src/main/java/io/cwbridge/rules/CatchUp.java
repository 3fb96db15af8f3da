package io.cwbridge.rules;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * R27: the part of a change that falls into a period ConnectWise has already invoiced, on an
 * agreement that cannot bill it there itself. One per billing period (and unit price): the amount
 * is licence-days × unit price / days in the period — positive when the customer was under-billed,
 * negative (a credit) for decreases and cancellations.
 *
 * @param licenceDays the licences missing (or billed too many, negative) summed over the invoiced days
 * @param from        first invoiced day the change concerns in this period
 * @param to          last such day
 * @param lines       the same as catch-up lines ({@link AdditionLine#caughtUp()}), day by day: the
 *                    bundle keeps them with the subscription's lines so that later plans see what
 *                    those days bill
 */
public record CatchUp(String subscriptionId, Long catalogItemId, LocalDate periodStart, LocalDate periodEnd,
        LocalDate from, LocalDate to, BigDecimal licenceDays, long daysInPeriod, BigDecimal unitPrice,
        BigDecimal unitCost, BigDecimal amount, BigDecimal costAmount, String reason, java.util.List<AdditionLine> lines) {

    public CatchUp {
        lines = lines == null ? java.util.List.of() : java.util.List.copyOf(lines);
    }

    /**
     * The text of the agreement adjustment that posts it (R27 ADJUSTMENT): the subscription and the
     * days, at most 1000 characters (ConnectWise's limit for an adjustment description).
     */
    public String description() {
        String text = "Catch-up " + (amount != null && amount.signum() < 0 ? "credit" : "charge") + " subscription "
                + subscriptionId + ": " + licenceDays.stripTrailingZeros().toPlainString() + " licence-days " + from + " to " + to
                + " (" + daysInPeriod + "-day period " + periodStart + " to " + periodEnd + ") at "
                + (unitPrice == null ? "-" : unitPrice.toPlainString()) + " - " + reason;
        return text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
