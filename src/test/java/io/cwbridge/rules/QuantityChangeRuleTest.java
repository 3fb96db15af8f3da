package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cwbridge.events.EventAction;
import io.cwbridge.rules.PlannedOperation.Kind;
import io.cwbridge.rules.SyncRules.NegativeChange;
import io.cwbridge.rules.SyncRules.PositiveChange;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Licence changes R11–R17 (QuantityChangeRule), edge cases. */
class QuantityChangeRuleTest {

    private static final SyncRules FIRST_OF_MONTH = rules().withPositiveChange(PositiveChange.FIRST_OF_CURRENT_MONTH)
            .withNegativeChange(NegativeChange.FIRST_OF_NEXT_MONTH);

    private static PlannedOperation single(AdditionPlan plan) {
        assertThat(plan.operations()).as(plan.toString()).hasSize(1);
        return plan.operations().get(0);
    }

    @Test
    @DisplayName("R11 the purchase date is start + 1 day at the latest: 2024-02-15 updates the base, 2024-02-16 makes a delta line (R12)")
    void purchaseDateBoundary() {
        assertThat(single(plan(increase("2024-02-15", 10, 11), openBase(), rules())).kind()).isEqualTo(Kind.UPDATE);
        PlannedOperation delta = single(plan(increase("2024-02-16", 10, 11), openBase(), rules()));
        assertThat(delta.kind()).isEqualTo(Kind.CREATE);
        assertThat(delta.line().role()).isEqualTo(LineRole.DELTA);
        assertThat(delta.reason()).startsWith("R12");
    }

    @Test
    @DisplayName("R11 keeps the base description's licence count right")
    void purchaseDateDescription() {
        PlannedOperation op = single(plan(increase("2024-02-14", 10, 12), openBase(), rules()));
        assertThat(op.fields().description()).endsWith("| 12 licences");
    }

    @Test
    @DisplayName("R11+R26 invoiced base on the purchase date: the difference goes on a new base line with the same dates")
    void purchaseDateInvoicedBase() {
        PlannedOperation op = single(plan(increase("2024-02-15", 10, 12), invoicedBase(), rules()));
        assertThat(op.kind()).isEqualTo(Kind.CREATE);
        assertThat(op.line()).isEqualTo(new LineKey(SUB, LineRole.BASE, date("2024-02-14"), 1));
        assertThat(op.fields().quantity()).isEqualByComparingTo("2");
        assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-02-14"));
        assertThat(op.fields().cancelledDate()).isNull();
        assertThat(op.fields().unitPrice()).isEqualByComparingTo("22.00");
        assertThat(op.reason()).startsWith("R26 addition #100 is invoiced: R11");
    }

    @Test
    @DisplayName("R11 over base lines that overlap: every day takes the change once (a line covering another's days whole is left alone)")
    void purchaseDateOverlappingBaseLines() {
        // #100 runs 14 Feb - 13 Apr; #101 (1 - 31 Mar) lies inside it; #102 (1 Apr - 13 May) runs on past it.
        AdditionPlan plan = plan(increase("2024-02-14", 10, 12), lines(base(100, 10, "2024-02-14", "2024-04-13"),
                base(101, 10, "2024-03-01", "2024-03-31"), base(102, 10, "2024-04-01", "2024-05-13")), rules());
        assertThat(plan.operations()).as(plan.toString()).hasSize(2);
        PlannedOperation first = plan.operations().get(0);
        assertThat(first.kind()).isEqualTo(Kind.UPDATE);
        assertThat(first.additionId()).isEqualTo(100L);
        assertThat(first.fields().quantity()).isEqualByComparingTo("12");
        PlannedOperation rest = plan.operations().get(1);
        assertThat(rest.kind()).isEqualTo(Kind.CREATE);
        assertThat(rest.line().role()).isEqualTo(LineRole.BASE);
        assertThat(rest.fields().quantity()).isEqualByComparingTo("2");
        assertThat(rest.fields().effectiveDate()).isEqualTo(date("2024-04-14"));
        assertThat(rest.fields().cancelledDate()).isEqualTo(date("2024-05-13"));
        assertThat(rest.reason()).startsWith("R11").contains("from 2024-04-14");
    }

