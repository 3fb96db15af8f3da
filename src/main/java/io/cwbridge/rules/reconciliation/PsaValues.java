package io.cwbridge.rules.reconciliation;

import io.cwbridge.events.SubscriptionKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.List;

/**
 * R32 (v2): what ConnectWise bills for a subscription in a billing month, weighted by the days
 * each line was active in it.
 * <ul>
 *   <li>{@code quantity}: licence-months, Σ over licence lines of quantity × active days / days in
 *       the month (scale 4, HALF_UP); usage and setup lines are amounts and never count;</li>
 *   <li>{@code cost}, {@code price}: Σ over licence lines of quantity × unit × active days / days
 *       in the month, plus each usage/setup line active in the month at quantity × unit (scale 2,
 *       HALF_UP, rounded once on the total);</li>
 *   <li>{@code endQuantity}: licences active on the month's last day (the platform's quantity);</li>
 *   <li>{@code usageQuantity}: Σ quantities of the usage/setup lines active in the month.</li>
 * </ul>
 * Those are lines billed by calendar month. On a yearly agreement (R5, {@link BillingTerms}) a licence line bills once
 * per agreement year, in the month its billing of the year begins: see {@link #of(SubscriptionKind, YearMonth, List, List,
 * BillingTerms)}; callers that know the agreement pass its terms, the shorter calls mean calendar months.
 * So R10-consistent lines (a base line and the delta lines of a mid-month increase or decrease, a
 * cancellation's −Q line) add up to what a prorated invoice says. An IaaS subscription's PSA
 * quantity (and end quantity) is always 1.
 *
 * <p>R32 × R27: the catch-ups of the month posted as agreement adjustments ({@link Adjustment}) are
 * billed by ConnectWise too: their licence-days count in {@code quantity} (and, for the licences of a
 * catch-up that reaches the month's last day, in {@code endQuantity}), their amounts in {@code cost}
 * and {@code price} — as R34 counts them. So a late sale or a late cancellation settled by an
 * adjustment reconciles instead of being posted a second time.
 */
public record PsaValues(BigDecimal quantity, BigDecimal cost, BigDecimal price, BigDecimal endQuantity, BigDecimal usageQuantity) {

    public static final int QUANTITY_SCALE = 4;
    private static final int WORK_SCALE = 12;

    /** Values read elsewhere (end quantity = quantity, no usage). */
    public PsaValues(BigDecimal quantity, BigDecimal cost, BigDecimal price) {
        this(quantity, cost, price, quantity, BigDecimal.ZERO);
    }

    /**
     * An R27 catch-up posted as an agreement adjustment for days {@code from}–{@code to} of the month:
     * {@code licenceDays} (negative for a credit), and the price and cost amounts it bills.
     */
    public record Adjustment(BigDecimal licenceDays, java.time.LocalDate from, java.time.LocalDate to, BigDecimal price,
                             BigDecimal cost) {
        public Adjustment {
            licenceDays = licenceDays == null ? BigDecimal.ZERO : licenceDays;
            price = price == null ? BigDecimal.ZERO : price;
            cost = cost == null ? BigDecimal.ZERO : cost;
        }
    }

    public static PsaValues of(SubscriptionKind kind, YearMonth period, List<PsaLine> lines) {
        return of(kind, period, lines, List.of());
    }

    /** The lines' values plus the month's posted catch-ups ({@link Adjustment}), lines billed by calendar month. */
    public static PsaValues of(SubscriptionKind kind, YearMonth period, List<PsaLine> lines, List<Adjustment> adjustments) {
        return of(kind, period, lines, adjustments, BillingTerms.MONTHLY);
    }

