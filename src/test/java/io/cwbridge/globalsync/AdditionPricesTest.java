package io.cwbridge.globalsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.connectwise.AdditionFields;
import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.rules.AdditionLine;
import io.cwbridge.rules.AgreementBilling;
import io.cwbridge.rules.LineKey;
import io.cwbridge.rules.LineRole;
import io.cwbridge.rules.SyncRules;
import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** R30 additions: the base line billing today gets the latest price / cost, per the rules, never an invoiced one. */
class AdditionPricesTest {

    static final LocalDate TODAY = LocalDate.parse("2024-04-01");
    static final BigDecimal P = new BigDecimal("22.00");
    static final BigDecimal C = new BigDecimal("18.70");

    static AdditionLine line(LineRole role, String price, String cost, LocalDate from, LocalDate to, boolean invoiced) {
        AdditionLine l = new AdditionLine(7L, LineKey.of("s", role, from), 3L, BigDecimal.TEN, new BigDecimal(price), new BigDecimal(cost),
                from, to, false, "d", null);
        return invoiced ? l.asInvoiced() : l;
    }

    static SyncRules rules(SyncRules.PriceSource source, boolean price, boolean cost, SyncRules.InvoiceValues saas) {
        SyncRules d = SyncRules.defaults();
        return new SyncRules(d.positiveChange(), d.negativeChange(), d.cancellation(), source, price, cost, saas, d.iaasInvoiceValues(),
                d.iaasResourceDetailsInDescription(), d.includeSubscriptionInfo());
    }

    static final SyncRules ALL = rules(SyncRules.PriceSource.MARKETPLACE, true, true, SyncRules.InvoiceValues.PRICE_AND_COST);
    static final LocalDate MARCH = LocalDate.parse("2024-03-01");

    @Test
    void equalValuesNeedNothingWhateverTheScale() {
        assertThat(AdditionPrices.patch(line(LineRole.BASE, "22", "18.7", MARCH, null, false), 3L, P, C, SubscriptionKind.SAAS, ALL,
                TODAY)).isEmpty();
    }

    @Test
    void differingPriceAndCostArePatched() {
        assertThat(AdditionPrices.patch(line(LineRole.BASE, "25", "10", MARCH, null, false), 3L, P, C, SubscriptionKind.SAAS, ALL, TODAY))
                .contains(new AdditionFields(null, null, P, C, null, null, false, null, null, null));
    }

    @Test
    void theRulesDecideWhichValueMayBePushed() {
        AdditionLine edited = line(LineRole.BASE, "25", "10", MARCH, null, false);
        assertThat(AdditionPrices.patch(edited, 3L, P, C, null, rules(SyncRules.PriceSource.MARKETPLACE, true, false,
                SyncRules.InvoiceValues.PRICE_AND_COST), TODAY)).contains(new AdditionFields(null, null, P, null, null, null, false, null, null, null));
        // COST_ONLY is the invoices' setting: a licence line's price is still the subscription's
        assertThat(AdditionPrices.patch(edited, 3L, P, C, null, rules(SyncRules.PriceSource.MARKETPLACE, true, true,
                SyncRules.InvoiceValues.COST_ONLY), TODAY)).contains(new AdditionFields(null, null, P, C, null, null, false, null, null, null));
        assertThat(AdditionPrices.patch(edited, 3L, P, C, null, rules(SyncRules.PriceSource.CONNECTWISE_CATALOG, true, true,
                SyncRules.InvoiceValues.PRICE_AND_COST), TODAY)).isEmpty();
    }

    @Test
    void onlyTheUninvoicedBaseLineOfTheProductBillingTodayIsTouched() {
        assertThat(AdditionPrices.patch(line(LineRole.BASE, "25", "10", MARCH, null, true), 3L, P, C, null, ALL, TODAY)).isEmpty();
        assertThat(AdditionPrices.patch(line(LineRole.DELTA, "25", "10", MARCH, null, false), 3L, P, C, null, ALL, TODAY)).isEmpty();
        assertThat(AdditionPrices.patch(line(LineRole.BASE, "25", "10", MARCH, LocalDate.parse("2024-03-31"), false), 3L, P, C, null, ALL,
                TODAY)).isEmpty();
        assertThat(AdditionPrices.patch(line(LineRole.BASE, "25", "10", MARCH, null, false), 4L, P, C, null, ALL, TODAY)).isEmpty();
    }

    @Test
    void invoicedIsJudgedByTheAgreementsNextInvoiceDate() {
        // R22 v2: a line starting before N has been invoiced (ConnectWise refuses the edit), whatever billedQuantity says.
        AdditionLine edited = line(LineRole.BASE, "25", "10", MARCH, null, false);
        AgreementBilling invoicedThroughMarch = new AgreementBilling(LocalDate.parse("2024-01-01"), LocalDate.parse("2024-04-01"),
                false, false);
        AgreementBilling invoicedThroughFebruary = new AgreementBilling(LocalDate.parse("2024-01-01"), MARCH, false, false);
        assertThat(AdditionPrices.patch(edited, 3L, P, C, null, ALL, TODAY, invoicedThroughMarch)).isEmpty();
        assertThat(AdditionPrices.patch(edited, 3L, P, C, null, ALL, TODAY, invoicedThroughFebruary))
                .contains(new AdditionFields(null, null, P, C, null, null, false, null, null, null));
    }

    /** R30 x R32 v2: a final reseller cost of a period is newer than the events up to its end, older than those after it. */
    @Test
    void r30R32v2TheFinalCostOfAPeriodWinsOverEventsUpToItsEndNotOverLaterOnes() {
        BigDecimal finalCost = new BigDecimal("17.50");
        LocalDate february = LocalDate.parse("2024-02-29");
        assertThat(AdditionPrices.unitCost(C, LocalDate.parse("2024-02-01"), finalCost, february)).isEqualByComparingTo("17.50");
        assertThat(AdditionPrices.unitCost(C, february, finalCost, february)).isEqualByComparingTo("17.50");
        assertThat(AdditionPrices.unitCost(C, LocalDate.parse("2024-03-01"), finalCost, february)).isEqualByComparingTo("18.70");
        assertThat(AdditionPrices.unitCost(C, LocalDate.parse("2024-02-01"), null, null)).isEqualByComparingTo("18.70");
        assertThat(AdditionPrices.unitCost(null, LocalDate.parse("2024-02-01"), finalCost, february)).isEqualByComparingTo("17.50");
    }
}
