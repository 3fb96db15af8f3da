package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.CATALOG;
import static io.cwbridge.rules.Fixtures.NEW_CATALOG;
import static io.cwbridge.rules.Fixtures.SUB;
import static io.cwbridge.rules.Fixtures.cancel;
import static io.cwbridge.rules.Fixtures.date;
import static io.cwbridge.rules.Fixtures.fullUpgrade;
import static io.cwbridge.rules.Fixtures.mapping;
import static io.cwbridge.rules.Fixtures.partialUpgrade;
import static io.cwbridge.rules.Fixtures.rules;
import static io.cwbridge.rules.Fixtures.salesOrder;
import static io.cwbridge.rules.Fixtures.sub;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.rules.SyncRules.Cancellation;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * R19 / R20 × R21 × R10 (probe 57 P57-2): an upgrade dated before the subscription's cancellation that arrives after the
 * cancellation was synced. The old product bills until the day before the upgrade, the new one from the upgrade until
 * the cancellation, and nothing bills from the cancellation on. Sold 14 February (10 × 22.00), March invoiced
 * (N = 1 April) on an agreement that prorates but does not invoice prorated additions (R27 catch-ups).
 */
class LateUpgradeBeforeACancellationTest {

    private static final AgreementBilling MARCH_INVOICED = new AgreementBilling(date("2024-02-01"), date("2024-04-01"), true, false);

    private record Synced(SubscriptionLines lines, List<CatchUp> catchUps, ExpectedLicences model) {
    }

    /** The sale, then the events in arrival order, each with the mapping the bundle resolves (cancelledFrom once synced). */
    private static Synced sync(SyncRules rules, SubscriptionEvent... events) {
        MappingContext mapping = mapping().withBilling(MARCH_INVOICED);
        SubscriptionLines lines = SubscriptionLines.none();
        ExpectedLicences model = ExpectedLicences.of(rules, mapping).invoicedBefore(MARCH_INVOICED.nextInvoiceDate());
        List<CatchUp> catchUps = new java.util.ArrayList<>();
        LocalDate cancelledFrom = null;
        SubscriptionEvent sale = salesOrder(sub());
        for (SubscriptionEvent event : prepend(sale, events)) {
            AdditionPlan plan = AdditionRules.plan(event, lines.forSubscription(event.subscription().id()),
                    cancelledFrom == null || !event.subscription().id().equals(SUB) ? mapping : mapping.withCancelledFrom(cancelledFrom),
                    rules);
            lines = lines.apply(plan);
            if (event != sale) catchUps.addAll(plan.catchUps());
            model = model.apply(event);
            if (event.action() == io.cwbridge.events.EventAction.CANCEL) cancelledFrom = event.changeDate();
        }
        return new Synced(lines, catchUps, model);
    }

