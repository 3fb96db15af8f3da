package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.EventAction;
import io.cwbridge.rules.PlannedOperation.Kind;
import io.cwbridge.rules.SyncRules.Cancellation;
import io.cwbridge.rules.SyncRules.NegativeChange;
import io.cwbridge.rules.SyncRules.PositiveChange;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** R21 × R10: events that arrive after the subscription's cancellation was synced (CancelledSubscription). */
class CancelledSubscriptionTest {

    private static final SyncRules PER_DATE = rules().withCancellation(Cancellation.CANCEL_PER_CANCELLATION_DATE);
    private static final SyncRules LAST_DAY = rules().withCancellation(Cancellation.LAST_DAY_OF_MONTH);
    private static final LocalDate X = date("2024-03-20");

    /** The subscription's lines after its sale (10 from 14 February, invoiced) and its cancellation from 20 March, synced. */
    private static SubscriptionLines cancelled(SyncRules rules) {
        SubscriptionLines lines = invoicedBase();
        return lines.apply(plan(cancel("2024-03-20", 10), lines, rules));
    }

    private static AdditionPlan late(io.cwbridge.events.SubscriptionEvent event, SubscriptionLines lines, SyncRules rules) {
        return AdditionRules.plan(event, lines, mapping().withCancelledFrom(X), rules);
    }

    @Test
    @DisplayName("R21 R10 a late increase dated before the cancellation bills until it, and nothing from it: the −Q line nets the new count")
    void lateIncreaseBeforeTheCancellationPerDate() {
        SubscriptionLines lines = cancelled(PER_DATE);
        SubscriptionLines after = lines.apply(late(increase("2024-03-10", 10, 12), lines, PER_DATE));
        assertLicences(after, "2024-03-09", 10, "2024-03-10", 12, "2024-03-19", 12, "2024-03-20", 0, "2024-03-31", 0, "2024-04-01", 0);
        // the +2 ends the day before the cancellation; the −Q line still nets the base's 10
        assertThat(after.ofRole(LineRole.DELTA)).singleElement().satisfies(l -> assertThat(l.cancelledDate()).isEqualTo(date("2024-03-19")));
        assertThat(after.ofRole(LineRole.CANCELLATION)).singleElement().satisfies(l -> assertThat(l.quantity()).isEqualByComparingTo("-10"));
    }

    @Test
    @DisplayName("R21 R10 a late decrease dated before the cancellation never bills negative licences after it")
    void lateDecreaseBeforeTheCancellationPerDate() {
        SubscriptionLines lines = cancelled(PER_DATE);
        SubscriptionLines after = lines.apply(late(decrease("2024-03-10", 10, 7), lines, PER_DATE));
        assertLicences(after, "2024-03-09", 10, "2024-03-10", 7, "2024-03-19", 7, "2024-03-20", 0, "2024-03-31", 0, "2024-04-01", 0);
    }

    @Test
    @DisplayName("R21 R18 R10 a late increase of an earlier month is rolled into the base before the cancellation, and the −Q line takes it back")
    void lateIncreaseOfAnEarlierMonth() {
        SubscriptionLines lines = cancelled(PER_DATE);
        SubscriptionLines after = lines.apply(late(increase("2024-02-20", 10, 12), lines, PER_DATE));
        assertLicences(after, "2024-02-19", 10, "2024-02-20", 12, "2024-02-29", 12, "2024-03-01", 12, "2024-03-19", 12,
                "2024-03-20", 0, "2024-03-31", 0, "2024-04-01", 0);
        // and a later global sync's roll finds nothing more to carry
        SubscriptionLines rolled = after.apply(MonthRoll.plan(after, AGREEMENT, date("2024-04-02")));
        assertLicences(rolled, "2024-03-19", 12, "2024-03-20", 0, "2024-04-01", 0);
    }

