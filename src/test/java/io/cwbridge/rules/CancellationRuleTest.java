package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.EventAction;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.rules.PlannedOperation.Kind;
import io.cwbridge.rules.SyncRules.Cancellation;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Cancellation R21 / R22 (CancellationRule). */
class CancellationRuleTest {

    private static final SyncRules PER_DATE = rules().withCancellation(Cancellation.CANCEL_PER_CANCELLATION_DATE);
    private static final SyncRules LAST_DAY = rules().withCancellation(Cancellation.LAST_DAY_OF_MONTH);

    @Test
    @DisplayName("R21 per cancellation date with a running delta line: the −Q line takes base + delta back from c")
    void perDateNetsBaseAndDelta() {
        SubscriptionLines lines = baseAndMarchDelta();
        AdditionPlan plan = plan(cancel("2024-03-15", 12), lines, PER_DATE);
        assertLicences(lines.apply(plan), "2024-03-14", 12, "2024-03-15", 0, "2024-03-31", 0, "2024-04-01", 0);
        PlannedOperation minus = plan.ofKind(Kind.CREATE).get(0);
        assertThat(minus.line()).isEqualTo(LineKey.of(SUB, LineRole.CANCELLATION, date("2024-03-15")));
        assertThat(minus.fields().quantity()).isEqualByComparingTo("-12");
        // R17: the unit price stays; R17a shows the 17 days of 31 the line nets (15-31 March)
        assertThat(minus.fields().unitPrice()).isEqualTo(dec("22.00"));
        assertThat(minus.prorated().billedDays()).isEqualTo(17);
        assertThat(minus.prorated().price()).isEqualTo(dec("12.06"));
        assertThat(minus.reason()).startsWith("R21 cancellation per cancellation date 2024-03-15");
    }

