package io.cwbridge.rules.reconciliation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * R34, the three-way check of one subscription's billing month: the distributor's invoice line
 * against the subscription as the marketplace knows it (quantity by day, unit price and cost)
 * against what ConnectWise bills (its additions weighted by active days, R32 v2 {@link PsaValues},
 * plus the agreement adjustments / R27 catch-ups of the month). Plain Java, no I/O.
 *
 * <p>Mismatches (amounts are positive, scale 2, HALF_UP):
 * <ul>
 *   <li>{@link Kind#MISSING_IN_CONNECTWISE}: invoiced or active in the marketplace, nothing billed; amount = what the marketplace says;</li>
 *   <li>{@link Kind#NOT_ON_INVOICE}: billed in ConnectWise, no distributor invoice line; amount = what ConnectWise bills;</li>
 *   <li>{@link Kind#PRICE_DRIFT} / {@link Kind#COST_DRIFT}: a licence line's unit price / cost differs from the marketplace's by more
 *       than a cent; amount = Σ (line unit − marketplace unit) × the line's licence-months, as a magnitude;</li>
 *   <li>{@link Kind#UNDER_BILLED} / {@link Kind#OVER_BILLED}: at the marketplace's unit price, ConnectWise's licence-months plus
 *       adjustments bill less / more than the marketplace's licence-months; amount = the difference.</li>
 * </ul>
 * So a drift and a quantity difference are told apart: billed − expected = price drift + quantity part.
 */
public final class ThreeWay {

    public enum Kind { UNDER_BILLED, OVER_BILLED, MISSING_IN_CONNECTWISE, NOT_ON_INVOICE, PRICE_DRIFT, COST_DRIFT }

    /** The marketplace's quantity from {@code from} on (until the next step). */
    public record QuantityStep(LocalDate from, BigDecimal quantity) {
        public QuantityStep {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(quantity, "quantity");
        }
    }

    /** The subscription as the marketplace knows it (null unit values count as 0). */
    public record Marketplace(List<QuantityStep> steps, BigDecimal unitPrice, BigDecimal unitCost) {
        public Marketplace {
            steps = List.copyOf(steps);
            unitPrice = unitPrice == null ? BigDecimal.ZERO : unitPrice;
            unitCost = unitCost == null ? BigDecimal.ZERO : unitCost;
        }

        /** Σ quantity × days in the month / days of the month (scale 4, HALF_UP). */
        public BigDecimal licenceMonths(YearMonth period) {
            return licenceDays(period).divide(BigDecimal.valueOf(period.lengthOfMonth()), PsaValues.QUANTITY_SCALE, RoundingMode.HALF_UP);
        }

        /** Σ quantity × days in the month, exact: amounts are computed from it and rounded once. */
        public BigDecimal licenceDays(YearMonth period) {
            List<QuantityStep> sorted = steps.stream().sorted(Comparator.comparing(QuantityStep::from)).toList();
            LocalDate first = period.atDay(1);
            LocalDate end = period.atEndOfMonth().plusDays(1);
            BigDecimal licenceDays = BigDecimal.ZERO;
            for (int i = 0; i < sorted.size(); i++) {
                LocalDate from = sorted.get(i).from().isBefore(first) ? first : sorted.get(i).from();
                LocalDate to = i + 1 < sorted.size() && sorted.get(i + 1).from().isBefore(end) ? sorted.get(i + 1).from() : end;
                if (!from.isBefore(to)) continue;
                licenceDays = licenceDays.add(sorted.get(i).quantity().multiply(BigDecimal.valueOf(ChronoUnit.DAYS.between(from, to))));
            }
            return licenceDays;
        }
    }

    /** Adjustments of the month on the subscription's agreement (R27 catch-ups): price and cost amounts. */
    public record Adjustments(BigDecimal price, BigDecimal cost) {
        public static final Adjustments NONE = new Adjustments(BigDecimal.ZERO, BigDecimal.ZERO);

        public Adjustments {
            price = price == null ? BigDecimal.ZERO : price;
            cost = cost == null ? BigDecimal.ZERO : cost;
        }
    }

    /** What the check sees of one subscription's month; invoice or marketplace may be null (unknown). */
    public record Facts(InvoiceTotals invoice, Marketplace marketplace, List<PsaLine> psaLines, Adjustments adjustments) {
        public Facts {
            psaLines = psaLines == null ? List.of() : List.copyOf(psaLines);
            adjustments = adjustments == null ? Adjustments.NONE : adjustments;
        }
    }

    /**
     * One mismatch with the numbers behind it: the marketplace's and ConnectWise's licence-months,
     * unit values and price amounts (any may be null when that side knows nothing).
     */
    public record Mismatch(Kind kind, BigDecimal amount, BigDecimal expectedQuantity, BigDecimal billedQuantity,
                           BigDecimal expectedUnit, BigDecimal billedUnit, BigDecimal expectedAmount, BigDecimal billedAmount,
                           String detail) {
        public Mismatch {
            expectedUnit = unit(expectedUnit);
            billedUnit = unit(billedUnit);
        }
    }

    /** A unit value shown with at least the cents (25 → 25.00; 18.7045 stays as it is). */
    static BigDecimal unit(BigDecimal value) {
        return value == null || value.scale() >= Money.SCALE ? value : value.setScale(Money.SCALE);
    }

    private static final BigDecimal CENT = new BigDecimal("0.01");

    private ThreeWay() {}

    public static List<Mismatch> compare(YearMonth period, Facts facts) {
        List<Mismatch> out = new ArrayList<>();
        List<PsaLine> active = facts.psaLines().stream().filter(l -> l.activeDays(period) > 0).toList();
        PsaValues psa = PsaValues.of(null, period, active);
        boolean billed = !active.isEmpty() || facts.adjustments().price().signum() != 0;
        BigDecimal billedPrice = Money.of(psa.price().add(facts.adjustments().price()));
        Marketplace mp = facts.marketplace();
        BigDecimal expectedMonths = mp == null ? null : mp.licenceMonths(period);
        BigDecimal days = BigDecimal.valueOf(period.lengthOfMonth());
        // amounts from licence-days, rounded once (licence-months at scale 4 times a large unit price are off by cents)
        BigDecimal expectedPrice = mp == null ? null : Money.of(perMonth(mp.licenceDays(period).multiply(mp.unitPrice()), days));
        boolean known = facts.invoice() != null || (expectedMonths != null && expectedMonths.signum() != 0);

        if (!billed) {
            if (known) {
                BigDecimal amount = expectedPrice != null && expectedPrice.signum() != 0 ? expectedPrice : Money.of(facts.invoice().amount());
                out.add(new Mismatch(Kind.MISSING_IN_CONNECTWISE, amount.abs(), expectedMonths, BigDecimal.ZERO.setScale(PsaValues.QUANTITY_SCALE),
                        mp == null ? null : mp.unitPrice(), null, amount, Money.ZERO,
                        facts.invoice() != null ? "on the distributor invoice, no addition billed in the month" : "active in the marketplace, no addition billed in the month"));
            }
            return out;
        }
        if (facts.invoice() == null) {
            out.add(new Mismatch(Kind.NOT_ON_INVOICE, billedPrice.abs(), expectedMonths, psa.quantity(), mp == null ? null : mp.unitPrice(),
                    null, expectedPrice, billedPrice, "billed in ConnectWise, not on the distributor invoice"));
        }
        if (mp == null) return out;
        drift(Kind.PRICE_DRIFT, period, active, mp.unitPrice(), days, true).ifPresent(out::add);
        drift(Kind.COST_DRIFT, period, active, mp.unitCost(), days, false).ifPresent(out::add);
        // The quantity part, at the marketplace's unit price: billed licence-months (+ adjustments) against the expected ones.
        BigDecimal billedLicenceDays = active.stream().filter(PsaLine::licences)
                .map(l -> l.quantity().multiply(BigDecimal.valueOf(l.activeDays(period)))).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal atMarketplacePrice = Money.of(perMonth(billedLicenceDays.multiply(mp.unitPrice()), days).add(facts.adjustments().price()));
        BigDecimal difference = atMarketplacePrice.subtract(expectedPrice);
        if (difference.abs().compareTo(CENT) > 0 || (difference.signum() != 0 && psa.quantity().compareTo(expectedMonths) != 0)) {
            Kind kind = difference.signum() < 0 ? Kind.UNDER_BILLED : Kind.OVER_BILLED;
            out.add(new Mismatch(kind, difference.abs(), expectedMonths, psa.quantity(), mp.unitPrice(), mp.unitPrice(), expectedPrice,
                    atMarketplacePrice, "ConnectWise bills " + psa.quantity().toPlainString() + " licence-months"
                    + (facts.adjustments().price().signum() != 0 ? " and adjustments of " + Money.of(facts.adjustments().price()).toPlainString() : "")
                    + ", the marketplace " + expectedMonths.toPlainString()));
        }
        return out;
    }

    private static BigDecimal perMonth(BigDecimal perDays, BigDecimal days) {
        return perDays.divide(days, 12, RoundingMode.HALF_UP);
    }

    private static java.util.Optional<Mismatch> drift(Kind kind, YearMonth period, List<PsaLine> active, BigDecimal expectedUnit,
                                                      BigDecimal days, boolean price) {
        BigDecimal amount = BigDecimal.ZERO;
        BigDecimal worst = null;
        BigDecimal months = BigDecimal.ZERO;
        for (PsaLine line : active) {
            if (!line.licences()) continue;
            BigDecimal unit = price ? line.unitPrice() : line.unitCost();
            BigDecimal diff = unit.subtract(expectedUnit);
            if (diff.abs().compareTo(CENT) <= 0) continue;
            BigDecimal lineMonths = line.quantity().multiply(BigDecimal.valueOf(line.activeDays(period))).divide(days, 12, RoundingMode.HALF_UP);
            amount = amount.add(diff.multiply(lineMonths));
            months = months.add(lineMonths);
            if (worst == null || diff.abs().compareTo(worst.subtract(expectedUnit).abs()) > 0) worst = unit;
        }
        if (worst == null) return java.util.Optional.empty();
        BigDecimal money = Money.of(amount);
        return java.util.Optional.of(new Mismatch(kind, money.abs(), null, months.setScale(PsaValues.QUANTITY_SCALE, RoundingMode.HALF_UP),
                expectedUnit, worst, null, money, (price ? "unit price " : "unit cost ") + unit(worst).toPlainString() + " in ConnectWise, "
                + unit(expectedUnit).toPlainString() + " in the marketplace"));
    }

    /**
     * The reconciliation digest's line for a month (R33 × R34), empty when nothing is off:
     * {@code Three-way check 2024-04: 6 mismatches, under-billed 44.00, over-billed 22.00}.
     */
    public static java.util.Optional<String> digestLine(YearMonth month, int mismatches, BigDecimal underBilled, BigDecimal overBilled) {
        if (mismatches == 0) return java.util.Optional.empty();
        return java.util.Optional.of("Three-way check " + month + ": " + mismatches + (mismatches == 1 ? " mismatch" : " mismatches")
                + ", under-billed " + Money.of(underBilled).toPlainString() + ", over-billed " + Money.of(overBilled).toPlainString());
    }
}
