package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.AGREEMENT;
import static io.cwbridge.rules.Fixtures.CATALOG;
import static io.cwbridge.rules.Fixtures.NEW_CATALOG;
import static io.cwbridge.rules.Fixtures.date;
import static io.cwbridge.rules.Fixtures.decrease;
import static io.cwbridge.rules.Fixtures.fullUpgrade;
import static io.cwbridge.rules.Fixtures.increase;
import static io.cwbridge.rules.Fixtures.invoicedBase;
import static io.cwbridge.rules.Fixtures.mapping;
import static io.cwbridge.rules.Fixtures.openBase;
import static io.cwbridge.rules.Fixtures.plan;
import static io.cwbridge.rules.Fixtures.rules;
import static io.cwbridge.rules.Fixtures.salesOrder;
import static io.cwbridge.rules.Fixtures.sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.SubscriptionEvent;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /** The late change of the probe's D1: 10 → {@code to} dated 25 March (a decrease or an increase). */
    private static SubscriptionEvent lateChange(int to) {
        return to < 10 ? decrease("2024-03-25", 10, to) : increase("2024-03-25", 10, to);
    }

    /** R10 for the subscription (both products) from its start to the end of May, against the model of its events. */
    private static void assertR10(SubscriptionLines lines, MappingContext mapping, AgreementBilling billing, SubscriptionEvent... events) {
        ExpectedLicences model = ExpectedLicences.of(rules(), mapping).apply(salesOrder(sub()));
        if (billing.nextInvoiceDate() != null) model = model.invoicedBefore(billing.nextInvoiceDate());
        for (SubscriptionEvent event : events) model = model.apply(event);
        assertThat(InvariantR10.check(lines, model, Fixtures.SUB, date("2024-02-14"), date("2024-05-31"))).as("R10 on\n" + lines)
                .isEmpty();
    }

    /**
     * R19 × R27 × R10 (probe 42 D1): March invoiced on an agreement that does not prorate, upgraded in full on 5 April, then
     * a change dated 25 March arrives. R27 carries the old product's base into April at the new count (it continues from
     * N = 1 April), so the upgrade's −Q line must net that count: before, it stayed −10 and the old product billed −2
     * (+2 after an increase) from 5 to 30 April next to the new one, 2 × 22.00 × 26 / 30 = 38.13 a month.
     */
    @ParameterizedTest(name = "10 -> {0}")
    @ValueSource(ints = {8, 12})
    @DisplayName("R19 R27 R10 a late change of the invoiced month before the upgrade: the −Q line nets the count R27 continues from N")
    void aLateChangeOfTheInvoicedMonthBeforeTheUpgradeIsNettedFromTheUpgradeR19R27R10(int to) {
        AgreementBilling billing = new AgreementBilling(date("2024-02-01"), date("2024-04-01"), false, false);
        MappingContext invoiced = mapping().withBilling(billing);
        SubscriptionEvent upgrade = fullUpgrade("2024-04-05", 10, null);
        SubscriptionLines lines = invoicedBase();
        lines = lines.apply(AdditionRules.plan(upgrade, lines, invoiced, rules()));

        AdditionPlan late = AdditionRules.plan(lateChange(to), lines, invoiced, rules());
        SubscriptionLines after = lines.apply(late);

        assertOld(after, "2024-04-01", to, "2024-04-04", to, "2024-04-05", 0, "2024-04-30", 0, "2024-05-01", 0);
        assertThat(licences(after, NEW_CATALOG, "2024-04-05")).isEqualByComparingTo("10");
        assertR10(after, invoiced, billing, upgrade, lateChange(to));
        // the invoiced days 25–31 March are the catch-up: ±2 × 7 licence-days
        assertThat(late.catchUps()).extracting(CatchUp::licenceDays).containsExactly(BigDecimal.valueOf((to - 10) * 7L));
        // and a later global sync's roll finds nothing more to do
        assertThat(MonthRoll.plan(after, AGREEMENT, date("2024-04-10"), billing).isEmpty()).isTrue();
    }

    /**
     * R19 × R18 × R10 (probe 42 D1, the global sync): nothing invoiced (or an agreement that prorates and invoices prorated
     * additions, where the late line keeps its March dates), upgraded in full on 5 April, then a change dated 25 March.
     * The global sync's month roll carries the ended delta into the old base from 1 April, and the upgrade's −Q line
     * nets the new count: before, it stayed −10 and the old product billed ∓2 licences from 5 to 30 April.
     */
    @ParameterizedTest(name = "10 -> {0}")
    @ValueSource(ints = {8, 12})
    @DisplayName("R19 R18 R10 the month roll after a late change before the upgrade leaves the old product billing nothing from the upgrade")
    void theMonthRollAfterALateChangeBeforeTheUpgradeNetsTheRolledCountR19R18R10(int to) {
        for (AgreementBilling billing : new AgreementBilling[] {AgreementBilling.unknown(),
                new AgreementBilling(date("2024-02-01"), date("2024-04-01"), true, true)}) {
            MappingContext mapping = mapping().withBilling(billing);
            SubscriptionEvent upgrade = fullUpgrade("2024-04-05", 10, null);
            SubscriptionLines lines = billing.nextInvoiceDate() == null ? openBase() : invoicedBase();
            lines = lines.apply(AdditionRules.plan(upgrade, lines, mapping, rules()));
            lines = lines.apply(AdditionRules.plan(lateChange(to), lines, mapping, rules()));

            AdditionPlan roll = MonthRoll.plan(lines, AGREEMENT, date("2024-04-10"), billing);
            SubscriptionLines rolled = lines.apply(roll);

            assertThat(roll.toString()).as("%s", billing).contains("R18 month roll");
            assertOld(rolled, "2024-03-25", to, "2024-04-01", to, "2024-04-04", to, "2024-04-05", 0, "2024-04-30", 0);
            assertR10(rolled, mapping, billing, upgrade, lateChange(to));
            assertThat(MonthRoll.plan(rolled, AGREEMENT, date("2024-04-10"), billing).isEmpty()).as("a second roll").isTrue();
        }
    }

    /**
     * R19 × R11–R16: the licences the lines stand for before a late change are counted on the days before the upgrade,
     * where the old product still bills (probe 42 D5: "ConnectWise lines stand for 0" when they stood for 10). Without
     * previousQuantity the change is taken against that count: a decrease to 8 was an increase of +8 (18 licences from
     * 5 to 9 March).
     */
    @Test
    @DisplayName("R19 R14 a late change before an upgrade is counted against the licences the old product billed until it")
    void aLateChangeIsCountedAgainstTheOldProductsLicencesBeforeTheUpgradeR19R14() {
        SubscriptionLines base = openBase();
        SubscriptionLines lines = base.apply(plan(fullUpgrade("2024-03-10", 10, "sub-e3"), base, rules()));
        AdditionPlan noPrevious = plan(Fixtures.event(io.cwbridge.events.EventAction.LICENSE_DECREASE, "2024-03-05",
                sub().quantity(8)), lines, rules());
        assertOld(lines.apply(noPrevious), "2024-03-04", 10, "2024-03-05", 8, "2024-03-09", 8, "2024-03-10", 0);
        AdditionPlan withPrevious = plan(decrease("2024-03-05", 10, 8), lines, rules());
        assertThat(withPrevious.notes()).noneMatch(note -> note.contains("stand for"));
    }
}