    @Test
    @DisplayName("R21 R17 a late price change before the cancellation bills the new price until it and no money from it")
    void latePriceChangeBeforeTheCancellation() {
        SubscriptionLines lines = cancelled(PER_DATE);
        SubscriptionLines after = lines.apply(late(event(EventAction.PRICE_CHANGE, "2024-03-10", sub().price("24.00", "20.00")), lines,
                PER_DATE));
        assertLicences(after, "2024-03-09", 10, "2024-03-10", 10, "2024-03-19", 10, "2024-03-20", 0, "2024-03-31", 0);
        // no money from x: Σ quantity × unit price of the lines active on each day from the 20th is 0
        for (String day : new String[] {"2024-03-20", "2024-03-31"}) {
            BigDecimal money = after.all().stream().filter(l -> l.countsLicences() && l.activeOn(date(day)))
                    .map(l -> l.quantity().multiply(l.unitPrice())).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(money).as("billed on %s", day).isEqualByComparingTo("0");
        }
        assertThat(after.all().stream().filter(l -> l.activeOn(date("2024-03-15")))
                .map(l -> l.quantity().multiply(l.unitPrice())).reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("240.00");
    }

    @Test
    @DisplayName("R21 R15 a late decrease for the next month, after the cancellation, creates no line")
    void lateNextMonthDecreaseCreatesNothing() {
        SyncRules rules = rules(PositiveChange.ACTUAL_DATE, NegativeChange.FIRST_OF_NEXT_MONTH, Cancellation.CANCEL_PER_CANCELLATION_DATE);
        SubscriptionLines lines = cancelled(rules);
        AdditionPlan plan = late(decrease("2024-03-10", 10, 7), lines, rules);
        assertThat(plan.ofKind(Kind.CREATE)).isEmpty();
        assertLicences(lines.apply(plan), "2024-03-19", 10, "2024-03-20", 0, "2024-04-01", 0, "2024-04-30", 0);
    }

    @Test
    @DisplayName("R21 R27 on an agreement that does not prorate, invoiced through March: the late increase's catch-up counts only the days before the cancellation")
    void lateIncreaseCatchUpStopsAtTheCancellation() {
        MappingContext invoiced = mapping().withBilling(new AgreementBilling(date("2024-02-01"), date("2024-04-01"), false, false));
        SubscriptionLines lines = invoicedBase();
        AdditionPlan cancellation = AdditionRules.plan(cancel("2024-03-20", 10), lines, invoiced, PER_DATE);
        assertThat(cancellation.catchUps()).extracting(CatchUp::licenceDays).containsExactly(new BigDecimal("-120"));
        lines = lines.apply(cancellation);
        AdditionPlan increase = AdditionRules.plan(increase("2024-03-10", 10, 12), lines, invoiced.withCancelledFrom(X), PER_DATE);
        // +2 licences on 10-19 March: 20 licence-days (22.00 x 20 / 31 = 14.19), none from the 20th
        assertThat(increase.catchUps().stream().map(CatchUp::licenceDays).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("20");
        assertThat(increase.catchUps().stream().map(CatchUp::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("14.19");
    }

    @Test
    @DisplayName("R21 last day of month: a late increase bills to the end of the cancellation's month, not after")
    void lateIncreaseLastDayOfMonth() {
        SubscriptionLines lines = cancelled(LAST_DAY);
        SubscriptionLines after = lines.apply(late(increase("2024-03-10", 10, 12), lines, LAST_DAY));
        assertLicences(after, "2024-03-09", 10, "2024-03-10", 12, "2024-03-31", 12, "2024-04-01", 0);
    }

    @Test
    @DisplayName("R21 an event dated on or after the cancellation, or a renewal, bills nothing")
    void afterTheCancellationNothing() {
        SubscriptionLines lines = cancelled(PER_DATE);
        assertThat(late(increase("2024-03-22", 10, 12), lines, PER_DATE).operations()).isEmpty();
        assertThat(late(increase("2024-03-20", 10, 12), lines, PER_DATE).notes()).anySatisfy(n -> assertThat(n).contains("cancelled from 2024-03-20"));
        // a renewal dated before the cancellation moves no end past it (the base already ends with the cancellation's month)
        assertThat(late(event(EventAction.RENEWAL, "2024-03-05", sub().end("2026-02-13")), lines, PER_DATE).operations()).isEmpty();
        assertThat(late(event(EventAction.RENEWAL, "2024-03-25", sub().end("2026-02-13")), lines, PER_DATE).operations()).isEmpty();
    }

    @Test
    @DisplayName("R21 R23 a renewal dated before the cancellation, synced after it, bills from the old end until the cancellation")
    void lateRenewalBillsUntilTheCancellation() {
        // the term ended 13 February 2025; renewed on the 14th; cancelled from 1 March 2025, synced first (nothing ran then)
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", "2025-02-13").asInvoiced());
        MappingContext cancelled = mapping().withCancelledFrom(date("2025-03-01"));
        AdditionPlan plan = AdditionRules.plan(event(EventAction.RENEWAL, "2025-02-14", sub().end("2026-02-13")), lines, cancelled, PER_DATE);
        assertLicences(lines.apply(plan), "2025-02-13", 10, "2025-02-14", 10, "2025-02-28", 10, "2025-03-01", 0, "2026-01-01", 0);
    }

    @Test
    @DisplayName("R21 R22 a late change of a subscription whose never-invoiced lines the cancellation deleted bills nothing")
    void noLinesLeftNothing() {
        AdditionPlan plan = late(increase("2024-03-10", 10, 12), SubscriptionLines.none(), PER_DATE);
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("no licence lines left"));
    }

    @Test
    @DisplayName("R21 R25 a sale synced after its cancellation (which found nothing) bills from the start until the cancellation")
    void saleAfterItsCancellation() {
        AdditionPlan perDate = late(salesOrder(sub()), SubscriptionLines.none(), PER_DATE);
        assertLicences(SubscriptionLines.none().apply(perDate), "2024-02-14", 10, "2024-03-19", 10, "2024-03-20", 0, "2024-04-01", 0);
        AdditionPlan lastDay = late(salesOrder(sub()), SubscriptionLines.none(), LAST_DAY);
        assertLicences(SubscriptionLines.none().apply(lastDay), "2024-03-31", 10, "2024-04-01", 0);
    }

    @Test
    @DisplayName("R24 usage after the cancellation is billed for its period")
    void usageAfterTheCancellation() {
        SubscriptionLines lines = cancelled(PER_DATE);
        AdditionPlan plan = late(usage(sub(), "2024-03-01", "2024-03-19", "3", "5.00", "4.00", java.util.List.of()), lines, PER_DATE);
        assertThat(plan.ofKind(Kind.CREATE)).singleElement().satisfies(op -> assertThat(op.line().role()).isEqualTo(LineRole.USAGE));
    }

    @Test
    @DisplayName("without a synced cancellation the rules plan as before")
    void notCancelled() {
        AdditionPlan plan = AdditionRules.plan(increase("2024-03-10", 10, 12), openBase(), mapping(), PER_DATE);
        assertLicences(openBase().apply(plan), "2024-03-10", 12, "2024-03-31", 12, "2024-04-01", 10);
    }
    @Test
    @DisplayName("R21 R17 R10 a late price change dated before the cancellation reprices the days until it and bills nothing after it, in money too")
    void latePriceChangeBeforeTheCancellationPerDate() {
        for (SyncRules rules : new SyncRules[] {PER_DATE, LAST_DAY}) {
            SubscriptionLines lines = cancelled(rules);
            SubscriptionLines after = lines.apply(late(event(EventAction.PRICE_CHANGE, "2024-03-10", sub().price("24.00", "20.40")),
                    lines, rules));
            assertThat(money(after, "2024-03-09")).as("%s", rules.cancellation()).isEqualByComparingTo("220.00");
            assertThat(money(after, "2024-03-10")).as("%s", rules.cancellation()).isEqualByComparingTo("240.00");
            boolean perDate = rules == PER_DATE;
            assertThat(money(after, "2024-03-20")).as("%s", rules.cancellation()).isEqualByComparingTo(perDate ? "0" : "240.00");
            assertThat(money(after, "2024-03-31")).as("%s", rules.cancellation()).isEqualByComparingTo(perDate ? "0" : "240.00");
            assertThat(money(after, "2024-04-01")).as("%s", rules.cancellation()).isEqualByComparingTo("0");
        }
    }

    @Test
    @DisplayName("R21 R18 R26 R10 an invoiced −Q line is not edited when a late change of an earlier month moves the count it nets: the difference goes on a line next to it")
    void anInvoicedCancellationLineGetsTheDifferenceOnALineNextToIt() {
        SubscriptionLines lines = cancelled(PER_DATE).markAllInvoiced();
        AdditionPlan plan = late(increase("2024-02-20", 10, 12), lines, PER_DATE);
        SubscriptionLines after = lines.apply(plan);
        assertLicences(after, "2024-02-19", 10, "2024-02-20", 12, "2024-03-19", 12, "2024-03-20", 0, "2024-03-31", 0, "2024-04-01", 0);
        assertThat(after.ofRole(LineRole.CANCELLATION)).extracting(l -> l.quantity().toPlainString()).containsExactlyInAnyOrder("-10", "-2");
        assertThat(plan.toString()).contains("R26").contains("R21, R10");
    }

    /** What the lines bill on the day: licences × unit price, summed over the licence lines active on it. */
    private static BigDecimal money(SubscriptionLines lines, String day) {
        return lines.all().stream().filter(l -> l.countsLicences() && l.activeOn(date(day)))
                .map(l -> l.quantity().multiply(l.unitPrice())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
