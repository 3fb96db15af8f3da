package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.rules.PlannedOperation.Kind;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Month roll R18 (MonthRoll). */
class MonthRollTest {

    private static final SubscriptionLines MARCH = lines(base(100, 10, "2024-02-14", null), delta(101, 2, "2024-03-15", "2024-03-31"));

    @Test
    @DisplayName("R18 nothing to roll while the delta line still runs")
    void notYet() {
        AdditionPlan plan = MonthRoll.plan(MARCH, AGREEMENT, date("2024-03-31"));
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.notes()).containsExactly("R18 nothing to roll on 2024-03-31");
    }

    @Test
    @DisplayName("R18 once the delta has ended the base takes +2 from 1 April: ended on 31 March and continued at 12")
    void absorbs() {
        AdditionPlan plan = MonthRoll.plan(MARCH, AGREEMENT, date("2024-04-01"));
        assertThat(plan.operations()).hasSize(2);
        assertThat(plan.ofKind(Kind.UPDATE)).singleElement().satisfies(op -> {
            assertThat(op.additionId()).isEqualTo(100L);
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
            assertThat(op.fields().quantity()).isNull();
        });
        assertThat(plan.ofKind(Kind.CREATE)).singleElement().satisfies(op -> {
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.BASE, date("2024-04-01")));
            assertThat(op.fields().quantity()).isEqualByComparingTo("12");
            assertThat(op.fields().cancelledDate()).isNull();
            assertThat(op.fields().unitPrice()).isEqualTo(dec("22.00"));
            assertThat(op.fields().description()).endsWith("| 12 licences");
            assertThat(op.reason()).startsWith("R18 month roll: base absorbs +2 of delta lines ended 2024-03-31");
        });
        SubscriptionLines rolled = MARCH.apply(plan);
        for (String day : new String[] {"2024-03-14", "2024-03-15", "2024-03-31", "2024-04-01", "2024-12-31"}) {
            BigDecimal expected = day.compareTo("2024-03-15") < 0 ? BigDecimal.TEN : BigDecimal.valueOf(12);
            assertThat(rolled.quantityOn(date(day))).as(day).isEqualByComparingTo(expected);
        }
    }

    @Test
    @DisplayName("R18 x R17a on a yearly agreement that does not prorate, under MARKETPLACE: the continuation from 1 December"
            + " carries its prorated amounts for the rest of the agreement year (274 of 365 days)")
    void yearlyContinuationIsProrated() {
        SubscriptionLines lines = lines(base(100, 2, "2024-09-05", null), delta(101, 1, "2024-11-01", "2024-11-30"));
        AgreementBilling yearly = new AgreementBilling(date("2024-09-01"), null, false, false);
        AdditionPlan plan = MonthRoll.plan(lines, AGREEMENT, date("2024-12-02"), yearly, SyncRules.ProrationRule.MARKETPLACE,
                io.cwbridge.events.BillingCycle.YEARLY, "USD");
        assertThat(plan.ofKind(Kind.CREATE)).singleElement().satisfies(op -> {
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-12-01"));
            assertThat(op.fields().quantity()).isEqualByComparingTo("3");
            assertThat(op.fields().proratePrice()).isEqualByComparingTo("16.52"); // 22.00 x 274 / 365
            assertThat(op.fields().prorateCost()).isEqualByComparingTo("14.04");  // 18.70 x 274 / 365
        });
        // ConnectWise's rule, or a monthly cycle (the continuation starts its period): nothing written
        assertThat(MonthRoll.plan(lines, AGREEMENT, date("2024-12-02"), yearly, SyncRules.ProrationRule.CONNECTWISE,
                io.cwbridge.events.BillingCycle.YEARLY, "USD").ofKind(Kind.CREATE).get(0).fields().proratePrice()).isNull();
        assertThat(MonthRoll.plan(lines, AGREEMENT, date("2024-12-02"), yearly, SyncRules.ProrationRule.MARKETPLACE,
                io.cwbridge.events.BillingCycle.MONTHLY, "USD").ofKind(Kind.CREATE).get(0).fields().proratePrice()).isNull();
    }

    @Test
    @DisplayName("R18 x R17a probe 45 F2: on a yearly agreement the base the roll ends on 31 August is re-prorated in the same"
            + " PATCH to its 204 days of the agreement year, so the continuation's 153 days are not billed twice")
    void r17aTheBaseTheRollEndsInsideTheAgreementYearIsReproratedToItsOwnDays() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-10", null), delta(101, 2, "2024-08-15", "2024-08-31"));
        AgreementBilling yearly = new AgreementBilling(date("2024-02-01"), null, false, false);
        AdditionPlan plan = MonthRoll.plan(lines, AGREEMENT, date("2024-09-02"), yearly, SyncRules.ProrationRule.MARKETPLACE,
                io.cwbridge.events.BillingCycle.YEARLY, "USD");
        assertThat(plan.ofKind(Kind.UPDATE)).singleElement().satisfies(op -> {
            assertThat(op.additionId()).isEqualTo(100L);
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-08-31"));
            assertThat(op.fields().proratePrice()).isEqualByComparingTo("12.26"); // 22.00 x 204 / 366, was 357 / 366 = 21.46
            assertThat(op.fields().prorateCost()).isEqualByComparingTo("10.42");  // 18.70 x 204 / 366
            assertThat(op.prorated().billedDays()).isEqualTo(204);
        });
        assertThat(plan.ofKind(Kind.CREATE)).singleElement().satisfies(op -> {
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-09-01"));
            assertThat(op.fields().proratePrice()).isEqualByComparingTo("9.20"); // 22.00 x 153 / 366
            assertThat(op.fields().prorateCost()).isEqualByComparingTo("7.82");
        });
        // ConnectWise's rule: the end is written alone
        assertThat(MonthRoll.plan(lines, AGREEMENT, date("2024-09-02"), yearly, SyncRules.ProrationRule.CONNECTWISE,
                io.cwbridge.events.BillingCycle.YEARLY, "USD").ofKind(Kind.UPDATE).get(0).fields().proratePrice()).isNull();
        // a monthly base ended on its month's end keeps what its first period billed: nothing re-written
        assertThat(MonthRoll.plan(lines, AGREEMENT, date("2024-09-02"), yearly, SyncRules.ProrationRule.MARKETPLACE,
                io.cwbridge.events.BillingCycle.MONTHLY, "USD").ofKind(Kind.UPDATE).get(0).fields().proratePrice()).isNull();
    }

    @Test
    @DisplayName("R18 x R17 CONNECTWISE_CATALOG (probe 45 F4): given the catalog item's current price, the continuation takes it, not the"
            + " price of the base it continues; the ended base keeps its own")
    void r17TheContinuationTakesTheCatalogsCurrentPrice() {
        AdditionPlan plan = MonthRoll.plan(MARCH, AGREEMENT, date("2024-04-01"), AgreementBilling.unknown(), SyncRules.ProrationRule.CONNECTWISE,
                io.cwbridge.events.BillingCycle.MONTHLY, "USD", new MonthRoll.CurrentPrice(CATALOG, dec("32.00"), dec("26.00")));
        assertThat(plan.ofKind(Kind.CREATE)).singleElement().satisfies(op -> {
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("32.00"); // it copied 22.00
            assertThat(op.fields().unitCost()).isEqualByComparingTo("26.00");
            assertThat(op.fields().quantity()).isEqualByComparingTo("12");
        });
        assertThat(plan.ofKind(Kind.UPDATE).get(0).fields().unitPrice()).isNull();
        // another product's price is not this chain's
        AdditionPlan other = MonthRoll.plan(MARCH, AGREEMENT, date("2024-04-01"), AgreementBilling.unknown(), SyncRules.ProrationRule.CONNECTWISE,
                io.cwbridge.events.BillingCycle.MONTHLY, "USD", new MonthRoll.CurrentPrice(NEW_CATALOG, dec("32.00"), dec("26.00")));
        assertThat(other.ofKind(Kind.CREATE).get(0).fields().unitPrice()).isEqualByComparingTo("22.00");
    }

    @Test
    @DisplayName("R18 is idempotent: a second global sync writes nothing")
    void idempotent() {
        SubscriptionLines rolled = MARCH.apply(MonthRoll.plan(MARCH, AGREEMENT, date("2024-04-01")));
        assertThat(MonthRoll.plan(rolled, AGREEMENT, date("2024-04-02")).operations()).isEmpty();
        assertThat(MonthRoll.plan(rolled, AGREEMENT, date("2024-06-30")).operations()).isEmpty();
    }

    @Test
    @DisplayName("R18 a base line that starts on the day after the delta is updated in place")
    void inPlace() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", "2024-03-31").asInvoiced(), base(102, 10, "2024-04-01", null),
                delta(101, -3, "2024-03-15", "2024-03-31"));
        AdditionPlan plan = MonthRoll.plan(lines, AGREEMENT, date("2024-04-01"));
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.additionId()).isEqualTo(102L);
            assertThat(op.fields().quantity()).isEqualByComparingTo("7");
        });
    }

    @Test
    @DisplayName("R18 missed global syncs: two months of deltas are rolled in order in one plan")
    void missedMonths() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, 2, "2024-03-15", "2024-03-31"),
                new AdditionLine(102L, LineKey.of(SUB, LineRole.DELTA, date("2024-04-01")), CATALOG, BigDecimal.valueOf(-1),
                        dec("22.00"), dec("18.70"), date("2024-04-01"), date("2024-04-30"), false, "delta", null));
        AdditionPlan plan = MonthRoll.plan(lines, AGREEMENT, date("2024-05-03"));
        SubscriptionLines rolled = lines.apply(plan);
        assertThat(rolled.quantityOn(date("2024-04-10"))).isEqualByComparingTo("11");
        assertThat(rolled.quantityOn(date("2024-05-10"))).isEqualByComparingTo("11");
        assertThat(rolled.ofRole(LineRole.BASE)).hasSize(3);
        assertThat(plan.ofKind(Kind.CREATE)).extracting(op -> op.line().effectiveDate())
                .containsExactly(date("2024-04-01"), date("2024-05-01"));
    }

    @Test
    @DisplayName("R18 an old product's deltas are not carried into the new product after a full upgrade (R19)")
    void notIntoAnotherProduct() {
        SubscriptionLines lines = Fixtures.invoicedBase().plus(java.util.List.of(delta(101, 2, "2024-03-05", "2024-03-31")));
        SubscriptionLines upgraded = lines.apply(plan(fullUpgrade("2024-03-20", 12, SUB), lines, rules()));
        assertThat(MonthRoll.plan(upgraded, AGREEMENT, date("2024-04-01")).operations()).isEmpty();
        assertThat(upgraded.quantityOn(date("2024-04-01"))).isEqualByComparingTo("12");
    }

    @Test
    @DisplayName("R18 after a cancellation per cancellation date on the 1st nothing is carried on (R21)")
    void notAfterCancellation() {
        SubscriptionLines rolled = MARCH.apply(MonthRoll.plan(MARCH, AGREEMENT, date("2024-04-01"))).markAllInvoiced();
        SubscriptionLines cancelled = rolled.apply(plan(cancel("2024-04-01", 12), rolled, rules()));
        assertThat(MonthRoll.plan(cancelled, AGREEMENT, date("2024-06-01")).operations()).isEmpty();
        assertThat(cancelled.quantityOn(date("2024-04-01"))).isZero();
    }

    @Test
    @DisplayName("R18 x R10 x R30 probe 58 F1: a hand edit of the ended November delta (+2 -> +1) is not carried into the"
            + " continuation: it stays 6 (what the bundle wrote: base 4 + delta 2), the past line keeps the person's 1 and a note names it")
    void r18R10R30AHandEditOfAnEndedLineIsNotCarriedIntoTheContinuation() {
        // after the first roll: base 4 ended 30 Nov, delta +2 (hand-edited to 1 in ConnectWise) ended 30 Nov, continuation 6
        SubscriptionLines edited = lines(base(100, 4, "2026-11-15", "2026-11-30"), delta(101, 1, "2026-11-25", "2026-11-30"),
                base(102, 6, "2026-12-01", null));
        java.util.Map<Long, BigDecimal> written = java.util.Map.of(100L, dec("4"), 101L, dec("2"), 102L, dec("6"));
        AdditionPlan plan = MonthRoll.plan(edited, AGREEMENT, date("2026-12-07"), AgreementBilling.unknown(),
                SyncRules.ProrationRule.CONNECTWISE, io.cwbridge.events.BillingCycle.MONTHLY, null, null, written);
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).startsWith(MonthRoll.DIFFERS).contains("addition 101")
                .contains("holds 1 ").contains("wrote 2"));
        // the mirror case: the ended base hand-edited 4 -> 5 is not billed on from December either
        SubscriptionLines up = lines(base(100, 5, "2026-11-15", "2026-11-30"), delta(101, 2, "2026-11-25", "2026-11-30"),
                base(102, 6, "2026-12-01", null));
        assertThat(MonthRoll.plan(up, AGREEMENT, date("2026-12-07"), AgreementBilling.unknown(), SyncRules.ProrationRule.CONNECTWISE,
                io.cwbridge.events.BillingCycle.MONTHLY, null, null, written).operations()).isEmpty();
        // the first roll after a hand edit of the running delta: the continuation still bills 4 + 2 = 6
        SubscriptionLines before = lines(base(100, 4, "2026-11-15", null), delta(101, 1, "2026-11-25", "2026-11-30"));
        AdditionPlan first = MonthRoll.plan(before, AGREEMENT, date("2026-12-01"), AgreementBilling.unknown(),
                SyncRules.ProrationRule.CONNECTWISE, io.cwbridge.events.BillingCycle.MONTHLY, null, null,
                java.util.Map.of(100L, dec("4"), 101L, dec("2")));
        assertThat(first.ofKind(Kind.CREATE)).singleElement().satisfies(op -> assertThat(op.fields().quantity()).isEqualByComparingTo("6"));
        // without the bundle's record (null) ConnectWise's values are taken as before
        assertThat(MonthRoll.plan(edited, AGREEMENT, date("2026-12-07")).ofKind(Kind.UPDATE)).singleElement()
                .satisfies(op -> assertThat(op.fields().quantity()).isEqualByComparingTo("5"));
    }
}