    @Test
    @DisplayName("R12 month end: an increase on the 31st is a one-day line at the full unit price; R17a shows one day of 31")
    void increaseOnMonthEnd() {
        PlannedOperation op = single(plan(increase("2024-03-31", 10, 12), openBase(), rules()));
        assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-31"));
        assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        assertThat(op.fields().unitPrice()).isEqualTo(dec("22.00"));
        assertThat(op.prorated().billedDays()).isEqualTo(1);
        assertThat(op.prorated().price()).isEqualTo(dec("0.71")); // 1 x 22.00 / 31
    }

    @Test
    @DisplayName("R17 the delta line carries the full unit price and cost (22.00 / 18.70); R17a shows 17/31 of them, not written under CONNECTWISE")
    void unitPriceStaysTheSubscriptions() {
        PlannedOperation op = single(plan(increase("2024-03-15", 10, 12), openBase(), rules()));
        assertThat(op.fields().unitPrice()).isEqualTo(dec("22.00"));
        assertThat(op.fields().unitCost()).isEqualTo(dec("18.70"));
        assertThat(op.fields().proratePrice()).isNull();
        assertThat(op.fields().prorateCost()).isNull();
        assertThat(op.prorated()).isEqualTo(new ProratedAmounts(date("2024-03-01"), date("2024-03-31"), 17, 31, dec("12.06"),
                dec("10.25"), false));
        assertThat(op.fields().description()).isEqualTo("Microsoft 365 NCE - Microsoft 365 Business Premium | CFQ7TTC0LCHC:0002:P1"
                + " | Subscription " + SUB + " | 12 licences | +2 from 2024-03-15");
    }

    @Test
    @DisplayName("R17a proration MARKETPLACE on an agreement that does not prorate writes proratePrice/prorateCost (15-31 March = 17/31)")
    void marketplaceProrationWritten() {
        SyncRules marketplace = rules().withProration(SyncRules.ProrationRule.MARKETPLACE);
        PlannedOperation op = single(plan(increase("2024-03-15", 10, 12), openBase(), marketplace));
        assertThat(op.fields().unitPrice()).isEqualTo(dec("22.00"));
        assertThat(op.fields().proratePrice()).isEqualTo(dec("12.06"));
        assertThat(op.fields().prorateCost()).isEqualTo(dec("10.25"));
        assertThat(op.prorated().written()).isTrue();
        // the first of the month is a whole period: nothing to prorate
        PlannedOperation whole = single(plan(increase("2024-04-01", 10, 12), openBase(), marketplace));
        assertThat(whole.prorated()).isNull();
        assertThat(whole.fields().proratePrice()).isNull();
    }

    @Test
    @DisplayName("R17 an agreement with its Prorate setting on prorates itself: MARKETPLACE writes nothing on it")
    void prorateFlagAgreementProratesItself() {
        MappingContext prorating = mapping().withBilling(new AgreementBilling(date("2024-02-01"), null, true, true));
        PlannedOperation op = single(AdditionRules.plan(increase("2024-03-15", 10, 12), openBase(), prorating,
                rules().withProration(SyncRules.ProrationRule.MARKETPLACE)));
        assertThat(op.fields().unitPrice()).isEqualTo(dec("22.00"));
        assertThat(op.fields().proratePrice()).isNull();
        assertThat(op.prorated().price()).isEqualTo(dec("12.06"));
        assertThat(op.prorated().written()).isFalse();
    }

