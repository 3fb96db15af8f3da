package io.cwbridge.sandbox;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * One billing period of an agreement: a calendar month for monthly agreements (BetterInvoice's
 * agreement invoicing page: monthly agreement invoices "always become available on the first of the
 * month", https://betterinvoice.io/docs/connectwise/invoicing/agreement-invoicing-tab). Assumption: an agreement whose billing cycle is named yearly
 * or annual bills by contract year from its billing start; every other cycle by calendar month.
 *
 * @param start first day
 * @param end   first day of the next period
 */
record BillingPeriod(LocalDate start, LocalDate end) {

    static BillingPeriod monthOf(LocalDate day) {
        LocalDate start = day.withDayOfMonth(1);
        return new BillingPeriod(start, start.plusMonths(1));
    }

    static BillingPeriod yearOf(LocalDate day, LocalDate billingStart) {
        LocalDate start = billingStart;
        while (start.plusYears(1).isBefore(day) || start.plusYears(1).isEqual(day)) {
            start = start.plusYears(1);
        }
        while (start.isAfter(day)) {
            start = start.minusYears(1);
        }
        return new BillingPeriod(start, start.plusYears(1));
    }

    long days() {
        return ChronoUnit.DAYS.between(start, end);
    }

    /** Days from {@code day} to the period's end, {@code day} counting (15–31 March = 17). */
    long daysFrom(LocalDate day) {
        return ChronoUnit.DAYS.between(day, end);
    }

    boolean startsOn(LocalDate day) {
        return start.isEqual(day);
    }

    /** Days of this period inside [from, to], both counting; 0 when they do not meet. */
    long overlap(LocalDate from, LocalDate to) {
        LocalDate first = from.isAfter(start) ? from : start;
        LocalDate afterLast = to.plusDays(1).isBefore(end) ? to.plusDays(1) : end;
        return Math.max(0, ChronoUnit.DAYS.between(first, afterLast));
    }
}
