package io.cwbridge.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.BillingCycle;
import io.cwbridge.events.EventAction;
import io.cwbridge.events.Product;
import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.events.UpgradeTo;
import io.cwbridge.events.Usage;
import io.cwbridge.rules.SyncRules.Cancellation;
import io.cwbridge.rules.SyncRules.NegativeChange;
import io.cwbridge.rules.SyncRules.PositiveChange;
import io.cwbridge.rules.SyncRules.PriceSource;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * R10 as a property: random histories of a subscription (sales order, increases, decreases, full
 * and partial upgrades, renewals, price changes, usage, invoice runs at random points, cancellation)
 * under every combination of the three effective-date / cancellation rules, on both kinds of
 * agreement (R27: one that prorates and invoices prorated additions, which bills changes of
 * invoiced periods itself, and ones that do not). The plans are carried out on a simulated
 * ConnectWise with the daily global sync's month roll (R18); after every step, checked against
 * {@link ExpectedLicences} (computed from the events alone) on the actual lines up to the end of the
 * current month, and for the whole horizon once the month rolls that the global sync will do have
 * been played forward:
 * <ul>
 * <li>every day, the licences the lines bill — the additions, plus on invoiced days the catch-up
 *     lines the bundle keeps (R27) — equal the expected ones: billed + catch-up equals what should
 *     have been billed, day by day;</li>
 * <li>every catch-up's amount is its licence-days × unit price / days in its period;</li>
 * <li>on an agreement that does not bill invoiced periods itself, no plan writes a line, a start or
 *     an end into an invoiced period.</li>
 * </ul>
 */
class InvariantR10PropertyTest {

    private static final long AGREEMENT = 9;
    private static final int HORIZON_MONTHS = 8;

    enum Kind { INCREASE, DECREASE, FULL_UPGRADE, PARTIAL_UPGRADE, CANCEL, RENEWAL_ON, RENEWAL_OFF, PRICE_CHANGE, USAGE, INVOICE_RUN }

    enum Move { SAME_DAY, NEXT_DAY, FEW_DAYS, WEEKS, END_OF_MONTH, FIRST_OF_NEXT_MONTH }

    record Step(Kind kind, Move move, int days, int amount, boolean flag) {
    }

    enum AgreementStart { FIRST_OF_START_MONTH, SUBSCRIPTION_START, MONTHS_BEFORE, DAYS_AFTER_START }

    /** R27: how the agreement bills changes of invoiced periods. */
    enum AgreementKind {
        PRORATES_AND_INVOICES_PRORATED(true, true), PRORATES_ONLY(true, false), DOES_NOT_PRORATE(false, false);

        final boolean prorateFlag;
        final boolean invoiceProratedAdditionsFlag;

        AgreementKind(boolean prorateFlag, boolean invoiceProratedAdditionsFlag) {
            this.prorateFlag = prorateFlag;
            this.invoiceProratedAdditionsFlag = invoiceProratedAdditionsFlag;
        }
    }

    /**
     * R6: how the bundle takes the subscription over. SALE: its first event writes the base line
     * (R25). ADOPT: a hand-made addition (from the subscription's first billable day to its end) is
     * adopted as the base line before that event. CUTOVER_INVOICED / CUTOVER_NEVER_INVOICED: the
     * hand-made addition is cut over ({@link CutoverRule}) after the agreement invoiced its first
     * month, or before any invoice; the bundle's base line bills from the cut day and the mapping's
     * from date is that day.
     */
    enum Takeover { SALE, ADOPT, CUTOVER_INVOICED, CUTOVER_NEVER_INVOICED }

    record Scenario(PositiveChange positive, NegativeChange negative, Cancellation cancellation, PriceSource priceSource,
            LocalDate start, AgreementStart agreementStart, int fromDateDays, boolean autoRenew, int termMonths, int quantity,
            List<Step> steps, AgreementKind agreementKind, Takeover takeover) {

        Scenario(PositiveChange positive, NegativeChange negative, Cancellation cancellation, PriceSource priceSource,
                LocalDate start, AgreementStart agreementStart, int fromDateDays, boolean autoRenew, int termMonths, int quantity,
                List<Step> steps, AgreementKind agreementKind) {
            this(positive, negative, cancellation, priceSource, start, agreementStart, fromDateDays, autoRenew, termMonths, quantity,
                    steps, agreementKind, Takeover.SALE);
        }
    }