    @Test
    @DisplayName("R13 leap year: an increase on 29 Feb 2024 is effective 1 Feb and cancelled 29 Feb")
    void leapYearFirstOfMonth() {
        PlannedOperation op = single(plan(event(EventAction.LICENSE_INCREASE, "2024-02-29", sub().start("2024-01-10").change(10, 11)),
                lines(base(100, 10, "2024-01-10", null)), FIRST_OF_MONTH));
        assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-02-01"));
        assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-02-29"));
    }

    @Test
    @DisplayName("R13 agreement that started mid-month: the effective date is the agreement start, not the 1st")
    void agreementStartedMidMonth() {
        MappingContext mapping = new MappingContext(AGREEMENT, date("2024-03-10"), CATALOG, null, null);
        AdditionPlan plan = AdditionRules.plan(increase("2024-03-20", 10, 12), lines(base(100, 10, "2024-03-10", null)), mapping,
                FIRST_OF_MONTH);
        PlannedOperation op = single(plan);
        assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-10"));
        // not the start of the period: the unit price stays (R17), R17a shows (31 - 10 + 1) x 22.00 / 31 = 15.61
        assertThat(op.fields().unitPrice()).isEqualTo(dec("22.00"));
        assertThat(op.prorated().price()).isEqualTo(dec("15.61"));
    }

    @Test
    @DisplayName("R13 agreement that started in an earlier month: the 1st of the change's month")
    void agreementStartedEarlier() {
        PlannedOperation op = single(plan(increase("2024-04-20", 10, 12), openBase(), FIRST_OF_MONTH));
        assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-04-01"));
        assertThat(op.fields().unitPrice()).isEqualTo(dec("22.00"));
    }

    @Test
    @DisplayName("R13 never before the subscription's own start: started 8 March, increase 20 March -> effective 8 March")
    void neverBeforeSubscriptionStart() {
        AdditionPlan plan = AdditionRules.plan(
                event(EventAction.LICENSE_INCREASE, "2024-03-20", sub().start("2024-03-08").change(10, 12)),
                lines(base(100, 10, "2024-03-08", null)), mapping(), FIRST_OF_MONTH);
        assertThat(single(plan).fields().effectiveDate()).isEqualTo(date("2024-03-08"));
    }

    @Test
    @DisplayName("R15 Dec -> Jan year roll: a decrease on 15 Dec 2024 is effective 1 Jan 2025, cancelled 31 Jan 2025")
    void decemberRollsIntoJanuary() {
        PlannedOperation op = single(plan(decrease("2024-12-15", 10, 8), openBase(), FIRST_OF_MONTH));
        assertThat(op.fields().effectiveDate()).isEqualTo(date("2025-01-01"));
        assertThat(op.fields().cancelledDate()).isEqualTo(date("2025-01-31"));
        assertThat(op.fields().unitPrice()).isEqualTo(dec("22.00"));
    }

    @Test
    @DisplayName("R15 a decrease on 31 Jan under FIRST_OF_NEXT_MONTH is effective 1 Feb, cancelled 29 Feb in a leap year")
    void januaryEndIntoLeapFebruary() {
        PlannedOperation op = single(plan(event(EventAction.LICENSE_DECREASE, "2024-01-31", sub().start("2024-01-10").change(10, 8)),
                lines(base(100, 10, "2024-01-10", null)), FIRST_OF_MONTH));
        assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-02-01"));
        assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-02-29"));
    }

