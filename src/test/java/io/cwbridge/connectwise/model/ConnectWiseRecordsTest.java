package io.cwbridge.connectwise.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The typed ConnectWise records read what ConnectWise (and the sandbox standing in for it) answers:
 * every field with the name and type of the official OpenAPI document, dates as the day of their
 * UTC midnight date-time, money as the exact decimal answered, unknown fields ignored.
 */
class ConnectWiseRecordsTest {

    /** Spring's mapper as application.yaml configures it. */
    private final ObjectMapper mapper = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /** The OpenAPI schema each record (and reference record) is read from. */
    private static final Map<Class<?>, String> SCHEMAS = Map.of(
            Agreement.class, "Agreement", AgreementAddition.class, "Addition", Company.class, "Company",
            CatalogItem.class, "CatalogItem", ItemReference.class, "IvItemReference", CompanyReference.class, "CompanyReference",
            CountryReference.class, "CountryReference", CurrencyReference.class, "CurrencyReference",
            Reference.class, "AgreementTypeReference", AgreementAdjustment.class, "Agreement.Adjustment");

    @Test
    void anAdditionReadsAsTheSandboxAnswersIt() throws Exception {
        AgreementAddition a = mapper.treeToValue(mapper.readTree("""
                {"id":17,"product":{"id":5,"identifier":"M365-BP","_info":{"product_href":"…/procurement/catalog/5"}},
                 "quantity":12,"lessIncluded":0,"unitPrice":22.0,"unitCost":15.125,"billCustomer":"Billable",
                 "effectiveDate":"2024-03-15T00:00:00Z","cancelledDate":null,"taxableFlag":true,
                 "invoiceDescription":"Microsoft 365 Business Premium | Subscription sub-1","agreementId":3,
                 "description":"Microsoft 365 Business Premium","billedQuantity":12,"uom":"Each","extPrice":264.0,
                 "extCost":181.5,"margin":82.5,"agreementStatus":"Active",
                 "_info":{"lastUpdated":"2024-03-15T10:00:00Z","updatedBy":"bundle"},"customFields":[]}"""),
                AgreementAddition.class);
        assertThat(a.id()).isEqualTo(17);
        assertThat(a.catalogItemId()).isEqualTo(5L);
        assertThat(a.product().identifier()).isEqualTo("M365-BP");
        assertThat(a.quantity()).isEqualByComparingTo("12");
        assertThat(a.unitPrice()).isEqualByComparingTo("22.00"); // its scale is not ConnectWise's: callers set money's scale
        assertThat(a.unitCost()).isEqualTo(new BigDecimal("15.125"));
        assertThat(a.effectiveDate()).isEqualTo(LocalDate.of(2024, 3, 15));
        assertThat(a.cancelledDate()).isNull();
        assertThat(a.taxableFlag()).isTrue();
        assertThat(a.agreementId()).isEqualTo(3L);
        assertThat(a.billCustomer()).isEqualTo("Billable");
        assertThat(a.invoiceDescription()).endsWith("Subscription sub-1");
    }

    @Test
    void anAdditionWithoutProductOrAmountsReadsAsNone() throws Exception {
        AgreementAddition a = mapper.treeToValue(mapper.readTree("""
                {"id":18,"product":{"identifier":"X"},"quantity":"3.50","cancelledDate":"2024-04-30"}"""), AgreementAddition.class);
        assertThat(a.catalogItemId()).isNull();
        assertThat(a.quantity()).isEqualTo(new BigDecimal("3.50")); // a number sent as text still reads
        assertThat(a.unitPrice()).isNull();
        assertThat(a.cancelledDate()).isEqualTo(LocalDate.of(2024, 4, 30)); // a bare date reads too
        assertThat(mapper.treeToValue(mapper.readTree("{\"id\":19}"), AgreementAddition.class).product()).isNull();
    }

