package io.cwbridge.rules.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.SubscriptionKind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * R32 v2: the PSA side weighted by the days each line was active in the month; usage and setup
 * lines are amounts, never licences; R10-consistent lines of a mid-month change reconcile with a
 * prorated invoice without a discrepancy; what the reconciliation writes (final unit cost, the
 * charges under COST_ONLY, the IaaS line's values).
 */
class ActiveDaysRulesTest {

    static final YearMonth APR = YearMonth.of(2024, 4); // 30 days
    static final BigDecimal COST = new BigDecimal("18.70");
    static final BigDecimal PRICE = new BigDecimal("22.00");

    static PsaLine licences(String q, String from, String to) {
        return new PsaLine(new BigDecimal(q), COST, PRICE, from == null ? null : LocalDate.parse(from),
                to == null ? null : LocalDate.parse(to), true, null);
    }

    static PsaLine usage(String q, String cost, String price, String from, String to) {
        return new PsaLine(new BigDecimal(q), new BigDecimal(cost), new BigDecimal(price), LocalDate.parse(from),
                to == null ? null : LocalDate.parse(to), false, null);
    }

    @ParameterizedTest(name = "R32 v2 line {0}..{1} is active {2} days of April 2024")
    @CsvSource({
            ",,30",
            "2024-01-14,,30",
            "2024-01-14,2025-01-13,30",
            "2024-04-01,2024-04-30,30",
            "2024-04-06,2024-04-30,25",
            "2024-04-16,,15",
            "2024-04-30,2024-04-30,1",
            "2024-04-01,2024-04-01,1",
            "2024-03-01,2024-04-10,10",
            "2024-01-01,2024-03-31,0",
            "2024-05-01,,0",
            "2024-04-20,2024-04-10,0",
    })
    void r32ActiveDaysCountBothEndsInsideTheMonth(String from, String to, int days) {
        assertThat(licences("1", from, to).activeDays(APR)).isEqualTo(days);
    }

    @Test
    void r32LeapFebruaryHas29Days() {
        assertThat(licences("1", "2024-02-15", null).activeDays(YearMonth.of(2024, 2))).isEqualTo(15);
        assertThat(licences("1", "2023-02-15", null).activeDays(YearMonth.of(2023, 2))).isEqualTo(14);
    }

    /**
     * April 2024 with all three changes (R12–R21, R10): base 10 for the whole month, +2 from the
     * 6th (ACTUAL_DATE), −3 from the 16th, cancellation per cancellation date on the 26th (−9 line
     * 26th–30th), and an overuse line. The marketplace bills 5 days × 10 + 10 × 12 + 10 × 9 +
     * 5 × 0 = 260 licence-days = 8.6667 licence-months: cost 162.07 + 4.00, price 190.67 + 5.00.
     */
    static List<PsaLine> aprilWithIncreaseDecreaseAndCancellation() {
        return List.of(
                licences("10", "2024-01-14", "2024-04-30"), // base, cancelled EOM(c) by R21
                licences("2", "2024-04-06", "2024-04-30"),  // increase delta line (R12)
                licences("-3", "2024-04-16", "2024-04-30"), // decrease delta line (R14)
                licences("-9", "2024-04-26", "2024-04-30"), // cancellation's −Q line (R21)
                usage("1", "4.00", "5.00", "2024-04-30", "2024-04-30")); // overuse (R24): an amount
    }

    @Test
    void r32MonthWithIncreaseDecreaseAndCancellationReconcilesWithoutDiscrepancy() {
        PsaValues v = PsaValues.of(SubscriptionKind.SAAS, APR, aprilWithIncreaseDecreaseAndCancellation());
        assertThat(v.quantity()).isEqualTo(new BigDecimal("8.6667"));
        assertThat(v.cost()).isEqualTo(new BigDecimal("166.07"));
        assertThat(v.price()).isEqualTo(new BigDecimal("195.67"));
        assertThat(v.endQuantity()).isEqualByComparingTo("0");
        assertThat(v.usageQuantity()).isEqualByComparingTo("1");

        // The marketplace's invoices of the month: prorated quantity and amounts.
        Decision d = ReconciliationRules.decide(SubscriptionKind.SAAS, new InvoiceTotals(new BigDecimal("8.6667"), new BigDecimal("166.07")),
                new InvoiceTotals(new BigDecimal("8.6667"), new BigDecimal("195.67")), v, null);
        assertThat(d.status()).isEqualTo(ReconciliationStatus.RECONCILED);
        assertThat(d.reason()).isNull();
        assertThat(d.deltaCost()).isEqualTo(new BigDecimal("0.00"));
        assertThat(d.deltaPrice()).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void r32EachMidMonthChangeOnItsOwnReconciles() {
        // Increase of 2 on the 6th: 10 × 30 + 2 × 25 = 350 licence-days.
        assertReconciles(List.of(licences("10", "2024-01-14", null), licences("2", "2024-04-06", "2024-04-30")), 350, "12");
        // Decrease of 3 on the 16th: 10 × 30 − 3 × 15 = 255 licence-days.
        assertReconciles(List.of(licences("10", "2024-01-14", null), licences("-3", "2024-04-16", "2024-04-30")), 255, "7");
        // Cancellation on the 11th, per cancellation date: 10 × 30 − 10 × 20 = 100 licence-days.
        assertReconciles(List.of(licences("10", "2024-01-14", "2024-04-30"), licences("-10", "2024-04-11", "2024-04-30")), 100, "0");
        // Cancellation on the 11th, LAST_DAY_OF_MONTH: the base line alone, billed the whole month.
        assertReconciles(List.of(licences("10", "2024-01-14", "2024-04-30")), 300, "10");
    }

    /** The invoice says the prorated amounts; its quantity may be the licence-months or the month's end count: both match. */
    private static void assertReconciles(List<PsaLine> lines, int licenceDays, String endQuantity) {
        BigDecimal days = BigDecimal.valueOf(licenceDays);
        BigDecimal cost = Money.of(days.multiply(COST).divide(BigDecimal.valueOf(30), 10, java.math.RoundingMode.HALF_UP));
        BigDecimal price = Money.of(days.multiply(PRICE).divide(BigDecimal.valueOf(30), 10, java.math.RoundingMode.HALF_UP));
        BigDecimal months = days.divide(BigDecimal.valueOf(30), 4, java.math.RoundingMode.HALF_UP);
        PsaValues v = PsaValues.of(SubscriptionKind.SAAS, APR, lines);
        assertThat(v.quantity()).isEqualTo(months);
        assertThat(v.endQuantity()).isEqualByComparingTo(endQuantity);
        for (BigDecimal quantity : List.of(months, new BigDecimal(endQuantity))) {
            Decision d = ReconciliationRules.decide(SubscriptionKind.SAAS, new InvoiceTotals(quantity, cost),
                    new InvoiceTotals(quantity, price), v, null);
            assertThat(d.status()).as("invoice quantity %s, %s licence-days", quantity, licenceDays).isEqualTo(ReconciliationStatus.RECONCILED);
        }
        // Summing the lines without the days (v1) would have shown a discrepancy whenever a line starts or ends mid-month.
        if (licenceDays != 300) {
            BigDecimal undated = lines.stream().map(PsaLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add).multiply(PRICE);
            assertThat(Money.of(undated)).isNotEqualByComparingTo(price);
        }
    }

    @Test
    void r32UsageLineIsAnAmountNotALicence() {
        // Seed 000: 10 licences and an overuse line of quantity 1 were read as psaQuantity 11 against 10 invoiced.
        List<PsaLine> lines = List.of(licences("10", "2024-01-14", null), usage("1", "3.00", "4.50", "2024-04-30", "2024-04-30"));
        PsaValues v = PsaValues.of(SubscriptionKind.SAAS, APR, lines);
        assertThat(v.quantity()).isEqualByComparingTo("10");
        assertThat(v.usageQuantity()).isEqualByComparingTo("1");
        assertThat(v.cost()).isEqualTo(new BigDecimal("190.00"));
        assertThat(v.price()).isEqualTo(new BigDecimal("224.50"));
        Decision d = ReconciliationRules.decide(SubscriptionKind.SAAS, new InvoiceTotals(BigDecimal.TEN, new BigDecimal("190.00")),
                new InvoiceTotals(BigDecimal.TEN, new BigDecimal("224.50")), v, null);
        assertThat(d.status()).isEqualTo(ReconciliationStatus.RECONCILED);
        // A usage line is counted whole when billed in the month, whatever part of it the month holds; not at all outside it.
        assertThat(PsaValues.of(SubscriptionKind.SAAS, APR, List.of(usage("1", "3.00", "4.50", "2024-03-01", "2024-04-01"))).price())
                .isEqualTo(new BigDecimal("4.50"));
        assertThat(PsaValues.of(SubscriptionKind.SAAS, APR, List.of(usage("1", "3.00", "4.50", "2024-05-01", null))).price())
                .isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void r32IaasQuantityIsOneAndItsUsageLineCarriesTheMoney() {
        PsaValues v = PsaValues.of(SubscriptionKind.IAAS, APR, List.of(usage("1", "80.10", "100.25", "2024-04-01", "2024-04-30")));
        assertThat(v.quantity()).isEqualByComparingTo("1");
        assertThat(v.endQuantity()).isEqualByComparingTo("1");
        assertThat(v.cost()).isEqualTo(new BigDecimal("80.10"));
        assertThat(v.price()).isEqualTo(new BigDecimal("100.25"));
    }

    @Test
    void r32RoundingIsOnceOnTheTotal() {
        // Three lines of a third of a cent each would lose a cent if rounded one by one.
        List<PsaLine> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lines.add(new PsaLine(BigDecimal.ONE, new BigDecimal("0.10"), new BigDecimal("0.10"), LocalDate.of(2024, 4, 21), null, true, null));
        }
        // 3 × 0.10 × 10/30 = 0.10 exactly; per line 0.0333… → 0.03 × 3 = 0.09.
        assertThat(PsaValues.of(SubscriptionKind.SAAS, APR, lines).price()).isEqualTo(new BigDecimal("0.10"));
    }

    @ParameterizedTest(name = "R32 v2 invoice q={0} vs PSA licence-months {1} / end count {2}: same={3}")
    @CsvSource({
            "8.67, 8.6667, 0, true",
            "8.6667, 8.6667, 0, true",
            "0, 8.6667, 0, true",
            "9, 8.6667, 0, false",
            "10, 11.0345, 12, false",
            "12, 11.0345, 12, true",
            "11.03, 11.0345, 12, true",
            "11.04, 11.0345, 12, false",
    })
    void r32QuantityMatchesLicenceMonthsOrTheMonthsEndCount(String invoice, String months, String end, boolean same) {
        PsaValues v = new PsaValues(new BigDecimal(months), Money.ZERO, Money.ZERO, new BigDecimal(end), BigDecimal.ZERO);
        assertThat(ReconciliationRules.sameQuantity(new BigDecimal(invoice), v)).isEqualTo(same);
    }

    @Test
    void r32FinalUnitCostLeavesAUnitCostThatGivesTheInvoiceAndIsExactFromLicenceDays() {
        YearMonth feb = YearMonth.of(2024, 2); // 29 days
        // 1 licence from 27 February at 37.00: 3 × 37.00 / 29 = 3.8276 → 3.83, the invoice: 37.00 stays (was 3.83 / 0.1034 = 37.04)
        List<PsaLine> lines = List.of(new PsaLine(BigDecimal.ONE, new BigDecimal("37.00"), new BigDecimal("45.00"),
                LocalDate.of(2024, 2, 27), null, true, 4L));
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(BigDecimal.ONE, new BigDecimal("3.83")), feb, lines)).isEmpty();
        // another final cost: 3.85 × 29 / 3 licence-days = 37.2167 → 37.22 (not 3.85 / 0.1034 = 37.23)
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(BigDecimal.ONE, new BigDecimal("3.85")), feb, lines))
                .contains(new BigDecimal("37.22"));
    }

    @Test
    void r32FinalUnitCostMakesTheWeightedCostTheInvoice() {
        List<PsaLine> lines = List.of(licences("10", "2024-01-14", null), licences("2", "2024-04-06", "2024-04-30"));
        // 350 licence-days = 11.6667 licence-months; reseller invoice 210.00 → 18.00 a licence-month.
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(new BigDecimal("11.6667"), new BigDecimal("210.00")), APR, lines))
                .contains(new BigDecimal("18.00"));
        // The usage line's cost is the usage's, not the licences': 214.00 − 4.00 over the same licence-months.
        List<PsaLine> withUsage = new ArrayList<>(lines);
        withUsage.add(usage("1", "4.00", "5.00", "2024-04-30", "2024-04-30"));
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(new BigDecimal("11.6667"), new BigDecimal("214.00")), APR, withUsage))
                .contains(new BigDecimal("18.00"));
        // The April month with all three changes: 162.07 for 8.6667 licence-months is the 18.70 the lines carry: nothing to patch.
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(new BigDecimal("8.6667"), new BigDecimal("166.07")), APR,
                aprilWithIncreaseDecreaseAndCancellation())).isEmpty();
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(BigDecimal.ONE, BigDecimal.TEN), APR, List.of())).isEmpty();
        assertThat(FinalCharges.finalUnitCost(null, APR, lines)).isEmpty();
        // R32 v2 × R34: an invoice of other licences than ConnectWise bills gives no unit cost (210.00 over 11.6667
        // licence-months would say 18.00 for an invoice of 14 licences); the difference goes on the delta line
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(new BigDecimal("14"), new BigDecimal("210.00")), APR, lines)).isEmpty();
    }

    @Test
    void r32CostOnlyPostsTheCostAlone() {
        assertThat(FinalCharges.toPost(new BigDecimal("-7"), new BigDecimal("4.5"), false))
                .isEqualTo(new FinalCharges.Charges(new BigDecimal("-7.00"), new BigDecimal("4.50")));
        assertThat(FinalCharges.toPost(new BigDecimal("-7"), new BigDecimal("4.5"), true))
                .isEqualTo(new FinalCharges.Charges(new BigDecimal("-7.00"), new BigDecimal("0.00")));
        assertThat(FinalCharges.toPost(new BigDecimal("0.00"), new BigDecimal("4.5"), true).nothing()).isTrue();
        assertThat(FinalCharges.toPost(null, null, false).nothing()).isTrue();
    }

    @Test
    void r32IaasLineTakesTheChargesOnItsOwnValues() {
        PsaLine line = usage("1", "70.00", "90.00", "2024-04-01", "2024-04-30");
        assertThat(FinalCharges.iaasLineValues(line, new FinalCharges.Charges(new BigDecimal("10.10"), new BigDecimal("10.25"))))
                .isEqualTo(new FinalCharges.Charges(new BigDecimal("80.10"), new BigDecimal("100.25")));
        assertThat(FinalCharges.iaasLineValues(line, new FinalCharges.Charges(new BigDecimal("-5.00"), new BigDecimal("0.00"))))
                .isEqualTo(new FinalCharges.Charges(new BigDecimal("65.00"), new BigDecimal("90.00")));
    }

    static PsaLine line(String q, String cost, String price, String from, String to, long catalogItem) {
        return new PsaLine(new BigDecimal(q), new BigDecimal(cost), new BigDecimal(price), LocalDate.parse(from),
                to == null ? null : LocalDate.parse(to), true, catalogItem, catalogItem);
    }

    /** Probe 46 F9: 2 × 264.00 / 224.40 yearly from 16 December 2024 to 15 December 2025, agreement year from 1 December. */
    static final BillingTerms YEARLY_FROM_DECEMBER = BillingTerms.yearly(LocalDate.parse("2024-12-01"), LocalDate.parse("2024-12-01"));
    static final List<PsaLine> YEARLY = List.of(line("2", "224.40", "264.00", "2024-12-16", "2025-12-15", 1));

    @Test
    void r32r5AYearlyLineBillsOnceForItsAgreementYearInTheMonthItsBillingBegins() {
        // ConnectWise bills the agreement year 2024-12-01..2025-11-30 (365 days): 350 days of it, once, in December
        PsaValues december = PsaValues.of(SubscriptionKind.SAAS, YearMonth.of(2024, 12), YEARLY, List.of(), YEARLY_FROM_DECEMBER);
        assertThat(december.price()).isEqualTo(new BigDecimal("506.30")); // 2 × 264.00 × 350 / 365
        assertThat(december.cost()).isEqualTo(new BigDecimal("430.36")); // 2 × 224.40 × 350 / 365
        assertThat(december.quantity()).isEqualByComparingTo("1.9178"); // licence-years
        assertThat(december.endQuantity()).isEqualByComparingTo("2");
        // January to November: nothing more billed (was 528.00 / 272.52 "billed in the month", every month)
        for (int m = 1; m <= 11; m++) {
            PsaValues month = PsaValues.of(SubscriptionKind.SAAS, YearMonth.of(2025, m), YEARLY, List.of(), YEARLY_FROM_DECEMBER);
            assertThat(month.price()).as("2025-%02d", m).isEqualTo(new BigDecimal("0.00"));
            assertThat(month.cost()).isEqualTo(new BigDecimal("0.00"));
            assertThat(month.quantity()).isEqualByComparingTo("0");
            assertThat(month.endQuantity()).as("the licences active at the month's end").isEqualByComparingTo("2");
        }
        // the next agreement year bills its 15 days (2025-12-01..15) in December 2025
        assertThat(PsaValues.of(SubscriptionKind.SAAS, YearMonth.of(2025, 12), YEARLY, List.of(), YEARLY_FROM_DECEMBER).price())
                .isEqualTo(new BigDecimal("21.70"));
        // the four-argument call (calendar months) is unchanged
        assertThat(PsaValues.of(SubscriptionKind.SAAS, YearMonth.of(2024, 12), YEARLY, List.of()).price()).isEqualTo(new BigDecimal("272.52"));
    }

    @Test
    void r32r5AYearlyLineAddedLaterInTheYearBillsTheRestOfTheYearInItsOwnMonth() {
        List<PsaLine> lines = List.of(line("2", "224.40", "264.00", "2024-12-16", "2025-12-15", 1),
                line("1", "224.40", "264.00", "2025-05-01", "2025-12-15", 1));
        // +1 from 1 May 2025: 214 days of the year 2024-12-01..2025-11-30, 264.00 × 214 / 365 = 154.78, billed in May
        PsaValues may = PsaValues.of(SubscriptionKind.SAAS, YearMonth.of(2025, 5), lines, List.of(), YEARLY_FROM_DECEMBER);
        assertThat(may.price()).isEqualTo(new BigDecimal("154.78"));
        assertThat(may.endQuantity()).isEqualByComparingTo("3");
    }

    @Test
    void r32v2r5TheFinalUnitCostOfAYearlySubscriptionIsAYearlyUnitCost() {
        YearMonth december = YearMonth.of(2024, 12);
        // 448.80 for the year's 2 licences is 224.40 a licence-year: the line's cost already, nothing to patch (was 434.78)
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(new BigDecimal("2"), new BigDecimal("448.80")), december, YEARLY,
                YEARLY_FROM_DECEMBER)).isEmpty();
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(new BigDecimal("2"), new BigDecimal("460.00")), december, YEARLY,
                YEARLY_FROM_DECEMBER)).contains(new BigDecimal("230.00"));
        // a month that bills no yearly line has no final cost of it
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(new BigDecimal("2"), new BigDecimal("460.00")), YearMonth.of(2025, 1), YEARLY,
                YEARLY_FROM_DECEMBER)).isEmpty();
    }

    @Test
    void r32v2r19AMonthBillingTwoProductsKeepsItsUnitCosts() {
        // Probe 46 F1: 8 BP from 1 January; full upgrade to E3 on 15 February: −8 BP 15–29 Feb, +8 E3 from 15 Feb
        List<PsaLine> lines = List.of(line("8", "18.70", "22.00", "2024-01-01", "2025-02-13", 1),
                line("-8", "18.70", "22.00", "2024-02-15", "2024-02-29", 1),
                line("8", "30.60", "36.00", "2024-02-15", "2025-02-13", 2));
        YearMonth feb = YearMonth.of(2024, 2);
        assertThat(PsaValues.of(SubscriptionKind.SAAS, feb, lines).cost()).isEqualTo(new BigDecimal("198.84"));
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(new BigDecimal("8"), new BigDecimal("200.00")), feb, lines)).isEmpty();
        // one product at two costs (a price change in the month): no one unit cost either
        List<PsaLine> repriced = List.of(line("8", "18.70", "22.00", "2024-01-01", "2024-02-14", 1),
                line("8", "19.70", "24.00", "2024-02-15", null, 1));
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(new BigDecimal("8"), new BigDecimal("200.00")), feb, repriced)).isEmpty();
    }

    @Test
    void r32v2TheFinalUnitCostHasTheDecimalsItNeedsToBillTheInvoice() {
        // Probe 46 F3: 300 licences for December, reseller 1000.00: 3.33 gave 999.00 and a "cost 1.00" discrepancy of its own
        YearMonth december = YearMonth.of(2024, 12);
        List<PsaLine> lines = List.of(line("300", "18.70", "22.00", "2024-12-01", null, 1));
        BigDecimal unit = FinalCharges.finalUnitCost(new InvoiceTotals(new BigDecimal("300"), new BigDecimal("1000.00")), december, lines)
                .orElseThrow();
        assertThat(unit).isEqualTo(new BigDecimal("3.33333"));
        assertThat(PsaValues.of(SubscriptionKind.SAAS, december, List.of(lines.get(0).withUnits(unit, new BigDecimal("22.00")))).cost())
                .isEqualTo(new BigDecimal("1000.00"));
        // two decimals where they suffice
        assertThat(FinalCharges.finalUnitCost(new InvoiceTotals(new BigDecimal("300"), new BigDecimal("5700.00")), december, lines))
                .contains(new BigDecimal("19.00"));
    }
}