    /**
     * R32 × R5: the lines' values as their agreement bills them ({@code terms}). Monthly (and {@link BillingTerms#MONTHLY}):
     * as {@link #of(SubscriptionKind, YearMonth, List, List)}. Yearly: a licence line counts only in the month its billing
     * of an agreement year begins ({@link BillingTerms#billedIn}), for that whole year — quantity × its active days of the
     * year / the year's days in {@code quantity} (licence-years), × unit in {@code cost} and {@code price}; in the other
     * months of the year it bills nothing (only {@code endQuantity} still names the licences active on the month's last
     * day). A yearly subscription of 2 licences at 264.00 from 16 December on an agreement year from 1 December: December
     * 2 × 264.00 × 350 / 365 = 506.30, January to November 0.00.
     */
    public static PsaValues of(SubscriptionKind kind, YearMonth period, List<PsaLine> lines, List<Adjustment> adjustments,
                               BillingTerms terms) {
        BillingTerms billing = terms == null ? BillingTerms.MONTHLY : terms;
        BigDecimal days = BigDecimal.valueOf(period.lengthOfMonth());
        BigDecimal licenceDays = BigDecimal.ZERO;
        BigDecimal costDays = BigDecimal.ZERO;
        BigDecimal priceDays = BigDecimal.ZERO;
        // yearly lines: licence-years and amounts, exact to WORK_SCALE, rounded once with the rest
        BigDecimal yearlyQuantity = BigDecimal.ZERO;
        BigDecimal yearlyCost = BigDecimal.ZERO;
        BigDecimal yearlyPrice = BigDecimal.ZERO;
        BigDecimal amountCost = BigDecimal.ZERO;
        BigDecimal amountPrice = BigDecimal.ZERO;
        BigDecimal endQuantity = BigDecimal.ZERO;
        BigDecimal usageQuantity = BigDecimal.ZERO;
        for (PsaLine line : lines) {
            int active = line.activeDays(period);
            if (active == 0) continue;
            if (line.licences()) {
                if (billing.yearly()) {
                    for (BillingTerms.Share share : billing.billedIn(line, period)) {
                        BigDecimal part = line.quantity().multiply(BigDecimal.valueOf(share.activeDays()))
                                .divide(BigDecimal.valueOf(share.periodDays()), WORK_SCALE, RoundingMode.HALF_UP);
                        yearlyQuantity = yearlyQuantity.add(part);
                        yearlyCost = yearlyCost.add(line.quantity().multiply(BigDecimal.valueOf(share.activeDays())).multiply(line.unitCost())
                                .divide(BigDecimal.valueOf(share.periodDays()), WORK_SCALE, RoundingMode.HALF_UP));
                        yearlyPrice = yearlyPrice.add(line.quantity().multiply(BigDecimal.valueOf(share.activeDays())).multiply(line.unitPrice())
                                .divide(BigDecimal.valueOf(share.periodDays()), WORK_SCALE, RoundingMode.HALF_UP));
                    }
                } else {
                    BigDecimal qDays = line.quantity().multiply(BigDecimal.valueOf(active));
                    licenceDays = licenceDays.add(qDays);
                    costDays = costDays.add(qDays.multiply(line.unitCost()));
                    priceDays = priceDays.add(qDays.multiply(line.unitPrice()));
                }
                if (line.cancelledDate() == null || !line.cancelledDate().isBefore(period.atEndOfMonth())) {
                    endQuantity = endQuantity.add(line.quantity());
                }
            } else {
                usageQuantity = usageQuantity.add(line.quantity());
                amountCost = amountCost.add(line.quantity().multiply(line.unitCost()));
                amountPrice = amountPrice.add(line.quantity().multiply(line.unitPrice()));
            }
        }
        BigDecimal adjustmentYears = BigDecimal.ZERO;
        for (Adjustment a : adjustments) {
            if (billing.yearly() && a.from() != null) {
                // a yearly period's catch-up: its licence-days are days of the agreement year
                adjustmentYears = adjustmentYears.add(a.licenceDays().divide(BigDecimal.valueOf(billing.periodOf(a.from()).days()),
                        WORK_SCALE, RoundingMode.HALF_UP));
            } else {
                licenceDays = licenceDays.add(a.licenceDays());
            }
            amountCost = amountCost.add(a.cost());
            amountPrice = amountPrice.add(a.price());
            if (a.from() != null && a.to() != null && !a.to().isBefore(period.atEndOfMonth()) && !a.from().isAfter(period.atEndOfMonth())) {
                // the catch-up's licences on each of its days (its licence-days spread over them) include the month's last day
                long covered = java.time.temporal.ChronoUnit.DAYS.between(a.from(), a.to()) + 1;
                endQuantity = endQuantity.add(a.licenceDays().divide(BigDecimal.valueOf(covered), QUANTITY_SCALE, RoundingMode.HALF_UP));
            }
        }
        boolean anyYearly = yearlyQuantity.signum() != 0 || yearlyCost.signum() != 0 || yearlyPrice.signum() != 0
                || adjustmentYears.signum() != 0;
        BigDecimal quantity = !anyYearly ? licenceDays.divide(days, QUANTITY_SCALE, RoundingMode.HALF_UP)
                : licenceDays.divide(days, WORK_SCALE, RoundingMode.HALF_UP).add(yearlyQuantity).add(adjustmentYears)
                        .setScale(QUANTITY_SCALE, RoundingMode.HALF_UP);
        BigDecimal cost = Money.of(costDays.divide(days, WORK_SCALE, RoundingMode.HALF_UP).add(yearlyCost).add(amountCost));
        BigDecimal price = Money.of(priceDays.divide(days, WORK_SCALE, RoundingMode.HALF_UP).add(yearlyPrice).add(amountPrice));
        boolean iaas = kind == SubscriptionKind.IAAS;
        return new PsaValues(iaas ? BigDecimal.ONE : quantity, cost, price, iaas ? BigDecimal.ONE : endQuantity, usageQuantity);
    }
}