    @Test
    @DisplayName("R21+R18 a cancellation after a delta's month first does the month roll no global sync did: −Q is today's licences, and a later roll adds nothing")
    void cancellationAfterADeltasMonthRollsFirst() {
        // 10 from 14 Feb, +2 from 5 March (ended 31 March); no global sync rolled it (global sync off, the default)
        SubscriptionLines lines = baseAndMarchDelta();
        AdditionPlan plan = plan(cancel("2024-04-15", 12), lines, PER_DATE);
        SubscriptionLines after = lines.apply(plan);
        // the roll: the base bills 12 from April, until the cancellation
        assertLicences(after, "2024-03-31", 12, "2024-04-01", 12, "2024-04-14", 12, "2024-04-15", 0, "2024-04-30", 0, "2024-05-01", 0);
        assertThat(plan.ofKind(Kind.CREATE)).anySatisfy(op -> {
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.CANCELLATION, date("2024-04-15")));
            assertThat(op.fields().quantity()).isEqualByComparingTo("-12");
        });
        // the global sync's roll afterwards finds nothing to carry on: 15-30 April stay at 0
        SubscriptionLines rolled = after.apply(MonthRoll.plan(after, 1L, date("2024-05-02")));
        assertThat(rolled.quantityOn(date("2024-04-20"))).isZero();
        assertThat(rolled.quantityOn(date("2024-04-10"))).isEqualByComparingTo("12");
    }

    @Test
    @DisplayName("R21 x R18 x R17 CONNECTWISE_CATALOG (probe 45 F4): the roll a cancellation does first continues the base at the catalog"
            + " item's current price (handed in as the subscription's), not the old base's")
    void r17TheRollACancellationDoesFirstTakesTheCatalogsCurrentPrice() {
        SyncRules catalog = PER_DATE.withPriceSource(SyncRules.PriceSource.CONNECTWISE_CATALOG);
        AdditionPlan plan = plan(event(io.cwbridge.events.EventAction.CANCEL, "2024-04-15", sub().quantity(12).price("32.00", "26.00")),
                baseAndMarchDelta(), catalog);
        assertThat(plan.ofKind(Kind.CREATE)).anySatisfy(op -> {
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.BASE, date("2024-04-01")));
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("32.00"); // it copied the old base's 22.00
            assertThat(op.fields().unitCost()).isEqualByComparingTo("26.00");
        });
        // under MARKETPLACE the continuation keeps the base's price (the global sync re-prices the base billing today)
        AdditionPlan marketplace = plan(event(io.cwbridge.events.EventAction.CANCEL, "2024-04-15", sub().quantity(12).price("32.00", "26.00")),
                baseAndMarchDelta(), PER_DATE);
        assertThat(marketplace.ofKind(Kind.CREATE)).anySatisfy(op -> {
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.BASE, date("2024-04-01")));
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("22.00");
        });
    }

    /** 10 licences from 14 February (invoiced), +2 from 5 to 31 March. */
    private static SubscriptionLines baseAndMarchDelta() {
        return lines(base(100, 10, "2024-02-14", null).asInvoiced(), delta(101, 2, "2024-03-05", "2024-03-31"));
    }

    @Test
    @DisplayName("R22 a subscription whose lines all start from the next invoice date was never invoiced: its lines are deleted, though it started earlier")
    void linesAllFromTheNextInvoiceDateAreDeleted() {
        // started 14 February, its line clamped to N = 1 March (a full upgrade's new subscription after a cut-over)
        MappingContext invoicedThroughFebruary = mapping().withBilling(new AgreementBilling(date("2024-02-01"), date("2024-03-01"), true, true));
        SubscriptionLines lines = lines(base(100, 10, "2024-03-01", "2025-02-13"));
        AdditionPlan plan = AdditionRules.plan(cancel("2024-03-01", 10), lines, invoicedThroughFebruary, LAST_DAY);
        assertThat(plan.operations()).singleElement().satisfies(op -> assertThat(op.kind()).isEqualTo(Kind.DELETE));
    }

    @Test
    @DisplayName("R21 last day of month: every line ends at EOM(c), nothing is added")
    void lastDayOfMonth() {
        SubscriptionLines lines = baseAndMarchDelta();
        AdditionPlan plan = plan(cancel("2024-03-15", 12), lines, LAST_DAY);
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.additionId()).isEqualTo(100L);
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        });
        SubscriptionLines after = lines.apply(plan);
        assertThat(after.quantityOn(date("2024-03-31"))).isEqualByComparingTo("12");
        assertThat(after.quantityOn(date("2024-04-01"))).isZero();
    }

    @Test
    @DisplayName("R21 the cancellationDate overrides the date of occurredAt")
    void cancellationDateOverrides() {
        SubscriptionEvent event = event(EventAction.CANCEL, "2024-04-03", sub().build(), null, null, date("2024-03-28"));
        assertThat(event.changeDate()).isEqualTo(date("2024-03-28"));
        AdditionPlan plan = plan(event, invoicedBase(), PER_DATE);
        assertThat(plan.ofKind(Kind.CREATE)).singleElement()
                .satisfies(op -> assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-28")));
    }

    @Test
    @DisplayName("R21 December cancellation under LAST_DAY_OF_MONTH ends on 31 December")
    void decemberEnd() {
        AdditionPlan plan = plan(cancel("2024-12-10", 10), invoicedBase(), LAST_DAY);
        assertThat(plan.operations()).singleElement()
                .satisfies(op -> assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-12-31")));
    }

    @Test
    @DisplayName("R22 a subscription ConnectWise never invoiced: its lines are deleted instead of cancelled (setup too, usage kept)")
    void neverInvoicedIsDeleted() {
        AdditionLine setup = new AdditionLine(102L, LineKey.of(SUB, LineRole.SETUP, date("2024-02-14")), CATALOG, BigDecimal.ONE,
                dec("50.00"), BigDecimal.ZERO, date("2024-02-14"), date("2024-02-29"), false, "setup", null);
        AdditionLine usage = new AdditionLine(103L, LineKey.of(SUB, LineRole.USAGE, date("2024-02-01")), CATALOG, BigDecimal.ONE,
                dec("3.00"), dec("2.00"), date("2024-02-01"), date("2024-02-29"), false, "usage", null);
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, 2, "2024-02-20", "2024-02-29"), setup, usage);
        for (SyncRules rules : new SyncRules[] {PER_DATE, LAST_DAY}) {
            AdditionPlan plan = plan(cancel("2024-02-21", 12), lines, rules);
            assertThat(plan.operations()).allSatisfy(op -> {
                assertThat(op.kind()).isEqualTo(Kind.DELETE);
                assertThat(op.reason()).startsWith("R22");
            });
            assertThat(plan.operations()).extracting(PlannedOperation::additionId).containsExactlyInAnyOrder(100L, 101L, 102L);
        }
    }

    @Test
    @DisplayName("R22 with the base invoiced: a never-invoiced line that would only start after c (a pending R15 decrease) is deleted")
    void pendingDecreaseDeleted() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null).asInvoiced(), delta(101, -2, "2024-04-01", "2024-04-30"));
        AdditionPlan plan = plan(cancel("2024-03-15", 8), lines, PER_DATE);
        assertThat(plan.operations()).anySatisfy(op -> {
            assertThat(op.kind()).isEqualTo(Kind.DELETE);
            assertThat(op.additionId()).isEqualTo(101L);
        });
        SubscriptionLines after = lines.apply(plan);
        assertThat(after.quantityOn(date("2024-03-14"))).isEqualByComparingTo("10");
        assertThat(after.quantityOn(date("2024-03-15"))).isZero();
        assertThat(after.quantityOn(date("2024-04-10"))).isZero();
    }

    @Test
    @DisplayName("R26 an invoiced line that would only start after c is ended on its first day and offset by a CANCELLATION line")
    void invoicedFutureLineOffset() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null).asInvoiced(),
                delta(101, -2, "2024-04-01", "2024-04-30").asInvoiced());
        AdditionPlan plan = plan(cancel("2024-03-15", 8), lines, PER_DATE);
        assertThat(plan.operations()).noneMatch(op -> op.kind() == Kind.DELETE);
        SubscriptionLines after = lines.apply(plan);
        assertThat(after.byAdditionId(101).orElseThrow().cancelledDate()).isEqualTo(date("2024-04-01"));
        assertThat(after.quantityOn(date("2024-04-01"))).isZero();
        assertThat(after.quantityOn(date("2024-03-15"))).isZero();
    }

    @Test
    @DisplayName("R21 replaying a cancellation changes nothing")
    void replayIsIdempotent() {
        for (SyncRules rules : new SyncRules[] {PER_DATE, LAST_DAY}) {
            SubscriptionLines after = invoicedBase().apply(plan(cancel("2024-03-15", 10), invoicedBase(), rules));
            AdditionPlan replay = plan(cancel("2024-03-15", 10), after, rules);
            assertThat(replay.operations()).isEmpty();
        }
    }

    @Test
    @DisplayName("R21 a subscription without lines has nothing to cancel")
    void nothingToCancel() {
        AdditionPlan plan = plan(cancel("2024-03-15", 10), SubscriptionLines.none(), PER_DATE);
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.notes()).isNotEmpty();
    }
}
