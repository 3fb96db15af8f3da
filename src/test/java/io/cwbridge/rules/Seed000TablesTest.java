package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.EventAction;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.rules.PlannedOperation.Kind;
import io.cwbridge.rules.SyncRules.Cancellation;
import io.cwbridge.rules.SyncRules.NegativeChange;
import io.cwbridge.rules.SyncRules.PositiveChange;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Every row of the quantity-change, upgrade, cancellation and renewal tables of the StreamOne Ion
 * guide (seed 000), with its example dates: the §8.1 subscription (10 licences from 2024-02-14,
 * 22.00 / 18.70) changed on 15 March 2024.
 */
class Seed000TablesTest {

    private static final SyncRules ACTUAL = rules(PositiveChange.ACTUAL_DATE, NegativeChange.ACTUAL_DATE,
            Cancellation.CANCEL_PER_CANCELLATION_DATE);
    private static final SyncRules FIRST_OF_MONTH = rules(PositiveChange.FIRST_OF_CURRENT_MONTH,
            NegativeChange.FIRST_OF_NEXT_MONTH, Cancellation.LAST_DAY_OF_MONTH);

    private static PlannedOperation only(AdditionPlan plan) {
        assertThat(plan.operations()).as(plan.toString()).hasSize(1);
        return plan.operations().get(0);
    }

    private static PlannedOperation op(AdditionPlan plan, LineRole role, Kind kind) {
        List<PlannedOperation> ops = plan.operations().stream().filter(o -> o.line().role() == role && o.kind() == kind).toList();
        assertThat(ops).as(plan.toString()).hasSize(1);
        return ops.get(0);
    }

    @Nested
    @DisplayName("Positive change narrative (March 15th examples)")
    class PositiveNarrative {

        @Test
        @DisplayName("R12 ACTUAL_DATE: an increase on March 15th creates a record effective March 15th")
        void actualDateCreates() {
            PlannedOperation op = only(plan(increase("2024-03-15", 10, 12), openBase(), ACTUAL));
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-15"));
            assertThat(op.fields().quantity()).isEqualByComparingTo("2");
            assertThat(op.reason()).startsWith("R12 increase +2 effective 2024-03-15");
        }

