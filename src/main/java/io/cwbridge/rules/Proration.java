package io.cwbridge.rules;

import io.cwbridge.events.BillingCycle;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.Objects;

/**
 * Money arithmetic of R17a (proration) and R24 (overuse).
 *
 * <p>Rounding (our decision): a computed amount keeps the precision of its input and at least the
 * currency's minor unit (USD/EUR 2, JPY 0, BHD 3; unknown → 2) — scale = max(minor unit, input
 * scale without trailing zeros) — rounded once, at the end, HALF_UP (commercial rounding, what an invoice shows). The
 * multiplication is done before the division so no intermediate rounding happens.
 */
public final class Proration {

    private static final int DEFAULT_MINOR_UNIT = 2;

    private Proration() {
    }

    /** A billing period, both days inclusive. */
    public record Period(LocalDate start, LocalDate end) {

        public Period {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (end.isBefore(start)) {
                throw new IllegalArgumentException("period ends before it starts");
            }
        }

        /** Number of days in the period. */
        public long days() {
            return ChronoUnit.DAYS.between(start, end) + 1;
        }

        /** 1-based day of {@code date} in the period (for a calendar month: the day of the month). */
        public long dayOf(LocalDate date) {
            return ChronoUnit.DAYS.between(start, date) + 1;
        }

        public boolean contains(LocalDate date) {
            return !date.isBefore(start) && !date.isAfter(end);
        }
    }

    /**
     * The billing period containing {@code date}. MONTHLY: the calendar month (ConnectWise bills
     * monthly agreements by calendar month, and the guides' "day of the effective date" is the day of
     * the month). YEARLY: the agreement year containing the date, counted from {@code yearlyAnchor}
     * (the yearly agreement's start, R5: the first of the subscription's start month).
     */
    public static Period billingPeriod(LocalDate date, BillingCycle cycle, LocalDate yearlyAnchor) {
        if (cycle != BillingCycle.YEARLY || yearlyAnchor == null) {
            return new Period(EffectiveDates.firstOfMonth(date), EffectiveDates.endOfMonth(date));
        }
        // plusYears from the anchor each time, so a Feb 29 anchor comes back on Feb 29 in leap years
        long k = ChronoUnit.YEARS.between(yearlyAnchor, date);
        while (yearlyAnchor.plusYears(k).isAfter(date)) {
            k--;
        }
        while (!yearlyAnchor.plusYears(k + 1).isAfter(date)) {
            k++;
        }
        LocalDate start = yearlyAnchor.plusYears(k);
        LocalDate next = yearlyAnchor.plusYears(k + 1);
        return new Period(start, next.minusDays(1));
    }

    /**
     * R17a (v2): prorated amount = ((days in period − day of effective date + 1) × amount) / days in
     * period — the effective day counts, as it does in R10 (15–31 March = 17/31); the amount itself
     * when the effective date is the period's first day. Null stays null.
     */
    public static BigDecimal prorate(BigDecimal amount, LocalDate effective, Period period, String currency) {
        if (amount == null) {
            return null;
        }
        if (!period.contains(effective)) {
            throw new IllegalArgumentException(effective + " is not in " + period);
        }
        if (effective.equals(period.start())) {
            return amount;
        }
        long days = period.days();
        long remaining = days - period.dayOf(effective) + 1;
        BigDecimal numerator = amount.multiply(BigDecimal.valueOf(remaining));
        return numerator.divide(BigDecimal.valueOf(days), scaleFor(amount, currency), RoundingMode.HALF_UP);
    }

    /**
     * R17a for a line that may end inside its first period: (days from max(effective, period start) to min(cancelled,
     * period end), both inclusive) x amount / days in period, so a line ended inside its period bills only its own days
     * there (probe 45 F5: a line from 10 September ended on the 19th by a price change kept 21/30 and the next line's
     * 11/30 billed the 20th–30th again). SPEC's formula ({@link #prorate(BigDecimal, LocalDate, Period, String)}) is the
     * case of a line running to the period's end. The amount itself when the line is active the whole period; null
     * stays null.
     *
     * @param cancelled the line's last day, null = open
     */
    public static BigDecimal prorate(BigDecimal amount, LocalDate effective, LocalDate cancelled, Period period, String currency) {
        if (amount == null) {
            return null;
        }
        if (!period.contains(effective)) {
            throw new IllegalArgumentException(effective + " is not in " + period);
        }
        long days = period.days();
        long active = activeDays(effective, cancelled, period);
        if (active == days) {
            return amount;
        }
        return amount.multiply(BigDecimal.valueOf(active)).divide(BigDecimal.valueOf(days), scaleFor(amount, currency), RoundingMode.HALF_UP);
    }

