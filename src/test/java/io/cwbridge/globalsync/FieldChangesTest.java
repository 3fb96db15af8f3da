package io.cwbridge.globalsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.JsonPatchOperation;
import io.cwbridge.connectwise.model.CatalogItem;
import io.cwbridge.connectwise.model.Company;
import io.cwbridge.syncrules.CompanyField;
import io.cwbridge.syncrules.PartnerSyncRules;
import io.cwbridge.syncrules.ProductField;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** R30: only differing fields the rules push, and nothing erased. */
class FieldChangesTest {

    final ObjectMapper mapper = new ObjectMapper();

    JsonNode json(String text) throws Exception {
        return mapper.readTree(text);
    }

    /** A company as ConnectWise answers it. */
    Company company(String text) throws Exception {
        return mapper.treeToValue(json(text), Company.class);
    }

    CatalogItem item(String text) throws Exception {
        return mapper.treeToValue(json(text), CatalogItem.class);
    }

    static PartnerSyncRules rules(List<CompanyField> company, List<ProductField> product) {
        PartnerSyncRules d = PartnerSyncRules.defaults();
        return new PartnerSyncRules(d.positiveChange(), d.negativeChange(), d.cancellation(), d.priceSource(), d.syncUnitPrice(),
                d.syncUnitCost(), d.saasInvoiceValues(), d.iaasInvoiceValues(), d.iaasResourceDetailsInDescription(),
                d.includeSubscriptionInfo(), company, product, false, d.syncPeriod());
    }

    final JsonNode customer;
    final JsonNode product;

    FieldChangesTest() throws Exception {
        customer = json("""
                {"id":"1","name":"Chairs Unlimited","address":{"line1":"1 Main St","city":"Tampa","state":"FL","zip":"33601","country":"US"}}""");
        product = json("""
                {"id":"P","provider":"Microsoft CSP","name":"M365","plan":"M365 Business Premium","mfgPartNumber":"P1","description":"BP monthly"}""");
    }

    @Test
    void equalCompanyNeedsNoPatch() throws Exception {
        Company company = company("""
                {"id":5,"name":"Chairs Unlimited","addressLine1":"1 Main St","city":"Tampa","state":"FL","zip":"33601","country":{"id":1,"name":"US"}}""");
        assertThat(FieldChanges.company(customer, company, PartnerSyncRules.defaults())).isEmpty();
    }

    @Test
    void companyFieldsThatDifferArePatchedOnlyWhenPushed() throws Exception {
        Company company = company("""
                {"id":5,"name":"Old","addressLine1":"1 Main St","city":"Old City","state":"FL","zip":"33601"}""");
        assertThat(FieldChanges.company(customer, company, PartnerSyncRules.defaults())).containsExactly(
                JsonPatchOperation.replace("name", "Chairs Unlimited"), JsonPatchOperation.replace("city", "Tampa"),
                JsonPatchOperation.replace("country", Map.of("name", "US")));
        assertThat(FieldChanges.company(customer, company, rules(List.of(CompanyField.NAME), List.of())))
                .containsExactly(JsonPatchOperation.replace("name", "Chairs Unlimited"));
        assertThat(FieldChanges.company(customer, company, rules(List.of(), List.of()))).isEmpty();
    }

    @Test
    void missingMarketplaceValuesAreNeverPushed() throws Exception {
        Company company = company("{\"id\":5,\"name\":\"Chairs Unlimited\",\"city\":\"Tampa\"}");
        assertThat(FieldChanges.company(json("{\"id\":\"1\",\"name\":\"Chairs Unlimited\"}"), company, PartnerSyncRules.defaults()))
                .isEmpty();
    }

