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
}
