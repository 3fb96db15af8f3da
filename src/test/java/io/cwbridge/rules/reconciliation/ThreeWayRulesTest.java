package io.cwbridge.rules.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.rules.reconciliation.ThreeWay.Adjustments;
import io.cwbridge.rules.reconciliation.ThreeWay.Facts;
import io.cwbridge.rules.reconciliation.ThreeWay.Kind;
import io.cwbridge.rules.reconciliation.ThreeWay.Marketplace;
import io.cwbridge.rules.reconciliation.ThreeWay.Mismatch;
import io.cwbridge.rules.reconciliation.ThreeWay.QuantityStep;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreeWayRulesTest {

    static final YearMonth APRIL = YearMonth.of(2024, 4); // 30 days

    static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    static PsaLine line(String q, String cost, String price, String from, String to) {
        return new PsaLine(d(q), d(cost), d(price), LocalDate.parse(from), to == null ? null : LocalDate.parse(to), true, 1L);
    }

    static Marketplace mp(String price, String cost, String... steps) {
        List<QuantityStep> s = new java.util.ArrayList<>();
        for (int i = 0; i < steps.length; i += 2) s.add(new QuantityStep(LocalDate.parse(steps[i]), d(steps[i + 1])));
        return new Marketplace(s, d(price), d(cost));
    }

    static final InvoiceTotals INVOICE = new InvoiceTotals(d("10"), d("187.00"));

    static List<Kind> kinds(List<Mismatch> m) {
        return m.stream().map(Mismatch::kind).toList();
    }

    @Test
    void everythingAgreesIsNoMismatch() {
        assertThat(ThreeWay.compare(APRIL, new Facts(INVOICE, mp("22.00", "18.70", "2024-01-14", "10"),
                List.of(line("10", "18.70", "22.00", "2024-01-14", null)), null))).isEmpty();
    }

    @Test
    void midMonthIncreaseWithItsDeltaLineReconciles() {
        // 10 all month, 12 from the 11th: 10 × 10 + 12 × 20 = 340 licence-days = 11.3333 licence-months.
        Marketplace m = mp("22.00", "18.70", "2024-01-14", "10", "2024-04-11", "12");
        assertThat(m.licenceMonths(APRIL)).isEqualByComparingTo("11.3333");
        // the distributor's invoice says the same licence-months
        assertThat(ThreeWay.compare(APRIL, new Facts(new InvoiceTotals(d("11.3333"), d("211.93")), m,
                List.of(line("10", "18.70", "22.00", "2024-01-14", null), line("2", "18.70", "22.00", "2024-04-11", null)), null))).isEmpty();
    }

    @Test
    void increaseWithoutDeltaLineIsUnderBilledByTheMissingLicenceDays() {
        Marketplace m = mp("22.00", "18.70", "2024-01-14", "10", "2024-04-11", "12");
        List<Mismatch> r = ThreeWay.compare(APRIL, new Facts(INVOICE, m, List.of(line("10", "18.70", "22.00", "2024-01-14", null)), null));
        assertThat(kinds(r)).containsExactly(Kind.UNDER_BILLED);
        // expected 11.3333 × 22.00 = 249.33, billed 10 × 22.00 = 220.00
        assertThat(r.get(0).amount()).isEqualByComparingTo("29.33");
        assertThat(r.get(0).expectedAmount()).isEqualByComparingTo("249.33");
        assertThat(r.get(0).billedAmount()).isEqualByComparingTo("220.00");
        assertThat(r.get(0).billedQuantity()).isEqualByComparingTo("10");
    }

    @Test
    void moreLicencesBilledIsOverBilled() {
        List<Mismatch> r = ThreeWay.compare(APRIL, new Facts(INVOICE, mp("22.00", "18.70", "2024-01-14", "10"),
                List.of(line("12", "18.70", "22.00", "2024-01-14", null)), null));
        assertThat(kinds(r)).containsExactly(Kind.OVER_BILLED);
        assertThat(r.get(0).amount()).isEqualByComparingTo("44.00");
    }

    @Test
    void adjustmentsCountOnTheConnectWiseSide() {
        Marketplace m = mp("22.00", "18.70", "2024-01-14", "10", "2024-04-11", "12");
        List<PsaLine> base = List.of(line("10", "18.70", "22.00", "2024-01-14", null));
        assertThat(ThreeWay.compare(APRIL, new Facts(INVOICE, m, base, new Adjustments(d("29.33"), d("24.93"))))).isEmpty();
        List<Mismatch> over = ThreeWay.compare(APRIL, new Facts(INVOICE, m, base, new Adjustments(d("40.00"), null)));
        assertThat(kinds(over)).containsExactly(Kind.OVER_BILLED);
        assertThat(over.get(0).amount()).isEqualByComparingTo("10.67");
    }

    @Test
    void r34R32AReconciliationChargeThatMadeUpForMissingLicencesLeavesNoMismatch() {
        // the marketplace and the invoice: 10 licences; ConnectWise's line 8, so the reconciliation posted 2 × 22.00
        Marketplace m = mp("22.00", "18.70", "2024-01-14", "10");
        List<PsaLine> eight = List.of(line("8", "18.70", "22.00", "2024-01-14", null));
        assertThat(kinds(ThreeWay.compare(APRIL, new Facts(INVOICE, m, eight, null, true, null)))).containsExactly(Kind.UNDER_BILLED);
        assertThat(ThreeWay.compare(APRIL, new Facts(INVOICE, m, eight, null, true, new Adjustments(d("44.00"), d("37.40"))))).isEmpty();
        // a charge of less than the missing licences leaves the rest under-billed
        List<Mismatch> part = ThreeWay.compare(APRIL, new Facts(INVOICE, m, eight, null, true, new Adjustments(d("22.00"), d("18.70"))));
        assertThat(kinds(part)).containsExactly(Kind.UNDER_BILLED);
        assertThat(part.get(0).amount()).isEqualByComparingTo("22.00");
        assertThat(part.get(0).detail()).contains("adjustments of 22.00");
    }

    @Test
    void r34R32AChargeAcceptedAgainstTheInvoiceIsWeighedAgainstTheInvoiceNotTheMarketplace() {
        // ConnectWise bills what the marketplace says (11); the distributor invoiced 13, the reconciliation charged 2 × 22.00
        Marketplace m = mp("22.00", "18.70", "2024-01-14", "11");
        List<PsaLine> eleven = List.of(line("11", "18.70", "22.00", "2024-01-14", null));
        InvoiceTotals thirteen = new InvoiceTotals(d("13"), d("243.10"));
        assertThat(kinds(ThreeWay.compare(APRIL, new Facts(thirteen, m, eleven, null, true, null)))).containsExactly(Kind.UNDER_BILLED);
        assertThat(ThreeWay.compare(APRIL, new Facts(thirteen, m, eleven, null, true, new Adjustments(d("44.00"), d("37.40"))))).isEmpty();
        // a price difference the customer's invoice showed (5 × 1.00 more): no licence more, no mismatch
        Marketplace five = mp("22.00", "18.70", "2024-01-14", "5");
        assertThat(ThreeWay.compare(APRIL, new Facts(new InvoiceTotals(d("5"), d("93.50")), five,
                List.of(line("5", "18.70", "22.00", "2024-01-14", null)), null, true, new Adjustments(d("5.00"), null)))).isEmpty();
        // more than the invoice's difference is over-billed against the invoice
        List<Mismatch> over = ThreeWay.compare(APRIL, new Facts(thirteen, m, eleven, null, true, new Adjustments(d("66.00"), null)));
        assertThat(kinds(over)).containsExactly(Kind.OVER_BILLED);
        assertThat(over.get(0).amount()).isEqualByComparingTo("22.00");
        // each side's own figure: ConnectWise's 11 licences and the 3 the charges bill, the marketplace's 11
        assertThat(over.get(0).detail()).isEqualTo("the distributor invoices 13 licences, ConnectWise bills 14 licence-months, the marketplace 11");
        assertThat(over.get(0).expectedQuantity()).as("the marketplace's licence-months").isEqualByComparingTo("11");
        assertThat(over.get(0).billedQuantity()).isEqualByComparingTo("14");
    }

    @Test
    void r34R27ALateCancellationCreditedByAPostedCatchUpCountsItsLicencesOffTheMonthsLastDay() {
        // February 2024 (29 days): 10 licences at 22.00 cancelled as of the 20th, reported after February was invoiced on an
        // agreement that does not prorate: the line runs to the 29th and the catch-up credits 10 × 10 days, −100 × 22.00 / 29
        // = −75.86. ConnectWise 220.00 − 75.86 = 144.14 = the marketplace's 10 × 19 / 29 = 6.5517 licence-months.
        YearMonth february = YearMonth.of(2024, 2);
        Marketplace m = mp("22.00", "18.70", "2024-01-01", "10", "2024-02-20", "0");
        List<PsaLine> base = List.of(line("10", "18.70", "22.00", "2024-01-01", "2024-02-29"));
        Adjustments credit = Adjustments.of(new PsaValues.Adjustment(d("-100"), LocalDate.parse("2024-02-20"),
                LocalDate.parse("2024-02-29"), d("-75.86"), d("-64.48")));
        // the distributor invoices the 0 licences of the month's last day, or the 6.55 licence-months: both match
        assertThat(ThreeWay.compare(february, new Facts(new InvoiceTotals(d("0"), d("122.52")), m, base, credit))).isEmpty();
        assertThat(ThreeWay.compare(february, new Facts(new InvoiceTotals(d("6.55"), d("122.52")), m, base, credit))).isEmpty();
        // 3 licences on the invoice are 3 more than either side has on the last day: the row shows each side's own figures
        List<Mismatch> r = ThreeWay.compare(february, new Facts(new InvoiceTotals(d("3"), d("56.10")), m, base, credit));
        assertThat(kinds(r)).containsExactly(Kind.UNDER_BILLED);
        assertThat(r.get(0).amount()).isEqualByComparingTo("66.00");
        assertThat(r.get(0).expectedQuantity()).isEqualByComparingTo("6.5517");
        assertThat(r.get(0).expectedAmount()).isEqualByComparingTo("144.14");
        assertThat(r.get(0).billedQuantity()).isEqualByComparingTo("6.5517");
        assertThat(r.get(0).billedAmount()).isEqualByComparingTo("144.14");
        assertThat(r.get(0).detail()).isEqualTo("the distributor invoices 3 licences, ConnectWise bills 0 on the month's last day, "
                + "the marketplace 0");
    }

    @Test
    void nothingBilledIsMissingInConnectWise() {
        List<Mismatch> r = ThreeWay.compare(APRIL, new Facts(INVOICE, mp("22.00", "18.70", "2024-01-14", "10"), List.of(), null));
        assertThat(kinds(r)).containsExactly(Kind.MISSING_IN_CONNECTWISE);
        assertThat(r.get(0).amount()).isEqualByComparingTo("220.00");
        // a line cancelled before the month bills nothing either
        assertThat(kinds(ThreeWay.compare(APRIL, new Facts(INVOICE, mp("22.00", "18.70", "2024-01-14", "10"),
                List.of(line("10", "18.70", "22.00", "2024-01-14", "2024-03-31")), null)))).containsExactly(Kind.MISSING_IN_CONNECTWISE);
    }

    @Test
    void amountsAreRoundedOnceFromLicenceDaysR34() {
        // 1 licence from 15 March, 17 of 31 days, at 999.99: 999.99 × 17 / 31 = 548.3816 → 548.38
        // (licence-months 0.5484 × 999.99 would say 548.39)
        YearMonth march = YearMonth.of(2024, 3);
        Marketplace m = mp("999.99", "800.00", "2024-03-15", "1");
        List<Mismatch> missing = ThreeWay.compare(march, new Facts(null, m, List.of(), null));
        assertThat(missing.get(0).amount()).isEqualByComparingTo("548.38");
        // billed one licence from the 1st: 999.99 over-billed by the 14 days before the 15th, 451.61 (999.99 × 14 / 31)
        List<Mismatch> over = ThreeWay.compare(march, new Facts(new InvoiceTotals(d("1"), d("548.38")), m,
                List.of(line("1", "800.00", "999.99", "2024-03-01", null)), null));
        assertThat(kinds(over)).containsExactly(Kind.OVER_BILLED);
        assertThat(over.get(0).expectedAmount()).isEqualByComparingTo("548.38");
        assertThat(over.get(0).billedAmount()).isEqualByComparingTo("999.99");
        assertThat(over.get(0).amount()).isEqualByComparingTo("451.61");
    }

    @Test
    void aPriceChangeInsideTheMonthBillsEachDayAtItsPriceR34() {
        // 10 licences at 22.00 from 1 February, 24.00 / 20.00 from 15 March (a PRICE_CHANGE), lines split the same way
        YearMonth march = YearMonth.of(2024, 3);
        Marketplace m = new Marketplace(List.of(new QuantityStep(LocalDate.parse("2024-02-01"), d("10"), d("22.00"), d("18.70")),
                new QuantityStep(LocalDate.parse("2024-03-15"), d("10"), d("24.00"), d("20.00"))), d("24.00"), d("20.00"));
        List<PsaLine> split = List.of(line("10", "18.70", "22.00", "2024-02-01", "2024-03-14"),
                line("10", "20.00", "24.00", "2024-03-15", null));
        // 10 x 14 x 22 + 10 x 17 x 24 = 7,160 / 31 = 230.97
        assertThat(m.amount(march)).isEqualByComparingTo("230.97");
        assertThat(ThreeWay.compare(march, new Facts(new InvoiceTotals(d("10"), d("200.00")), m, split, null))).isEmpty();
        // February was billed at 22.00: no drift against the later price
        assertThat(ThreeWay.compare(YearMonth.of(2024, 2), new Facts(new InvoiceTotals(d("10"), d("187.00")), m, split, null))).isEmpty();
        // a line left at 22.00 after the change drifts by 2.00 over its 17 days: 10 x 17 x 2 / 31 = 10.97
        List<Mismatch> drift = ThreeWay.compare(march, new Facts(new InvoiceTotals(d("10"), d("200.00")), m,
                List.of(line("10", "18.70", "22.00", "2024-02-01", null)), null));
        assertThat(kinds(drift)).contains(Kind.PRICE_DRIFT);
        assertThat(drift.stream().filter(x -> x.kind() == Kind.PRICE_DRIFT).findFirst().orElseThrow().amount()).isEqualByComparingTo("10.97");
        assertThat(kinds(drift)).doesNotContain(Kind.UNDER_BILLED, Kind.OVER_BILLED);
    }

    @Test
    void aFullUpgradesOldBaseAndItsMinusQLineAreNoDriftR19R34() {
        // 10 at 22.00, fully upgraded on 11 April (same subscription) to a product at 36.00: the old base runs to the 30th
        // with the upgrade's -10 line at the old price from the 11th, the new product's +10 line at 36.00 from the 11th
        Marketplace m = new Marketplace(List.of(new QuantityStep(LocalDate.parse("2024-01-14"), d("10"), d("22.00"), d("18.70")),
                new QuantityStep(LocalDate.parse("2024-04-11"), d("10"), d("36.00"), d("30.60"))), d("36.00"), d("30.60"));
        List<PsaLine> lines = List.of(line("10", "18.70", "22.00", "2024-01-14", "2024-04-30"),
                line("-10", "18.70", "22.00", "2024-04-11", "2024-04-30"), line("10", "30.60", "36.00", "2024-04-11", null));
        // 10 x 10 x 22 + 10 x 20 x 36 = 9,400 / 30 = 313.33
        assertThat(m.amount(APRIL)).isEqualByComparingTo("313.33");
        assertThat(ThreeWay.compare(APRIL, new Facts(new InvoiceTotals(d("10"), d("266.33")), m, lines, null))).isEmpty();
    }

    @Test
    void onTheInvoiceOnlyIsMissingAtTheInvoiceAmount() {
        List<Mismatch> r = ThreeWay.compare(APRIL, new Facts(INVOICE, null, List.of(), null));
        assertThat(kinds(r)).containsExactly(Kind.MISSING_IN_CONNECTWISE);
        assertThat(r.get(0).amount()).isEqualByComparingTo("187.00");
    }

    @Test
    void unknownEverywhereOrEndedIsNoMismatch() {
        assertThat(ThreeWay.compare(APRIL, new Facts(null, null, List.of(), null))).isEmpty();
        assertThat(ThreeWay.compare(APRIL, new Facts(null, mp("22.00", "18.70", "2024-01-14", "10", "2024-03-20", "0"), List.of(), null)))
                .isEmpty();
    }

    @Test
    void billedWithoutInvoiceLineIsNotOnInvoice() {
        List<Mismatch> r = ThreeWay.compare(APRIL, new Facts(null, mp("22.00", "18.70", "2024-01-14", "10"),
                List.of(line("10", "18.70", "22.00", "2024-01-14", null)), null));
        assertThat(kinds(r)).containsExactly(Kind.NOT_ON_INVOICE);
        assertThat(r.get(0).amount()).isEqualByComparingTo("220.00");
    }

    @Test
    void anIaasLineAtZeroBeforeItsInvoiceIsNoMismatchR24() {
        // quantity 1 at 0.00 until the usage invoice: nothing billed, nothing missing from an invoice
        Marketplace iaas = mp("0", "0", "2024-01-14", "1");
        assertThat(ThreeWay.compare(APRIL, new Facts(null, iaas, List.of(line("1", "0", "0", "2024-01-14", null)), null))).isEmpty();
        // and without its line, it is missing (at 0.00), never a failure
        assertThat(kinds(ThreeWay.compare(APRIL, new Facts(null, iaas, List.of(), null)))).containsExactly(Kind.MISSING_IN_CONNECTWISE);
    }

    @Test
    void unitPriceAndCostDriftBeyondACent() {
        List<Mismatch> r = ThreeWay.compare(APRIL, new Facts(INVOICE, mp("22.00", "18.70", "2024-01-14", "10"),
                List.of(line("10", "18.00", "25.00", "2024-01-14", null)), null));
        assertThat(kinds(r)).containsExactly(Kind.PRICE_DRIFT, Kind.COST_DRIFT);
        assertThat(r.get(0).amount()).isEqualByComparingTo("30.00");
        assertThat(r.get(0).billedUnit()).isEqualByComparingTo("25.00");
        assertThat(r.get(0).expectedUnit()).isEqualByComparingTo("22.00");
        assertThat(r.get(1).amount()).isEqualByComparingTo("7.00");
        assertThat(r.get(1).detail()).isEqualTo("unit cost 18.00 in ConnectWise, 18.70 in the marketplace");
        assertThat(ThreeWay.unit(d("25")).toPlainString()).isEqualTo("25.00");
        assertThat(ThreeWay.unit(d("18.7045")).toPlainString()).isEqualTo("18.7045");
        // a cent is not a drift
        assertThat(ThreeWay.compare(APRIL, new Facts(INVOICE, mp("22.00", "18.70", "2024-01-14", "10"),
                List.of(line("10", "18.71", "22.01", "2024-01-14", null)), null))).isEmpty();
    }

    @Test
    void driftAndQuantityAreToldApart() {
        // 12 billed at 25.00 while the marketplace says 10 at 22.00: drift 3.00 × 12 = 36.00, quantity 2 × 22.00 = 44.00.
        List<Mismatch> r = ThreeWay.compare(APRIL, new Facts(INVOICE, mp("22.00", "18.70", "2024-01-14", "10"),
                List.of(line("12", "18.70", "25.00", "2024-01-14", null)), null));
        assertThat(kinds(r)).containsExactly(Kind.PRICE_DRIFT, Kind.OVER_BILLED);
        assertThat(r.get(0).amount()).isEqualByComparingTo("36.00");
        assertThat(r.get(1).amount()).isEqualByComparingTo("44.00");
    }

    @Test
    void partialDriftIsWeightedByActiveDays() {
        // a delta line of 2 from the 16th (15 days) at 23.00: drift 1.00 × 2 × 15/30 = 1.00
        // the distributor invoices the 12 licences of the month's end
        List<Mismatch> r = ThreeWay.compare(APRIL, new Facts(new InvoiceTotals(d("12"), d("205.70")), mp("22.00", "18.70", "2024-01-14", "10", "2024-04-16", "12"),
                List.of(line("10", "18.70", "22.00", "2024-01-14", null), line("2", "18.70", "23.00", "2024-04-16", null)), null));
        assertThat(kinds(r)).containsExactly(Kind.PRICE_DRIFT);
        assertThat(r.get(0).amount()).isEqualByComparingTo("1.00");
        assertThat(r.get(0).billedQuantity()).isEqualByComparingTo("1");
    }

    @Test
    void usageLinesAreAmountsNotDrift() {
        PsaLine usage = new PsaLine(d("1"), d("4.00"), d("5.00"), LocalDate.parse("2024-04-30"), LocalDate.parse("2024-04-30"), false, 2L);
        List<Mismatch> r = ThreeWay.compare(APRIL, new Facts(INVOICE, mp("22.00", "18.70", "2024-01-14", "10"),
                List.of(line("10", "18.70", "22.00", "2024-01-14", null), usage), null));
        assertThat(kinds(r)).isEmpty();
    }

    @Test
    void marketplaceStepsBeforeAndAfterTheMonth() {
        assertThat(mp("1", "1", "2024-05-03", "10").licenceMonths(APRIL)).isEqualByComparingTo("0");
        assertThat(mp("1", "1", "2024-04-30", "30").licenceMonths(APRIL)).isEqualByComparingTo("1");
        assertThat(mp("1", "1", "2024-01-01", "30", "2024-04-02", "0").licenceMonths(APRIL)).isEqualByComparingTo("1");
        assertThat(mp("1", "1", "2024-04-11", "12", "2024-01-01", "10").licenceMonths(APRIL)).as("order of steps")
                .isEqualByComparingTo("11.3333");
    }

    @Test
    void digestLineOnlyWhenSomethingIsOff() {
        assertThat(ThreeWay.digestLine(APRIL, 0, d("0"), d("0"))).isEmpty();
        assertThat(ThreeWay.digestLine(APRIL, 6, d("44"), d("22.005"))).contains(
                "Three-way check 2024-04: 6 mismatches, under-billed 44.00, over-billed 22.01");
        assertThat(ThreeWay.digestLine(APRIL, 1, null, d("3"))).contains("Three-way check 2024-04: 1 mismatch, under-billed 0.00, over-billed 3.00");
    }

    @Test
    void theDistributorInvoicingMoreLicencesThanBilledIsUnderBilledR34() {
        // marketplace and ConnectWise: 11 all April; the distributor invoices 13 (243.10 at 18.70): 2 × 22.00 not billed
        Marketplace m = mp("22.00", "18.70", "2024-01-14", "11");
        List<PsaLine> lines = List.of(line("11", "18.70", "22.00", "2024-01-14", null));
        List<Mismatch> under = ThreeWay.compare(APRIL, new Facts(new InvoiceTotals(d("13"), d("243.10")), m, lines, null));
        assertThat(kinds(under)).containsExactly(Kind.UNDER_BILLED);
        assertThat(under.get(0).amount()).isEqualByComparingTo("44.00");
        assertThat(under.get(0).expectedQuantity()).as("the marketplace's licence-months (the invoice's are the row's own)")
                .isEqualByComparingTo("11");
        assertThat(under.get(0).expectedAmount()).as("what the marketplace bills").isEqualByComparingTo("242.00");
        assertThat(under.get(0).billedQuantity()).isEqualByComparingTo("11");
        assertThat(under.get(0).billedAmount()).isEqualByComparingTo("242.00");
        assertThat(under.get(0).detail()).isEqualTo("the distributor invoices 13 licences, ConnectWise bills 11 licence-months, the marketplace 11");
        // fewer: over-billed
        List<Mismatch> over = ThreeWay.compare(APRIL, new Facts(new InvoiceTotals(d("10"), d("187.00")), m, lines, null));
        assertThat(kinds(over)).containsExactly(Kind.OVER_BILLED);
        assertThat(over.get(0).amount()).isEqualByComparingTo("22.00");
        // the invoice's quantity read as licence-months or as the last day's licences: both match (R32's reading)
        Marketplace inc = mp("22.00", "18.70", "2024-01-14", "10", "2024-04-11", "12");
        List<PsaLine> both = List.of(line("10", "18.70", "22.00", "2024-01-14", null), line("2", "18.70", "22.00", "2024-04-11", null));
        assertThat(ThreeWay.compare(APRIL, new Facts(new InvoiceTotals(d("11.3333"), d("211.93")), inc, both, null))).isEmpty();
        assertThat(ThreeWay.compare(APRIL, new Facts(new InvoiceTotals(d("12"), d("211.93")), inc, both, null))).isEmpty();
        // an IaaS invoice's quantity is its usage, no licences
        assertThat(ThreeWay.compare(APRIL, new Facts(new InvoiceTotals(d("735"), d("0")), mp("0", "0", "2024-01-14", "1"),
                List.of(line("1", "0", "0", "2024-01-14", null)), null, false))).isEmpty();
    }

    @Test
    void aQuantityThatDiffersFromTheMarketplaceIsReportedOnceR34() {
        // ConnectWise bills 8, the marketplace and the distributor 10: one UNDER_BILLED row (against the marketplace)
        List<Mismatch> r = ThreeWay.compare(APRIL, new Facts(INVOICE, mp("22.00", "18.70", "2024-01-14", "10"),
                List.of(line("8", "18.70", "22.00", "2024-01-14", null)), null));
        assertThat(kinds(r)).containsExactly(Kind.UNDER_BILLED);
        assertThat(r.get(0).amount()).isEqualByComparingTo("44.00");
    }

    @Test
    void anAdditionNoSubscriptionOwnsIsNotOnInvoiceAtWhatItBillsR34() {
        Mismatch m = ThreeWay.unowned(APRIL, line("5", "30.60", "36.00", "2024-02-01", null), "hand-made").orElseThrow();
        assertThat(m.kind()).isEqualTo(Kind.NOT_ON_INVOICE);
        assertThat(m.amount()).isEqualByComparingTo("180.00");
        assertThat(m.billedQuantity()).isEqualByComparingTo("5");
        // half of April: 15 of 30 days
        assertThat(ThreeWay.unowned(APRIL, line("5", "30.60", "36.00", "2024-04-16", null), "x").orElseThrow().amount())
                .isEqualByComparingTo("90.00");
        assertThat(ThreeWay.unowned(APRIL, line("5", "30.60", "36.00", "2024-01-01", "2024-03-31"), "ended")).isEmpty();
        assertThat(ThreeWay.unowned(APRIL, line("1", "0", "0", "2024-01-01", null), "free")).isEmpty();
    }

    // ---- R34 × R24: IaaS by amount (probe 46 F5) ----

    static final YearMonth DECEMBER = YearMonth.of(2024, 12); // 31 days

    /** An IaaS subscription from 1 December, its usage events of December billing {@code price} / {@code cost}. */
    static Marketplace iaas(String price, String cost) {
        List<ThreeWay.UsageCharge> usage = price == null ? List.of()
                : List.of(new ThreeWay.UsageCharge(LocalDate.parse("2024-12-01"), LocalDate.parse("2024-12-31"), d(price), d(cost)));
        return new Marketplace(List.of(new QuantityStep(LocalDate.parse("2024-12-01"), d("1"))), d("0"), d("0"), usage);
    }

    static final PsaLine IAAS_BASE = line("1", "0", "0", "2024-12-01", null);

    static PsaLine usageLine(String quantity, String cost, String price) {
        return new PsaLine(d(quantity), d(cost), d(price), LocalDate.parse("2024-12-01"), LocalDate.parse("2024-12-31"), false, 47L);
    }

    static List<String> rows(List<Mismatch> m) {
        return m.stream().map(x -> x.kind() + " " + x.amount().toPlainString()).toList();
    }

    static final InvoiceTotals RESELLER_30 = new InvoiceTotals(d("1"), d("30.00"));
    static final InvoiceTotals CUSTOMER_40 = new InvoiceTotals(d("1"), d("40.00"));

    static Facts iaasFacts(Marketplace m, List<PsaLine> lines, Adjustments charges, InvoiceTotals customer) {
        return new Facts(RESELLER_30, m, lines, null, false, charges).with(customer, null, null);
    }

    @Test
    void r34R24AnIaasMonthIsComparedByAmountAUsageLineBillingTenTimesItsUsageIsOverBilled() {
        // the usage events say 40.00 / 30.00 for December, the distributor invoices 30.00 (cost)
        Marketplace m = iaas("40.00", "30.00");
        assertThat(ThreeWay.compare(DECEMBER, iaasFacts(m, List.of(IAAS_BASE, usageLine("1", "30.00", "40.00")), null, null))).isEmpty();
        // the usage line edited by hand to 400.00 / 300.00: 360.00 over-billed, its cost 270.00 off the invoice's
        List<Mismatch> tenTimes = ThreeWay.compare(DECEMBER, iaasFacts(m, List.of(IAAS_BASE, usageLine("1", "300.00", "400.00")), null, null));
        assertThat(rows(tenTimes)).containsExactly("OVER_BILLED 360.00", "COST_DRIFT 270.00");
        assertThat(tenTimes.get(0).expectedAmount()).isEqualByComparingTo("40.00");
        assertThat(tenTimes.get(0).billedAmount()).isEqualByComparingTo("400.00");
        assertThat(tenTimes.get(0).detail()).isEqualTo("ConnectWise bills usage of 400.00, the marketplace's usage events 40.00");
        assertThat(tenTimes.get(1).detail()).isEqualTo("usage cost 300.00 in ConnectWise, 30.00 on the distributor invoice");
        // and its quantity 3: 3 x 400.00 = 1,200.00 billed
        assertThat(rows(ThreeWay.compare(DECEMBER, iaasFacts(m, List.of(IAAS_BASE, usageLine("3", "300.00", "400.00")), null, null))))
                .containsExactly("OVER_BILLED 1160.00", "COST_DRIFT 870.00");
        // with a reconciliation's charge of 40.00 / 30.00 besides (the lines alone do not bill the usage: it counts too)
        assertThat(rows(ThreeWay.compare(DECEMBER, iaasFacts(m, List.of(IAAS_BASE, usageLine("1", "300.00", "400.00")),
                new Adjustments(d("40.00"), d("30.00")), CUSTOMER_40)))).containsExactly("OVER_BILLED 400.00", "COST_DRIFT 300.00");
        // a usage line billing less than the usage: under-billed
        assertThat(rows(ThreeWay.compare(DECEMBER, iaasFacts(m, List.of(IAAS_BASE, usageLine("1", "30.00", "4.00")), null, null))))
                .containsExactly("UNDER_BILLED 36.00");
    }

    @Test
    void r34R24UsageTheDistributorInvoicesThatConnectWiseDoesNotBillIsMissingInConnectWise() {
        // only the base line at 0.00, no usage event yet: the partner pays 30.00 and bills nothing
        List<Mismatch> r = ThreeWay.compare(DECEMBER, iaasFacts(iaas(null, null), List.of(IAAS_BASE), null, null));
        assertThat(rows(r)).containsExactly("MISSING_IN_CONNECTWISE 30.00");
        assertThat(r.get(0).detail()).isEqualTo("the distributor invoices 30.00 of usage, ConnectWise bills 0.00 in the month");
        // the customer invoice's price when there is one, the usage events' when they are known
        assertThat(rows(ThreeWay.compare(DECEMBER, iaasFacts(iaas(null, null), List.of(IAAS_BASE), null, CUSTOMER_40))))
                .containsExactly("MISSING_IN_CONNECTWISE 40.00");
        assertThat(rows(ThreeWay.compare(DECEMBER, iaasFacts(iaas("45.00", "30.00"), List.of(IAAS_BASE), null, CUSTOMER_40))))
                .containsExactly("MISSING_IN_CONNECTWISE 45.00");
        // the reconciliation's charge made up for it (R32: posted before the usage event): nothing off
        assertThat(ThreeWay.compare(DECEMBER, iaasFacts(iaas(null, null), List.of(IAAS_BASE), new Adjustments(d("40.00"), d("30.00")),
                CUSTOMER_40))).isEmpty();
        // an invoice of 0.00 with the base line at 0.00 is no mismatch (R24, before any usage)
        assertThat(ThreeWay.compare(DECEMBER, new Facts(new InvoiceTotals(d("0"), d("0.00")), iaas(null, null), List.of(IAAS_BASE), null,
                false))).isEmpty();
    }

    @Test
    void r34R32R24ALateUsageEventAfterTheReconciliationsChargeBillsTheMonthTwiceOverBilled() {
        // R32 posted December's 40.00 / 30.00 as a line of its own before the usage event; then the usage (40.00 / 30.00)
        // arrived and made its line: ConnectWise bills 80.00 where the invoices say 40.00 (customer) / 30.00 (reseller)
        List<Mismatch> r = ThreeWay.compare(DECEMBER, iaasFacts(iaas("40.00", "30.00"), List.of(IAAS_BASE, usageLine("1", "30.00", "40.00")),
                new Adjustments(d("40.00"), d("30.00")), CUSTOMER_40));
        assertThat(rows(r)).containsExactly("OVER_BILLED 40.00", "COST_DRIFT 30.00");
        assertThat(r.get(0).detail()).isEqualTo("ConnectWise bills usage of 40.00 and the reconciliation's charges of 40.00, the distributor's"
                + " customer invoice 40.00, the marketplace's usage events 40.00");
        // a charge the invoices stand for (the usage line at the usage's 40.00 / 30.00, the invoices 45.00 / 35.00, the
        // reconciliation's +5.00 / +5.00 added to the line's values): no mismatch
        assertThat(ThreeWay.compare(DECEMBER, new Facts(new InvoiceTotals(d("1"), d("35.00")), iaas("40.00", "30.00"),
                List.of(IAAS_BASE, usageLine("1", "30.00", "40.00")), null, false, new Adjustments(d("5.00"), d("5.00")))
                .with(new InvoiceTotals(d("1"), d("45.00")), null, null))).isEmpty();
    }

    @Test
    void r34R24UnderCostOnlyTheUsagePriceIsNotTheBundlesAndIsNotCompared() {
        // COST_ONLY: the usage line carries the cost only (price 0.00 in ConnectWise)
        Facts costOnly = new Facts(RESELLER_30, iaas("40.00", "30.00"), List.of(IAAS_BASE, usageLine("1", "30.00", "0")), null, false, null)
                .with(CUSTOMER_40, new ThreeWay.Pushed(false, true), null);
        assertThat(ThreeWay.compare(DECEMBER, costOnly)).isEmpty();
    }

    // ---- R34 × R32: charges weighed with the lines (probe 46 F4) ----

    @Test
    void r34R32ALateIncreaseThatBillsTheDaysTheChargeMadeUpForIsOverBilled() {
        // 5 licences from 1 December at 22.00 / 18.70, 7 from the 16th: 5 x 31 + 2 x 16 = 187 licence-days; the invoices
        // knew the increase (112.80 / 132.71), ConnectWise did not: R32 posted 22.71 / 19.30. Then the late increase arrived.
        Marketplace m = mp("22.00", "18.70", "2024-12-01", "5", "2024-12-16", "7");
        InvoiceTotals reseller = new InvoiceTotals(d("7"), d("112.80"));
        InvoiceTotals customer = new InvoiceTotals(d("7"), d("132.71"));
        Adjustments charge = new Adjustments(d("22.71"), d("19.30"));
        List<PsaLine> base = List.of(line("5", "18.70", "22.00", "2024-12-01", null));
        // before the late event: the charge made up for the missing licences
        assertThat(ThreeWay.compare(DECEMBER, new Facts(reseller, m, base, null, true, charge).with(customer, null, null))).isEmpty();
        // the increase's R12 line bills 2 x 16 days: ConnectWise bills 132.71 + 22.71 = 155.42 for an invoice of 132.71
        List<PsaLine> both = List.of(base.get(0), line("2", "18.70", "22.00", "2024-12-16", "2024-12-31"));
        List<Mismatch> twice = ThreeWay.compare(DECEMBER, new Facts(reseller, m, both, null, true, charge).with(customer, null, null));
        assertThat(rows(twice)).containsExactly("OVER_BILLED 22.71");
        assertThat(twice.get(0).billedAmount()).isEqualByComparingTo("155.42");
        assertThat(twice.get(0).expectedAmount()).isEqualByComparingTo("132.71");
        assertThat(twice.get(0).detail()).isEqualTo("ConnectWise bills 132.71 and the reconciliation's charges of 22.71, 155.42; the"
                + " distributor's customer invoice 132.71, the marketplace 132.71");
        // the same days credited by a posted R27 catch-up instead of a line: the same
        Adjustments catchUp = Adjustments.of(new PsaValues.Adjustment(d("32"), LocalDate.parse("2024-12-16"), LocalDate.parse("2024-12-31"),
                d("22.71"), d("19.30")));
        assertThat(rows(ThreeWay.compare(DECEMBER, new Facts(reseller, m, base, catchUp, true, charge).with(customer, null, null))))
                .containsExactly("OVER_BILLED 22.71");
    }

    @Test
    void r34R32ChargesTheCustomerInvoiceStandsForAreNoMismatchMoreThanItIsOverBilled() {
        // an accepted price difference (5 x 1.00 more on the customer invoice)
        Marketplace five = mp("22.00", "18.70", "2024-01-14", "5");
        assertThat(ThreeWay.compare(APRIL, new Facts(new InvoiceTotals(d("5"), d("93.50")), five, List.of(line("5", "18.70", "22.00", "2024-01-14", null)),
                null, true, new Adjustments(d("5.00"), null)).with(new InvoiceTotals(d("5"), d("115.00")), null, null))).isEmpty();
        // 13 invoiced, 11 billed as the marketplace says, 2 x 22.00 charged: no mismatch; 3 x 22.00 charged: 22.00 over
        Marketplace m = mp("22.00", "18.70", "2024-01-14", "11");
        List<PsaLine> eleven = List.of(line("11", "18.70", "22.00", "2024-01-14", null));
        InvoiceTotals thirteen = new InvoiceTotals(d("13"), d("243.10"));
        InvoiceTotals customer = new InvoiceTotals(d("13"), d("286.00"));
        assertThat(ThreeWay.compare(APRIL, new Facts(thirteen, m, eleven, null, true, new Adjustments(d("44.00"), d("37.40")))
                .with(customer, null, null))).isEmpty();
        assertThat(rows(ThreeWay.compare(APRIL, new Facts(thirteen, m, eleven, null, true, new Adjustments(d("66.00"), null))
                .with(customer, null, null)))).containsExactly("OVER_BILLED 22.00");
        // a charge that compensated a line's hand-edited price: the month bills what the invoice says, the drift stays
        List<PsaLine> edited = List.of(line("11", "18.70", "25.00", "2024-01-14", null));
        assertThat(rows(ThreeWay.compare(APRIL, new Facts(new InvoiceTotals(d("11"), d("205.70")), m, edited, null, true,
                new Adjustments(d("-33.00"), null)).with(new InvoiceTotals(d("11"), d("242.00")), null, null)))).containsExactly("PRICE_DRIFT 33.00");
    }

    // ---- R34 × R19: a full upgrade's figures per product (probe 46 F7) ----

    @Test
    void r34R19AFullUpgradesDriftIsReportedPerProductWithThatProductsFigures() {
        // February 2024 (29 days): 8 BP (22.00 / 18.70) from 1 January, fully upgraded on the 15th to E3 (36.00 / 30.60);
        // the old base (line 3) runs to the 29th at 18.70, the −8 BP line (9) and the E3 line (10) were given a cost of 25.00
        YearMonth february = YearMonth.of(2024, 2);
        Marketplace m = new Marketplace(List.of(new QuantityStep(LocalDate.parse("2024-01-01"), d("8"), d("22.00"), d("18.70"), "1"),
                new QuantityStep(LocalDate.parse("2024-02-15"), d("8"), d("36.00"), d("30.60"), "2")), d("22.00"), d("18.70"));
        List<PsaLine> lines = List.of(new PsaLine(d("8"), d("18.70"), d("22.00"), LocalDate.parse("2024-01-01"), LocalDate.parse("2024-02-29"), true, 3L),
                new PsaLine(d("-8"), d("25.00"), d("22.00"), LocalDate.parse("2024-02-15"), LocalDate.parse("2024-02-29"), true, 9L),
                new PsaLine(d("8"), d("25.00"), d("36.00"), LocalDate.parse("2024-02-15"), null, true, 10L));
        Map<Long, String> products = Map.of(3L, "1", 9L, "1", 10L, "2");
        List<Mismatch> r = ThreeWay.compare(february, new Facts(new InvoiceTotals(d("8"), d("200.00")), m, lines, null, true, null)
                .with(null, null, products));
        // BP: (25.00 − 18.70) x −8 x 15 / 29 = −26.07; E3: (25.00 − 30.60) x 8 x 15 / 29 = −23.17; together the 49.24 of one row before
        assertThat(rows(r)).containsExactly("COST_DRIFT 26.07", "COST_DRIFT 23.17");
        assertThat(r.get(0).detail()).isEqualTo("unit cost 25.00 in ConnectWise, 18.70 in the marketplace");
        assertThat(r.get(0).billedQuantity()).isEqualByComparingTo("-4.1379");
        assertThat(r.get(1).detail()).isEqualTo("unit cost 25.00 in ConnectWise, 30.60 in the marketplace");
        assertThat(r.get(1).billedQuantity()).isEqualByComparingTo("4.1379");
        // March: only E3 bills, and no invoice line: the marketplace's unit is E3's 36.00 (8 x 36.00 = 288.00)
        List<Mismatch> march = ThreeWay.compare(YearMonth.of(2024, 3), new Facts(null, m, lines, null, true, null).with(null, null, products));
        assertThat(march.get(0).kind()).isEqualTo(Kind.NOT_ON_INVOICE);
        assertThat(march.get(0).expectedAmount()).isEqualByComparingTo("288.00");
        assertThat(march.get(0).expectedUnit()).isEqualByComparingTo("36.00");
    }

    // Probe 46 F9 (three-way evidence): 2 × 264.00 / 224.40 yearly from 16 December 2024 to 15 December 2025 on a yearly
    // agreement (billing start 1 December 2024); the distributor invoices the year in December: reseller 448.80, customer 528.00.
    static final BillingTerms YEAR_FROM_DECEMBER = BillingTerms.yearly(LocalDate.parse("2024-12-01"), null);

    static Marketplace yearly(String... moreSteps) {
        List<QuantityStep> s = new java.util.ArrayList<>(List.of(new QuantityStep(LocalDate.parse("2024-12-16"), d("2"))));
        for (int i = 0; i < moreSteps.length; i += 2) s.add(new QuantityStep(LocalDate.parse(moreSteps[i]), d(moreSteps[i + 1])));
        s.add(new QuantityStep(LocalDate.parse("2025-12-16"), d("0"))); // the subscription's end
        return new Marketplace(s, d("264.00"), d("224.40"));
    }

    static Facts yearlyFacts(InvoiceTotals reseller, Marketplace m, List<PsaLine> lines) {
        return new Facts(reseller, m, lines, null, true, null).withTerms(YEAR_FROM_DECEMBER);
    }

    @Test
    void r34R5AYearlyLineIsComparedOnceInItsAgreementYearsFirstMonthNotEveryMonth() {
        Marketplace m = yearly();
        PsaLine y1 = line("2", "224.40", "264.00", "2024-12-16", "2025-12-15");
        InvoiceTotals december = new InvoiceTotals(d("2"), d("448.80"));
        // December bills the year: 2 × 264.00 × 350 / 365 = 506.30 on both sides, the yearly unit cost 224.40 = 448.80 / 2
        assertThat(ThreeWay.compare(YearMonth.of(2024, 12), yearlyFacts(december, m, List.of(y1)))).isEmpty();
        assertThat(m.billedIn(YearMonth.of(2024, 12), YEAR_FROM_DECEMBER).amount()).isEqualByComparingTo("506.301369863014");
        // January to November neither side bills: no row (was NOT_ON_INVOICE 528.00 every month)
        for (int month = 1; month <= 11; month++) {
            assertThat(ThreeWay.compare(YearMonth.of(2025, month), yearlyFacts(null, m, List.of(y1)))).as("2025-%d", month).isEmpty();
        }
        assertThat(rows(ThreeWay.compare(YearMonth.of(2025, 1), new Facts(null, m, List.of(y1), null, true, null))))
                .as("by calendar month, as before").containsExactly("NOT_ON_INVOICE 528.00");
        // the second agreement year's 15 days (1–15 December 2025) bill in December 2025: 2 × 264.00 × 15 / 365
        List<Mismatch> next = ThreeWay.compare(YearMonth.of(2025, 12), yearlyFacts(null, m, List.of(y1)));
        assertThat(rows(next)).containsExactly("NOT_ON_INVOICE 21.70");
        assertThat(next.get(0).expectedAmount()).isEqualByComparingTo("21.70");
    }

    @Test
    void r34R5AYearlyUnitCostThatDriftedIsWeighedOverTheAgreementYear() {
        // the unit cost probe 46 saw patched to 434.78: (434.78 − 224.40) × 2 × 350 / 365 = 403.47 in December, nothing after
        PsaLine patched = line("2", "434.78", "264.00", "2024-12-16", "2025-12-15");
        List<Mismatch> december = ThreeWay.compare(YearMonth.of(2024, 12), yearlyFacts(new InvoiceTotals(d("2"), d("448.80")), yearly(),
                List.of(patched)));
        assertThat(rows(december)).containsExactly("COST_DRIFT 403.47");
        assertThat(december.get(0).billedQuantity()).isEqualByComparingTo("1.9178");
        assertThat(december.get(0).billedUnit()).isEqualByComparingTo("434.78");
        assertThat(ThreeWay.compare(YearMonth.of(2025, 1), yearlyFacts(null, yearly(), List.of(patched)))).isEmpty();
    }

    @Test
    void r34R5AYearlyIncreaseBillsTheRestOfTheYearInItsMonthOnBothSides() {
        // +1 from 10 March 2025: its delta line and the marketplace's step bill 266 / 365 of the year in March, 192.39
        Marketplace m = yearly("2025-03-10", "3");
        List<PsaLine> lines = List.of(line("2", "224.40", "264.00", "2024-12-16", "2025-12-15"),
                line("1", "224.40", "264.00", "2025-03-10", "2025-12-15"));
        assertThat(m.billedIn(YearMonth.of(2025, 3), YEAR_FROM_DECEMBER).quantity()).isEqualByComparingTo("0.728767123288");
        assertThat(ThreeWay.compare(YearMonth.of(2025, 3), yearlyFacts(new InvoiceTotals(d("1"), d("163.53")), m, lines))).isEmpty();
        assertThat(ThreeWay.compare(YearMonth.of(2025, 2), yearlyFacts(null, m, lines))).isEmpty();
        assertThat(ThreeWay.compare(YearMonth.of(2024, 12), yearlyFacts(new InvoiceTotals(d("2"), d("448.80")), m, lines))).isEmpty();
        // without its delta line ConnectWise bills nothing in March: the marketplace's 192.39 is missing
        List<Mismatch> missing = ThreeWay.compare(YearMonth.of(2025, 3), yearlyFacts(new InvoiceTotals(d("1"), d("163.53")), m,
                lines.subList(0, 1)));
        assertThat(rows(missing)).containsExactly("MISSING_IN_CONNECTWISE 192.39");
    }
}