    @Test
    void catalogPricesCompareAsNumbersAndOnlyPushedFieldsArePatched() throws Exception {
        CatalogItem item = item("""
                {"id":9,"description":"M365 Business Premium","customerDescription":"BP monthly","manufacturer":{"name":"Microsoft CSP"},
                 "manufacturerPartNumber":"P1","price":22.0,"cost":15}""");
        assertThat(FieldChanges.catalogItem(product, new BigDecimal("22.00"), new BigDecimal("15.00"), item, PartnerSyncRules.defaults()))
                .isEmpty();
        assertThat(FieldChanges.catalogItem(product, new BigDecimal("23.00"), new BigDecimal("18.70"), item, PartnerSyncRules.defaults()))
                .containsExactly(JsonPatchOperation.replace("price", new BigDecimal("23.00")),
                        JsonPatchOperation.replace("cost", new BigDecimal("18.70")));
        assertThat(FieldChanges.catalogItem(product, new BigDecimal("23.00"), new BigDecimal("18.70"), item,
                rules(List.of(), List.of(ProductField.COST)))).containsExactly(JsonPatchOperation.replace("cost", new BigDecimal("18.70")));
        assertThat(FieldChanges.catalogItem(product, null, null, item, PartnerSyncRules.defaults())).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R17 x R30: under price source CONNECTWISE_CATALOG the catalog item's price and cost are never pushed, the text fields are")
    void r17UnderTheCatalogPriceSourceTheCatalogsPriceAndCostAreNeverPushed() throws Exception {
        CatalogItem item = item("""
                {"id":9,"description":"old","customerDescription":"BP monthly","manufacturer":{"name":"Microsoft CSP"},
                 "manufacturerPartNumber":"P1","price":30.0,"cost":25}""");
        PartnerSyncRules d = PartnerSyncRules.defaults();
        PartnerSyncRules catalog = new PartnerSyncRules(d.positiveChange(), d.negativeChange(), d.cancellation(),
                io.cwbridge.rules.SyncRules.PriceSource.CONNECTWISE_CATALOG, d.syncUnitPrice(), d.syncUnitCost(), d.saasInvoiceValues(),
                d.iaasInvoiceValues(), d.iaasResourceDetailsInDescription(), d.includeSubscriptionInfo(), d.companyFields(),
                d.productFields(), false, d.syncPeriod());
        assertThat(catalog.productFields()).contains(ProductField.PRICE, ProductField.COST);
        // probe 45 F1: the event's 22.00 / 18.70 replaced the partner's 30.00 / 25.00, and later lines billed 22.00
        assertThat(FieldChanges.catalogItem(product, new BigDecimal("22.00"), new BigDecimal("18.70"), item, catalog))
                .containsExactly(JsonPatchOperation.replace("description", "M365 Business Premium"));
        assertThat(FieldChanges.catalogItem(product, new BigDecimal("22.00"), new BigDecimal("18.70"), item,
                java.util.Set.of(ProductField.PRICE, ProductField.COST), io.cwbridge.rules.SyncRules.PriceSource.CONNECTWISE_CATALOG)).isEmpty();
        assertThat(FieldChanges.catalogItem(product, new BigDecimal("22.00"), new BigDecimal("18.70"), item,
                java.util.Set.of(ProductField.PRICE, ProductField.COST), io.cwbridge.rules.SyncRules.PriceSource.MARKETPLACE)).hasSize(2);
    }

    @Test
    void catalogTextFieldsFollowTheRules() throws Exception {
        CatalogItem item = item("{\"id\":9,\"description\":\"old\",\"manufacturer\":{\"name\":\"Other\"}}");
        assertThat(FieldChanges.catalogItem(product, null, null, item, rules(List.of(), List.of(ProductField.NAME,
                ProductField.MANUFACTURER, ProductField.MFG_PART_NUMBER, ProductField.DESCRIPTION)))).containsExactly(
                JsonPatchOperation.replace("description", "M365 Business Premium"),
                JsonPatchOperation.replace("customerDescription", "BP monthly"),
                JsonPatchOperation.replace("manufacturer", Map.of("name", "Microsoft CSP")),
                JsonPatchOperation.replace("manufacturerPartNumber", "P1"));
    }
}
