package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.CATALOG;
import static io.cwbridge.rules.Fixtures.NEW_CATALOG;
import static io.cwbridge.rules.Fixtures.date;
import static io.cwbridge.rules.Fixtures.decrease;
import static io.cwbridge.rules.Fixtures.fullUpgrade;
import static io.cwbridge.rules.Fixtures.increase;
import static io.cwbridge.rules.Fixtures.openBase;
import static io.cwbridge.rules.Fixtures.plan;
import static io.cwbridge.rules.Fixtures.rules;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * R19 × R10: a licence change dated before a full upgrade that ConnectWise already has (the change arrived late)
 * changes the old product only until the upgrade; from the upgrade's day the old product bills nothing.
 */
class LateChangeBeforeAnUpgradeTest {

    /** 10 licences from 14 February, upgraded in full to the new product on 10 March. */
    private static SubscriptionLines upgraded() {
        SubscriptionLines lines = openBase();
        return lines.apply(plan(fullUpgrade("2024-03-10", 10, null), lines, rules()));
    }

    private static BigDecimal licences(SubscriptionLines lines, long catalog, String day) {
        return lines.all().stream().filter(l -> l.countsLicences() && l.catalogItemId() == catalog && l.activeOn(date(day)))
                .map(AdditionLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static void assertOld(SubscriptionLines lines, Object... dayAndCount) {
        for (int i = 0; i < dayAndCount.length; i += 2) {
            assertThat(licences(lines, CATALOG, (String) dayAndCount[i])).as("old product on %s", dayAndCount[i])
                    .isEqualByComparingTo(BigDecimal.valueOf((Integer) dayAndCount[i + 1]));
        }
    }

    @Test
    void aLateDecreaseEndsTheDayBeforeTheUpgradeR19R10() {
        SubscriptionLines lines = upgraded();
        AdditionPlan late = plan(decrease("2024-03-05", 10, 7), lines, rules());
        SubscriptionLines after = lines.apply(late);
        assertOld(after, "2024-03-04", 10, "2024-03-05", 7, "2024-03-09", 7, "2024-03-10", 0, "2024-03-31", 0, "2024-04-01", 0);
        assertThat(licences(after, NEW_CATALOG, "2024-03-10")).isEqualByComparingTo("10");
        assertThat(late.toString()).contains("R19, R10: ends 2024-03-09");
    }

    @Test
    void aLateIncreaseBillsTheOldProductOnlyUntilTheUpgradeR19R10() {
        SubscriptionLines lines = upgraded();
        SubscriptionLines after = lines.apply(plan(increase("2024-03-05", 10, 12), lines, rules()));
        assertOld(after, "2024-03-04", 10, "2024-03-05", 12, "2024-03-09", 12, "2024-03-10", 0, "2024-03-31", 0);
        assertThat(licences(after, NEW_CATALOG, "2024-03-20")).isEqualByComparingTo("10");
    }

    @Test
    void aChangeOfAnEarlierMonthIsLeftAsItsRulePlansIt() {
        SubscriptionLines lines = upgraded();
        SubscriptionLines after = lines.apply(plan(increase("2024-02-20", 10, 12), lines, rules()));
        assertOld(after, "2024-02-19", 10, "2024-02-20", 12, "2024-02-29", 12, "2024-03-01", 10, "2024-03-10", 0);
    }
    /**
     * R11 × R19: a change on the purchase date that arrives after the upgrade changes the base for its whole run; the
     * upgrade's −Q line then nets the new count, so the old product still bills nothing from the upgrade on (it billed
     * 12 − 10 = 2 licences from 10 to 31 March before).
     */
    @Test
    void aLatePurchaseDateChangeMovesTheUpgradesNettingLineWithTheBaseR11R19() {
        SubscriptionLines lines = upgraded();
        AdditionPlan late = plan(increase("2024-02-15", 10, 12), lines, rules());
        SubscriptionLines after = lines.apply(late);
        assertOld(after, "2024-02-14", 12, "2024-03-09", 12, "2024-03-10", 0, "2024-03-31", 0, "2024-04-01", 0);
        assertThat(licences(after, NEW_CATALOG, "2024-03-10")).isEqualByComparingTo("10");
        assertThat(late.toString()).contains("R19, R11");

        SubscriptionLines down = lines.apply(plan(decrease("2024-02-14", 10, 8), lines, rules()));
        assertOld(down, "2024-02-14", 8, "2024-03-09", 8, "2024-03-10", 0, "2024-03-31", 0);
    }
    /** R11 × R19 × R26: once ConnectWise invoiced the upgrade's month, its −Q line is not edited: the difference goes next to it. */
    @Test
    void anInvoicedNettingLineGetsTheDifferenceOnALineNextToItR11R19R26() {
        SubscriptionLines lines = upgraded().markAllInvoiced();
        AdditionPlan late = plan(increase("2024-02-15", 10, 12), lines, rules());
        SubscriptionLines after = lines.apply(late);
        assertOld(after, "2024-02-14", 12, "2024-03-09", 12, "2024-03-10", 0, "2024-03-31", 0);
        assertThat(late.toString()).contains("R26").contains("R19, R11");
    }
    private static BigDecimal billed(SubscriptionLines lines, long catalog, String day) {
        return lines.all().stream().filter(l -> l.countsLicences() && l.catalogItemId() == catalog && l.activeOn(date(day)))
                .map(l -> l.quantity().multiply(l.unitPrice())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * R17 × R19: a price change dated before the upgrade that arrives after it reprices the old product until the upgrade;
     * from the upgrade on its lines still bill nothing, in money as in licences (the −Q line carries the new price too).
     */
    @Test
    void aLatePriceChangeRepricesTheUpgradesNettingLineSoTheOldProductBillsNothingFromTheUpgradeR17R19() {
        SubscriptionLines lines = upgraded();
        SubscriptionLines after = lines.apply(plan(Fixtures.event(io.cwbridge.events.EventAction.PRICE_CHANGE, "2024-03-05",
                Fixtures.sub().price("24.00", "20.40")), lines, rules()));
        assertThat(billed(after, CATALOG, "2024-03-04")).isEqualByComparingTo("220.00");
        assertThat(billed(after, CATALOG, "2024-03-05")).isEqualByComparingTo("240.00");
        for (String day : new String[] {"2024-03-10", "2024-03-20", "2024-03-31"}) {
            assertThat(billed(after, CATALOG, day)).as("old product's money on %s", day).isEqualByComparingTo("0");
        }
        assertOld(after, "2024-03-05", 10, "2024-03-10", 0, "2024-03-31", 0);
    }
}