        @Test
        @DisplayName("R12+R16 ACTUAL_DATE: an increase on March 15th updates the record effective March 15th if it exists")
        void actualDateUpdates() {
            SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, 2, "2024-03-15", "2024-03-31"));
            PlannedOperation op = only(plan(increase("2024-03-15", 12, 13), lines, ACTUAL));
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.additionId()).isEqualTo(101L);
            assertThat(op.fields().quantity()).isEqualByComparingTo("3");
            assertThat(op.reason()).startsWith("R16 R12 increase +1 effective 2024-03-15");
        }

        @Test
        @DisplayName("R13 FIRST_OF_CURRENT_MONTH: an increase on March 15th creates a record effective March 1st")
        void firstOfMonthCreates() {
            PlannedOperation op = only(plan(increase("2024-03-15", 10, 12), openBase(), FIRST_OF_MONTH));
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-01"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        }

        @Test
        @DisplayName("R13+R16 FIRST_OF_CURRENT_MONTH: an increase on March 15th updates the record effective March 1st if it exists")
        void firstOfMonthUpdates() {
            SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, 2, "2024-03-01", "2024-03-31"));
            PlannedOperation op = only(plan(increase("2024-03-15", 12, 15), lines, FIRST_OF_MONTH));
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.additionId()).isEqualTo(101L);
            assertThat(op.fields().quantity()).isEqualByComparingTo("5");
        }

        @Test
        @DisplayName("R13 note: in the agreement's start month the effective date is the agreement start date")
        void agreementStartMonth() {
            MappingContext mapping = new MappingContext(AGREEMENT, date("2024-03-10"), CATALOG, null, null);
            SubscriptionLines lines = lines(base(100, 10, "2024-03-10", null));
            AdditionPlan plan = AdditionRules.plan(
                    event(EventAction.LICENSE_INCREASE, "2024-03-15", sub().start("2024-03-08").change(10, 12)), lines, mapping,
                    FIRST_OF_MONTH);
            PlannedOperation op = only(plan);
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-10"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        }
    }

    @Nested
    @DisplayName("Negative change narrative (March 15th examples)")
    class NegativeNarrative {

        @Test
        @DisplayName("R14 ACTUAL_DATE: a decrease on March 15th creates a record effective March 15th")
        void actualDateCreates() {
            PlannedOperation op = only(plan(decrease("2024-03-15", 10, 8), openBase(), ACTUAL));
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-15"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
            assertThat(op.fields().quantity()).isEqualByComparingTo("-2");
        }

        @Test
        @DisplayName("R14+R16 ACTUAL_DATE: a decrease on March 15th updates the record effective March 15th if it exists")
        void actualDateUpdates() {
            SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, -2, "2024-03-15", "2024-03-31"));
            PlannedOperation op = only(plan(decrease("2024-03-15", 8, 7), lines, ACTUAL));
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.fields().quantity()).isEqualByComparingTo("-3");
        }

        @Test
        @DisplayName("R15 FIRST_OF_NEXT_MONTH: a decrease on March 15th creates a record effective April 1st")
        void firstOfNextMonthCreates() {
            PlannedOperation op = only(plan(decrease("2024-03-15", 10, 8), openBase(), FIRST_OF_MONTH));
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-04-01"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-04-30"));
        }

        @Test
        @DisplayName("R15+R16 FIRST_OF_NEXT_MONTH: a decrease on March 15th updates the record effective April 1st if it exists")
        void firstOfNextMonthUpdates() {
            SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, -2, "2024-04-01", "2024-04-30"));
            PlannedOperation op = only(plan(decrease("2024-03-20", 8, 5), lines, FIRST_OF_MONTH));
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.additionId()).isEqualTo(101L);
            assertThat(op.fields().quantity()).isEqualByComparingTo("-5");
        }
    }

    @Nested
    @DisplayName("Table: licence increase / decrease on the purchase date (R11)")
    class PurchaseDate {

        @ParameterizedTest(name = "R11 increase on the purchase date, positive rule {0}")
        @EnumSource(PositiveChange.class)
        void increaseUpdatesTheExistingLine(PositiveChange rule) {
            SyncRules rules = rules().withPositiveChange(rule);
            PlannedOperation op = only(plan(increase("2024-02-14", 10, 12), openBase(), rules));
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.additionId()).isEqualTo(100L);
            assertThat(op.fields().quantity()).isEqualByComparingTo("12");
            // effective and cancellation date and unit price stay
            assertThat(op.fields().effectiveDate()).isNull();
            assertThat(op.fields().cancelledDate()).isNull();
            assertThat(op.fields().clearCancelledDate()).isFalse();
            assertThat(op.fields().unitPrice()).isNull();
            assertThat(op.reason()).startsWith("R11 increase +2 on the purchase date 2024-02-14");
        }

        @ParameterizedTest(name = "R11 decrease on the purchase date, negative rule {0}")
        @EnumSource(NegativeChange.class)
        void decreaseUpdatesTheExistingLine(NegativeChange rule) {
            SyncRules rules = rules().withNegativeChange(rule);
            PlannedOperation op = only(plan(decrease("2024-02-15", 10, 9), openBase(), rules));
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.fields().quantity()).isEqualByComparingTo("9");
            assertThat(op.fields().effectiveDate()).isNull();
            assertThat(op.fields().cancelledDate()).isNull();
            assertThat(op.fields().unitPrice()).isNull();
            assertThat(op.fields().unitCost()).isNull();
        }
    }

    @Nested
    @DisplayName("Table: licence increase / decrease after the 2nd day of the start date (R12–R16)")
    class AfterPurchaseDate {

        @Test
        @DisplayName("R12 increase, ACTUAL_DATE: delta on a new line, effective the current day, cancelled end of the month; base price stays")
        void increaseActual() {
            PlannedOperation op = only(plan(increase("2024-03-15", 10, 12), openBase(), ACTUAL));
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.DELTA, date("2024-03-15")));
            assertThat(op.fields().quantity()).isEqualByComparingTo("2");
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-15"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
            assertThat(op.fields().catalogItemId()).isEqualTo(CATALOG);
        }

        @Test
        @DisplayName("R13 increase, FIRST_OF_CURRENT_MONTH: delta on a new line, effective the 1st, cancelled end of the month")
        void increaseFirstOfMonth() {
            PlannedOperation op = only(plan(increase("2024-03-15", 10, 12), openBase(), FIRST_OF_MONTH));
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-01"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
            // effective on the period start: the full unit price (R17a)
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("22.00");
        }

        @Test
        @DisplayName("R14 decrease, ACTUAL_DATE: delta on a new line, effective the current day, cancelled end of the month")
        void decreaseActual() {
            PlannedOperation op = only(plan(decrease("2024-03-15", 10, 7), openBase(), ACTUAL));
            assertThat(op.fields().quantity()).isEqualByComparingTo("-3");
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-15"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        }

        @Test
        @DisplayName("R15 decrease, FIRST_OF_NEXT_MONTH: delta on a new line, effective the 1st of next month, cancelled end of next month")
        void decreaseFirstOfNextMonth() {
            PlannedOperation op = only(plan(decrease("2024-03-15", 10, 7), openBase(), FIRST_OF_MONTH));
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-04-01"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-04-30"));
        }

        @Test
        @DisplayName("R16 note: multiple quantity changes replace the delta line, they do not stack")
        void multipleChangesReplace() {
            SubscriptionLines lines = openBase();
            lines = lines.apply(plan(increase("2024-03-15", 10, 12), lines, ACTUAL));
            lines = lines.apply(plan(increase("2024-03-15", 12, 14), lines, ACTUAL));
            lines = lines.apply(plan(decrease("2024-03-15", 14, 13), lines, ACTUAL));
            assertThat(lines.ofRole(LineRole.DELTA)).singleElement()
                    .satisfies(d -> assertThat(d.quantity()).isEqualByComparingTo("3"));
            assertThat(lines.quantityOn(date("2024-03-15"))).isEqualByComparingTo("13");
        }
    }

    @Test
    @DisplayName("R19 full upgrade: existing line cancelled end of month; −Q old product line from the current day to month end; "
            + "new product line +Q from the current day to the subscription end")
    void fullUpgrade() {
        SubscriptionEvent event = event(EventAction.FULL_UPGRADE, "2024-03-15", sub().quantity(10).autoRenew(false).build(),
                new io.cwbridge.events.UpgradeTo(SUB, NEW_PRODUCT, 10, dec("36.00"), dec("30.60"), date("2025-02-13")), null, null);
        AdditionPlan plan = plan(event, invoicedBase(), ACTUAL);
        assertThat(plan.operations()).hasSize(3);
        PlannedOperation existing = op(plan, LineRole.BASE, Kind.UPDATE);
        assertThat(existing.additionId()).isEqualTo(100L);
        assertThat(existing.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        PlannedOperation minus = op(plan, LineRole.UPGRADE, Kind.CREATE);
        assertThat(minus.fields().catalogItemId()).isEqualTo(CATALOG);
        assertThat(minus.fields().quantity()).isEqualByComparingTo("-10");
        assertThat(minus.fields().effectiveDate()).isEqualTo(date("2024-03-15"));
        assertThat(minus.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        PlannedOperation plus = op(plan, LineRole.BASE, Kind.CREATE);
        assertThat(plus.fields().catalogItemId()).isEqualTo(NEW_CATALOG);
        assertThat(plus.fields().quantity()).isEqualByComparingTo("10");
        assertThat(plus.fields().effectiveDate()).isEqualTo(date("2024-03-15"));
        assertThat(plus.fields().cancelledDate()).isEqualTo(date("2025-02-13"));
        assertThat(plus.fields().unitPrice()).isEqualByComparingTo("36.00");
    }

    @Test
    @DisplayName("R20 partial upgrade, ACTUAL_DATE: decrease on a new line from the current day to month end; "
            + "new subscription's addition on the same agreement from the current day to its end, at its price")
    void partialUpgradeActual() {
        AdditionPlan plan = plan(partialUpgrade("2024-03-15", 10, 6, "sub-new"), invoicedBase(), ACTUAL);
        PlannedOperation decrease = op(plan, LineRole.DELTA, Kind.CREATE);
        assertThat(decrease.fields().quantity()).isEqualByComparingTo("-4");
        assertThat(decrease.fields().effectiveDate()).isEqualTo(date("2024-03-15"));
        assertThat(decrease.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        assertThat(decrease.reason()).startsWith("R20 partial upgrade, old subscription: R14 decrease -4");
        PlannedOperation added = op(plan, LineRole.BASE, Kind.CREATE);
        assertThat(added.line().subscriptionId()).isEqualTo("sub-new");
        assertThat(added.agreementId()).isEqualTo(AGREEMENT);
        assertThat(added.fields().catalogItemId()).isEqualTo(NEW_CATALOG);
        assertThat(added.fields().quantity()).isEqualByComparingTo("4");
        assertThat(added.fields().effectiveDate()).isEqualTo(date("2024-03-15"));
        assertThat(added.fields().unitPrice()).isEqualByComparingTo("36.00");
        assertThat(plan.operations()).hasSize(2);
    }

    @Test
    @DisplayName("R20 partial upgrade, FIRST_OF_NEXT_MONTH: decrease from the 1st of next month to its end; new subscription from the current day")
    void partialUpgradeFirstOfNextMonth() {
        AdditionPlan plan = plan(partialUpgrade("2024-03-15", 10, 6, "sub-new"), invoicedBase(), FIRST_OF_MONTH);
        PlannedOperation decrease = op(plan, LineRole.DELTA, Kind.CREATE);
        assertThat(decrease.fields().effectiveDate()).isEqualTo(date("2024-04-01"));
        assertThat(decrease.fields().cancelledDate()).isEqualTo(date("2024-04-30"));
        PlannedOperation added = op(plan, LineRole.BASE, Kind.CREATE);
        assertThat(added.fields().effectiveDate()).isEqualTo(date("2024-03-15"));
        assertThat(added.fields().cancelledDate()).isEqualTo(date("2025-03-14")); // R25 v2: dated at the end, also auto-renewing
    }

    @Test
    @DisplayName("R21 cancellation, CANCEL_PER_CANCELLATION_DATE: a new line with negative quantity, cancelled at the end of the month")
    void cancelPerCancellationDate() {
        AdditionPlan plan = plan(cancel("2024-03-15", 10), invoicedBase(), ACTUAL);
        PlannedOperation base = op(plan, LineRole.BASE, Kind.UPDATE);
        assertThat(base.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        PlannedOperation minus = op(plan, LineRole.CANCELLATION, Kind.CREATE);
        assertThat(minus.fields().quantity()).isEqualByComparingTo("-10");
        assertThat(minus.fields().effectiveDate()).isEqualTo(date("2024-03-15"));
        assertThat(minus.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        assertThat(plan.operations()).hasSize(2);
    }

    @Test
    @DisplayName("R21 cancellation, LAST_DAY_OF_MONTH: the cancellation date becomes the end of the month, no extra line")
    void cancelLastDayOfMonth() {
        PlannedOperation op = only(plan(cancel("2024-03-15", 10), invoicedBase(), FIRST_OF_MONTH));
        assertThat(op.kind()).isEqualTo(Kind.UPDATE);
        assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        assertThat(op.fields().quantity()).isNull();
    }

    @Test
    @DisplayName("R23 auto-renew on: the existing line's cancellation date moves to the renewed subscription's end date")
    void autoRenewOn() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", "2025-02-13"));
        PlannedOperation op = only(plan(event(EventAction.RENEWAL, "2025-02-13", sub().end("2026-02-13").autoRenew(true)), lines,
                ACTUAL));
        assertThat(op.kind()).isEqualTo(Kind.UPDATE);
        assertThat(op.fields().cancelledDate()).isEqualTo(date("2026-02-13"));
    }

    @Test
    @DisplayName("R23 auto-renew off: the line ends with the existing end date")
    void autoRenewOff() {
        PlannedOperation op = only(plan(event(EventAction.RENEWAL, "2024-06-01", sub().end("2025-02-13").autoRenew(false)),
                openBase(), ACTUAL));
        assertThat(op.fields().cancelledDate()).isEqualTo(date("2025-02-13"));
    }
}