    /**
     * A partial record ({@code fields=id,cancelledDate,description}, the R6 read) reads with the application's strict
     * mapper: what was not asked for reads as absent (null, false), what was, as in a whole record.
     */
    @Test
    void aPartialAdditionReadsWithTheApplicationsMapper() throws Exception {
        ObjectMapper strict = io.cwbridge.config.StrictJsonConfiguration.strict(
                JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build());
        AgreementAddition a = strict.treeToValue(strict.readTree("""
                {"id":17,"cancelledDate":"2024-03-31T00:00:00Z","description":"M365 BP | Subscription sub-1"}"""),
                AgreementAddition.class);
        assertThat(a.id()).isEqualTo(17);
        assertThat(a.cancelledDate()).isEqualTo(LocalDate.of(2024, 3, 31));
        assertThat(a.description()).isEqualTo("M365 BP | Subscription sub-1");
        assertThat(a.product()).isNull();
        assertThat(a.quantity()).isNull();
        assertThat(a.effectiveDate()).isNull();
        assertThat(a.taxableFlag()).isFalse();
        // ConnectWise may leave a field without a value out of a partial answer, or answer it as null: the same.
        AgreementAddition open = strict.treeToValue(strict.readTree("{\"id\":18,\"description\":\"typed by hand\"}"),
                AgreementAddition.class);
        assertThat(open.cancelledDate()).isNull();
        assertThat(strict.treeToValue(strict.readTree("{\"id\":18,\"cancelledDate\":null,\"description\":\"typed by hand\"}"),
                AgreementAddition.class)).isEqualTo(open);
    }

    @Test
    void anAgreementReadsItsBillingAndEligibilityFields() throws Exception {
        Agreement a = mapper.treeToValue(mapper.readTree("""
                {"id":3,"name":"Chairs cloud","type":{"id":1,"name":"Cloud","_info":{}},
                 "company":{"id":9,"identifier":"Chairs","name":"Chairs Inc","_info":{}},
                 "contact":{"id":2,"name":"Ann"},"startDate":"2024-01-01T00:00:00Z","endDate":null,
                 "billingCycle":{"id":2,"name":"Monthly"},"billStartDate":"2024-02-01T00:00:00Z","prorateFlag":true,
                 "applicationUnits":"Amount","currency":{"id":1,"symbol":"$","currencyCode":"USD","name":"US Dollars"},
                 "nextInvoiceDate":"2024-04-01T00:00:00Z","agreementStatus":"Active","_info":{"lastUpdated":"2024-03-01T00:00:00Z"}}"""),
                Agreement.class);
        assertThat(a.id()).isEqualTo(3);
        assertThat(a.company().id()).isEqualTo(9);
        assertThat(a.startDate()).isEqualTo(LocalDate.of(2024, 1, 1));
        assertThat(a.billingStart()).isEqualTo(LocalDate.of(2024, 2, 1));
        assertThat(a.nextInvoiceDate()).isEqualTo(LocalDate.of(2024, 4, 1));
        assertThat(a.prorateFlag()).isTrue();
        assertThat(a.invoiceProratedAdditionsFlag()).isFalse(); // absent: off
        assertThat(a.billingCycleName()).isEqualTo("Monthly");
        assertThat(a.currencyCode()).isEqualTo("USD");
        assertThat(a.agreementStatus()).isEqualTo("Active");
        assertThat(a.cancelledFlag()).isFalse();

        Agreement bare = mapper.treeToValue(mapper.readTree("{\"id\":4,\"startDate\":\"2024-05-01T00:00:00Z\"}"), Agreement.class);
        assertThat(bare.billingStart()).isEqualTo(LocalDate.of(2024, 5, 1)); // no billing start: the start date
        assertThat(bare.billingCycleName()).isEmpty();
        assertThat(bare.currencyCode()).isEmpty();
        assertThat(bare.nextInvoiceDate()).isNull();
    }

