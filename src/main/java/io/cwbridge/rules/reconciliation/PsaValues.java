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

    /** The lines' values plus the month's posted catch-ups ({@link Adjustment}). */
    public static PsaValues of(SubscriptionKind kind, YearMonth period, List<PsaLine> lines, List<Adjustment> adjustments) {
        BigDecimal days = BigDecimal.valueOf(period.lengthOfMonth());
        BigDecimal licenceDays = BigDecimal.ZERO;
        BigDecimal costDays = BigDecimal.ZERO;
        BigDecimal priceDays = BigDecimal.ZERO;
        BigDecimal amountCost = BigDecimal.ZERO;
        BigDecimal amountPrice = BigDecimal.ZERO;
        BigDecimal endQuantity = BigDecimal.ZERO;
        BigDecimal usageQuantity = BigDecimal.ZERO;
        for (PsaLine line : lines) {
            int active = line.activeDays(period);
            if (active == 0) continue;
            if (line.licences()) {
                BigDecimal qDays = line.quantity().multiply(BigDecimal.valueOf(active));
                licenceDays = licenceDays.add(qDays);
                costDays = costDays.add(qDays.multiply(line.unitCost()));
                priceDays = priceDays.add(qDays.multiply(line.unitPrice()));
                if (line.cancelledDate() == null || !line.cancelledDate().isBefore(period.atEndOfMonth())) {
                    endQuantity = endQuantity.add(line.quantity());
                }
            } else {
                usageQuantity = usageQuantity.add(line.quantity());
                amountCost = amountCost.add(line.quantity().multiply(line.unitCost()));
                amountPrice = amountPrice.add(line.quantity().multiply(line.unitPrice()));
            }
        }
        for (Adjustment a : adjustments) {
            licenceDays = licenceDays.add(a.licenceDays());
            amountCost = amountCost.add(a.cost());
            amountPrice = amountPrice.add(a.price());
            if (a.from() != null && a.to() != null && !a.to().isBefore(period.atEndOfMonth()) && !a.from().isAfter(period.atEndOfMonth())) {
                // the catch-up's licences on each of its days (its licence-days spread over them) include the month's last day
                long covered = java.time.temporal.ChronoUnit.DAYS.between(a.from(), a.to()) + 1;
                endQuantity = endQuantity.add(a.licenceDays().divide(BigDecimal.valueOf(covered), QUANTITY_SCALE, RoundingMode.HALF_UP));
            }
        }
        BigDecimal quantity = licenceDays.divide(days, QUANTITY_SCALE, RoundingMode.HALF_UP);
        BigDecimal cost = Money.of(costDays.divide(days, WORK_SCALE, RoundingMode.HALF_UP).add(amountCost));
        BigDecimal price = Money.of(priceDays.divide(days, WORK_SCALE, RoundingMode.HALF_UP).add(amountPrice));
        boolean iaas = kind == SubscriptionKind.IAAS;
        return new PsaValues(iaas ? BigDecimal.ONE : quantity, cost, price, iaas ? BigDecimal.ONE : endQuantity, usageQuantity);
    }
}
