package io.cwbridge.rules.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.SubscriptionKind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** R32: the state a reconciliation takes, the PSA values of a month, and the deltas an accept posts. */
class ReconciliationRulesTest {

    static final YearMonth FEB = YearMonth.of(2024, 2);

    static InvoiceTotals inv(String quantity, String amount) {
        return new InvoiceTotals(new BigDecimal(quantity), new BigDecimal(amount));
    }

    static PsaValues psa(String quantity, String cost, String price) {
        return new PsaValues(new BigDecimal(quantity), new BigDecimal(cost), new BigDecimal(price));
    }

    @Test
    void r32PendingNamesTheMissingInvoice() {
        PsaValues any = psa("10", "187.00", "220.00");
        assertThat(ReconciliationRules.decide(SubscriptionKind.SAAS, null, null, any, null))
                .satisfies(d -> {
                    assertThat(d.status()).isEqualTo(ReconciliationStatus.PENDING);
                    assertThat(d.missing()).isEqualTo(MissingInvoice.BOTH);
                });
        assertThat(ReconciliationRules.decide(SubscriptionKind.SAAS, null, inv("10", "220"), any, null).missing())
                .isEqualTo(MissingInvoice.RESELLER);
        Decision customerMissing = ReconciliationRules.decide(SubscriptionKind.SAAS, inv("10", "187"), null, any, null);
        assertThat(customerMissing.missing()).isEqualTo(MissingInvoice.CUSTOMER);
        assertThat(customerMissing.reason()).isEqualTo("Missing customer invoice");
        assertThat(customerMissing.deltaCost()).isNull();
    }

    @Test
    void r32IaasBeforeItsInvoiceIsPendingWithZeroCostAndPriceAndQuantityOne() {
        Decision d = ReconciliationRules.decide(SubscriptionKind.IAAS, null, null, null, null);
        assertThat(d.status()).isEqualTo(ReconciliationStatus.PENDING);
        assertThat(d.invoiceCost()).isEqualByComparingTo("0").hasScaleOf(2);
        assertThat(d.invoicePrice()).isEqualByComparingTo("0").hasScaleOf(2);
        assertThat(d.invoiceQuantity()).isEqualByComparingTo("1");
    }

    @Test
    void r32BothInvoicesButUnreadablePsaIsFailedReview() {
        Decision d = ReconciliationRules.decide(SubscriptionKind.SAAS, inv("10", "187"), inv("10", "220"), null, "500 Boom");
        assertThat(d.status()).isEqualTo(ReconciliationStatus.FAILED_REVIEW);
        assertThat(d.reason()).contains("500 Boom");
        assertThat(d.psa()).isNull();
    }

    @Test
    void r32MatchingValuesAreReconciled() {
        Decision d = ReconciliationRules.decide(SubscriptionKind.SAAS, inv("10", "187.00"), inv("10", "220.0"),
                psa("10.0000", "187.00", "220.00"), null);
        assertThat(d.status()).isEqualTo(ReconciliationStatus.RECONCILED);
        assertThat(d.deltaCost()).isEqualByComparingTo("0");
        assertThat(d.deltaPrice()).isEqualByComparingTo("0");
        assertThat(d.reason()).isNull();
    }

    @ParameterizedTest(name = "R32 invoice q={0} cost={1} price={2} vs PSA q={3} cost={4} price={5}")
    @CsvSource({
            "10, 187.00, 230.00, 10, 187.00, 220.00, 0.00, 10.00",
            "10, 180.00, 220.00, 10, 187.00, 220.00, -7.00, 0.00",
            "12, 187.00, 220.00, 10, 187.00, 220.00, 0.00, 0.00",
            "10, 187.005, 220.004, 10, 187.00, 220.00, 0.01, 0.00",
    })
    void r32DiscrepancyIsPendingReviewWithInvoiceMinusPsaDeltas(String q, String cost, String price, String psaQ, String psaCost,
                                                               String psaPrice, String deltaCost, String deltaPrice) {
        Decision d = ReconciliationRules.decide(SubscriptionKind.SAAS, inv("0", cost), inv(q, price), psa(psaQ, psaCost, psaPrice), null);
        assertThat(d.status()).isEqualTo(ReconciliationStatus.PENDING_REVIEW);
        assertThat(d.deltaCost()).isEqualTo(new BigDecimal(deltaCost));
        assertThat(d.deltaPrice()).isEqualTo(new BigDecimal(deltaPrice));
        assertThat(d.reason()).startsWith("Discrepancy:");
    }