    @Test
    void aCompanyAndACatalogItemRead() throws Exception {
        Company c = mapper.treeToValue(mapper.readTree("""
                {"id":9,"identifier":"Chairs","name":"Chairs Inc","status":{"id":1,"name":"Active"},"addressLine1":"1 Main St",
                 "city":"Springfield","state":"IL","zip":"62701","country":{"id":1,"identifier":"US","name":"United States"},
                 "deletedFlag":false,"types":[{"id":1,"name":"Customer"}]}"""), Company.class);
        assertThat(c.name()).isEqualTo("Chairs Inc");
        assertThat(c.country().identifier()).isEqualTo("US");
        assertThat(c.deletedFlag()).isFalse();
        CatalogItem i = mapper.treeToValue(mapper.readTree("""
                {"id":5,"identifier":"M365-BP","description":"Microsoft 365 Business Premium","inactiveFlag":true,
                 "subcategory":{"id":3,"name":"Cloud"},"type":{"id":1,"name":"Service"},"productClass":"Service",
                 "price":22.00,"cost":15.125,"customerDescription":"M365 BP","manufacturerPartNumber":"CFQ7TTC0LCHC",
                 "vendorSku":"BP-1","manufacturer":{"id":4,"name":"Microsoft"}}"""), CatalogItem.class);
        assertThat(i.inactiveFlag()).isTrue();
        assertThat(i.price()).isEqualByComparingTo("22.00");
        assertThat(i.manufacturerPartNumber()).isEqualTo("CFQ7TTC0LCHC");
        assertThat(i.vendorSku()).isEqualTo("BP-1");
        assertThat(i.subcategory().name()).isEqualTo("Cloud");
    }

    @Test
    void anAdjustmentReads() throws Exception {
        AgreementAdjustment a = mapper.treeToValue(mapper.readTree("""
                {"id":4,"amount":-12.50,"description":"Catch-up | Subscription sub-1","effectiveDate":"2024-04-01T00:00:00Z",
                 "agreementId":3,"_info":{}}"""), AgreementAdjustment.class);
        assertThat(a.id()).isEqualTo(4);
        assertThat(a.amount()).isEqualByComparingTo("-12.50");
        assertThat(a.effectiveDate()).isEqualTo(LocalDate.of(2024, 4, 1));
        assertThat(a.agreementId()).isEqualTo(3L);
    }

    /** Every field of every record is a property of its OpenAPI schema, of the matching JSON type. */
    @Test
    void everyFieldHasItsOpenApiNameAndType() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode schemas;
        try (InputStream in = getClass().getResourceAsStream("/connectwise/connectwise-agreements-subset.openapi.json");
             InputStream getOnly = getClass().getResourceAsStream("/connectwise/openapi_get_filtered.json")) {
            schemas = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(in).path("components").path("schemas");
            // Agreement.Adjustment is only in the GET-only spec (the subset copies its schemas unchanged).
            mapper.readTree(getOnly).path("components").path("schemas").fields()
                    .forEachRemaining(e -> schemas.putIfAbsent(e.getKey(), e.getValue()));
        }
        for (Map.Entry<Class<?>, String> e : SCHEMAS.entrySet()) {
            JsonNode properties = schemas.path(e.getValue()).path("properties");
            for (RecordComponent rc : e.getKey().getRecordComponents()) {
                JsonNode p = properties.path(rc.getName());
                assertThat(p.isObject()).as(e.getValue() + "." + rc.getName() + " in the OpenAPI document").isTrue();
                Class<?> t = rc.getType();
                String where = e.getValue() + "." + rc.getName();
                if (t == BigDecimal.class) assertThat(p.path("type").asText()).as(where).isEqualTo("number");
                else if (t == LocalDate.class) assertThat(p.path("type").asText()).as(where).isEqualTo("string");
                else if (t == String.class) assertThat(p.path("type").asText()).as(where).isEqualTo("string");
                else if (t == boolean.class) assertThat(p.path("type").asText()).as(where).isEqualTo("boolean");
                else if (t == long.class || t == Long.class) assertThat(p.path("type").asText()).as(where).isEqualTo("integer");
                else {
                    String ref = p.path("$ref").asText();
                    assertThat(SCHEMAS).as(where).containsKey(t);
                    String target = ref.substring(ref.lastIndexOf('/') + 1);
                    // Every {id, name} reference reads as Reference; the others are their own records.
                    assertThat(t == Reference.class ? target.endsWith("Reference") && schemas.path(target).path("properties").has("name")
                            : target.equals(SCHEMAS.get(t))).as(where + " -> " + target).isTrue();
                }
                if (t == LocalDate.class && !rc.getName().equals("nextInvoiceDate")) {
                    assertThat(p.path("format").asText()).as(where).isEqualTo("date-time");
                }
            }
        }
    }
}
