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
     * (nothing to patch: 1 licence × 3 days × 37.00 / 29 = 3.83 stays 37.00).
     */
    public static Optional<BigDecimal> finalUnitCost(InvoiceTotals reseller, YearMonth period, List<PsaLine> lines) {
        PsaValues psa = PsaValues.of(io.cwbridge.events.SubscriptionKind.SAAS, period, lines);
        if (reseller == null || psa.quantity().signum() <= 0) return Optional.empty();
        if (reseller.quantity() != null && !ReconciliationRules.sameQuantity(reseller.quantity(), psa)) return Optional.empty();
        if (psa.cost().compareTo(Money.of(reseller.amount())) == 0) return Optional.empty();
        BigDecimal amounts = lines.stream().filter(l -> !l.licences() && l.activeDays(period) > 0)
                .map(l -> l.quantity().multiply(l.unitCost())).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal licenceDays = lines.stream().filter(l -> l.licences() && l.activeDays(period) > 0)
                .map(l -> l.quantity().multiply(BigDecimal.valueOf(l.activeDays(period)))).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (licenceDays.signum() <= 0) return Optional.empty();
        return Optional.of(Money.of(reseller.amount()).subtract(amounts).multiply(BigDecimal.valueOf(period.lengthOfMonth()))
                .divide(licenceDays, Money.SCALE, RoundingMode.HALF_UP));
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