    @Test
    void r32IaasQuantityIsAlwaysOneOnBothSides() {
        // The invoice's quantity (e.g. usage units) is not compared for IaaS: both sides are 1.
        Decision d = ReconciliationRules.decide(SubscriptionKind.IAAS, inv("735", "80.00"), inv("735", "100.00"),
                PsaValues.of(SubscriptionKind.IAAS, FEB, List.of(new PsaLine(BigDecimal.ONE, new BigDecimal("80"), new BigDecimal("100"),
                        LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 29)))), null);
        assertThat(d.status()).isEqualTo(ReconciliationStatus.RECONCILED);
        assertThat(d.invoiceQuantity()).isEqualByComparingTo("1");
        assertThat(d.psa().quantity()).isEqualByComparingTo("1");
    }

    @Test
    void r32PsaValuesSumTheAdditionsActiveInTheMonth() {
        List<PsaLine> lines = List.of(
                new PsaLine(new BigDecimal("10"), new BigDecimal("18.70"), new BigDecimal("22.00"), LocalDate.of(2024, 1, 14), null),
                new PsaLine(new BigDecimal("2"), new BigDecimal("18.70"), new BigDecimal("22.00"), LocalDate.of(2024, 2, 15),
                        LocalDate.of(2024, 2, 29)),
                // Ended before February, and starting after it: not February's.
                new PsaLine(new BigDecimal("5"), new BigDecimal("1"), new BigDecimal("1"), LocalDate.of(2023, 1, 1), LocalDate.of(2024, 1, 31)),
                new PsaLine(new BigDecimal("7"), new BigDecimal("1"), new BigDecimal("1"), LocalDate.of(2024, 3, 1), null));
        PsaValues v = PsaValues.of(SubscriptionKind.SAAS, FEB, lines);
        // v2: weighted by the days active: 10 × 29/29 + 2 × 15/29 (Feb 15–29) = 320/29 licence-months.
        assertThat(v.quantity()).isEqualTo(new BigDecimal("11.0345"));
        assertThat(v.cost()).isEqualTo(new BigDecimal("206.34")); // 320 × 18.70 / 29 = 206.3448…
        assertThat(v.price()).isEqualTo(new BigDecimal("242.76")); // 320 × 22.00 / 29 = 242.7586…
        assertThat(v.endQuantity()).isEqualByComparingTo("12");
        assertThat(PsaValues.of(SubscriptionKind.IAAS, FEB, List.of()).quantity()).isEqualByComparingTo("1");
        assertThat(PsaValues.of(SubscriptionKind.SAAS, FEB, List.of()).cost()).isEqualTo(new BigDecimal("0.00"));
    }

    @ParameterizedTest(name = "R32 delta {0} - {1} = {2}")
    @CsvSource({
            "230.00, 220.00, 10.00",
            "220.00, 230.00, -10.00",
            "0.005, 0, 0.01",
            "-0.005, 0, -0.01",
            "100, 99.994, 0.01",
            "1.115, 0.00, 1.12",
    })
    void r32DeltaMoneyIsScale2HalfUp(String invoice, String psa, String expected) {
        assertThat(ReconciliationRules.delta(new BigDecimal(invoice), new BigDecimal(psa))).isEqualTo(new BigDecimal(expected));
    }

    @Test
    void r32OnlyPendingAndFailedReviewAreCheckedAgainDaily() {
        for (ReconciliationStatus s : ReconciliationStatus.values()) {
            assertThat(s.checkedAgainDaily()).as(s.name())
                    .isEqualTo(s == ReconciliationStatus.PENDING || s == ReconciliationStatus.FAILED_REVIEW);
        }
    }

    @org.junit.jupiter.api.Test
    void r32AnInvoiceInAnotherCurrencyThanTheSubscriptionsIsNotCompared() {
        java.util.Map<InvoiceType, String> eur = new java.util.EnumMap<>(InvoiceType.class);
        eur.put(InvoiceType.RESELLER, "EUR");
        eur.put(InvoiceType.CUSTOMER, "EUR");
        assertThat(ReconciliationRules.otherCurrency(eur, "USD")).get().asString()
                .startsWith("Invoice in EUR, the subscription and ConnectWise bill USD");
        assertThat(ReconciliationRules.otherCurrency(eur, "eur")).isEmpty();
        assertThat(ReconciliationRules.otherCurrency(eur, null)).isEmpty();
        eur.put(InvoiceType.CUSTOMER, "USD");
        assertThat(ReconciliationRules.otherCurrency(eur, null)).get().asString().startsWith("Invoices in different currencies");
        Decision d = ReconciliationRules.notComparable(SubscriptionKind.SAAS, null, new InvoiceTotals(BigDecimal.ONE, BigDecimal.TEN), "x");
        assertThat(d.status()).isEqualTo(ReconciliationStatus.FAILED_REVIEW);
        assertThat(d.deltaCost()).isNull();
    }
}
