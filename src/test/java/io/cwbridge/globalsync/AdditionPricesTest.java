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
        // CONNECTWISE_CATALOG: the caller gives the catalog item's current price and cost (MonthRollSync.catalogPriced)
        assertThat(AdditionPrices.patch(edited, 3L, P, C, null, rules(SyncRules.PriceSource.CONNECTWISE_CATALOG, true, true,
                SyncRules.InvoiceValues.PRICE_AND_COST), TODAY)).contains(new AdditionFields(null, null, P, C, null, null, false, null, null, null));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R17 CONNECTWISE_CATALOG x R30 (probe 45 F4): the base billing today is re-priced to the catalog item's current"
            + " price and cost, as it is to the latest event's under MARKETPLACE; the truth is the catalog's, an override's price stays")
    void r17UnderTheCatalogSourceTheBaseIsRepricedToTheCatalogsCurrentPrice() {
        SyncRules catalog = rules(SyncRules.PriceSource.CONNECTWISE_CATALOG, true, true, SyncRules.InvoiceValues.PRICE_AND_COST);
        MonthRollSync.Truth event = new MonthRollSync.Truth(3L, P, C, SubscriptionKind.SAAS, "USD", true, true, null,
                io.cwbridge.events.BillingCycle.MONTHLY, null, false, false, false);
        io.cwbridge.connectwise.model.CatalogItem item = new com.fasterxml.jackson.databind.ObjectMapper().convertValue(
                java.util.Map.of("id", 3, "price", 32.00, "cost", 26.00), io.cwbridge.connectwise.model.CatalogItem.class);
        MonthRollSync.Truth priced = MonthRollSync.catalogPriced(event, catalog, id -> item);
        assertThat(priced.unitPrice()).isEqualByComparingTo("32.00");
        assertThat(priced.unitCost()).isEqualByComparingTo("26.00");
        // under MARKETPLACE the event's stay; an override's price (R31) stays the truth under the catalog source too
        assertThat(MonthRollSync.catalogPriced(event, ALL, id -> { throw new AssertionError("no read"); })).isSameAs(event);
        MonthRollSync.Truth overridden = new MonthRollSync.Truth(3L, new BigDecimal("21.50"), C, SubscriptionKind.SAAS, "USD", true, true,
                null, io.cwbridge.events.BillingCycle.MONTHLY, null, true, true, false);
        assertThat(MonthRollSync.catalogPriced(overridden, catalog, id -> item).unitPrice()).isEqualByComparingTo("21.50");
        assertThat(MonthRollSync.catalogPriced(overridden, catalog, id -> item).unitCost()).isEqualByComparingTo("26.00");

        AdditionLine base = line(LineRole.BASE, "30.00", "25.00", MARCH, null, false);
        AdditionFields patched = AdditionPrices.patch(base, 3L, priced.unitPrice(), priced.unitCost(), SubscriptionKind.SAAS, catalog, TODAY)
                .orElseThrow();
        assertThat(patched.unitPrice()).isEqualByComparingTo("32.00"); // it returned nothing: the base kept 30.00
        assertThat(patched.unitCost()).isEqualByComparingTo("26.00");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R30 x R17a: a re-priced base that started inside its period gets its prorate amounts at the new price in the"
            + " same PATCH (MARKETPLACE proration, agreement not prorating): 17/31 of 24.00 and 20.40")
    void r17aARepricedBaseStartingInsideItsPeriodIsReproratedAtTheNewPrice() {
        SyncRules marketplace = ALL.withProration(SyncRules.ProrationRule.MARKETPLACE);
        AdditionLine base = line(LineRole.BASE, "22.00", "18.70", LocalDate.parse("2024-03-15"), null, false);
        AgreementBilling plain = new AgreementBilling(LocalDate.parse("2024-03-01"), null, false, false);
        assertThat(AdditionPrices.patch(base, 3L, new BigDecimal("24.00"), new BigDecimal("20.40"), SubscriptionKind.SAAS, marketplace,
                TODAY, plain, io.cwbridge.events.BillingCycle.MONTHLY, "USD"))
                .contains(new AdditionFields(null, null, new BigDecimal("24.00"), new BigDecimal("20.40"), null, null, false, null, null,
                        null, new BigDecimal("13.16"), new BigDecimal("11.19"))); // 17 x 24.00 / 31 = 13.161.., 17 x 20.40 / 31 = 11.187..
        // ConnectWise's proration: the prices alone
        assertThat(AdditionPrices.patch(base, 3L, new BigDecimal("24.00"), new BigDecimal("20.40"), SubscriptionKind.SAAS, ALL,
                TODAY, plain, io.cwbridge.events.BillingCycle.MONTHLY, "USD"))
                .contains(new AdditionFields(null, null, new BigDecimal("24.00"), new BigDecimal("20.40"), null, null, false, null, null, null));
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
