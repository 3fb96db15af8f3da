package io.cwbridge.rules.reconciliation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
 * So a drift and a quantity difference are told apart: billed − expected = price drift + quantity part. The
 * reconciliation's charges (R32), where the lines bill what the marketplace says, are weighed in money against the
 * customer invoice (a charge a late event made redundant is OVER_BILLED); an IaaS month is compared by amount
 * ({@link #usageMonth}); in a full-upgrade month each line is compared with its own product's units (R19).
 */
public final class ThreeWay {

    public enum Kind { UNDER_BILLED, OVER_BILLED, MISSING_IN_CONNECTWISE, NOT_ON_INVOICE, PRICE_DRIFT, COST_DRIFT }

    /**
     * The marketplace's quantity from {@code from} on (until the next step), at the unit price and cost the event that
     * set it carried (null: the subscription's latest ones, {@link Marketplace}).
     */
    public record QuantityStep(LocalDate from, BigDecimal quantity, BigDecimal unitPrice, BigDecimal unitCost, String product) {
        public QuantityStep {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(quantity, "quantity");
        }

        public QuantityStep(LocalDate from, BigDecimal quantity, BigDecimal unitPrice, BigDecimal unitCost) {
            this(from, quantity, unitPrice, unitCost, null);
        }

        public QuantityStep(LocalDate from, BigDecimal quantity) {
            this(from, quantity, null, null);
        }

        /** The same step, its product named ({@code product}: what a line of the product is known by, e.g. its catalog item). */
        public QuantityStep withProduct(String product) {
            return new QuantityStep(from, quantity, unitPrice, unitCost, product);
        }
    }

    /**
     * R24: one usage period the marketplace's usage events bill ({@code from}–{@code to}, the latest event of the period):
     * overuse price and cost amounts (overused amount × overuse price / cost). An IaaS line is quantity 1 carrying them.
     */
    public record UsageCharge(LocalDate from, LocalDate to, BigDecimal price, BigDecimal cost) {
        public UsageCharge {
            Objects.requireNonNull(from, "from");
            to = to == null || to.isBefore(from) ? from : to;
            price = price == null ? BigDecimal.ZERO : price;
            cost = cost == null ? BigDecimal.ZERO : cost;
        }

        /** Whether the usage period has days in the month (as a usage line dated the same way is active in it, R32 v2). */
        boolean in(YearMonth period) {
            return !from.isAfter(period.atEndOfMonth()) && !to.isBefore(period.atDay(1));
        }
    }

    /** The subscription as the marketplace knows it (null unit values count as 0); {@code usage}: its usage events (R24). */
    public record Marketplace(List<QuantityStep> steps, BigDecimal unitPrice, BigDecimal unitCost, List<UsageCharge> usage) {
        public Marketplace {
            steps = steps.stream().sorted(Comparator.comparing(QuantityStep::from)).toList();
            unitPrice = unitPrice == null ? BigDecimal.ZERO : unitPrice;
            unitCost = unitCost == null ? BigDecimal.ZERO : unitCost;
            usage = usage == null ? List.of() : List.copyOf(usage);
        }

        public Marketplace(List<QuantityStep> steps, BigDecimal unitPrice, BigDecimal unitCost) {
            this(steps, unitPrice, unitCost, List.of());
        }

        /** Whether a usage event bills a period of the month. */
        public boolean usageIn(YearMonth period) {
            return usage.stream().anyMatch(u -> u.in(period));
        }

        /** What the month's usage events bill: Σ price (or cost) amounts of the usage periods in the month. */
        public BigDecimal usageAmount(YearMonth period, boolean price) {
            return usage.stream().filter(u -> u.in(period)).map(u -> price ? u.price() : u.cost()).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        /** Σ quantity × days in the month / days of the month (scale 4, HALF_UP). */
        public BigDecimal licenceMonths(YearMonth period) {
            return licenceDays(period).divide(BigDecimal.valueOf(period.lengthOfMonth()), PsaValues.QUANTITY_SCALE, RoundingMode.HALF_UP);
        }

        /** Σ quantity × days in the month, exact: amounts are computed from it and rounded once. */
        public BigDecimal licenceDays(YearMonth period) {
            BigDecimal licenceDays = BigDecimal.ZERO;
            for (LocalDate d = period.atDay(1); !d.isAfter(period.atEndOfMonth()); d = d.plusDays(1)) {
                QuantityStep step = on(d);
                if (step != null) licenceDays = licenceDays.add(step.quantity());
            }
            return licenceDays;
        }

        /** The step in effect on {@code d}, or null before the first. */
        QuantityStep on(LocalDate d) {
            QuantityStep found = null;
            for (QuantityStep step : steps) {
                if (step.from().isAfter(d)) break;
                found = step;
            }
            return found;
        }

        /** The unit price on {@code d}: the price its step's event carried, else the latest. */
        public BigDecimal priceOn(LocalDate d) {
            return priceOf(on(d));
        }

        private BigDecimal priceOf(QuantityStep step) {
            return step != null && step.unitPrice() != null ? step.unitPrice() : unitPrice;
        }

        BigDecimal costOn(LocalDate d) {
            QuantityStep step = on(d);
            return step != null && step.unitCost() != null ? step.unitCost() : unitCost;
        }

        /**
         * R34 × R19: the step a line of {@code product} is compared with on {@code d}: the latest step of that product on or
         * before the day (a full upgrade's old base and −Q line bill the old product after the upgrade day too), else its
         * first; the day's step when the product is unknown or no step names it.
         */
        QuantityStep of(String product, LocalDate d) {
            if (product == null) return on(d);
            QuantityStep latest = null;
            QuantityStep first = null;
            for (QuantityStep step : steps) {
                if (!product.equals(step.product())) continue;
                if (first == null) first = step;
                if (!step.from().isAfter(d)) latest = step;
            }
            return latest != null ? latest : first != null ? first : on(d);
        }

        BigDecimal unitOf(QuantityStep step, boolean price) {
            BigDecimal unit = step == null ? null : price ? step.unitPrice() : step.unitCost();
            return unit != null ? unit : price ? unitPrice : unitCost;
        }

        /**
         * R34 × R5: what the marketplace bills in {@code month} on an agreement billed by {@code terms}: {@code quantity}
         * licence-periods (licence-months, or licence-years; exact) and {@code amount} at each day's unit price (exact).
         * Monthly: {@link #licenceDays} and {@link #amount} of the month, unrounded. Yearly, as the sync's lines bill (a base
         * line for the year, a delta or −Q line from a change's day, each in the month its billing of the year begins): the
         * licences on the agreement year's first day, for the whole year, in the year's first month; each later change of
         * quantity or price (the subscription's end too) from its day to the year's end, in its month; nothing else.
         * 2 licences at 264.00 from 16 December on a year from 1 December: December 2 × 350 / 365 licence-years, 506.30;
         * January to November nothing.
         */
        public Billed billedIn(YearMonth month, BillingTerms terms) {
            if (terms == null || !terms.yearly()) {
                BigDecimal days = BigDecimal.valueOf(month.lengthOfMonth());
                BigDecimal priceDays = BigDecimal.ZERO;
                for (LocalDate d = month.atDay(1); !d.isAfter(month.atEndOfMonth()); d = d.plusDays(1)) {
                    QuantityStep step = on(d);
                    if (step != null) priceDays = priceDays.add(step.quantity().multiply(priceOf(step)));
                }
                return new Billed(perMonth(licenceDays(month), days), perMonth(priceDays, days));
            }
            BigDecimal quantity = BigDecimal.ZERO;
            BigDecimal amount = BigDecimal.ZERO;
            for (io.cwbridge.rules.Proration.Period p : terms.yearsOf(month)) {
                BigDecimal yearDays = BigDecimal.valueOf(p.days());
                QuantityStep first = on(p.start());
                BigDecimal q = first == null ? BigDecimal.ZERO : first.quantity();
                BigDecimal a = first == null ? BigDecimal.ZERO : q.multiply(priceOf(first));
                if (YearMonth.from(p.start()).equals(month)) {
                    quantity = quantity.add(q);
                    amount = amount.add(a);
                }
                for (QuantityStep step : steps) {
                    if (!step.from().isAfter(p.start()) || step.from().isAfter(p.end())) continue;
                    BigDecimal stepAmount = step.quantity().multiply(priceOf(step));
                    if (YearMonth.from(step.from()).equals(month)) {
                        BigDecimal days = BigDecimal.valueOf(ChronoUnit.DAYS.between(step.from(), p.end()) + 1);
                        quantity = quantity.add(perMonth(step.quantity().subtract(q).multiply(days), yearDays));
                        amount = amount.add(perMonth(stepAmount.subtract(a).multiply(days), yearDays));
                    }
                    q = step.quantity();
                    a = stepAmount;
                }
            }
            // the year's-start layer counts the whole year: its share is 1
            return new Billed(quantity, amount);
        }

        /** What the marketplace bills for the month: Σ over its days of quantity × that day's unit price / days (scale 2). */
        public BigDecimal amount(YearMonth period) {
            BigDecimal priceDays = BigDecimal.ZERO;
            for (LocalDate d = period.atDay(1); !d.isAfter(period.atEndOfMonth()); d = d.plusDays(1)) {
                QuantityStep step = on(d);
                if (step != null) priceDays = priceDays.add(step.quantity().multiply(priceOf(step)));
            }
            return Money.of(perMonth(priceDays, BigDecimal.valueOf(period.lengthOfMonth())));
        }
    }

    /** What the marketplace bills in a month ({@link Marketplace#billedIn}): licence-periods and price amount, exact. */
    public record Billed(BigDecimal quantity, BigDecimal amount) {}

    /**
     * Adjustments of the month on the subscription's agreement (R27 catch-ups) or charges (R32): price and cost amounts.
     * {@code catchUps}: the R27 catch-ups among them with their licence-days and days (as R32 counts them,
     * {@link PsaValues.Adjustment}), so their licences count as licences; an amount without them (a charge) counts as
     * licences at the marketplace's unit price.
     */
    public record Adjustments(BigDecimal price, BigDecimal cost, List<PsaValues.Adjustment> catchUps) {
        public static final Adjustments NONE = new Adjustments(BigDecimal.ZERO, BigDecimal.ZERO);

        public Adjustments {
            price = price == null ? BigDecimal.ZERO : price;
            cost = cost == null ? BigDecimal.ZERO : cost;
            catchUps = catchUps == null ? List.of() : List.copyOf(catchUps);
        }

        public Adjustments(BigDecimal price, BigDecimal cost) {
            this(price, cost, List.of());
        }

        /** One R27 catch-up posted as an adjustment: its amounts, and its licence-days for the quantity. */
        public static Adjustments of(PsaValues.Adjustment catchUp) {
            return new Adjustments(catchUp.price(), catchUp.cost(), List.of(catchUp));
        }

        public Adjustments plus(Adjustments other) {
            List<PsaValues.Adjustment> both = new ArrayList<>(catchUps);
            both.addAll(other.catchUps);
            return new Adjustments(price.add(other.price), cost.add(other.cost), both);
        }

        /** The part of the price amount that no catch-up's licence-days account for. */
        BigDecimal priceWithoutLicenceDays() {
            return catchUps.stream().map(PsaValues.Adjustment::price).reduce(price, BigDecimal::subtract);
        }
    }

    /**
     * What the check sees of one subscription's month; invoice or marketplace may be null (unknown). {@code licensed}: the
     * invoice's quantity counts licences (SaaS), not usage (IaaS: its quantity is the usage amount). {@code charges}: what
     * the billing reconciliation (R32) posted for the month and still stands (its delta lines, as ConnectWise has them,
     * and what it added to an IaaS usage line's values; the line then comes with its values before them).
     * {@code customerInvoice}: the distributor's customer invoice line of the month (null: none); {@code usagePushed}: what
     * the partner's rules push of a usage line's amounts; {@code products}: the product each licence line bills, by
     * addition id, named as the marketplace's steps name theirs (empty: one product).
     */
    public record Facts(InvoiceTotals invoice, Marketplace marketplace, List<PsaLine> psaLines, Adjustments adjustments,
                        boolean licensed, Adjustments charges, InvoiceTotals customerInvoice, Pushed usagePushed,
                        Map<Long, String> products, BillingTerms terms) {
        public Facts {
            terms = terms == null ? BillingTerms.MONTHLY : terms;
            psaLines = psaLines == null ? List.of() : List.copyOf(psaLines);
            adjustments = adjustments == null ? Adjustments.NONE : adjustments;
            charges = charges == null ? Adjustments.NONE : charges;
            usagePushed = usagePushed == null ? Pushed.BOTH : usagePushed;
            products = products == null ? Map.of() : Map.copyOf(products);
        }

        public Facts(InvoiceTotals invoice, Marketplace marketplace, List<PsaLine> psaLines, Adjustments adjustments, boolean licensed,
                     Adjustments charges, InvoiceTotals customerInvoice, Pushed usagePushed, Map<Long, String> products) {
            this(invoice, marketplace, psaLines, adjustments, licensed, charges, customerInvoice, usagePushed, products, BillingTerms.MONTHLY);
        }

        public Facts(InvoiceTotals invoice, Marketplace marketplace, List<PsaLine> psaLines, Adjustments adjustments, boolean licensed,
                     Adjustments charges) {
            this(invoice, marketplace, psaLines, adjustments, licensed, charges, null, null, null);
        }

        /**
         * R34 × R5: the same facts, the subscription's lines (and the marketplace's licences) billed as its agreement bills
         * them ({@code terms}; {@link BillingTerms#MONTHLY}, the default: calendar months).
         */
        public Facts withTerms(BillingTerms terms) {
            return new Facts(invoice, marketplace, psaLines, adjustments, licensed, charges, customerInvoice, usagePushed, products, terms);
        }

        /**
         * The same facts with the distributor's customer invoice line of the month (the price the customer is billed,
         * as R32 reads it; null: none), what the partner's rules push of a usage line's amounts (R24: COST_ONLY or a sync
         * off leaves ConnectWise's usage price, or cost, not the bundle's) and the product each line bills, by addition id.
         */
        public Facts with(InvoiceTotals customerInvoice, Pushed usagePushed, Map<Long, String> products) {
            return new Facts(invoice, marketplace, psaLines, adjustments, licensed, charges, customerInvoice, usagePushed, products, terms);
        }

        public Facts(InvoiceTotals invoice, Marketplace marketplace, List<PsaLine> psaLines, Adjustments adjustments, boolean licensed) {
            this(invoice, marketplace, psaLines, adjustments, licensed, Adjustments.NONE);
        }

        public Facts(InvoiceTotals invoice, Marketplace marketplace, List<PsaLine> psaLines, Adjustments adjustments) {
            this(invoice, marketplace, psaLines, adjustments, true);
        }
    }

    /** Which of a usage line's amounts the partner's rules push to ConnectWise (R24 × R17: sync price / cost, COST_ONLY). */
    public record Pushed(boolean price, boolean cost) {
        public static final Pushed BOTH = new Pushed(true, true);
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

    /**
     * R34 × R32: the billing reconciliation's posted charges are billed in ConnectWise like the R27 adjustments. They answer
     * the distributor's invoice: where the lines (and R27 adjustments) bill what the marketplace says, the charges made up
     * a difference between the invoice and both, and are weighed against the invoice alone (an accepted price or
     * quantity difference is then no mismatch); otherwise they count against the marketplace too (a line the charges
     * made up for).
     */
    public static List<Mismatch> compare(YearMonth period, Facts facts) {
        if (!facts.licensed()) return usageMonth(period, facts);
        if (facts.terms().yearly()) return agreementYear(period, facts);
        List<Mismatch> out = new ArrayList<>();
        List<PsaLine> active = facts.psaLines().stream().filter(l -> l.activeDays(period) > 0).toList();
        PsaValues psa = PsaValues.of(null, period, active);
        BigDecimal adjustments = facts.adjustments().price();
        BigDecimal charges = facts.charges().price();
        BigDecimal billedAdjustments = adjustments.add(charges);
        boolean billed = !active.isEmpty() || billedAdjustments.signum() != 0;
        BigDecimal billedPrice = Money.of(psa.price().add(billedAdjustments));
        Marketplace mp = facts.marketplace();
        BigDecimal expectedMonths = mp == null ? null : mp.licenceMonths(period);
        BigDecimal days = BigDecimal.valueOf(period.lengthOfMonth());
        // amounts from licence-days at each day's price, rounded once (licence-months at scale 4 times a large unit price
        // are off by cents; a price change or an upgrade inside the month changes the price from its day)
        BigDecimal expectedPrice = mp == null ? null : mp.amount(period);
        boolean known = facts.invoice() != null || (expectedMonths != null && expectedMonths.signum() != 0);

        if (!billed) {
            if (known) {
                BigDecimal amount = expectedPrice != null && expectedPrice.signum() != 0 ? expectedPrice
                        : facts.invoice() != null ? Money.of(facts.invoice().amount()) : Money.ZERO;
                out.add(new Mismatch(Kind.MISSING_IN_CONNECTWISE, amount.abs(), expectedMonths, BigDecimal.ZERO.setScale(PsaValues.QUANTITY_SCALE),
                        mp == null ? null : mp.priceOn(period.atEndOfMonth()), null, amount, Money.ZERO,
                        facts.invoice() != null ? "on the distributor invoice, no addition billed in the month" : "active in the marketplace, no addition billed in the month"));
            }
            return out;
        }
        // an IaaS line at 0 before its usage invoice (R24) bills nothing: no invoice line is missing for it
        if (facts.invoice() == null && billedPrice.signum() != 0) {
            out.add(new Mismatch(Kind.NOT_ON_INVOICE, billedPrice.abs(), expectedMonths, psa.quantity(), mp == null ? null : mp.priceOn(period.atEndOfMonth()),
                    null, expectedPrice, billedPrice, "billed in ConnectWise, not on the distributor invoice"));
        }
        if (mp == null) return out;
        out.addAll(drift(Kind.PRICE_DRIFT, period, active, mp, days, true, facts.products()));
        out.addAll(drift(Kind.COST_DRIFT, period, active, mp, days, false, facts.products()));
        // The quantity part, at the marketplace's unit price of each day: billed licence-days (+ adjustments) against the
        // expected ones.
        BigDecimal billedPriceDays = BigDecimal.ZERO;
        for (PsaLine line : active) {
            if (!line.licences()) continue;
            for (LocalDate d = period.atDay(1); !d.isAfter(period.atEndOfMonth()); d = d.plusDays(1)) {
                if (line.activeOn(d)) billedPriceDays = billedPriceDays.add(line.quantity().multiply(mp.priceOn(d)));
            }
        }
        // the reconciliation's charges count against the marketplace only where the lines (and R27 adjustments) alone
        // do not bill what it says, or bill nothing
        boolean linesBillNothing = known && active.isEmpty() && adjustments.signum() == 0;
        quantityPart(out, period, facts, active, mp, psa, expectedMonths, expectedPrice, billedPrice,
                perMonth(billedPriceDays, days), linesBillNothing, "licence-months");
        return out;
    }

    /**
     * The quantity part of a month (or of an agreement year's first month, {@code unit} "licence-years"): the lines at the
     * marketplace's unit price of each day they bill, with the R27 adjustments, against the marketplace's amount; the
     * reconciliation's charges count against the marketplace only where the lines and adjustments alone do not bill what
     * it says, or bill nothing; else the charges against the customer invoice, else the invoice's quantity.
     */
    private static void quantityPart(List<Mismatch> out, YearMonth period, Facts facts, List<PsaLine> active, Marketplace mp,
                                     PsaValues psa, BigDecimal expectedMonths, BigDecimal expectedPrice, BigDecimal billedPrice,
                                     BigDecimal linesAtMarketplacePrice, boolean linesBillNothing, String unit) {
        BigDecimal adjustments = facts.adjustments().price();
        BigDecimal charges = facts.charges().price();
        boolean chargesMadeUpForLines = linesBillNothing
                || quantityDiffers(Money.of(linesAtMarketplacePrice.add(adjustments)).subtract(expectedPrice), psa, expectedMonths);
        BigDecimal counted = chargesMadeUpForLines ? adjustments.add(charges) : adjustments;
        BigDecimal atMarketplacePrice = Money.of(linesAtMarketplacePrice.add(counted));
        BigDecimal difference = atMarketplacePrice.subtract(expectedPrice);
        if (quantityDiffers(difference, psa, expectedMonths)) {
            Kind kind = difference.signum() < 0 ? Kind.UNDER_BILLED : Kind.OVER_BILLED;
            BigDecimal price = mp.priceOn(period.atEndOfMonth());
            out.add(new Mismatch(kind, difference.abs(), expectedMonths, psa.quantity(), price, price, expectedPrice,
                    atMarketplacePrice, "ConnectWise bills " + psa.quantity().toPlainString() + " " + unit
                    + (counted.signum() != 0 ? " and adjustments of " + Money.of(counted).toPlainString() : "")
                    + ", the marketplace " + expectedMonths.toPlainString()));
        } else if (charges.signum() != 0 && facts.customerInvoice() != null && facts.customerInvoice().amount() != null) {
            chargesAgainstTheInvoice(facts, psa, expectedMonths, expectedPrice, billedPrice, adjustments, charges).ifPresent(out::add);
        } else {
            invoicedQuantity(period, facts, active, mp, expectedMonths, expectedPrice, billedPrice).ifPresent(out::add);
        }
    }

    /**
     * R34 × R5: a month of a subscription on a yearly agreement ({@link BillingTerms#yearly()}). ConnectWise bills a licence
     * line once per agreement year, in the month its billing of the year begins ({@link BillingTerms#billedIn}, as R32's
     * {@link PsaValues}); the marketplace's licences are weighed the same way ({@link Marketplace#billedIn}). So in that
     * month both sides are the year's (licence-years, amounts for the year's days), and in the other months of the year
     * neither bills: no row, unless the distributor invoices an amount then (MISSING_IN_CONNECTWISE) or an adjustment or
     * charge of the month bills one with no invoice line (NOT_ON_INVOICE). Drift weighs each line's unit against the
     * marketplace's over the line's days of the year; the quantity part, the charges and the invoice's quantity are
     * compared as for a month ({@link #compare}). 2 × 264.00 / 224.40 from 16 December on a year from 1 December, invoiced
     * 448.80 / 528.00 in December: December bills 506.30 against the marketplace's 506.30, January nothing.
     */
    private static List<Mismatch> agreementYear(YearMonth period, Facts facts) {
        BillingTerms terms = facts.terms();
        List<Mismatch> out = new ArrayList<>();
        List<PsaLine> active = facts.psaLines().stream()
                .filter(l -> l.licences() ? !terms.billedIn(l, period).isEmpty() : l.activeDays(period) > 0).toList();
        PsaValues psa = PsaValues.of(null, period, active, List.of(), terms);
        BigDecimal adjustments = facts.adjustments().price();
        BigDecimal charges = facts.charges().price();
        BigDecimal billedAdjustments = adjustments.add(charges);
        boolean billed = !active.isEmpty() || billedAdjustments.signum() != 0;
        BigDecimal billedPrice = Money.of(psa.price().add(billedAdjustments));
        Marketplace mp = facts.marketplace();
        Billed expected = mp == null ? null : mp.billedIn(period, terms);
        BigDecimal expectedMonths = expected == null ? null : expected.quantity().setScale(PsaValues.QUANTITY_SCALE, RoundingMode.HALF_UP);
        BigDecimal expectedPrice = expected == null ? null : Money.of(expected.amount());
        InvoiceTotals invoice = facts.invoice();
        BigDecimal invoiced = invoice == null || invoice.amount() == null ? null : Money.of(invoice.amount());

        if (!billed) {
            boolean expects = expectedMonths != null && (expectedMonths.signum() != 0 || expectedPrice.signum() != 0);
            if (expects || (invoiced != null && invoiced.signum() != 0)) {
                BigDecimal amount = expectedPrice != null && expectedPrice.signum() != 0 ? expectedPrice : invoiced != null ? invoiced : Money.ZERO;
                out.add(new Mismatch(Kind.MISSING_IN_CONNECTWISE, amount.abs(), expectedMonths, BigDecimal.ZERO.setScale(PsaValues.QUANTITY_SCALE),
                        mp == null ? null : mp.priceOn(period.atEndOfMonth()), null, amount, Money.ZERO, expects
                        ? "the marketplace bills the agreement year's licences in the month, no addition billed in it"
                        : "on the distributor invoice, no addition billed in the month (a yearly agreement bills a line in its year's first month)"));
            }
            return out;
        }
        if (invoice == null && billedPrice.signum() != 0) {
            out.add(new Mismatch(Kind.NOT_ON_INVOICE, billedPrice.abs(), expectedMonths, psa.quantity(), mp == null ? null : mp.priceOn(period.atEndOfMonth()),
                    null, expectedPrice, billedPrice, "billed in ConnectWise (the agreement year), not on the distributor invoice"));
        }
        if (mp == null) return out;
        out.addAll(yearDrift(Kind.PRICE_DRIFT, period, active, mp, terms, true, facts.products()));
        out.addAll(yearDrift(Kind.COST_DRIFT, period, active, mp, terms, false, facts.products()));
        // the quantity part, at the marketplace's unit price of each day of the year a line bills
        BigDecimal linesAtMarketplacePrice = BigDecimal.ZERO;
        for (PsaLine line : active) {
            if (!line.licences()) continue;
            for (io.cwbridge.rules.Proration.Period p : terms.periodsBilledIn(line, period)) {
                BigDecimal priceDays = BigDecimal.ZERO;
                for (LocalDate d = p.start(); !d.isAfter(p.end()); d = d.plusDays(1)) {
                    if (line.activeOn(d)) priceDays = priceDays.add(line.quantity().multiply(mp.priceOn(d)));
                }
                linesAtMarketplacePrice = linesAtMarketplacePrice.add(perMonth(priceDays, BigDecimal.valueOf(p.days())));
            }
        }
        boolean linesBillNothing = active.isEmpty() && adjustments.signum() == 0
                && (invoice != null || (expectedMonths != null && expectedMonths.signum() != 0));
        quantityPart(out, period, facts, active, mp, psa, expectedMonths, expectedPrice, billedPrice, linesAtMarketplacePrice,
                linesBillNothing, "licence-years");
        return out;
    }

    /**
     * R34 × R5: {@link #drift} on a yearly agreement: each licence line's unit against the marketplace's of the same day,
     * over the line's days of each agreement year it bills in the month, weighted by those days / the year's days; one
     * row per product whose lines drift.
     */
    private static List<Mismatch> yearDrift(Kind kind, YearMonth period, List<PsaLine> active, Marketplace mp, BillingTerms terms,
                                            boolean price, Map<Long, String> products) {
        java.util.LinkedHashMap<String, List<PsaLine>> byProduct = new java.util.LinkedHashMap<>();
        boolean known = active.stream().anyMatch(l -> l.licences() && l.additionId() != null && products.containsKey(l.additionId()));
        for (PsaLine line : active) {
            if (!line.licences()) continue;
            String product = known && line.additionId() != null ? products.get(line.additionId()) : null;
            byProduct.computeIfAbsent(product == null ? "" : product, k -> new ArrayList<>()).add(line);
        }
        List<Mismatch> out = new ArrayList<>();
        for (Map.Entry<String, List<PsaLine>> e : byProduct.entrySet()) {
            String product = e.getKey();
            List<PsaLine> lines = e.getValue();
            String named = product.isEmpty() ? null : product;
            BigDecimal amount = BigDecimal.ZERO;
            BigDecimal licenceYears = BigDecimal.ZERO;
            BigDecimal worst = null;
            BigDecimal worstExpected = null;
            for (PsaLine line : lines) {
                BigDecimal unit = price ? line.unitPrice() : line.unitCost();
                for (io.cwbridge.rules.Proration.Period p : terms.periodsBilledIn(line, period)) {
                    BigDecimal diffDays = BigDecimal.ZERO;
                    BigDecimal licenceDays = BigDecimal.ZERO;
                    for (LocalDate d = p.start(); !d.isAfter(p.end()); d = d.plusDays(1)) {
                        if (!line.activeOn(d)) continue;
                        BigDecimal expected = mp.unitOf(mp.of(named, d), price);
                        BigDecimal diff = unit.subtract(expected);
                        if (diff.abs().compareTo(CENT) <= 0) continue;
                        diffDays = diffDays.add(diff.multiply(line.quantity()));
                        licenceDays = licenceDays.add(line.quantity());
                        if (worst == null || diff.abs().compareTo(worst.subtract(worstExpected).abs()) > 0) {
                            worst = unit;
                            worstExpected = expected;
                        }
                    }
                    BigDecimal yearDays = BigDecimal.valueOf(p.days());
                    amount = amount.add(perMonth(diffDays, yearDays));
                    licenceYears = licenceYears.add(perMonth(licenceDays, yearDays));
                }
            }
            BigDecimal money = Money.of(amount);
            if (worst == null || money.signum() == 0) continue;
            out.add(new Mismatch(kind, money.abs(), null, licenceYears.setScale(PsaValues.QUANTITY_SCALE, RoundingMode.HALF_UP),
                    worstExpected, worst, null, money, (price ? "unit price " : "unit cost ") + unit(worst).toPlainString()
                    + " in ConnectWise, " + unit(worstExpected).toPlainString() + " in the marketplace (the agreement year's days)"));
        }
        return out;
    }

    /**
     * R34 × R32 × R27: ConnectWise's lines (and R27 adjustments) bill what the marketplace says, so the reconciliation's
     * charges stand for a difference between the distributor's invoice and both. Weighed in money, as R32 posted them:
     * everything ConnectWise bills for the month (lines at their own prices, adjustments, charges) against the customer
     * invoice's amount. A charge that a late event has made redundant (a late increase's line or catch-up, billing the
     * days the charge made up for) bills the month twice: OVER_BILLED by what is too much; an accepted price or quantity
     * difference of the invoice is no mismatch.
     */
    private static java.util.Optional<Mismatch> chargesAgainstTheInvoice(Facts facts, PsaValues psa, BigDecimal expectedMonths,
                                                                         BigDecimal expectedPrice, BigDecimal billedPrice,
                                                                         BigDecimal adjustments, BigDecimal charges) {
        BigDecimal invoiced = Money.of(facts.customerInvoice().amount());
        BigDecimal difference = billedPrice.subtract(invoiced);
        if (difference.abs().compareTo(CENT) <= 0) return java.util.Optional.empty();
        BigDecimal lines = Money.of(billedPrice.subtract(charges));
        return java.util.Optional.of(new Mismatch(difference.signum() < 0 ? Kind.UNDER_BILLED : Kind.OVER_BILLED, difference.abs(),
                expectedMonths, psa.quantity(), null, null, expectedPrice, billedPrice, "ConnectWise bills " + lines.toPlainString()
                + (adjustments.signum() != 0 ? " (adjustments of " + Money.of(adjustments).toPlainString() + " included)" : "")
                + " and the reconciliation's charges of " + Money.of(charges).toPlainString() + ", " + billedPrice.toPlainString()
                + "; the distributor's customer invoice " + invoiced.toPlainString() + ", the marketplace " + expectedPrice.toPlainString()));
    }

    /**
     * R34 × R24: an IaaS month, compared by amount (its lines are quantity 1 carrying the usage's amounts; the base line
     * bills 0.00). ConnectWise's side: its lines active in the month (R32 v2 {@link PsaValues}), the R27 adjustments and
     * the reconciliation's charges (R32: its delta lines, and what it added to the usage line's values).
     * <ul>
     *   <li>ConnectWise bills nothing (no line, or only the base line at 0.00) where the marketplace's usage events, the
     *       customer invoice or the reseller invoice bill an amount: {@link Kind#MISSING_IN_CONNECTWISE} with that amount
     *       (the first known of usage price, customer invoice, reseller invoice); no line at all is missing as for SaaS;</li>
     *   <li>billed and not on the reseller invoice: {@link Kind#NOT_ON_INVOICE} (as for SaaS);</li>
     *   <li>the price against the marketplace's usage of the month (the lines, and the charges too when the lines alone do
     *       not bill it): UNDER_BILLED / OVER_BILLED by the difference; where the lines bill the usage, the charges answer
     *       the invoice: everything billed against the customer invoice's amount (a charge a late usage event made
     *       redundant is OVER_BILLED);</li>
     *   <li>the cost (lines, adjustments, charges) against the reseller invoice's amount (the partner's final cost, R32 v2),
     *       else against the usage's cost: {@link Kind#COST_DRIFT} by the difference.</li>
     * </ul>
     * A side the partner's rules do not push (COST_ONLY, a sync off, {@link Pushed}) is not compared. Over a cent only.
     */
    private static List<Mismatch> usageMonth(YearMonth period, Facts facts) {
        List<Mismatch> out = new ArrayList<>();
        List<PsaLine> active = facts.psaLines().stream().filter(l -> l.activeDays(period) > 0).toList();
        PsaValues psa = PsaValues.of(null, period, active);
        Adjustments adjustments = facts.adjustments();
        Adjustments charges = facts.charges();
        Pushed pushed = facts.usagePushed();
        BigDecimal linesPrice = Money.of(psa.price().add(adjustments.price()));
        BigDecimal linesCost = Money.of(psa.cost().add(adjustments.cost()));
        BigDecimal billedPrice = Money.of(linesPrice.add(charges.price()));
        BigDecimal billedCost = Money.of(linesCost.add(charges.cost()));
        Marketplace mp = facts.marketplace();
        BigDecimal months = mp == null ? null : mp.licenceMonths(period);
        boolean usage = mp != null && mp.usageIn(period);
        BigDecimal usagePrice = usage ? Money.of(mp.usageAmount(period, true)) : null;
        BigDecimal usageCost = usage ? Money.of(mp.usageAmount(period, false)) : null;
        InvoiceTotals invoice = facts.invoice();
        BigDecimal invoicedCost = invoice == null || invoice.amount() == null ? null : Money.of(invoice.amount());
        InvoiceTotals customer = facts.customerInvoice();
        BigDecimal invoicedPrice = customer == null || customer.amount() == null ? null : Money.of(customer.amount());

        if (billedPrice.signum() == 0 && billedCost.signum() == 0) {
            String source = nonZero(usagePrice) ? "the marketplace's usage events bill " : nonZero(invoicedPrice) ? "the customer invoice bills "
                    : nonZero(usageCost) ? "the marketplace's usage events cost " : nonZero(invoicedCost) ? "the distributor invoices " : null;
            BigDecimal amount = nonZero(usagePrice) ? usagePrice : nonZero(invoicedPrice) ? invoicedPrice : nonZero(usageCost) ? usageCost
                    : nonZero(invoicedCost) ? invoicedCost : Money.ZERO;
            boolean known = invoice != null || customer != null || usage || (months != null && months.signum() != 0);
            if (source != null || (active.isEmpty() && known)) {
                out.add(new Mismatch(Kind.MISSING_IN_CONNECTWISE, amount.abs(), months, BigDecimal.ZERO.setScale(PsaValues.QUANTITY_SCALE),
                        null, null, amount, Money.ZERO, active.isEmpty()
                        ? (invoice != null ? "on the distributor invoice, no addition billed in the month" : "active in the marketplace, no addition billed in the month")
                        : source + amount.toPlainString() + " of usage, ConnectWise bills 0.00 in the month"));
            }
            return out;
        }
        if (invoice == null && billedPrice.signum() != 0) {
            out.add(new Mismatch(Kind.NOT_ON_INVOICE, billedPrice.abs(), months, psa.quantity(), null, null, usagePrice, billedPrice,
                    "billed in ConnectWise, not on the distributor invoice"));
        }
        boolean priceReported = false;
        if (usage && pushed.price()) {
            // the charges count against the marketplace only where the lines alone do not bill its usage
            boolean madeUp = linesPrice.subtract(usagePrice).abs().compareTo(CENT) > 0;
            BigDecimal counted = madeUp ? billedPrice : linesPrice;
            BigDecimal difference = counted.subtract(usagePrice);
            if (difference.abs().compareTo(CENT) > 0) {
                priceReported = true;
                out.add(new Mismatch(difference.signum() < 0 ? Kind.UNDER_BILLED : Kind.OVER_BILLED, difference.abs(), months, psa.quantity(),
                        usagePrice, counted, usagePrice, counted, "ConnectWise bills usage of " + linesPrice.toPlainString()
                        + (madeUp && charges.price().signum() != 0 ? " and the reconciliation's charges of " + Money.of(charges.price()).toPlainString() : "")
                        + ", the marketplace's usage events " + usagePrice.toPlainString()));
            }
        }
        if (!priceReported && pushed.price() && invoicedPrice != null && (charges.price().signum() != 0 || !usage)) {
            // R32: the charges answer the invoices; without usage events the customer invoice is the price to bill
            BigDecimal difference = billedPrice.subtract(invoicedPrice);
            if (difference.abs().compareTo(CENT) > 0) {
                out.add(new Mismatch(difference.signum() < 0 ? Kind.UNDER_BILLED : Kind.OVER_BILLED, difference.abs(), months, psa.quantity(),
                        invoicedPrice, billedPrice, usagePrice, billedPrice, "ConnectWise bills usage of " + linesPrice.toPlainString()
                        + (charges.price().signum() != 0 ? " and the reconciliation's charges of " + Money.of(charges.price()).toPlainString() : "")
                        + ", the distributor's customer invoice " + invoicedPrice.toPlainString()
                        + (usage ? ", the marketplace's usage events " + usagePrice.toPlainString() : "")));
            }
        }
        BigDecimal expectedCost = invoicedCost != null ? invoicedCost : usageCost;
        if (pushed.cost() && expectedCost != null) {
            BigDecimal difference = billedCost.subtract(expectedCost);
            if (difference.abs().compareTo(CENT) > 0) {
                out.add(new Mismatch(Kind.COST_DRIFT, difference.abs(), null, psa.quantity(), expectedCost, billedCost, null, difference,
                        "usage cost " + billedCost.toPlainString() + " in ConnectWise" + (charges.cost().signum() != 0
                        ? " (the reconciliation's charges of " + Money.of(charges.cost()).toPlainString() + " included)" : "") + ", "
                        + expectedCost.toPlainString() + (invoicedCost != null ? " on the distributor invoice" : " in the marketplace's usage events")));
            }
        }
        return out;
    }

    private static boolean nonZero(BigDecimal value) {
        return value != null && value.signum() != 0;
    }

    /** Whether billed − expected (at the marketplace's prices) is a quantity mismatch: over a cent, or any with other licence-months. */
    private static boolean quantityDiffers(BigDecimal difference, PsaValues psa, BigDecimal expectedMonths) {
        return difference.abs().compareTo(CENT) > 0 || (difference.signum() != 0 && psa.quantity().compareTo(expectedMonths) != 0);
    }

    /**
     * The distributor's invoice against ConnectWise, when ConnectWise bills what the marketplace says: an invoice of
     * more licences than ConnectWise bills is UNDER_BILLED (the partner pays for licences it does not bill), of fewer
     * OVER_BILLED, at the marketplace's unit price of the month's last day. The invoice's quantity matches as R32's does:
     * the licence-months (at scale 2) or the licences of the month's last day. ConnectWise's side counts as R32's
     * ({@link PsaValues}): the lines, and the R27 catch-ups posted as adjustments by their licence-days (a late
     * cancellation's credit takes its licences off the month's last day too); a charge of the reconciliation (R32) or an
     * adjustment known only by its amount counts as licences at the marketplace's price. The row shows the marketplace's
     * own licence-months and amount on its side, and its detail each side's own figure.
     */
    private static java.util.Optional<Mismatch> invoicedQuantity(YearMonth period, Facts facts, List<PsaLine> active, Marketplace mp,
                                                                 BigDecimal expectedMonths, BigDecimal expectedPrice,
                                                                 BigDecimal billedPrice) {
        InvoiceTotals invoice = facts.invoice();
        if (!facts.licensed() || invoice == null || invoice.quantity() == null) return java.util.Optional.empty();
        BigDecimal invoiced = invoice.quantity();
        LocalDate last = period.atEndOfMonth();
        BigDecimal price = mp.priceOn(last);
        // R32 × R27: the lines and the posted catch-ups' licence-days, licence-months and the last day's licences
        PsaValues counted = PsaValues.of(null, period, active, facts.adjustments().catchUps(), facts.terms());
        // amounts billed without licence-days (a reconciliation's charge, R32): licence-months at the marketplace's price
        BigDecimal amounts = facts.adjustments().priceWithoutLicenceDays().add(facts.charges().price());
        BigDecimal adjusted = price.signum() == 0 ? BigDecimal.ZERO : amounts.divide(price, PsaValues.QUANTITY_SCALE, RoundingMode.HALF_UP);
        BigDecimal months = counted.quantity().add(adjusted);
        BigDecimal end = counted.endQuantity();
        if (sameAtCents(invoiced, months) || invoiced.compareTo(end) == 0) return java.util.Optional.empty();
        // the nearer of the two readings of the invoice's quantity, on both sides
        boolean asMonths = invoiced.subtract(months).abs().compareTo(invoiced.subtract(end).abs()) <= 0;
        BigDecimal billed = asMonths ? months : end;
        QuantityStep lastStep = mp.on(last);
        BigDecimal marketplace = asMonths ? expectedMonths : lastStep == null ? BigDecimal.ZERO : lastStep.quantity();
        BigDecimal licences = invoiced.subtract(billed);
        BigDecimal amount = Money.of(licences.multiply(price));
        if (amount.signum() == 0) return java.util.Optional.empty();
        return java.util.Optional.of(new Mismatch(amount.signum() > 0 ? Kind.UNDER_BILLED : Kind.OVER_BILLED, amount.abs(), expectedMonths,
                months, price, price, expectedPrice, billedPrice, "the distributor invoices " + plain(invoiced) + " licences, ConnectWise bills "
                + plain(billed) + (asMonths ? " licence-months" : " on the month's last day") + ", the marketplace " + plain(marketplace)));
    }

    private static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }

    private static boolean sameAtCents(BigDecimal a, BigDecimal b) {
        return a.setScale(2, RoundingMode.HALF_UP).compareTo(b.setScale(2, RoundingMode.HALF_UP)) == 0;
    }

    /**
     * R34 "in ConnectWise but not on the invoice": an addition of a catalog item the partner's products map to, on an
     * agreement the check reads, that no subscription owns (typed by hand next to the bundle's lines, or left behind):
     * NOT_ON_INVOICE with what it bills in the month; empty when it bills nothing then.
     */
    public static java.util.Optional<Mismatch> unowned(YearMonth period, PsaLine line, String detail) {
        if (line.activeDays(period) == 0) return java.util.Optional.empty();
        PsaValues billed = PsaValues.of(null, period, List.of(line));
        if (billed.price().signum() == 0) return java.util.Optional.empty();
        return java.util.Optional.of(new Mismatch(Kind.NOT_ON_INVOICE, billed.price().abs(), null,
                line.licences() ? billed.quantity() : null, null, line.unitPrice(), null, billed.price(), detail));
    }

    private static BigDecimal perMonth(BigDecimal perDays, BigDecimal days) {
        return perDays.divide(days, 12, RoundingMode.HALF_UP);
    }

    /**
     * Licence lines whose unit differs from the marketplace's of the same day by more than a cent, weighted by those days.
     * R34 × R19: each line is compared with the marketplace's unit of its own product ({@code products}, by addition id;
     * a full upgrade's old base and −Q line with the old product's, the new product's line with the new one's), one row
     * per product whose lines drift, its figures that line's; lines of no known product count with the day's unit.
     */
    private static List<Mismatch> drift(Kind kind, YearMonth period, List<PsaLine> active, Marketplace mp, BigDecimal days,
                                        boolean price, Map<Long, String> products) {
        java.util.LinkedHashMap<String, List<PsaLine>> byProduct = new java.util.LinkedHashMap<>();
        boolean known = active.stream().anyMatch(l -> l.licences() && l.additionId() != null && products.containsKey(l.additionId()));
        for (PsaLine line : active) {
            if (!line.licences()) continue;
            String product = known && line.additionId() != null ? products.get(line.additionId()) : null;
            byProduct.computeIfAbsent(product == null ? "" : product, k -> new ArrayList<>()).add(line);
        }
        List<Mismatch> out = new ArrayList<>();
        byProduct.forEach((product, lines) -> drift(kind, period, lines, mp, days, price, product.isEmpty() ? null : product)
                .ifPresent(out::add));
        return out;
    }

    private static java.util.Optional<Mismatch> drift(Kind kind, YearMonth period, List<PsaLine> lines, Marketplace mp, BigDecimal days,
                                                      boolean price, String product) {
        BigDecimal amount = BigDecimal.ZERO;
        BigDecimal worst = null;
        BigDecimal worstExpected = null;
        BigDecimal licenceDays = BigDecimal.ZERO;
        for (PsaLine line : lines) {
            BigDecimal unit = price ? line.unitPrice() : line.unitCost();
            for (LocalDate d = period.atDay(1); !d.isAfter(period.atEndOfMonth()); d = d.plusDays(1)) {
                if (!line.activeOn(d)) continue;
                BigDecimal expected = mp.unitOf(mp.of(product, d), price);
                BigDecimal diff = unit.subtract(expected);
                if (diff.abs().compareTo(CENT) <= 0) continue;
                amount = amount.add(diff.multiply(line.quantity()));
                licenceDays = licenceDays.add(line.quantity());
                if (worst == null || diff.abs().compareTo(worst.subtract(worstExpected).abs()) > 0) {
                    worst = unit;
                    worstExpected = expected;
                }
            }
        }
        BigDecimal money = Money.of(perMonth(amount, days));
        // lines that net each other (a full upgrade's old base and its −Q line at the old price) are no drift
        if (worst == null || money.signum() == 0) return java.util.Optional.empty();
        return java.util.Optional.of(new Mismatch(kind, money.abs(), null, licenceDays.divide(days, PsaValues.QUANTITY_SCALE, RoundingMode.HALF_UP),
                worstExpected, worst, null, money, (price ? "unit price " : "unit cost ") + unit(worst).toPlainString() + " in ConnectWise, "
                + unit(worstExpected).toPlainString() + " in the marketplace"));
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
