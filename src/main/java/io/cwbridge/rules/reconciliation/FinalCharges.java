package io.cwbridge.rules.reconciliation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;

/**
 * R32 v2: what the reconciliation writes to ConnectWise.
 * <ul>
 *   <li>the final reseller cost (the reseller invoice) becomes the unit cost of the subscription's
 *       licence lines: invoice amount × days in the month / the licence-days ConnectWise bills, so the
 *       days-weighted cost equals the invoice (when the partner's rules push cost), and only when the
 *       lines' unit costs do not give the invoiced cost already;</li>
 *   <li>the charges posted (automatically or on Accept) are the deltas, with the price left out
 *       when the kind's invoice values are COST_ONLY;</li>
 *   <li>for IaaS the usage line takes the delta on its own unit values (quantity 1) instead of a
 *       new line being added.</li>
 * </ul>
 */
public final class FinalCharges {

    private FinalCharges() {}

    /**
     * The final unit cost of the licence lines: (reseller amount − the usage/setup lines' cost) × days in the month /
     * licence-days, from the licence-days exactly (never from licence-months rounded to 4 decimals); empty when
     * ConnectWise bills no licences for the month, or other licences than the invoice (R32 v2 × R34: the invoice's cost
     * spread over too few or too many licences would be no unit cost of the partner's; the quantity's difference is the
     * delta line's, at the unit cost as it is), or when the lines' unit costs already give the invoiced cost to the cent
     * (nothing to patch: 1 licence × 3 days × 37.00 / 29 = 3.83 stays 37.00). Lines billed by calendar month.
     */
    public static Optional<BigDecimal> finalUnitCost(InvoiceTotals reseller, YearMonth period, List<PsaLine> lines) {
        return finalUnitCost(reseller, period, lines, BillingTerms.MONTHLY);
    }

    /** The most decimals a final unit cost gets (ConnectWise's unitCost is a JSON number of no fixed scale). */
    static final int MAX_UNIT_SCALE = 8;

    /**
     * R32 v2 as {@link #finalUnitCost(InvoiceTotals, YearMonth, List)}, the lines billed as {@code terms} say, and also
     * empty (the unit costs are left alone, the difference is the delta line's):
     * <ul>
     *   <li>when the month's licence lines are not one product at one unit cost (R19 a full upgrade's month bills two
     *       products: one invoice amount cannot be split into their unit costs, 200.00 for 8 BP and 8 E3 is neither's);</li>
     *   <li>yearly (R5): the final unit cost is a yearly one, (amount − usage) / the licences whose yearly billing begins in
     *       the month (448.80 for 2 licences of the year: 224.40), never the amount spread over the month's days.</li>
     * </ul>
     * The unit cost has as many decimals as it needs (2 at least, at most {@value #MAX_UNIT_SCALE}) for the lines to bill
     * the invoice to the cent: 1000.00 for 300 licences is 3.33333 (300 × 3.33 = 999.00 would be a discrepancy of the
     * bundle's own rounding).
     */
    public static Optional<BigDecimal> finalUnitCost(InvoiceTotals reseller, YearMonth period, List<PsaLine> lines, BillingTerms terms) {
        BillingTerms billing = terms == null ? BillingTerms.MONTHLY : terms;
        PsaValues psa = PsaValues.of(io.cwbridge.events.SubscriptionKind.SAAS, period, lines, List.of(), billing);
        if (reseller == null || psa.quantity().signum() <= 0) return Optional.empty();
        if (reseller.quantity() != null && !ReconciliationRules.sameQuantity(reseller.quantity(), psa)) return Optional.empty();
        BigDecimal invoiced = Money.of(reseller.amount());
        if (psa.cost().compareTo(invoiced) == 0) return Optional.empty();
        List<PsaLine> billed = lines.stream().filter(l -> l.licences() && !billing.billedIn(l, period).isEmpty()).toList();
        if (billed.isEmpty()) return Optional.empty();
        if (billed.stream().map(PsaLine::catalogItemId).distinct().count() > 1
                || billed.stream().map(l -> l.unitCost().stripTrailingZeros()).distinct().count() > 1) {
            return Optional.empty(); // not one product at one cost
        }
        BigDecimal amounts = lines.stream().filter(l -> !l.licences() && l.activeDays(period) > 0)
                .map(l -> l.quantity().multiply(l.unitCost())).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal numerator;
        BigDecimal denominator;
        if (billing.yearly()) {
            numerator = invoiced.subtract(amounts);
            denominator = billed.stream().map(PsaLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        } else {
            numerator = invoiced.subtract(amounts).multiply(BigDecimal.valueOf(period.lengthOfMonth()));
            denominator = billed.stream().map(l -> l.quantity().multiply(BigDecimal.valueOf(l.activeDays(period))))
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }
        if (denominator.signum() <= 0) return Optional.empty();
        BigDecimal unit = null;
        for (int scale = Money.SCALE; scale <= MAX_UNIT_SCALE; scale++) {
            unit = numerator.divide(denominator, scale, RoundingMode.HALF_UP);
            BigDecimal u = unit;
            List<PsaLine> patched = lines.stream().map(l -> billed.contains(l) ? l.withUnits(u, l.unitPrice()) : l).toList();
            if (PsaValues.of(io.cwbridge.events.SubscriptionKind.SAAS, period, patched, List.of(), billing).cost().compareTo(invoiced) == 0) break;
        }
        BigDecimal result = unit.stripTrailingZeros();
        if (result.scale() < Money.SCALE) result = result.setScale(Money.SCALE);
        if (result.compareTo(billed.get(0).unitCost()) == 0) return Optional.empty(); // the lines' cost already
        return Optional.of(result);
    }

    /** Cost and price an accept or the automatic post sends: the deltas, the price 0 under COST_ONLY. */
    public record Charges(BigDecimal cost, BigDecimal price) {
        public boolean nothing() {
            return cost.signum() == 0 && price.signum() == 0;
        }
    }

    public static Charges toPost(BigDecimal deltaCost, BigDecimal deltaPrice, boolean costOnly) {
        return new Charges(Money.of(deltaCost), costOnly ? Money.ZERO : Money.of(deltaPrice));
    }

    /** The IaaS line's new unit values: its own plus the charges (its quantity is 1). */
    public static Charges iaasLineValues(PsaLine usageLine, Charges charges) {
        return new Charges(Money.of(usageLine.unitCost().add(charges.cost())), Money.of(usageLine.unitPrice().add(charges.price())));
    }
}
