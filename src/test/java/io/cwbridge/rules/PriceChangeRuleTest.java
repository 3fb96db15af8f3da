package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.EventAction;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.rules.PlannedOperation.Kind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** PRICE_CHANGE (R17, R26). */
class PriceChangeRuleTest {

    private static SubscriptionEvent priceChange(String day, String price, String cost) {
        return event(EventAction.PRICE_CHANGE, day, sub().price(price, cost));
    }

    @Test
    @DisplayName("R17+R18 a price change after a delta's month continues the rolled count at the new price, not the base's old one")
    void aPriceChangeAfterADeltasMonthContinuesTheRolledCount() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, 2, "2024-03-05", "2024-03-31"));
        SubscriptionLines after = lines.apply(plan(priceChange("2024-04-10", "24.00", "20.40"), lines, rules()));
        assertThat(after.quantityOn(date("2024-03-20"))).isEqualByComparingTo("12");
        assertThat(after.quantityOn(date("2024-04-05"))).isEqualByComparingTo("12");
        assertThat(after.quantityOn(date("2024-04-10"))).isEqualByComparingTo("12");
        assertThat(after.quantityOn(date("2024-06-01"))).isEqualByComparingTo("12");
        // and the global sync's roll adds nothing on top
        SubscriptionLines rolled = after.apply(MonthRoll.plan(after, 1L, date("2024-05-02")));
        assertThat(rolled.quantityOn(date("2024-04-20"))).isEqualByComparingTo("12");
    }

    @Test
    @DisplayName("R17 x R17a probe 45 F5: a second price change in the month ends the line the first one began on the 10th;"
            + " its prorate amounts are re-written in the same PATCH to 10-19 September (10/30), not kept at 21/30")
    void r17aALineASecondPriceChangeEndsInsideItsMonthIsReproratedToItsOwnDays() {
        SyncRules marketplace = rules().withProration(SyncRules.ProrationRule.MARKETPLACE);
        SubscriptionLines lines = lines(base(100, 10, "2024-08-01", "2024-09-09"),
                base(102, 10, "2024-09-10", null).withPrices(dec("33.00"), dec("27.00")));
        AdditionPlan plan = plan(event(EventAction.PRICE_CHANGE, "2024-09-20", sub().start("2024-08-01").price("36.00", "29.00")),
                lines, marketplace);
        assertThat(plan.ofKind(Kind.UPDATE)).singleElement().satisfies(op -> {
            assertThat(op.additionId()).isEqualTo(102L);
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-09-19"));
            assertThat(op.fields().proratePrice()).isEqualByComparingTo("11.00"); // 10 x 33.00 / 30 (it kept 23.10)
            assertThat(op.fields().prorateCost()).isEqualByComparingTo("9.00");
            assertThat(op.prorated().billedDays()).isEqualTo(10);
        });
        assertThat(plan.ofKind(Kind.CREATE)).singleElement().satisfies(op -> {
            assertThat(op.fields().proratePrice()).isEqualByComparingTo("13.20"); // 11 x 36.00 / 30
            assertThat(op.fields().prorateCost()).isEqualByComparingTo("10.63");
        });
        // the rules' default (CONNECTWISE): only the end
        PlannedOperation end = plan(event(EventAction.PRICE_CHANGE, "2024-09-20", sub().start("2024-08-01").price("36.00", "29.00")),
                lines, rules()).ofKind(Kind.UPDATE).get(0);
        assertThat(end.fields().proratePrice()).isNull();
        assertThat(end.prorated().written()).isFalse();
    }

    @Test
    @DisplayName("R17 a price change from c: the base ends c - 1 and continues at the new price; past days keep theirs")
    void splitsAtTheChangeDate() {
        AdditionPlan plan = plan(priceChange("2024-04-10", "24.00", "20.40"), openBase(), rules());
        assertThat(plan.operations()).hasSize(2);
        PlannedOperation end = plan.ofKind(Kind.UPDATE).get(0);
        assertThat(end.fields().cancelledDate()).isEqualTo(date("2024-04-09"));
        assertThat(end.fields().unitPrice()).isNull();
        PlannedOperation next = plan.ofKind(Kind.CREATE).get(0);
        assertThat(next.line()).isEqualTo(LineKey.of(SUB, LineRole.BASE, date("2024-04-10")));
        assertThat(next.fields().unitPrice()).isEqualTo(dec("24.00"));
        assertThat(next.fields().unitCost()).isEqualTo(dec("20.40"));
        assertThat(next.fields().quantity()).isEqualByComparingTo("10");
        assertThat(next.fields().cancelledDate()).isNull();
        SubscriptionLines after = openBase().apply(plan);
        assertThat(after.quantityOn(date("2024-04-09"))).isEqualByComparingTo("10");
        assertThat(after.quantityOn(date("2024-04-10"))).isEqualByComparingTo("10");
    }

    @Test
    @DisplayName("R17 on the purchase date the base is repriced in place")
    void purchaseDateInPlace() {
        AdditionPlan plan = plan(priceChange("2024-02-15", "24.00", "18.70"), openBase(), rules());
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.fields().unitPrice()).isEqualTo(dec("24.00"));
            assertThat(op.fields().unitCost()).isNull(); // unchanged: only the changed fields
        });
    }

    @Test
    @DisplayName("R17+R26 invoiced base: ended before c (allowed), new price on a new line")
    void invoicedBase() {
        AdditionPlan plan = plan(priceChange("2024-04-10", "24.00", "20.40"), Fixtures.invoicedBase(), rules());
        assertThat(plan.ofKind(Kind.CREATE)).singleElement().satisfies(op -> assertThat(op.reason()).startsWith("R26"));
        assertThat(plan.ofKind(Kind.UPDATE)).singleElement().satisfies(op -> {
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-04-09"));
            assertThat(op.fields().unitPrice()).isNull();
        });
    }

    @Test
    @DisplayName("R17 a pending delta line (R15, next month) takes the new price")
    void pendingDeltaRepriced() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, -2, "2024-05-01", "2024-05-31"));
        AdditionPlan plan = plan(priceChange("2024-04-10", "24.00", "20.40"), lines, rules());
        assertThat(plan.operations()).anySatisfy(op -> {
            assertThat(op.additionId()).isEqualTo(101L);
            assertThat(op.fields().unitPrice()).isEqualTo(dec("24.00"));
        });
    }

    @Test
    @DisplayName("R17 with CONNECTWISE_CATALOG or unchanged prices nothing is pushed")
    void nothingToPush() {
        assertThat(plan(priceChange("2024-04-10", "24.00", "20.40"), openBase(),
                rules().withPriceSource(SyncRules.PriceSource.CONNECTWISE_CATALOG)).operations()).isEmpty();
        assertThat(plan(priceChange("2024-04-10", "22.00", "18.70"), openBase(), rules()).operations()).isEmpty();
    }

    /** R10 with prices: Σ over the days from..to of (licences × unit price) the licence lines bill, per day. */
    private static java.math.BigDecimal priceUnits(SubscriptionLines lines, String from, String to) {
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        for (java.time.LocalDate d = date(from); !d.isAfter(date(to)); d = d.plusDays(1)) {
            for (AdditionLine l : lines.licenceLines()) {
                if (l.activeOn(d)) {
                    sum = sum.add(l.quantity().multiply(l.unitPrice()));
                }
            }
        }
        return sum;
    }

    @Test
    @DisplayName("R17 x R10 probe 57 P57-3: a price change splits a running +2 delta line too: 04-03..04-05 at 22.00, 04-06..04-30"
            + " at 25.00; April 8732 licence-day-price units / 30 = 291.07, not 286.07")
    void r17APriceChangeSplitsARunningDeltaLine() {
        SubscriptionLines lines = lines(base(100, 10, "2024-04-01", null), delta(101, 2, "2024-04-03", "2024-04-30"));
        AdditionPlan plan = plan(priceChange("2024-04-06", "25.00", "21.00"), lines, rules());
        SubscriptionLines after = lines.apply(plan);
        assertThat(plan.operations()).anySatisfy(op -> {
            assertThat(op.additionId()).isEqualTo(101L);
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-04-05"));
        });
        assertThat(plan.ofKind(Kind.CREATE)).anySatisfy(op -> {
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.DELTA, date("2024-04-06")));
            assertThat(op.fields().quantity()).isEqualByComparingTo("2");
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("25.00");
            assertThat(op.fields().unitCost()).isEqualByComparingTo("21.00");
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-04-30"));
        });
        assertLicences(after, "2024-04-02", 10, "2024-04-03", 12, "2024-04-05", 12, "2024-04-06", 12, "2024-04-30", 12);
        // 10x5x22 + 10x25x25 + 2x3x22 + 2x25x25 = 1100 + 6250 + 132 + 1250
        assertThat(priceUnits(after, "2024-04-01", "2024-04-30")).isEqualByComparingTo("8732");
        // the month roll (R18) still nets 12 at 25.00 from May
        SubscriptionLines rolled = after.apply(MonthRoll.plan(after, 1L, date("2024-05-02")));
        assertLicences(rolled, "2024-04-30", 12, "2024-05-01", 12, "2024-05-31", 12);
        assertThat(priceUnits(rolled, "2024-05-01", "2024-05-31")).isEqualByComparingTo("9300"); // 12 x 31 x 25
        assertThat(priceUnits(rolled, "2024-04-01", "2024-04-30")).isEqualByComparingTo("8732");
    }

    @Test
    @DisplayName("R17 x R10: a running -2 delta line is split as well, so it credits 22.00 before c and 25.00 from c")
    void r17APriceChangeSplitsARunningNegativeDeltaLine() {
        SubscriptionLines lines = lines(base(100, 10, "2024-04-01", null), delta(101, -2, "2024-04-03", "2024-04-30"));
        SubscriptionLines after = lines.apply(plan(priceChange("2024-04-06", "25.00", "21.00"), lines, rules()));
        assertLicences(after, "2024-04-02", 10, "2024-04-03", 8, "2024-04-06", 8, "2024-04-30", 8);
        // 10x5x22 + 10x25x25 - 2x3x22 - 2x25x25 = 1100 + 6250 - 132 - 1250
        assertThat(priceUnits(after, "2024-04-01", "2024-04-30")).isEqualByComparingTo("5968");
    }

    @Test
    @DisplayName("R17 x R16: a delta line dated on the change day itself is repriced in place, not split")
    void r17ADeltaLineDatedOnTheChangeDayIsUpdated() {
        SubscriptionLines lines = lines(base(100, 10, "2024-04-01", null), delta(101, 2, "2024-04-06", "2024-04-30"));
        AdditionPlan plan = plan(priceChange("2024-04-06", "25.00", "21.00"), lines, rules());
        assertThat(plan.ofKind(Kind.UPDATE)).anySatisfy(op -> {
            assertThat(op.additionId()).isEqualTo(101L);
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("25.00");
            assertThat(op.fields().cancelledDate()).isNull();
        });
        assertThat(plan.ofKind(Kind.CREATE)).noneSatisfy(op -> assertThat(op.line().role()).isEqualTo(LineRole.DELTA));
    }

    private static java.math.BigDecimal licenceDaysAt(AdditionPlan plan, String price) {
        return plan.catchUps().stream().filter(c -> c.unitPrice().compareTo(dec(price)) == 0).map(CatchUp::licenceDays)
                .reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add);
    }

    @Test
    @DisplayName("R17 x R26/R27: a delta line running from an invoiced month: no line before N, the invoiced days before N at the"
            + " new price become catch-ups as for the base")
    void r17APriceChangeInAnInvoicedMonthSplitsTheRunningDeltaFromN() {
        MappingContext invoiced = mapping().withBilling(new AgreementBilling(date("2024-02-01"), date("2024-04-01"), false, false));
        SubscriptionLines lines = lines(base(100, 10, "2024-03-01", null).asInvoiced(),
                delta(101, 2, "2024-03-10", "2024-03-31").asInvoiced());
        AdditionPlan plan = AdditionRules.plan(priceChange("2024-03-20", "25.00", "21.00"), lines, invoiced, rules());
        assertThat(plan.ofKind(Kind.CREATE)).allSatisfy(op -> assertThat(op.fields().effectiveDate()).isAfterOrEqualTo(date("2024-04-01")));
        // base 10 and delta 2 on 03-20..03-31 (12 days): credited at 22.00, charged at 25.00: 144 licence-days each way
        assertThat(licenceDaysAt(plan, "22.00")).isEqualByComparingTo("-144");
        assertThat(licenceDaysAt(plan, "25.00")).isEqualByComparingTo("144");
        // from N the base carries the new price, the delta ended in March
        SubscriptionLines after = lines.apply(plan);
        assertLicences(after, "2024-04-01", 12);
        assertThat(priceUnits(after, "2024-04-01", "2024-04-30")).isEqualByComparingTo("9000"); // 12 x 30 x 25
    }

    @Test
    @DisplayName("R17 x R17a: with MARKETPLACE proration the split delta line is re-prorated to 04-03..04-05 (3/30) and its"
            + " continuation prorated to 04-06..04-30 (25/30) at the new price")
    void r17aASplitDeltaLineIsReprorated() {
        SyncRules marketplace = rules().withProration(SyncRules.ProrationRule.MARKETPLACE);
        SubscriptionLines lines = lines(base(100, 10, "2024-04-01", null), delta(101, 2, "2024-04-03", "2024-04-30"));
        AdditionPlan plan = plan(priceChange("2024-04-06", "25.00", "21.00"), lines, marketplace);
        assertThat(plan.ofKind(Kind.UPDATE)).anySatisfy(op -> {
            assertThat(op.additionId()).isEqualTo(101L);
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-04-05"));
            assertThat(op.fields().proratePrice()).isEqualByComparingTo("2.20"); // per licence: 22.00 x 3 / 30
            assertThat(op.prorated().billedDays()).isEqualTo(3);
        });
        assertThat(plan.ofKind(Kind.CREATE)).anySatisfy(op -> {
            assertThat(op.line().role()).isEqualTo(LineRole.DELTA);
            assertThat(op.fields().proratePrice()).isEqualByComparingTo("20.83"); // per licence: 25.00 x 25 / 30
        });
    }

    @Test
    @DisplayName("R17 x R21 x R10: a price change after a cancellation whose -Q line still runs bills nothing from the"
            + " cancellation day: base and -Q line carry the same price every day")
    void r17APriceChangeAfterACancellationLeavesItNetZero() {
        AdditionLine minus = new AdditionLine(102L, LineKey.of(SUB, LineRole.CANCELLATION, date("2024-04-03")), CATALOG,
                dec("-10"), dec("22.00"), dec("18.70"), date("2024-04-03"), date("2024-04-30"), false, "cancel", null);
        SubscriptionLines lines = lines(base(100, 10, "2024-04-01", "2024-04-30"), minus);
        SubscriptionLines after = lines.apply(plan(priceChange("2024-04-06", "25.00", "21.00"), lines, rules()));
        assertLicences(after, "2024-04-02", 10, "2024-04-03", 0, "2024-04-06", 0, "2024-04-30", 0);
        assertThat(priceUnits(after, "2024-04-03", "2024-04-30")).isEqualByComparingTo("0");
    }
}