    /**
     * R17a: the days of {@code period} a line from {@code effective} to {@code cancelled} (null = open) is active, both
     * inclusive; 0 when it is active on none of them.
     */
    public static long activeDays(LocalDate effective, LocalDate cancelled, Period period) {
        LocalDate from = effective.isAfter(period.start()) ? effective : period.start();
        LocalDate to = cancelled == null || cancelled.isAfter(period.end()) ? period.end() : cancelled;
        return to.isBefore(from) ? 0 : ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** The prorate amounts the bundle writes on a licence line: price and cost for its first period (R17a). */
    public record Written(BigDecimal price, BigDecimal cost) {}

    /**
     * R17a for a licence line the bundle writes outside a plan (a move's lines on the new agreement, R8): its prorate
     * amounts when the partner's proration is MARKETPLACE, the agreement does not prorate ({@code agreementProrates}
     * false) and the line starts after its billing period's first day; null when ConnectWise's own apply.
     */
    public static Written written(SyncRules.ProrationRule rule, boolean agreementProrates, BillingCycle cycle, LocalDate yearlyAnchor,
                                  String currency, LocalDate effective, BigDecimal unitPrice, BigDecimal unitCost) {
        return written(rule, agreementProrates, cycle, yearlyAnchor, currency, effective, null, unitPrice, unitCost);
    }

    /**
     * The same for a line that ends on {@code cancelled} (null = open): R17a counts only its active days of the first
     * period ({@link #prorate(BigDecimal, LocalDate, LocalDate, Period, String)}); null also when it is active the whole
     * period.
     */
    public static Written written(SyncRules.ProrationRule rule, boolean agreementProrates, BillingCycle cycle, LocalDate yearlyAnchor,
                                  String currency, LocalDate effective, LocalDate cancelled, BigDecimal unitPrice, BigDecimal unitCost) {
        if (rule != SyncRules.ProrationRule.MARKETPLACE || agreementProrates || effective == null
                || (unitPrice == null && unitCost == null)) {
            return null;
        }
        Period period = billingPeriod(effective, cycle, yearlyAnchor);
        if (activeDays(effective, cancelled, period) == period.days()) {
            return null;
        }
        return new Written(prorate(unitPrice, effective, cancelled, period, currency), prorate(unitCost, effective, cancelled, period, currency));
    }

    /** R24: overuse amount = overused amount × overuse unit price (or cost). Null when either is null. */
    public static BigDecimal overuse(BigDecimal overusedAmount, BigDecimal unitAmount, String currency) {
        if (overusedAmount == null || unitAmount == null) {
            return null;
        }
        return overusedAmount.multiply(unitAmount).setScale(scaleFor(unitAmount, currency), RoundingMode.HALF_UP);
    }

    /**
     * max(currency minor unit, scale of the input without trailing zeros). §8.1 (a JSON number is read exactly as a
     * decimal) x R24: the amount must not depend on how a number was written, and the stored event keeps no trailing
     * zeros, so 0.0100, 0.010 and 0.01 all give a rate of scale 2 (1234.567 x 0.0100 = 12.35 in the plan and the task
     * alike). ConnectWise fixes no scale: the addition's unitPrice / unitCost are "number, format double"
     * (/work/shared/connectwise/openapi/connectwise-agreements-subset.openapi.json, schema Addition).
     */
    static int scaleFor(BigDecimal input, String currency) {
        return Math.max(minorUnit(currency), Math.max(input.stripTrailingZeros().scale(), 0));
    }

    static int minorUnit(String currency) {
        if (currency == null) {
            return DEFAULT_MINOR_UNIT;
        }
        try {
            int digits = Currency.getInstance(currency.trim().toUpperCase(java.util.Locale.ROOT)).getDefaultFractionDigits();
            return digits < 0 ? DEFAULT_MINOR_UNIT : digits;
        } catch (IllegalArgumentException unknown) {
            return DEFAULT_MINOR_UNIT;
        }
    }
}