    @Property(tries = 600, shrinking = ShrinkingMode.BOUNDED)
    @Label("R10 holds after every step, for every day of the horizon, under every rule combination (R11–R23, R18), "
            + "also after an adopt or a cut-over (R6)")
    void invariantR10HoldsAfterEveryStep(@ForAll("scenarios") Scenario scenario) {
        new Simulation(scenario).run();
    }

    /**
     * Found by the property: an invoiced base (R26 line next to it), a renewal (continuation of the
     * invoiced line, the R26 line extended), then R11 again. The base's lines overlap in time, and
     * the purchase-date change must be added once per day, not once per line.
     */
    @Example
    @Label("R11 after an R26 line and a renewal continuation changes every day once")
    void r11OverOverlappingBaseLinesCountsEachDayOnce() {
        Step same = new Step(Kind.INVOICE_RUN, Move.SAME_DAY, 2, 1, true);
        new Simulation(new Scenario(PositiveChange.ACTUAL_DATE, NegativeChange.ACTUAL_DATE, Cancellation.CANCEL_PER_CANCELLATION_DATE,
                PriceSource.MARKETPLACE, LocalDate.of(2023, 1, 1), AgreementStart.FIRST_OF_START_MONTH, -1, false, 1, 1,
                List.of(same, new Step(Kind.INCREASE, Move.SAME_DAY, 2, 1, true), new Step(Kind.RENEWAL_ON, Move.SAME_DAY, 2, 1, true),
                        new Step(Kind.INCREASE, Move.SAME_DAY, 2, 1, true)), AgreementKind.PRORATES_AND_INVOICES_PRORATED)).run();
    }

    /**
     * R27: a cancellation dated two months back, after ConnectWise invoiced those months, on an
     * agreement that does not prorate: nothing is written into them, the lines stop at N − 1 and the
     * two months' licences come back as a credit catch-up.
     */
    @Example
    @Label("R27 a late cancellation into invoiced months of a non-prorating agreement is a credit, not a failure")
    void lateCancellationIntoInvoicedMonths() {
        new Simulation(new Scenario(PositiveChange.ACTUAL_DATE, NegativeChange.ACTUAL_DATE, Cancellation.CANCEL_PER_CANCELLATION_DATE,
                PriceSource.MARKETPLACE, LocalDate.of(2024, 1, 10), AgreementStart.FIRST_OF_START_MONTH, -1, true, 12, 5,
                List.of(new Step(Kind.INCREASE, Move.WEEKS, 10, 2, true), new Step(Kind.INVOICE_RUN, Move.WEEKS, 20, 1, true),
                        new Step(Kind.INVOICE_RUN, Move.FIRST_OF_NEXT_MONTH, 2, 1, true),
                        new Step(Kind.CANCEL, Move.FEW_DAYS, 2, 3, false)), AgreementKind.DOES_NOT_PRORATE)).run();
    }

    /**
     * R19 × R21 × R10 (probe 57 P57-2): the cancellation of 8 April is synced first, the full upgrade of 2 April (same
     * subscription) arrives after it; before, the upgrade deleted the cancellation's −Q line and the old product billed
     * again from the cancellation to the end of the month. The property draws such a cancellation (a CANCEL step with
     * days &gt; 14 is dated ahead, the steps dated before it still arrive) but rarely with an upgrade in its month.
     */
    @Example
    @Label("R19 R21 a full upgrade arriving after the cancellation it precedes bills nothing from the cancellation")
    void aFullUpgradeArrivingAfterTheCancellationItPrecedesR19R21R10() {
        new Simulation(new Scenario(PositiveChange.ACTUAL_DATE, NegativeChange.ACTUAL_DATE, Cancellation.CANCEL_PER_CANCELLATION_DATE,
                PriceSource.MARKETPLACE, LocalDate.of(2024, 2, 14), AgreementStart.FIRST_OF_START_MONTH, -1, false, 12, 10,
                List.of(new Step(Kind.INVOICE_RUN, Move.FIRST_OF_NEXT_MONTH, 2, 1, false),
                        new Step(Kind.INVOICE_RUN, Move.FIRST_OF_NEXT_MONTH, 2, 1, false),
                        new Step(Kind.CANCEL, Move.NEXT_DAY, 20, 2, false),
                        new Step(Kind.FULL_UPGRADE, Move.SAME_DAY, 2, 1, true)), AgreementKind.PRORATES_ONLY)).run();
    }

