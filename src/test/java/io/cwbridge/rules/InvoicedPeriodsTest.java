package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.cwbridge.events.EventAction;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.rules.PlannedOperation.Kind;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * SPEC v2 invoicing: R22 (never invoiced judged from the agreement's next invoice date N) and R27
 * (changes into invoiced periods), on the §8.1 subscription (10 licences at 22.00 / 18.70 from
 * 2024-02-14 to 2025-02-13).
 */
class InvoicedPeriodsTest {

    /** An agreement that does not prorate, invoiced through {@code lastInvoiced}. */
    private static MappingContext invoicedThrough(String lastInvoiced) {
        return mapping().withBilling(new AgreementBilling(date("2024-02-01"), date(lastInvoiced).plusDays(1), false, false));
    }

    /** An agreement that prorates and invoices prorated additions, invoiced through {@code lastInvoiced}. */
    private static MappingContext proratingThrough(String lastInvoiced) {
        return mapping().withBilling(new AgreementBilling(date("2024-02-01"), date(lastInvoiced).plusDays(1), true, true));
    }

    private static SubscriptionLines datedBase() {
        return lines(base(100, 10, "2024-02-14", "2025-02-13"));
    }

    private static SubscriptionEvent cancellation(String occurred, String cancellationDate) {
        return event(EventAction.CANCEL, occurred, sub().quantity(10).build(), null, null, date(cancellationDate));
    }

    @Test
    @DisplayName("R27 a cancellation dated two months into invoiced periods of a non-prorating agreement: the base ends at N - 1, no line is written into them, the licences come back as a credit per month")
    void lateCancellationIsACredit() {
        AdditionPlan plan = AdditionRules.plan(cancellation("2024-05-06", "2024-03-05"), datedBase(), invoicedThrough("2024-04-30"),
                rules());
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.additionId()).isEqualTo(100L);
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-04-30"));
            assertThat(op.reason()).contains("R21").contains("R27");
        });
        // 5-31 March (27 days) and April (30 days) of 10 licences at 22.00
        assertThat(plan.catchUps()).extracting(CatchUp::periodStart, CatchUp::licenceDays, CatchUp::amount, CatchUp::costAmount)
                .containsExactly(tuple(date("2024-03-01"), dec("-270"), dec("-191.61"), dec("-162.87")),
                        tuple(date("2024-04-01"), dec("-300"), dec("-220.00"), dec("-187.00")));
        assertThat(plan.catchUps()).allSatisfy(c -> {
            assertThat(c.reason()).startsWith("R27 over-billed");
            assertThat(c.description()).startsWith("Catch-up credit subscription " + SUB).hasSizeLessThanOrEqualTo(1000);
        });
    }

    @Test
    @DisplayName("R27 the same cancellation on an agreement that prorates and invoices prorated additions keeps the rules' dates: ConnectWise credits it itself")
    void proratingAgreementKeepsDates() {
        AdditionPlan plan = AdditionRules.plan(cancellation("2024-05-06", "2024-03-05"), datedBase(), proratingThrough("2024-04-30"),
                rules());
        assertThat(plan.catchUps()).isEmpty();
        assertThat(plan.operations()).extracting(PlannedOperation::kind, op -> op.fields().effectiveDate(), op -> op.fields().cancelledDate())
                .containsExactly(tuple(Kind.UPDATE, null, date("2024-03-31")), tuple(Kind.CREATE, date("2024-03-05"), date("2024-03-31")));
    }

    @Test
    @DisplayName("R27 a late increase into an invoiced month: no line in it, a catch-up for its days, and the base bills the new count from N")
    void lateIncrease() {
        AdditionPlan plan = AdditionRules.plan(increase("2024-03-03", 10, 12), datedBase(), invoicedThrough("2024-03-31"), rules());
        assertThat(plan.operations()).allSatisfy(op -> {
            if (op.kind() == Kind.CREATE) {
                assertThat(op.fields().effectiveDate()).isAfterOrEqualTo(date("2024-04-01"));
            }
        });
        SubscriptionLines after = datedBase().apply(plan);
        assertThat(after.quantityOn(date("2024-04-01"))).isEqualByComparingTo("12");
        assertThat(after.quantityOn(date("2024-12-01"))).isEqualByComparingTo("12");
        // 3-31 March: 2 licences x 29 days, at 22.00 / 31 days; the catch-up lines say so for later plans
        assertThat(plan.catchUps()).singleElement().satisfies(c -> {
            assertThat(c.licenceDays()).isEqualByComparingTo("58");
            assertThat(c.amount()).isEqualTo(dec("41.16"));
            assertThat(c.lines()).allSatisfy(l -> assertThat(l.caughtUp()).isTrue());
        });
        assertThat(after.quantityOn(date("2024-03-03"))).isEqualByComparingTo("12");
    }

    /** The §8.1 base with a price change to 24.00 on 10 March (R17 splits it: 22.00 to 9 March, 24.00 from 10 March). */
    private static SubscriptionLines repricedOnTheTenthOfMarch() {
        SubscriptionLines lines = datedBase();
        return lines.apply(AdditionRules.plan(event(EventAction.PRICE_CHANGE, "2024-03-10", sub().price("24.00", "18.70")), lines,
                invoicedThrough("2024-02-29"), rules()));
    }

    @Test
    @DisplayName("R27 x R17 a late decrease dated before a price change credits each invoiced day at the price ConnectWise"
            + " billed it: 5-9 March at 22.00, 10-31 March at 24.00 (-2 x (5 x 22.00 + 22 x 24.00) / 31 = -41.16, not -41.81)")
    void r27ALateDecreaseDatedBeforeAPriceChangeCreditsEachInvoicedDayAtThePriceBilledForIt() {
        SubscriptionLines lines = repricedOnTheTenthOfMarch();
        AdditionPlan plan = AdditionRules.plan(event(EventAction.LICENSE_DECREASE, "2024-03-05",
                sub().change(10, 8).price("24.00", "18.70")), lines, invoicedThrough("2024-03-31"), rules());
        assertThat(plan.catchUps()).extracting(CatchUp::from, CatchUp::to, CatchUp::unitPrice, CatchUp::licenceDays, CatchUp::amount,
                        CatchUp::costAmount)
                .containsExactly(tuple(date("2024-03-05"), date("2024-03-09"), dec("22.00"), dec("-10"), dec("-7.10"), dec("-6.03")),
                        tuple(date("2024-03-10"), date("2024-03-31"), dec("24.00"), dec("-44"), dec("-34.06"), dec("-26.54")));
        assertThat(plan.catchUps().stream().map(CatchUp::amount).reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualTo(dec("-41.16"));
        assertLicences(lines.apply(plan), "2024-03-04", 10, "2024-03-05", 8, "2024-03-31", 8, "2024-04-01", 8);
    }

    @Test
    @DisplayName("R27 x R17 a late increase dated before a price change charges each invoiced day at the price ConnectWise"
            + " billed it (+41.16, not +41.81)")
    void r27ALateIncreaseDatedBeforeAPriceChangeChargesEachInvoicedDayAtThePriceBilledForIt() {
        SubscriptionLines lines = repricedOnTheTenthOfMarch();
        AdditionPlan plan = AdditionRules.plan(event(EventAction.LICENSE_INCREASE, "2024-03-05",
                sub().change(10, 12).price("24.00", "18.70")), lines, invoicedThrough("2024-03-31"), rules());
        assertThat(plan.catchUps()).extracting(CatchUp::unitPrice, CatchUp::licenceDays, CatchUp::amount)
                .containsExactly(tuple(dec("22.00"), dec("10"), dec("7.10")), tuple(dec("24.00"), dec("44"), dec("34.06")));
        assertLicences(lines.apply(plan), "2024-03-04", 10, "2024-03-05", 12, "2024-04-01", 12);
    }

    @Test
    @DisplayName("R27 the catch-ups of one period are rounded once, per period: a cancellation as of 5 March after a price change"
            + " on 10 March credits -10 x (5 x 22.00 + 22 x 24.00) / 31 = -205.81, -35.48 at 22.00 and the rest, -170.33, at 24.00"
            + " (rounded per part they made -205.80)")
    void r27OnePeriodsCatchUpsAreRoundedOncePerPeriodTheRemainderOnItsLastPart() {
        AdditionPlan plan = AdditionRules.plan(cancellation("2024-04-05", "2024-03-05"), repricedOnTheTenthOfMarch(),
                invoicedThrough("2024-03-31"), rules());
        assertThat(plan.catchUps()).extracting(CatchUp::unitPrice, CatchUp::licenceDays, CatchUp::amount, CatchUp::costAmount)
                .containsExactly(tuple(dec("22.00"), dec("-50"), dec("-35.48"), dec("-30.16")),
                        tuple(dec("24.00"), dec("-220"), dec("-170.33"), dec("-132.71")));
        // the cost too: -270 x 18.70 / 31 = -162.87 (per part -30.16 - 132.71)
        assertThat(plan.catchUps().get(1).reason()).contains("-205.81");
    }

    @Test
    @DisplayName("R27 a change after a caught-up one sees it: a cancellation after a late increase credits 12 licences, not 10")
    void laterPlansSeeCatchUpLines() {
        MappingContext invoiced = invoicedThrough("2024-03-31");
        SubscriptionLines lines = datedBase();
        lines = lines.apply(AdditionRules.plan(increase("2024-03-03", 10, 12), lines, invoiced, rules()));
        AdditionPlan cancel = AdditionRules.plan(event(EventAction.CANCEL, "2024-03-20", sub().quantity(12).build(), null, null,
                null), lines, invoiced, rules());
        // 20-31 March: 12 licences x 12 days back
        assertThat(cancel.catchUps()).extracting(CatchUp::licenceDays).containsExactly(dec("-144"));
        SubscriptionLines after = lines.apply(cancel);
        assertThat(after.quantityOn(date("2024-03-19"))).isEqualByComparingTo("12");
        assertThat(after.quantityOn(date("2024-03-20"))).isZero();
        assertThat(after.quantityOn(date("2024-04-01"))).isZero();
    }

    @Test
    @DisplayName("R27 a sale that arrives after its first months were invoiced: the base starts at N, the months before are a catch-up charge")
    void lateSale() {
        AdditionPlan plan = AdditionRules.plan(salesOrder(sub()), SubscriptionLines.none(), invoicedThrough("2024-03-31"), rules());
        assertThat(plan.operations()).filteredOn(op -> op.line().role() == LineRole.BASE).singleElement()
                .satisfies(op -> assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-04-01")));
        // 14-29 February (16 days, 29-day month) and March (31 days) of 10 licences
        assertThat(plan.catchUps()).extracting(CatchUp::periodStart, CatchUp::licenceDays, CatchUp::amount)
                .containsExactly(tuple(date("2024-02-01"), dec("160"), dec("121.38")), tuple(date("2024-03-01"), dec("310"), dec("220.00")));
    }

    @Test
    @DisplayName("R27 x R24 usage of an invoiced period is billed once on the next invoice, at its whole amount: dated over the"
            + " whole billing period N starts (probe 57 P57-4: a one-day line at N billed 1/30 of it on a prorating agreement)")
    void lateUsage() {
        AdditionPlan plan = AdditionRules.plan(usage(sub(), "2024-02-14", "2024-02-29", "3", "5.00", "4.00", List.of()), datedBase(),
                invoicedThrough("2024-03-31"), rules());
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-04-01"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-04-30"));
            assertThat(op.fields().unitPrice()).isEqualTo(dec("15.00"));
        });
        assertThat(plan.catchUps()).isEmpty();
    }

    @Test
    @DisplayName("R22 (v2) a line is never invoiced when it starts on or after the agreement's next invoice date, whatever billedQuantity said: the cancellation deletes it")
    void neverInvoicedJudgedByNextInvoiceDate() {
        // the agreement bills from 1 Feb but has invoiced nothing yet: next invoice date 1 Feb
        MappingContext notYet = mapping().withBilling(new AgreementBilling(date("2024-02-01"), date("2024-02-01"), false, false));
        AdditionPlan plan = AdditionRules.plan(cancel("2024-02-20", 10), datedBase(), notYet, rules());
        assertThat(plan.operations()).extracting(PlannedOperation::kind).containsExactly(Kind.DELETE);
        // once February is invoiced the same cancellation ends the line instead (R21)
        AdditionPlan invoiced = AdditionRules.plan(cancel("2024-02-20", 10), datedBase(), invoicedThrough("2024-02-29"), rules());
        assertThat(invoiced.operations()).extracting(PlannedOperation::kind).doesNotContain(Kind.DELETE);
    }

    @Test
    @DisplayName("R27 catch-ups go to the plan even when no operation is left to send")
    void catchUpWithoutOperations() {
        // the base ended 31 March; April is invoiced; the cancellation of 20 March only credits invoiced days
        SubscriptionLines ended = lines(base(100, 10, "2024-02-14", "2024-03-31"));
        AdditionPlan plan = AdditionRules.plan(cancellation("2024-05-02", "2024-03-20"), ended, invoicedThrough("2024-04-30"), rules());
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.catchUps()).extracting(CatchUp::licenceDays).containsExactly(dec("-120"));
        assertThat(plan.catchUps().get(0).amount()).isEqualTo(dec("-85.16"));
        assertThat(plan.catchUps().get(0).amount().scale()).isEqualTo(2);
    }

    @Test
    @DisplayName("R27 a catch-up names the invoiced days it concerns: a cancellation as of 20 March credits 20-31 March")
    void catchUpNamesItsDays() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", "2025-02-13"), delta(101, 2, "2024-03-15", "2024-03-31"));
        AdditionPlan plan = AdditionRules.plan(event(EventAction.CANCEL, "2024-04-05", sub().quantity(12).build(), null, null,
                date("2024-03-20")), lines, invoicedThrough("2024-03-31"), rules());
        assertThat(plan.catchUps()).singleElement().satisfies(c -> {
            assertThat(c.from()).isEqualTo(date("2024-03-20"));
            assertThat(c.to()).isEqualTo(date("2024-03-31"));
            assertThat(c.licenceDays()).isEqualByComparingTo("-144");
            assertThat(c.amount()).isEqualTo(dec("-102.19"));
            assertThat(c.description()).contains("2024-03-20 to 2024-03-31").contains("at 22.00");
        });
    }

    @Test
    @DisplayName("R16 x R27 a second change of one effective date before N updates the delta line R27 started at N (one line"
            + " per date), its invoiced days a catch-up of their own")
    void aSecondChangeOfTheSameEffectiveDateUpdatesTheLineFromN() {
        // invoiced through 15 July (N = 16 July); decreases take effect on the first of the next month (R15)
        MappingContext invoiced = invoicedThrough("2024-07-15");
        SyncRules rules = rules().withNegativeChange(SyncRules.NegativeChange.FIRST_OF_NEXT_MONTH);
        SubscriptionLines lines = datedBase();
        AdditionPlan first = AdditionRules.plan(event(EventAction.LICENSE_DECREASE, "2024-06-10", sub().change(10, 8)), lines, invoiced, rules);
        assertThat(first.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-07-16"));
            assertThat(op.fields().quantity()).isEqualByComparingTo("-2");
        });
        lines = lines.apply(first);

        AdditionPlan second = AdditionRules.plan(event(EventAction.LICENSE_DECREASE, "2024-06-20", sub().change(8, 7)), lines, invoiced, rules);

        assertThat(second.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.line().effectiveDate()).isEqualTo(date("2024-07-16"));
            assertThat(op.fields().quantity()).isEqualByComparingTo("-3");
            assertThat(op.reason()).contains("R16 the delta line from 2024-07-16 now nets -3").doesNotContain("R26");
        });
        // the invoiced days 1-15 July: one more licence credited (-1 x 15 days)
        assertThat(second.catchUps()).extracting(CatchUp::licenceDays).containsExactly(new BigDecimal("-15"));
        lines = lines.apply(second);
        // R10 as meant (the caught-up days count as the catch-ups bill them): 7 all July, 10 again from August
        assertLicences(lines, "2024-06-30", 10, "2024-07-01", 7, "2024-07-15", 7, "2024-07-16", 7, "2024-07-31", 7, "2024-08-01", 10);
    }

    /**
     * The §8.1 subscription on an agreement that prorates and invoices prorated additions: sold 10 on 14 February,
     * +2 on 15 March, March invoiced and the 1 April global sync's roll done (base 10 to 31 March, base 12 from 1 April).
     */
    private static SubscriptionLines rolledIntoApril(MappingContext billing, ExpectedLicences[] model) {
        SubscriptionLines lines = SubscriptionLines.none();
        model[0] = ExpectedLicences.of(rules(), billing);
        for (SubscriptionEvent event : new SubscriptionEvent[] {salesOrder(sub()), increase("2024-03-15", 10, 12)}) {
            lines = lines.apply(AdditionRules.plan(event, lines, billing, rules()));
            model[0] = model[0].apply(event);
        }
        lines = lines.apply(AdditionRules.monthRoll(lines, AGREEMENT, date("2024-04-01"), billing.billing()));
        model[0] = model[0].invoiceRun();
        assertLicences(lines, "2024-03-31", 12, "2024-04-01", 12);
        assertThat(lines.ofRole(LineRole.BASE)).extracting(AdditionLine::effectiveDate)
                .containsExactlyInAnyOrder(date("2024-02-14"), date("2024-04-01"));
        return lines;
    }

    @Test
    @DisplayName("R27 x R18 x R10 on an agreement that prorates and invoices prorated additions, a decrease 12 -> 9 dated 20 March"
            + " arriving after the 1 April roll: the delta keeps its March dates and the rolled base bills 9 from 1 April, not 12")
    void aLateChangeBeforeARolledBaseChangesThatBaseR10R18R27() {
        MappingContext billing = proratingThrough("2024-03-31");
        ExpectedLicences[] model = new ExpectedLicences[1];
        SubscriptionLines lines = rolledIntoApril(billing, model);
        SubscriptionEvent late = decrease("2024-03-20", 12, 9);

        AdditionPlan plan = AdditionRules.plan(late, lines, billing, rules());

        assertThat(plan.catchUps()).isEmpty();
        assertThat(plan.operations()).anySatisfy(op -> {
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-20"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
            assertThat(op.fields().quantity()).isEqualByComparingTo("-3");
        });
        lines = lines.apply(plan);
        model[0] = model[0].apply(late);
        assertThat(InvariantR10.check(lines, model[0], SUB, date("2024-02-01"), date("2025-02-28"))).isEmpty();
        assertThat(lines.ofRole(LineRole.BASE)).filteredOn(l -> l.effectiveDate().equals(date("2024-04-01"))).singleElement()
                .satisfies(l -> assertThat(l.description()).endsWith("9 licences"));
        // the global sync's roll then has nothing left to do
        assertThat(AdditionRules.monthRoll(lines, AGREEMENT, date("2024-04-02"), billing.billing()).operations()).isEmpty();
    }

    @Test
    @DisplayName("R27 x R18 x R10 the same for an increase 9 -> 11 dated 25 April synced after the 1 May roll: May bills 11, not 9")
    void aLateIncreaseBeforeARolledBaseChangesThatBaseR10R18R27() {
        MappingContext april = proratingThrough("2024-03-31");
        ExpectedLicences[] model = new ExpectedLicences[1];
        SubscriptionLines lines = rolledIntoApril(april, model);
        SubscriptionEvent decrease = decrease("2024-04-10", 12, 9);
        lines = lines.apply(AdditionRules.plan(decrease, lines, april, rules()));
        model[0] = model[0].apply(decrease);
        MappingContext may = proratingThrough("2024-04-30");
        lines = lines.apply(AdditionRules.monthRoll(lines, AGREEMENT, date("2024-05-01"), may.billing()));
        model[0] = model[0].invoiceRun();
        assertLicences(lines, "2024-04-30", 9, "2024-05-01", 9);
        SubscriptionEvent late = increase("2024-04-25", 9, 11);

        lines = lines.apply(AdditionRules.plan(late, lines, may, rules()));

        model[0] = model[0].apply(late);
        assertThat(InvariantR10.check(lines, model[0], SUB, date("2024-02-01"), date("2025-02-28"))).isEmpty();
        assertLicences(lines, "2024-04-24", 9, "2024-04-25", 11, "2024-05-01", 11, "2025-02-13", 11);
    }
}