    private static SubscriptionEvent[] prepend(SubscriptionEvent first, SubscriptionEvent[] rest) {
        SubscriptionEvent[] all = new SubscriptionEvent[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** The licences the product's lines bill on the day (the caught-up lines of invoiced days included). */
    private static BigDecimal licences(SubscriptionLines lines, String subscriptionId, long catalog, String day) {
        return lines.all().stream().filter(l -> l.subscriptionId().equals(subscriptionId) && l.countsLicences()
                        && l.catalogItemId() != null && l.catalogItemId() == catalog && l.activeOn(date(day)))
                .map(AdditionLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static void assertProduct(SubscriptionLines lines, String subscriptionId, long catalog, Object... dayAndCount) {
        for (int i = 0; i < dayAndCount.length; i += 2) {
            assertThat(licences(lines, subscriptionId, catalog, (String) dayAndCount[i]))
                    .as("product %s of %s on %s\n%s", catalog, subscriptionId, dayAndCount[i], lines)
                    .isEqualByComparingTo(BigDecimal.valueOf((Integer) dayAndCount[i + 1]));
        }
    }

    private static void assertR10(Synced synced, String subscriptionId) {
        assertThat(InvariantR10.check(synced.lines(), synced.model(), subscriptionId, date("2024-02-01"), date("2024-06-30")))
                .as("R10 for %s on\n%s", subscriptionId, synced.lines()).isEmpty();
    }

    private static BigDecimal sum(List<CatchUp> catchUps, long catalog, java.util.function.Function<CatchUp, BigDecimal> what) {
        return catchUps.stream().filter(c -> c.catalogItemId() == catalog).map(what).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    @DisplayName("R19 R21 R10 a full upgrade of 3 April arriving after the cancellation of 8 April: old product until 2 April, new 3-7 April, nothing from 8 April")
    void aLateFullUpgradeBeforeASameMonthCancellationKeepsTheCancellationR19R21R10() {
        Synced synced = sync(rules(), cancel("2024-04-08", 10), fullUpgrade("2024-04-03", 10, null));
        // before: the cancellation's −10 line was deleted as an "old product line starting after the upgrade" and the old
        // product billed 10 again from 8 to 30 April: 230 licence-days × 22.00 / 30 = 168.67 for a cancelled subscription
        assertProduct(synced.lines(), SUB, CATALOG, "2024-04-01", 10, "2024-04-02", 10, "2024-04-03", 0, "2024-04-07", 0,
                "2024-04-08", 0, "2024-04-30", 0, "2024-05-01", 0);
        assertProduct(synced.lines(), SUB, NEW_CATALOG, "2024-04-02", 0, "2024-04-03", 10, "2024-04-07", 10, "2024-04-08", 0,
                "2024-04-30", 0, "2024-05-01", 0);
        assertThat(synced.lines().ofRole(LineRole.CANCELLATION)).singleElement()
                .satisfies(l -> assertThat(l.quantity()).isEqualByComparingTo("-10"));
        assertR10(synced, SUB);
    }

    @Test
    @DisplayName("R19 R21 R27 R10 into the invoiced month: the upgrade credits the old product 20-24 March (−35.48) and bills the new one (+58.06), nothing from the cancellation")
    void aLateFullUpgradeIntoTheInvoicedMonthCreditsTheOldProductUntilTheCancellationR19R21R27() {
        Synced synced = sync(rules(), cancel("2024-03-25", 10), fullUpgrade("2024-03-20", 10, null));
        // before: the old product's catch-up was +10 licence-days (+7.10) instead of −50 (−35.48): 42.58 over-billed
        List<CatchUp> upgrade = synced.catchUps().subList(1, synced.catchUps().size());
        assertThat(sum(upgrade, CATALOG, CatchUp::licenceDays)).isEqualByComparingTo("-50");
        assertThat(sum(upgrade, CATALOG, CatchUp::amount)).isEqualByComparingTo("-35.48");
        assertThat(sum(upgrade, NEW_CATALOG, CatchUp::licenceDays)).isEqualByComparingTo("50");
        assertThat(sum(upgrade, NEW_CATALOG, CatchUp::amount)).isEqualByComparingTo("58.06");
        assertProduct(synced.lines(), SUB, CATALOG, "2024-03-19", 10, "2024-03-20", 0, "2024-03-25", 0, "2024-03-31", 0, "2024-04-01", 0);
        assertProduct(synced.lines(), SUB, NEW_CATALOG, "2024-03-20", 10, "2024-03-24", 10, "2024-03-25", 0, "2024-04-01", 0);
        assertR10(synced, SUB);
    }

    @Test
    @DisplayName("R19 R21 R27 R10 probe 57 subY2: cancelled 28 March, upgraded 18 March: old product −100 licence-days (−70.97), new +100 (116.13)")
    void aLateFullUpgradeTenDaysBeforeTheCancellationR19R21R27() {
        Synced synced = sync(rules(), cancel("2024-03-28", 10), fullUpgrade("2024-03-18", 10, null));
        List<CatchUp> upgrade = synced.catchUps().subList(1, synced.catchUps().size());
        assertThat(sum(upgrade, CATALOG, CatchUp::amount)).isEqualByComparingTo("-70.97");
        assertThat(sum(upgrade, NEW_CATALOG, CatchUp::amount)).isEqualByComparingTo("116.13");
        assertR10(synced, SUB);
    }

    @Test
    @DisplayName("R19 R21 R10 a late full upgrade to a new subscription: the old one bills until the day before, the new one is not cancelled")
    void aLateFullUpgradeToANewSubscriptionR19R21R10() {
        Synced synced = sync(rules(), cancel("2024-04-08", 10), fullUpgrade("2024-04-03", 10, "sub-e3"));
        assertProduct(synced.lines(), SUB, CATALOG, "2024-04-02", 10, "2024-04-03", 0, "2024-04-08", 0, "2024-04-30", 0, "2024-05-01", 0);
        assertProduct(synced.lines(), "sub-e3", NEW_CATALOG, "2024-04-03", 10, "2024-04-08", 10, "2024-05-01", 10);
        assertR10(synced, SUB);
        assertR10(synced, "sub-e3");
    }

    @Test
    @DisplayName("R19 R21 R10 a full upgrade arriving after a cancellation dated in the next month: new product from 3 April until 9 May")
    void aLateFullUpgradeBeforeANextMonthCancellationR19R21R10() {
        Synced synced = sync(rules(), cancel("2024-05-10", 10), fullUpgrade("2024-04-03", 10, null));
        assertProduct(synced.lines(), SUB, CATALOG, "2024-04-02", 10, "2024-04-03", 0, "2024-04-30", 0, "2024-05-01", 0,
                "2024-05-10", 0, "2024-05-31", 0, "2024-06-01", 0);
        assertProduct(synced.lines(), SUB, NEW_CATALOG, "2024-04-03", 10, "2024-05-09", 10, "2024-05-10", 0, "2024-05-31", 0,
                "2024-06-01", 0);
        assertR10(synced, SUB);
    }

    @ParameterizedTest
    @EnumSource(Cancellation.class)
    @DisplayName("R20 R21 R10 a partial upgrade arriving after the old subscription's cancellation it precedes: the old one bills 6 until the cancellation, the new one goes on")
    void aLatePartialUpgradeBeforeTheCancellationR20R21R10(Cancellation cancellation) {
        SyncRules rules = rules().withCancellation(cancellation);
        Synced synced = sync(rules, cancel("2024-04-08", 10), partialUpgrade("2024-04-03", 10, 6, "sub-new"));
        boolean perDate = cancellation == Cancellation.CANCEL_PER_CANCELLATION_DATE;
        assertProduct(synced.lines(), SUB, CATALOG, "2024-04-02", 10, "2024-04-03", 6, "2024-04-07", 6, "2024-04-08", perDate ? 0 : 6,
                "2024-04-30", perDate ? 0 : 6, "2024-05-01", 0);
        assertProduct(synced.lines(), "sub-new", NEW_CATALOG, "2024-04-03", 4, "2024-04-08", 4, "2024-05-01", 4);
        assertR10(synced, SUB);
        assertR10(synced, "sub-new");
    }

    @Test
    @DisplayName("R19 R21 R10 last day of month: a late full upgrade bills the new product to the end of the cancellation's month")
    void aLateFullUpgradeBeforeACancellationLastDayOfMonthR19R21R10() {
        Synced synced = sync(rules().withCancellation(Cancellation.LAST_DAY_OF_MONTH), cancel("2024-04-08", 10),
                fullUpgrade("2024-04-03", 10, null));
        assertProduct(synced.lines(), SUB, CATALOG, "2024-04-02", 10, "2024-04-03", 0, "2024-04-30", 0, "2024-05-01", 0);
        assertProduct(synced.lines(), SUB, NEW_CATALOG, "2024-04-03", 10, "2024-04-30", 10, "2024-05-01", 0);
        assertR10(synced, SUB);
    }

    @Test
    @DisplayName("R19 R22 R10 never invoiced and cancelled (lines deleted), a late full upgrade to a new subscription still starts it")
    void aLateFullUpgradeToANewSubscriptionAfterANeverInvoicedCancellationStartsItR19R22R10() {
        MappingContext open = mapping();
        SubscriptionLines lines = SubscriptionLines.none();
        lines = lines.apply(AdditionRules.plan(salesOrder(sub()), lines, open, rules()));
        lines = lines.apply(AdditionRules.plan(cancel("2024-03-20", 10), lines, open, rules()));
        assertThat(lines.forSubscription(SUB).licenceLines()).as("R22 deleted").isEmpty();
        AdditionPlan plan = AdditionRules.plan(fullUpgrade("2024-03-10", 10, "sub-e3"), lines, open.withCancelledFrom(date("2024-03-20")),
                rules());
        SubscriptionLines after = lines.apply(plan);
        // before: "no licence lines left: the FULL_UPGRADE bills nothing", and the new subscription was never billed
        assertProduct(after, "sub-e3", NEW_CATALOG, "2024-03-09", 0, "2024-03-10", 10, "2024-03-20", 10, "2024-05-01", 10);
        assertProduct(after, SUB, CATALOG, "2024-03-10", 0, "2024-03-20", 0);
    }
}