    @Test
    @DisplayName("R15 a decrease effective after the subscription's last billed day bills nothing")
    void decreaseAfterEnd() {
        AdditionPlan plan = plan(decrease("2024-03-15", 10, 8), lines(base(100, 10, "2024-02-14", "2024-03-20")), FIRST_OF_MONTH);
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.notes()).singleElement().asString().contains("after the subscription's last billed day 2024-03-20");
    }

    @Test
    @DisplayName("R12 a delta line never runs past the subscription's last billed day")
    void deltaCutAtEnd() {
        PlannedOperation op = single(plan(increase("2024-03-15", 10, 12), lines(base(100, 10, "2024-02-14", "2024-03-20")), rules()));
        assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-20"));
    }

    @Test
    @DisplayName("R16 repeated changes in one month replace the delta line: +2 then -2 on the same day nets 0 and the line is deleted")
    void netZeroDeletes() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, 2, "2024-03-15", "2024-03-31"));
        PlannedOperation op = single(plan(decrease("2024-03-15", 12, 10), lines, rules()));
        assertThat(op.kind()).isEqualTo(Kind.DELETE);
        assertThat(op.additionId()).isEqualTo(101L);
        assertThat(op.reason()).contains("net change 0");
    }

    @Test
    @DisplayName("R16 under FIRST_OF_CURRENT_MONTH every increase of the month nets on the line of the 1st")
    void firstOfMonthReplaces() {
        SubscriptionLines lines = openBase();
        lines = lines.apply(plan(increase("2024-03-05", 10, 12), lines, FIRST_OF_MONTH));
        lines = lines.apply(plan(increase("2024-03-20", 12, 15), lines, FIRST_OF_MONTH));
        assertThat(lines.ofRole(LineRole.DELTA)).singleElement().satisfies(d -> {
            assertThat(d.effectiveDate()).isEqualTo(date("2024-03-01"));
            assertThat(d.quantity()).isEqualByComparingTo("5");
        });
    }

    @Test
    @DisplayName("R16+R26 the delta line of that date is invoiced: the further change goes on a new line (revision 1)")
    void invoicedDeltaGetsANewLine() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null).asInvoiced(),
                delta(101, 2, "2024-03-15", "2024-03-31").asInvoiced());
        PlannedOperation op = single(plan(increase("2024-03-15", 12, 13), lines, rules()));
        assertThat(op.kind()).isEqualTo(Kind.CREATE);
        assertThat(op.line()).isEqualTo(new LineKey(SUB, LineRole.DELTA, date("2024-03-15"), 1));
        assertThat(op.fields().quantity()).isEqualByComparingTo("1");
        assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        assertThat(op.reason()).startsWith("R26");
    }

    @Test
    @DisplayName("R17 price source CONNECTWISE_CATALOG: the delta line carries the price and cost it is given (the catalog item's, sync/CatalogPrices)")
    void catalogPrices() {
        PlannedOperation op = single(plan(increase("2024-03-15", 10, 12), openBase(),
                rules().withPriceSource(SyncRules.PriceSource.CONNECTWISE_CATALOG)));
        assertThat(op.fields().unitPrice()).isEqualByComparingTo(dec("22.00"));
        assertThat(op.fields().unitCost()).isEqualByComparingTo(dec("18.70"));
        assertThat(op.fields().quantity()).isEqualByComparingTo("2");
    }

    @Test
    @DisplayName("Unit-price and unit-cost sync off drop the respective fields; SaaS invoice values COST_ONLY (the invoices' setting) keeps a licence line's price")
    void invoiceValuesAndSyncFlags() {
        PlannedOperation costOnly = single(plan(increase("2024-03-15", 10, 12), openBase(),
                rules().withInvoiceValues(SyncRules.InvoiceValues.COST_ONLY, SyncRules.InvoiceValues.PRICE_AND_COST)));
        assertThat(costOnly.fields().unitPrice()).isEqualTo(dec("22.00"));
        assertThat(costOnly.fields().unitCost()).isEqualTo(dec("18.70"));
        PlannedOperation noPrice = single(plan(increase("2024-03-15", 10, 12), openBase(), rules().withSyncUnitPrice(false)));
        assertThat(noPrice.fields().unitPrice()).isNull();
        assertThat(noPrice.fields().unitCost()).isEqualTo(dec("18.70"));
        PlannedOperation noCost = single(plan(increase("2024-03-15", 10, 12), openBase(), rules().withSyncUnitCost(false)));
        assertThat(noCost.fields().unitCost()).isNull();
        assertThat(noCost.fields().unitPrice()).isEqualTo(dec("22.00"));
    }

    @Test
    @DisplayName("R17a yearly subscription: the delta line's first period is the agreement year (323 of 366 days)")
    void yearlySubscription() {
        MappingContext mapping = new MappingContext(AGREEMENT, date("2024-02-01"), CATALOG, null, null);
        AdditionPlan plan = AdditionRules.plan(event(EventAction.LICENSE_INCREASE, "2024-03-15",
                sub().yearly().price("264.00", "224.40").change(10, 12)), openBase(), mapping, rules());
        PlannedOperation op = single(plan);
        assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-15"));
        assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
        assertThat(op.fields().unitPrice()).isEqualTo(dec("264.00"));
        // R17a probe 45 F2: the delta ends EOM(c) inside the agreement year, so it bills its own 17 days (15-31 March) of
        // the year, not 323 (to the year's end, which the base bills again from 1 April after the roll)
        assertThat(op.prorated().price()).isEqualTo(dec("12.26")); // 17 x 264.00 / 366 = 12.2622..
        assertThat(op.prorated().cost()).isEqualTo(dec("10.42")); // 17 x 224.40 / 366 = 10.4229..
        assertThat(op.prorated().billedDays()).isEqualTo(17);
        assertThat(op.prorated().daysInPeriod()).isEqualTo(366);
    }

    @Test
    @DisplayName("R24 an IaaS subscription's quantity stays 1: a licence change is not synced")
    void iaasIgnoresLicenceChanges() {
        AdditionPlan plan = plan(event(EventAction.LICENSE_INCREASE, "2024-03-15", sub().iaas().change(1, 3)), openBase(), rules());
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.notes()).singleElement().asString().startsWith("R24");
    }

    @Test
    @DisplayName("Δ is quantity - previousQuantity; a mismatch with the lines is noted on the task")
    void previousQuantityMismatchIsNoted() {
        AdditionPlan plan = plan(increase("2024-03-15", 11, 12), openBase(), rules());
        assertThat(single(plan).fields().quantity()).isEqualByComparingTo("1");
        assertThat(plan.notes()).singleElement().asString().contains("ConnectWise lines stand for 10");
    }

    @Test
    @DisplayName("without previousQuantity Δ is taken against what the lines stand for, including deltas not yet rolled (R18)")
    void withoutPreviousQuantity() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, 2, "2024-02-20", "2024-02-29"));
        AdditionPlan plan = plan(event(EventAction.LICENSE_INCREASE, "2024-03-15", sub().quantity(15)), lines, rules());
        assertThat(single(plan).fields().quantity()).isEqualByComparingTo("3");
        AdditionPlan replay = plan(event(EventAction.LICENSE_INCREASE, "2024-03-15", sub().quantity(15)),
                lines.apply(plan), rules());
        assertThat(replay.operations()).isEmpty();
    }

    @Test
    @DisplayName("R25 catch-up + R10: a change for a subscription without a base line creates the base with the licences before the change, then the change from c")
    void catchUp() {
        AdditionPlan plan = plan(increase("2024-03-15", 10, 12), SubscriptionLines.none(), rules());
        assertThat(plan.ofKind(PlannedOperation.Kind.CREATE)).anySatisfy(op -> {
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.BASE, date("2024-02-14")));
            assertThat(op.fields().quantity()).isEqualByComparingTo("10");
        });
        SubscriptionLines after = SubscriptionLines.none().apply(plan);
        assertThat(after.quantityOn(date("2024-02-14"))).isEqualByComparingTo("10");
        assertThat(after.quantityOn(date("2024-03-14"))).isEqualByComparingTo("10");
        assertThat(after.quantityOn(date("2024-03-15"))).isEqualByComparingTo("12");
        assertThat(after.quantityOn(date("2024-03-31"))).isEqualByComparingTo("12");
        // without previousQuantity, or on the purchase date, the base takes the event's count from the start
        PlannedOperation onPurchase = single(plan(increase("2024-02-15", 10, 12), SubscriptionLines.none(), rules()));
        assertThat(onPurchase.fields().quantity()).isEqualByComparingTo("12");
    }

    @Test
    @DisplayName("R25 catch-up R10: a change from 0 licences without a base line bills nothing before the change")
    void catchUpFromZeroLicences() {
        AdditionPlan plan = plan(increase("2024-03-15", 0, 12), SubscriptionLines.none(), rules());
        SubscriptionLines after = SubscriptionLines.none().apply(plan);
        assertThat(after.quantityOn(date("2024-02-14"))).isEqualByComparingTo("0");
        assertThat(after.quantityOn(date("2024-03-14"))).isEqualByComparingTo("0");
        assertThat(after.quantityOn(date("2024-03-15"))).isEqualByComparingTo("12");
        assertThat(after.quantityOn(date("2024-03-31"))).isEqualByComparingTo("12");
        // the base is the subscription's line from its start (R25), with the 0 licences it had; the month roll takes the 12
        assertThat(plan.ofKind(PlannedOperation.Kind.CREATE)).anySatisfy(op -> {
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.BASE, date("2024-02-14")));
            assertThat(op.fields().quantity()).isEqualByComparingTo("0");
        });
        SubscriptionLines rolled = after.apply(MonthRoll.plan(after, AGREEMENT, date("2024-04-01")));
        assertThat(rolled.quantityOn(date("2024-04-01"))).isEqualByComparingTo("12");
    }

    @Test
    @DisplayName("R25 catch-up: a late change without a base line for a subscription that ended before the agreement started plans nothing")
    void catchUpAfterTheSubscriptionEnded() {
        // the subscription ran 2024-02-14 to 2025-02-13; the agreement bills from 2025-03-01: no base may be created
        MappingContext late = new MappingContext(AGREEMENT, date("2025-03-01"), CATALOG, NEW_CATALOG, null);
        AdditionPlan plan = AdditionRules.plan(decrease("2024-06-10", 10, 8), SubscriptionLines.none(), late, rules());
        assertThat(plan.operations()).isEmpty();
    }

    @Test
    @DisplayName("a line to create for an unmapped product is a NEEDS_MAPPING case")
    void unmappedProduct() {
        MappingContext unmapped = new MappingContext(AGREEMENT, date("2024-02-01"), null, null, null);
        assertThatThrownBy(() -> AdditionRules.plan(increase("2024-03-15", 10, 12), SubscriptionLines.none(), unmapped, rules()))
                .isInstanceOf(MappingRequiredException.class)
                .satisfies(e -> assertThat(((MappingRequiredException) e).missing()).isEqualTo("catalogItemId"));
    }

    @Test
    @DisplayName("R10 after an increase and a decrease in one month under ACTUAL_DATE")
    void r10AfterChanges() {
        SubscriptionLines lines = openBase();
        lines = lines.apply(plan(increase("2024-03-10", 10, 14), lines, rules()));
        lines = lines.apply(plan(decrease("2024-03-20", 14, 11), lines, rules()));
        assertThat(lines.quantityOn(date("2024-03-09"))).isEqualByComparingTo("10");
        assertThat(lines.quantityOn(date("2024-03-10"))).isEqualByComparingTo("14");
        assertThat(lines.quantityOn(date("2024-03-20"))).isEqualByComparingTo("11");
        assertThat(lines.quantityOn(date("2024-04-01"))).isEqualByComparingTo("10"); // until the month roll (R18)
        SubscriptionLines rolled = lines.apply(MonthRoll.plan(lines, AGREEMENT, date("2024-04-01")));
        assertThat(rolled.quantityOn(date("2024-04-01"))).isEqualByComparingTo(BigDecimal.valueOf(11));
    }
}