    /** R6 cut-over, the cases the property does not draw: an addition that ended before, the catalog's price, a late cut. */
    @Example
    @Label("R6 cut-over keeps a hand-made addition that ends before the cut, carries the price it is given with CONNECTWISE_CATALOG, "
            + "refuses a subscription that ends before the cut")
    void cutoverEdges() {
        Subscription sub = new Subscription("sub-0", Fixtures.CUSTOMER, Simulation.product(100), SubscriptionKind.SAAS, 7, null,
                new BigDecimal("22.00"), new BigDecimal("18.70"), "USD", BillingCycle.MONTHLY, 12, LocalDate.of(2024, 2, 14),
                LocalDate.of(2025, 2, 13), false, "ACTIVE", null);
        LocalDate n = LocalDate.of(2024, 4, 1);
        CutoverRule.Plan kept = CutoverRule.plan(n, LocalDate.of(2024, 2, 14), LocalDate.of(2024, 3, 15), sub,
                SyncRules.defaults().withPriceSource(PriceSource.CONNECTWISE_CATALOG), 100L, "typed by hand");
        assertThat(kept.handMade()).isEqualTo(CutoverRule.HandMade.KEEP);
        assertThat(kept.handMadeEnds()).isNull();
        assertThat(kept.cutOn()).isEqualTo(n);
        assertThat(kept.base().unitPrice()).as("R17: the price it is given (the catalog item's, sync/CatalogPrices)")
                .isEqualByComparingTo("22.00");
        assertThat(kept.base().unitCost()).isEqualByComparingTo("18.70");
        assertThat(kept.base().quantity()).isEqualByComparingTo("7");
        CutoverRule.Plan ended = CutoverRule.plan(n, LocalDate.of(2024, 2, 14), LocalDate.of(2024, 6, 30), sub, SyncRules.defaults(),
                100L, "typed by hand");
        assertThat(ended.handMade()).isEqualTo(CutoverRule.HandMade.END);
        assertThat(ended.handMadeEnds()).isEqualTo(LocalDate.of(2024, 3, 31));
        // ending exactly on the last invoiced day already: nothing to change
        assertThat(CutoverRule.plan(n, LocalDate.of(2024, 2, 14), LocalDate.of(2024, 3, 31), sub, SyncRules.defaults(), 100L, "x")
                .handMade()).isEqualTo(CutoverRule.HandMade.KEEP);
        assertThat(ended.base().unitPrice()).isEqualByComparingTo("22.00");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CutoverRule.plan(LocalDate.of(2025, 3, 1), LocalDate.of(2024, 2, 14),
                null, sub, SyncRules.defaults(), 100L, "x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ends on");
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.of(Kind.class), Arbitraries.of(Move.class), Arbitraries.integers().between(2, 20),
                Arbitraries.integers().between(1, 6), Arbitraries.of(true, false))
                .as(Step::new);
        Arbitrary<Step> weighted = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, step.filter(s -> s.kind() == Kind.INCREASE || s.kind() == Kind.DECREASE)),
                net.jqwik.api.Tuple.of(4, step));
        Arbitrary<LocalDate> start = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0, 3 * 366).map(d -> LocalDate.of(2023, 1, 1).plusDays(d))),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(LocalDate.of(2024, 2, 29), LocalDate.of(2024, 2, 28),
                        LocalDate.of(2023, 12, 31), LocalDate.of(2024, 1, 31), LocalDate.of(2023, 11, 30))));
        return Combinators.combine(
                        Combinators.combine(Arbitraries.of(PositiveChange.class), Arbitraries.of(NegativeChange.class),
                                Arbitraries.of(Cancellation.class), Arbitraries.of(PriceSource.class)).as(List::of),
                        start,
                        Arbitraries.of(AgreementStart.class),
                        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, Arbitraries.just(-1)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 20))),
                        Arbitraries.of(true, false),
                        Arbitraries.of(1, 12),
                        Combinators.combine(Arbitraries.integers().between(1, 20), Arbitraries.of(AgreementKind.class),
                                        Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, Arbitraries.just(Takeover.SALE)),
                                                net.jqwik.api.Tuple.of(1, Arbitraries.of(Takeover.class))))
                                .as(List::of),
                        weighted.list().ofMinSize(1).ofMaxSize(14))
                .as((r, s, agreement, from, auto, term, qk, steps) -> new Scenario((PositiveChange) r.get(0),
                        (NegativeChange) r.get(1), (Cancellation) r.get(2), (PriceSource) r.get(3), s, agreement, from, auto, term,
                        (Integer) qk.get(0), steps, (AgreementKind) qk.get(1), (Takeover) qk.get(2)));
    }

    /** One run of a scenario against the simulated ConnectWise. */
    private static final class Simulation {

        private final Scenario scenario;
        private final SyncRules rules;
        private final LocalDate agreementStart;
        private LocalDate fromDate;
        private final LocalDate horizonEnd;
        private final List<String> log = new ArrayList<>();
        private final Set<String> subscriptions = new LinkedHashSet<>();

        private SubscriptionLines lines = SubscriptionLines.none();
        private ExpectedLicences model;
        private String current = "sub-0";
        private long catalog = 100;
        private LocalDate currentStart;
        private Product product = product(100);
        private int quantity;
        private boolean autoRenew;
        private LocalDate endDate;
        private LocalDate billedUntil; // last billed day (R25 v2: base lines are dated, also when auto-renewing)
        private boolean cancelled;
        /** R21 × R19/R20: a cancellation dated ahead was synced first; events dated before it still arrive. */
        private LocalDate cancelledFrom;
        private String cancelledId;
        private LocalDate nextInvoiceDate; // N: ConnectWise has invoiced the days before it
        private final java.util.Map<String, java.util.Map<java.time.YearMonth, BigDecimal>> caughtUp = new java.util.HashMap<>();
        private BigDecimal price = new BigDecimal("22.00");
        private int counter;

        Simulation(Scenario scenario) {
            this.scenario = scenario;
            this.rules = SyncRules.defaults().withPositiveChange(scenario.positive()).withNegativeChange(scenario.negative())
                    .withCancellation(scenario.cancellation()).withPriceSource(scenario.priceSource());
            LocalDate start = scenario.start();
            this.agreementStart = switch (scenario.agreementStart()) {
                case FIRST_OF_START_MONTH -> start.withDayOfMonth(1);
                case SUBSCRIPTION_START -> start;
                case MONTHS_BEFORE -> start.withDayOfMonth(1).minusMonths(3);
                case DAYS_AFTER_START -> start.plusDays(3);
            };
            this.fromDate = scenario.fromDateDays() < 0 ? null : start.plusDays(scenario.fromDateDays());
            this.horizonEnd = start.plusMonths(HORIZON_MONTHS);
            this.currentStart = start;
            this.quantity = scenario.quantity();
            this.autoRenew = scenario.autoRenew();
            this.endDate = start.plusMonths(scenario.termMonths()).minusDays(1);
            this.billedUntil = endDate;
            this.model = ExpectedLicences.of(rules, mapping(current));
        }

        /**
         * R6 before the first event: the adopted hand-made line is the base line; or the cut-over's
         * base line, with the hand-made addition billing every day before the cut day once and none
         * after (its days are not the subscription's on this agreement: the mapping's from date is the
         * cut day, so R10 is checked from there on).
         */
        private void takeOver() {
            LocalDate first = EffectiveDates.latest(scenario.start(), agreementStart);
            Subscription sub = snapshot(quantity, null);
            switch (scenario.takeover()) {
                case SALE -> { }
                case ADOPT -> {
                    fromDate = null; // the adopted line's own dates
                    model = ExpectedLicences.of(rules, mapping(current));
                    lines = SubscriptionLines.of(new AdditionLine(900L, new LineKey(current, LineRole.BASE, first, 0), catalog,
                            BigDecimal.valueOf(quantity), new BigDecimal("21.00"), new BigDecimal("18.00"), first, endDate, false,
                            "typed by hand", null));
                    log.add(first + " adopted hand-made addition 900: " + quantity + " from " + first + " to " + endDate);
                }
                case CUTOVER_INVOICED, CUTOVER_NEVER_INVOICED -> {
                    LocalDate n = scenario.takeover() == Takeover.CUTOVER_INVOICED ? EffectiveDates.firstOfNextMonth(first) : null;
                    CutoverRule.Plan plan;
                    try {
                        plan = CutoverRule.plan(n, first, null, sub, rules, catalog, "typed by hand");
                    } catch (IllegalArgumentException endsBeforeTheCut) {
                        log.add("no cut-over: " + endsBeforeTheCut.getMessage());
                        return;
                    }
                    // The hand-made addition and the bundle's line meet: no day twice, none dropped.
                    if (n == null) {
                        assertThat(plan.handMade()).isEqualTo(CutoverRule.HandMade.DELETE);
                        assertThat(plan.cutOn()).isEqualTo(first);
                    } else {
                        assertThat(plan.handMade()).isEqualTo(CutoverRule.HandMade.END);
                        assertThat(plan.handMadeEnds()).isEqualTo(n.minusDays(1)).isEqualTo(plan.cutOn().minusDays(1));
                        nextInvoiceDate = n;
                        model = model.invoicedBefore(n);
                    }
                    LineFields f = plan.base();
                    assertThat(f.quantity()).isEqualByComparingTo(BigDecimal.valueOf(quantity));
                    assertThat(f.cancelledDate()).isEqualTo(endDate);
                    fromDate = plan.cutOn();
                    model = ExpectedLicences.of(rules, mapping(current));
                    if (n != null) model = model.invoicedBefore(n);
                    lines = SubscriptionLines.of(new AdditionLine(901L, new LineKey(current, LineRole.BASE, f.effectiveDate(), 0),
                            catalog, f.quantity(), f.unitPrice(), f.unitCost(), f.effectiveDate(), f.cancelledDate(), false,
                            f.description(), null));
                    log.add(first + " cut over: hand-made " + plan.handMade() + " (ends " + plan.handMadeEnds() + "), base line "
                            + f.quantity() + " from " + f.effectiveDate() + " to " + f.cancelledDate() + ", N " + n);
                }
            }
        }

        void run() {
            takeOver();
            LocalDate day = scenario.start();
            event(EventAction.NEW, day, snapshot(quantity, null), null, null, null);
            for (Step step : scenario.steps()) {
                day = move(day, step);
                if (day.isAfter(horizonEnd)) {
                    break;
                }
                globalSync(day);
                if (cancelledFrom != null && !day.isBefore(cancelledFrom)) {
                    cancelled = true;
                }
                if (cancelled || (billedUntil != null && day.isAfter(billedUntil))) {
                    continue;
                }
                perform(step, day);
            }
            globalSync(horizonEnd);
        }

        private void perform(Step step, LocalDate day) {
            switch (step.kind()) {
                case INCREASE -> {
                    int next = quantity + step.amount();
                    event(EventAction.LICENSE_INCREASE, day, snapshot(next, quantity), null, null, null);
                    quantity = next;
                }
                case DECREASE -> {
                    int next = Math.max(1, quantity - step.amount());
                    event(EventAction.LICENSE_DECREASE, day, snapshot(next, quantity), null, null, null);
                    quantity = next;
                }
                case FULL_UPGRADE -> {
                    String newId = step.flag() ? current : "sub-" + (++counter);
                    long newCatalog = catalog + 1;
                    UpgradeTo upgrade = new UpgradeTo(newId, product(newCatalog), quantity, new BigDecimal("30.00"),
                            new BigDecimal("25.50"), null);
                    event(EventAction.FULL_UPGRADE, day, snapshot(quantity, quantity), upgrade, null, null);
                    catalog = newCatalog;
                    product = product(newCatalog);
                    if (!newId.equals(current)) {
                        current = newId;
                        currentStart = day;
                    }
                }
                case PARTIAL_UPGRADE -> {
                    if (quantity < 2) {
                        return;
                    }
                    int moved = Math.min(quantity - 1, step.amount());
                    String newId = "sub-" + (++counter);
                    UpgradeTo upgrade = new UpgradeTo(newId, product(catalog + 1), moved, new BigDecimal("30.00"),
                            new BigDecimal("25.50"), null);
                    event(EventAction.PARTIAL_UPGRADE, day, snapshot(quantity - moved, quantity), upgrade, null, null);
                    quantity -= moved;
                }
                case CANCEL -> {
                    if (step.days() > 14 && nextInvoiceDate != null) {
                        // R21 × R10 (probe 57 P57-2): the cancellation of day + n arrives first, the events dated before it
                        // (an upgrade, a change) arrive after it was synced. Only once something was invoiced: a partial
                        // upgrade after an R22 cancellation (lines deleted) is still skipped by CancelledSubscription (open)
                        LocalDate x = day.plusDays(step.amount() * 3L);
                        event(EventAction.CANCEL, x, snapshot(quantity, null), null, null, x);
                        cancelledFrom = x;
                        cancelledId = current;
                        return;
                    }
                    LocalDate cancellationDate = step.flag() ? null
                            : EffectiveDates.latest(day.minusDays(step.amount()), currentStart);
                    event(EventAction.CANCEL, day, snapshot(quantity, null), null, null, cancellationDate);
                    cancelled = true;
                }
                case RENEWAL_ON -> {
                    endDate = endDate.plusMonths(scenario.termMonths());
                    autoRenew = true;
                    event(EventAction.RENEWAL, day, snapshot(quantity, null), null, null, null);
                    billedUntil = endDate;
                }
                case RENEWAL_OFF -> {
                    if (billedUntil != null && billedUntil.isBefore(endDate)) {
                        return;
                    }
                    autoRenew = false;
                    event(EventAction.RENEWAL, day, snapshot(quantity, null), null, null, null);
                    billedUntil = endDate;
                }
                case PRICE_CHANGE -> {
                    price = price.add(BigDecimal.valueOf(step.amount()));
                    event(EventAction.PRICE_CHANGE, day, snapshot(quantity, null), null, null, null);
                }
                case USAGE -> {
                    LocalDate from = day.withDayOfMonth(1).minusMonths(1);
                    Usage usage = new Usage(from, from.plusMonths(1).minusDays(1), BigDecimal.valueOf(step.amount()),
                            new BigDecimal("0.25"), new BigDecimal("0.20"), List.of("vm-" + step.days()));
                    event(EventAction.USAGE, day, snapshot(quantity, null), null, usage, null);
                }
                case INVOICE_RUN -> {
                    // in advance (this month) or in arrears (through last month)
                    LocalDate next = step.flag() ? EffectiveDates.firstOfNextMonth(day) : EffectiveDates.firstOfMonth(day);
                    nextInvoiceDate = EffectiveDates.latest(nextInvoiceDate, next);
                    model = model.invoicedBefore(nextInvoiceDate);
                    log.add(day + " invoice run: next invoice date " + nextInvoiceDate);
                    check(day);
                }
            }
        }

        private Subscription snapshot(int count, Integer previous) {
            return new Subscription(current, Fixtures.CUSTOMER, product, SubscriptionKind.SAAS, count, previous, price,
                    new BigDecimal("18.70"), "USD", BillingCycle.MONTHLY, scenario.termMonths(), currentStart, endDate, autoRenew,
                    "ACTIVE", null);
        }

        private MappingContext mapping(String subscriptionId) {
            MappingContext mapping = new MappingContext(AGREEMENT, agreementStart, catalog, catalog + 1,
                    subscriptionId.equals("sub-0") ? fromDate : null, billing());
            return cancelledFrom != null && subscriptionId.equals(cancelledId) ? mapping.withCancelledFrom(cancelledFrom) : mapping;
        }

        private AgreementBilling billing() {
            return new AgreementBilling(agreementStart, nextInvoiceDate, scenario.agreementKind().prorateFlag,
                    scenario.agreementKind().invoiceProratedAdditionsFlag);
        }

        /** R27: the invoiced period the clamp applies to, or null. */
        private LocalDate clampedBefore() {
            return nextInvoiceDate == null || billing().keepsDates() ? null : nextInvoiceDate;
        }

        /** Carries the plan out on the simulated ConnectWise, after checking it leaves invoiced periods alone (R27). */
        private SubscriptionLines carryOut(SubscriptionLines current, AdditionPlan plan) {
            LocalDate n = clampedBefore();
            if (n != null) {
                for (PlannedOperation op : plan.operations()) {
                    String what = op + "\n" + String.join("\n", log);
                    switch (op.kind()) {
                        case CREATE -> assertThat(op.fields().effectiveDate()).as("R27 created into invoiced days: " + what)
                                .isAfterOrEqualTo(n);
                        case UPDATE -> {
                            if (op.fields().effectiveDate() != null) {
                                assertThat(op.fields().effectiveDate()).as("R27 start moved into invoiced days: " + what)
                                        .isAfterOrEqualTo(n);
                            }
                            if (op.fields().cancelledDate() != null) {
                                assertThat(op.fields().cancelledDate()).as("R27 end moved into invoiced days: " + what)
                                        .isAfterOrEqualTo(n.minusDays(1));
                            }
                        }
                        case DELETE -> assertThat(current.byAdditionId(op.additionId()).orElseThrow().effectiveDate())
                                .as("R27 invoiced line deleted: " + what).isAfterOrEqualTo(n);
                    }
                }
            } else {
                assertThat(plan.catchUps()).as("no catch-up where ConnectWise bills invoiced periods itself").isEmpty();
            }
            return current.apply(plan);
        }

        /**
         * R27: a catch-up's amount is its licence-days at the unit price over the period's days, and
         * its licence-days are those of its lines (which the simulated bundle keeps with the lines).
         */
        private void record(List<CatchUp> catchUps) {
            // R27 per period: a chain's parts of one period (one per unit price) total its licence-days at their prices over
            // the period's days, rounded once; every part but the last is its own amount rounded, the last takes the rest
            java.util.Map<List<Object>, List<CatchUp>> periods = new java.util.LinkedHashMap<>();
            catchUps.forEach(c -> periods.computeIfAbsent(List.of(c.subscriptionId(), String.valueOf(c.catalogItemId()),
                    c.periodStart()), k -> new ArrayList<>()).add(c));
            periods.values().forEach(parts -> {
                BigDecimal exact = parts.stream().map(c -> c.licenceDays().multiply(c.unitPrice())).reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal total = exact.divide(BigDecimal.valueOf(parts.get(0).daysInPeriod()), 2, java.math.RoundingMode.HALF_UP);
                assertThat(parts.stream().map(CatchUp::amount).reduce(BigDecimal.ZERO, BigDecimal::add)).as("period total of " + parts)
                        .isEqualByComparingTo(total);
                parts.subList(0, parts.size() - 1).forEach(c -> assertThat(c.amount()).as("amount of " + c).isEqualByComparingTo(
                        c.licenceDays().multiply(c.unitPrice()).divide(BigDecimal.valueOf(c.daysInPeriod()), 2,
                                java.math.RoundingMode.HALF_UP)));
            });
            for (CatchUp catchUp : catchUps) {
                BigDecimal days = catchUp.lines().stream().map(l -> l.quantity().multiply(BigDecimal.valueOf(
                        java.time.temporal.ChronoUnit.DAYS.between(l.effectiveDate(), l.cancelledDate()) + 1)))
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                assertThat(days).as("licence-days of " + catchUp).isEqualByComparingTo(catchUp.licenceDays());
                assertThat(catchUp.lines()).allSatisfy(l -> {
                    assertThat(l.caughtUp()).isTrue();
                    assertThat(l.cancelledDate()).isBefore(nextInvoiceDate);
                    assertThat(Proration.billingPeriod(l.effectiveDate(), BillingCycle.MONTHLY, null).start())
                            .isEqualTo(catchUp.periodStart());
                });
                caughtUp.computeIfAbsent(catchUp.subscriptionId(), k -> new java.util.HashMap<>())
                        .merge(java.time.YearMonth.from(catchUp.periodStart()), catchUp.licenceDays(), BigDecimal::add);
            }
        }

        private void event(EventAction action, LocalDate day, Subscription sub, UpgradeTo upgrade, Usage usage,
                LocalDate cancellationDate) {
            SubscriptionEvent event = new SubscriptionEvent("e" + log.size(), "p", action.type(), action,
                    day.atTime(9, 30).toInstant(ZoneOffset.UTC), sub, upgrade, usage, cancellationDate);
            subscriptions.add(sub.id());
            if (upgrade != null && upgrade.subscriptionId() != null) {
                subscriptions.add(upgrade.subscriptionId());
            }
            AdditionPlan plan = AdditionRules.plan(event, lines.forSubscription(sub.id()), mapping(sub.id()), rules);
            log.add(day + " " + action + " q=" + sub.quantity() + " prev=" + sub.previousQuantity()
                    + (upgrade == null ? "" : " -> " + upgrade.subscriptionId() + " q=" + upgrade.quantity())
                    + (cancellationDate == null ? "" : " cancellationDate=" + cancellationDate) + " autoRenew=" + sub.autoRenew()
                    + " end=" + sub.endDate() + "\n" + indent(plan.toString()));
            lines = carryOut(lines, plan);
            record(plan.catchUps());
            model = model.apply(event);
            check(day);
        }

        private void globalSync(LocalDate day) {
            AdditionPlan roll = MonthRoll.plan(lines, AGREEMENT, day, billing());
            if (!roll.isEmpty() || !roll.catchUps().isEmpty()) {
                log.add(day + " global sync\n" + indent(roll.toString()));
                lines = carryOut(lines, roll);
                record(roll.catchUps());
            }
            check(day);
        }

        private void check(LocalDate today) {
            LocalDate from = EffectiveDates.firstOfMonth(agreementStart).minusMonths(1);
            AdditionPlan rolls = MonthRoll.plan(lines, AGREEMENT, horizonEnd.plusDays(1), billing());
            SubscriptionLines projected = lines.apply(rolls);
            for (String id : subscriptions) {
                List<InvariantR10.Violation> now = InvariantR10.check(lines, model, id, from, EffectiveDates.endOfMonth(today));
                assertThat(now).as(() -> report(id, "lines as they are on " + today, lines)).isEmpty();
                List<InvariantR10.Violation> later = InvariantR10.check(projected, model, id, from, horizonEnd);
                assertThat(later).as(() -> report(id, "lines once rolled to " + horizonEnd, projected)).isEmpty();
            }
        }

        private String report(String id, String what, SubscriptionLines shown) {
            return "R10 broken for " + id + " (" + what + ")\nscenario " + scenario + "\nagreement start " + agreementStart
                    + " fromDate " + fromDate + " next invoice date " + nextInvoiceDate + "\n" + String.join("\n", log)
                    + "\ncatch-ups " + caughtUp + "\nlines:\n" + shown;
        }

        private static LocalDate move(LocalDate day, Step step) {
            return switch (step.move()) {
                case SAME_DAY -> day;
                case NEXT_DAY -> day.plusDays(1);
                case FEW_DAYS -> day.plusDays(step.amount());
                case WEEKS -> day.plusDays(step.days() + 7L);
                case END_OF_MONTH -> EffectiveDates.endOfMonth(day);
                case FIRST_OF_NEXT_MONTH -> EffectiveDates.firstOfNextMonth(day);
            };
        }

        static Product product(long catalog) {
            return new Product("P" + catalog, "Microsoft CSP", 30, "Product " + catalog, "Plan " + catalog, "MFG-" + catalog, null);
        }

        private static String indent(String text) {
            return "    " + text.replace("\n", "\n    ");
        }
    }
}
