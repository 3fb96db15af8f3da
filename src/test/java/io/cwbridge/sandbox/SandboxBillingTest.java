package io.cwbridge.sandbox;

import static io.cwbridge.sandbox.SandboxApiTest.assertFields;
import static io.cwbridge.sandbox.SandboxTestSupport.additions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC 8.3 v2 over real HTTP: agreement billing fields, invoicing with finance/invoices and the
 * agreement recap, the invoiced state of additions derived from the agreement's nextInvoiceDate,
 * billedQuantity, prorate amounts, agreement adjustments and the seed.
 */
class SandboxBillingTest extends SandboxHttpTestBase {

    long product;

    @BeforeEach
    void setUp() {
        product = records.catalogItem("M365-BP");
    }

    @Test
    void agreementsCarryBillingFieldsAndTheServerComputesNextInvoiceDate() {
        JsonNode agreement = agreement(Map.of("billStartDate", "2024-01-15", "prorateFlag", true,
                "invoiceProratedAdditionsFlag", true, "nextInvoiceDate", "2030-01-01"));
        assertThat(agreement.path("prorateFlag").asBoolean()).isTrue();
        assertThat(agreement.path("invoiceProratedAdditionsFlag").asBoolean()).isTrue();
        assertThat(agreement.path("billStartDate").asText()).isEqualTo("2024-01-15T00:00:00Z");
        // Read-only: before any invoice it is the billing start, whatever the client sent.
        assertThat(agreement.path("nextInvoiceDate").asText()).isEqualTo("2024-01-15T00:00:00Z");
        assertThat(agreement(Map.of()).path("nextInvoiceDate").asText()).isEqualTo("2024-01-01T00:00:00Z");

        String path = "finance/agreements/" + agreement.path("id").asInt();
        SandboxHttp.Answer patched = cw.patch(path, "[{\"op\":\"replace\",\"path\":\"nextInvoiceDate\",\"value\":\"2029-01-01\"}]");
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().path("nextInvoiceDate").asText()).isEqualTo("2024-01-15T00:00:00Z");

        invoice(agreement, "2024-02-29");
        assertThat(cw.get(path).json().path("nextInvoiceDate").asText()).isEqualTo("2024-03-01T00:00:00Z");
        // Once invoiced, a later billing start no longer moves it.
        cw.patch(path, "[{\"op\":\"replace\",\"path\":\"billStartDate\",\"value\":\"2024-02-01\"}]");
        assertThat(cw.get(path).json().path("nextInvoiceDate").asText()).isEqualTo("2024-03-01T00:00:00Z");
    }

    @Test
    void invoicingWritesAnInvoiceMovesNextInvoiceDateAndShowsInTheRecap() {
        JsonNode agreement = agreement(Map.of());
        int id = agreement.path("id").asInt();
        addition(agreement, "{\"quantity\":10,\"unitPrice\":22.00,\"unitCost\":18.70,\"effectiveDate\":\"2024-02-14\"}");
        addition(agreement, "{\"quantity\":5,\"unitPrice\":9.00,\"effectiveDate\":\"2024-02-01\",\"billCustomer\":\"NoCharge\"}");

        SandboxHttp.Answer first = cw.admin("POST", "agreements/" + id + "/invoice", Map.of("through", "2024-02-29"));
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.json().path("nextInvoiceDate").asText()).isEqualTo("2024-03-01T00:00:00Z");
        JsonNode invoice = first.json().path("invoice");
        // 10 x 22.00 for 14-29 February: 220.00 x 16 / 29 = 121.379.. -> 121.38; the NoCharge line bills nothing.
        assertThat(invoice.path("total").toString()).isEqualTo("121.38");
        assertThat(invoice.path("subtotal").toString()).isEqualTo("121.38");
        assertThat(invoice.path("type").asText()).isEqualTo("Agreement");
        assertThat(invoice.path("date").asText()).isEqualTo("2024-02-29T00:00:00Z");
        assertThat(invoice.path("agreement").path("id").asInt()).isEqualTo(id);
        assertThat(invoice.path("agreement").path("name").asText()).isEqualTo("Cloud services");
        assertThat(invoice.path("company").path("id").asInt()).isEqualTo(agreement.path("company").path("id").asInt());
        String number = invoice.path("invoiceNumber").asText();
        assertThat(number).isNotBlank().hasSizeLessThanOrEqualTo(15);

        assertThat(cw.get("finance/invoices/" + invoice.path("id").asInt()).json()).isEqualTo(invoice);
        assertThat(cw.get("finance/invoices", Map.of("conditions", "agreement/id=" + id)).json()).hasSize(1);
        assertThat(cw.get("finance/invoices", Map.of("conditions", "agreement/id=" + (id + 1))).json()).isEmpty();
        assertThat(cw.get("finance/invoices/count", Map.of("conditions", "agreement/id=" + id)).json().path("count").asInt())
                .isEqualTo(1);

        JsonNode recap = cw.get("finance/agreementrecap/" + id).json();
        assertThat(recap.path("name").asText()).isEqualTo("Cloud services");
        assertThat(recap.path("companyName").asText()).isEqualTo(agreement.path("company").path("name").asText());
        assertThat(recap.path("agreementStatus").asText()).isEqualTo("Active");
        assertThat(recap.path("lastInvoiceDate").asText()).isEqualTo("2024-02-29T00:00:00Z");
        assertThat(recap.path("lastInvoiceNumber").asText()).isEqualTo(number);
        assertThat(recap.path("lastInvoiceAmount").asText()).isEqualTo("121.38");
        assertThat(recap.path("nextInvoiceDate").asText()).isEqualTo("2024-03-01T00:00:00Z");
        assertThat(cw.get("finance/agreementrecap", Map.of("conditions", "id=" + id)).json()).containsExactly(recap);

        // Through a day not after the current through: refused, nothing written.
        for (String through : new String[] {"2024-02-29", "2024-02-15"}) {
            SandboxHttp.Answer again = cw.admin("POST", "agreements/" + id + "/invoice", Map.of("through", through));
            assertThat(again.status()).isEqualTo(400);
            assertThat(again.json().path("message").asText()).contains("already invoiced through 2024-02-29");
        }
        assertThat(cw.get("finance/invoices/count").json().path("count").asInt()).isEqualTo(1);

        JsonNode march = invoice(agreement, "2024-03-31");
        assertThat(march.path("total").toString()).isEqualTo("220.00");
        assertThat(march.path("invoiceNumber").asText()).isNotEqualTo(number);
        JsonNode after = cw.get("finance/agreementrecap/" + id).json();
        assertThat(after.path("lastInvoiceAmount").asText()).isEqualTo("220.00");
        assertThat(after.path("lastInvoiceDate").asText()).isEqualTo("2024-03-31T00:00:00Z");
        assertThat(after.path("nextInvoiceDate").asText()).isEqualTo("2024-04-01T00:00:00Z");
        assertThat(cw.get("finance/invoices", Map.of("conditions", "agreement/id=" + id, "pageSize", "1", "page", "2")).json())
                .singleElement().satisfies(i -> assertThat(i.path("id").asInt()).isEqualTo(march.path("id").asInt()));

        // Never invoiced: before the billing start is refused too.
        SandboxHttp.Answer early = cw.admin("POST", "agreements/" + agreement(Map.of()).path("id").asInt() + "/invoice",
                Map.of("through", "2023-12-31"));
        assertThat(early.status()).isEqualTo(400);
        assertThat(early.json().path("message").asText()).contains("bills from 2024-01-01");
        assertThat(cw.get("finance/agreementrecap/999").status()).isEqualTo(404);
        assertThat(cw.get("finance/invoices/999").status()).isEqualTo(404);
    }

    @Test
    void onAnAgreementThatDoesNotProrateInvoicedPeriodsAreClosed() {
        JsonNode agreement = agreement(Map.of());
        JsonNode billed = addition(agreement, "{\"quantity\":10,\"unitPrice\":22.00,\"effectiveDate\":\"2024-02-14\"}");
        JsonNode open = addition(agreement, "{\"quantity\":1,\"effectiveDate\":\"2024-03-01\"}");
        String billedPath = path(agreement, billed);
        String openPath = path(agreement, open);
        // Before the invoice nothing is invoiced: the line may change and start earlier.
        assertThat(cw.patch(billedPath, replace("effectiveDate", "\"2024-02-10\"")).status()).isEqualTo(200);
        assertThat(cw.patch(billedPath, replace("effectiveDate", "\"2024-02-14\"")).status()).isEqualTo(200);
        invoice(agreement, "2024-02-29");

        invoicedRefusal(cw.patch(billedPath, replace("quantity", "12")), "quantity");
        invoicedRefusal(cw.patch(billedPath, replace("unitPrice", "20.00")), "unitPrice");
        SandboxHttp.Answer delete = cw.delete(billedPath);
        assertThat(delete.status()).isEqualTo(400);
        assertThat(delete.json().path("message").asText()).isEqualTo(SandboxErrors.INVOICED_PERIOD);
        // Ending inside the invoiced period (before N - 1 = 29 February) would take back billed days.
        invoicedRefusal(cw.patch(billedPath, replace("cancelledDate", "\"2024-02-20\"")), "cancelledDate");
        assertThat(cw.patch(billedPath, replace("cancelledDate", "\"2024-02-29\"")).status()).isEqualTo(200);
        assertThat(cw.patch(billedPath, replace("cancelledDate", "\"2025-01-31\"")).status()).isEqualTo(200);

        // A new line, or a line moved, into the invoiced period: ConnectWise's message as a field error.
        invoicedRefusal(cw.post(additions(agreement.path("id").asInt()), body("{\"quantity\":2,\"effectiveDate\":\"2024-02-20\"}")),
                "effectiveDate");
        invoicedRefusal(cw.patch(openPath, replace("effectiveDate", "\"2024-02-27\"")), "effectiveDate");
        assertThat(cw.patch(openPath, replace("quantity", "3")).status()).isEqualTo(200);
        addition(agreement, "{\"quantity\":2,\"effectiveDate\":\"2024-03-01\"}");
        assertThat(cw.delete(openPath).status()).isEqualTo(204);
    }

    @Test
    void onAProratingAgreementChangesIntoInvoicedPeriodsAreAccepted() {
        JsonNode agreement = agreement(Map.of("prorateFlag", true, "invoiceProratedAdditionsFlag", true));
        JsonNode billed = addition(agreement, "{\"quantity\":10,\"unitPrice\":22.00,\"effectiveDate\":\"2024-02-14\"}");
        JsonNode open = addition(agreement, "{\"quantity\":1,\"effectiveDate\":\"2024-03-01\"}");
        invoice(agreement, "2024-02-29");

        SandboxHttp.Answer early = cw.post(additions(agreement.path("id").asInt()),
                body("{\"quantity\":2,\"effectiveDate\":\"2024-02-20\"}"));
        assertThat(early.status()).as(early.text()).isEqualTo(201);
        assertThat(cw.patch(path(agreement, open), replace("effectiveDate", "\"2024-02-10\"")).status()).isEqualTo(200);
        assertThat(cw.patch(path(agreement, billed), replace("cancelledDate", "\"2024-02-15\"")).status()).isEqualTo(200);
        // What an invoice billed stays history on every agreement.
        invoicedRefusal(cw.patch(path(agreement, billed), replace("quantity", "12")), "quantity");
        invoicedRefusal(cw.patch(path(agreement, early.json()), replace("quantity", "3")), "quantity");
        assertThat(cw.delete(path(agreement, early.json())).status()).isEqualTo(400);
    }

    @Test
    void anAdditionWithoutUnitPriceOrCostTakesTheCatalogItemsAsConnectWisesScreensDo() {
        JsonNode agreement = agreement(Map.of());
        JsonNode bare = addition(agreement, "{\"quantity\":3,\"effectiveDate\":\"2024-02-01\"}");
        assertThat(bare.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(bare.path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(bare.path("extPrice").decimalValue()).isEqualByComparingTo("66.00");
        // what the client sends stands, 0 included
        JsonNode sent = addition(agreement, "{\"quantity\":3,\"unitPrice\":0,\"effectiveDate\":\"2024-02-01\"}");
        assertThat(sent.path("unitPrice").decimalValue()).isEqualByComparingTo("0");
        assertThat(sent.path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
    }

    @Test
    void billedQuantityIsQuantityLessIncludedWhetherInvoicedOrNot() {
        JsonNode agreement = agreement(Map.of());
        JsonNode less = addition(agreement, "{\"quantity\":10,\"lessIncluded\":2,\"effectiveDate\":\"2024-03-01\"}");
        JsonNode plain = addition(agreement, "{\"quantity\":7,\"effectiveDate\":\"2024-02-01\"}");
        assertThat(less.path("billedQuantity").decimalValue()).isEqualByComparingTo("8");
        assertThat(plain.path("billedQuantity").decimalValue()).isEqualByComparingTo("7");

        invoice(agreement, "2024-02-29");
        assertThat(cw.get(path(agreement, less)).json().path("billedQuantity").decimalValue()).isEqualByComparingTo("8");
        assertThat(cw.get(path(agreement, plain)).json().path("billedQuantity").decimalValue()).isEqualByComparingTo("7");
        SandboxHttp.Answer changed = cw.patch(path(agreement, less), replace("lessIncluded", "4"));
        assertThat(changed.json().path("billedQuantity").decimalValue()).isEqualByComparingTo("6");
    }

    @Test
    void aProratingAgreementComputesProrateAmountsAndOneThatDoesNotKeepsThoseWritten() {
        JsonNode prorating = agreement(Map.of("prorateFlag", true));
        // 15-31 March = 17/31: 22.00 x 17 / 31 = 12.0645.. -> 12.06; 18.70 x 17 / 31 = 10.2548.. -> 10.25.
        JsonNode mid = addition(prorating, """
                {"quantity":10,"unitPrice":22.00,"unitCost":18.70,"effectiveDate":"2024-03-15","proratePrice":1.00,"prorateCost":1.00}""");
        assertThat(mid.path("proratePrice").toString()).isEqualTo("12.06");
        assertThat(mid.path("prorateCost").toString()).isEqualTo("10.25");
        assertThat(mid.path("extendedProratePrice").decimalValue()).isEqualByComparingTo("120.60");
        assertThat(mid.path("extendedProrateCost").decimalValue()).isEqualByComparingTo("102.50");
        JsonNode whole = addition(prorating, """
                {"quantity":10,"unitPrice":22.00,"unitCost":18.70,"effectiveDate":"2024-03-01","proratePrice":5.00}""");
        assertThat(whole.has("proratePrice")).isFalse();
        assertThat(whole.has("extendedProratePrice")).isFalse();

        JsonNode plain = agreement(Map.of());
        JsonNode written = addition(plain, """
                {"quantity":3,"unitPrice":22.00,"unitCost":18.70,"effectiveDate":"2024-03-15","proratePrice":11.00,"prorateCost":9.00}""");
        assertThat(written.path("proratePrice").toString()).isEqualTo("11.00");
        assertThat(written.path("prorateCost").toString()).isEqualTo("9.00");
        assertThat(written.path("extendedProratePrice").decimalValue()).isEqualByComparingTo("33.00");
        assertThat(written.path("extendedProrateCost").decimalValue()).isEqualByComparingTo("27.00");
        assertThat(addition(plain, "{\"quantity\":3,\"unitPrice\":22.00,\"effectiveDate\":\"2024-03-15\"}").has("proratePrice"))
                .isFalse();

        // Turning proration on makes the server's amounts replace the written ones.
        cw.patch("finance/agreements/" + plain.path("id").asInt(), replace("prorateFlag", "true"));
        JsonNode reread = cw.get(path(plain, written)).json();
        assertThat(reread.path("proratePrice").toString()).isEqualTo("12.06");
        assertThat(reread.path("extendedProratePrice").decimalValue()).isEqualByComparingTo("36.18");
        JsonNode february = addition(plain, "{\"quantity\":1,\"unitPrice\":29.00,\"unitCost\":1.00,\"effectiveDate\":\"2024-02-20\"}");
        assertThat(february.path("proratePrice").toString()).isEqualTo("10.00");
        assertThat(february.path("prorateCost").toString()).isEqualTo("0.34");
    }

    @Test
    void adjustmentsLiveUnderTheirAgreement() {
        JsonNode agreement = agreement(Map.of());
        int id = agreement.path("id").asInt();
        String adjustments = "finance/agreements/" + id + "/adjustments";
        SandboxHttp.Answer created = cw.post(adjustments, Map.of("amount", -15.00, "description", "Catch-up sub-1, 14-29 Feb",
                "effectiveDate", "2024-02-20"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        JsonNode adjustment = created.json();
        assertThat(adjustment.path("amount").decimalValue()).isEqualByComparingTo("-15.00");
        assertThat(adjustment.path("description").asText()).isEqualTo("Catch-up sub-1, 14-29 Feb");
        assertThat(adjustment.path("effectiveDate").asText()).isEqualTo("2024-02-20T00:00:00Z");
        assertThat(adjustment.path("agreementId").asInt()).isEqualTo(id);
        assertThat(adjustment.path("_info").path("lastUpdated").asText()).isNotBlank();
        JsonNode second = cw.post(adjustments, Map.of("amount", 4.50, "description", "Setup")).json();

        String one = adjustments + "/" + adjustment.path("id").asInt();
        assertThat(cw.get(one).json()).isEqualTo(adjustment);
        assertThat(cw.get(adjustments).json()).hasSize(2);
        assertThat(cw.get(adjustments, Map.of("conditions", "amount < 0")).json()).containsExactly(adjustment);
        assertThat(cw.get(adjustments, Map.of("pageSize", "1", "page", "2")).json()).containsExactly(second);
        assertThat(cw.get(adjustments + "/count", Map.of("conditions", "description like \"Catch*\"")).json().path("count").asInt())
                .isEqualTo(1);
        SandboxHttp.Answer patched = cw.patch(adjustments + "/" + second.path("id").asInt(), replace("amount", "5.25"));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().path("amount").toString()).isEqualTo("5.25");

        assertFields(cw.post(adjustments, Map.of("amount", 1, "description", "x".repeat(1001))), "description");
        assertFields(cw.post(adjustments, Map.of("amount", "lots")), "amount");
        assertThat(cw.post(adjustments, Map.of("amount", 1, "description", "x".repeat(1000))).status()).isEqualTo(201);
        assertThat(cw.get("finance/agreements/999/adjustments").status()).isEqualTo(404);
        assertThat(cw.post("finance/agreements/999/adjustments", Map.of("amount", 1)).status()).isEqualTo(404);
        assertThat(cw.get("finance/agreements/999/adjustments/count").status()).isEqualTo(404);

        // The invoice through its effective date bills it, once; the recap sums the agreement's adjustments.
        addition(agreement, "{\"quantity\":10,\"unitPrice\":22.00,\"effectiveDate\":\"2024-02-14\"}");
        cw.delete(adjustments + "/3");
        assertThat(invoice(agreement, "2024-02-29").path("total").toString()).isEqualTo("111.63");
        assertThat(cw.get("finance/agreementrecap/" + id).json().path("adjustmentAmount").toString()).isEqualTo("-9.75");
        assertThat(invoice(agreement, "2024-03-31").path("total").toString()).isEqualTo("220.00");
        assertThat(cw.delete(one).status()).isEqualTo(204);
        assertThat(cw.get(one).status()).isEqualTo(404);
    }

    @Test
    void theSeedTakesBillingFieldsAndTheStateShowsInvoicesAndAdjustments() {
        SandboxHttp.Answer seeded = cw.admin("POST", "seed", """
                {"companies": [{"identifier": "Chairs", "name": "Chairs Unlimited"}],
                 "agreements": [{"name": "Chairs cloud", "type": {"name": "Cloud"}, "company": {"identifier": "Chairs"},
                                 "contact": {"name": "Billing"}, "startDate": "2024-01-01", "billStartDate": "2024-01-01",
                                 "prorateFlag": true, "invoiceProratedAdditionsFlag": true, "nextInvoiceDate": "2024-03-01",
                                 "additions": [{"product": {"identifier": "M365-BP"}, "billCustomer": "Billable",
                                                "quantity": 10, "unitPrice": 22.00, "effectiveDate": "2024-02-01"}],
                                 "adjustments": [{"amount": 5.00, "description": "Setup", "effectiveDate": "2024-02-01"}]},
                                {"name": "Fresh", "type": {"name": "Cloud"}, "company": {"identifier": "Chairs"},
                                 "contact": {"name": "Billing"}, "startDate": "2024-01-01"}]}""");
        assertThat(seeded.status()).as(seeded.text()).isEqualTo(201);
        JsonNode agreement = seeded.json().path("agreements").get(0);
        assertThat(agreement.path("prorateFlag").asBoolean()).isTrue();
        assertThat(agreement.path("invoiceProratedAdditionsFlag").asBoolean()).isTrue();
        assertThat(agreement.path("nextInvoiceDate").asText()).isEqualTo("2024-03-01T00:00:00Z");
        assertThat(agreement.path("additions")).hasSize(1);
        assertThat(agreement.path("adjustments")).hasSize(1);
        int id = agreement.path("id").asInt();
        assertThat(cw.get("finance/agreements/" + id).json().path("nextInvoiceDate").asText()).isEqualTo("2024-03-01T00:00:00Z");
        // The line starts 1 February: February's 220.00 and the 5.00 adjustment; January bills nothing.
        JsonNode invoices = cw.get("finance/invoices", Map.of("conditions", "agreement/id=" + id)).json();
        assertThat(invoices).singleElement().satisfies(i -> assertThat(i.path("total").toString()).isEqualTo("225.00"));
        assertThat(cw.get("finance/agreementrecap/" + id).json().path("lastInvoiceDate").asText()).isEqualTo("2024-02-29T00:00:00Z");
        invoicedRefusal(cw.patch(additions(id) + "/1", replace("quantity", "11")), "quantity");

        JsonNode state = cw.admin("GET", "state", null).json();
        assertThat(state.path("invoices")).hasSize(1);
        assertThat(state.path("adjustments")).hasSize(1);
        assertThat(state.path("nextInvoiceDates").path(String.valueOf(id)).asText()).isEqualTo("2024-03-01T00:00:00Z");
        assertThat(state.path("nextInvoiceDates").path(String.valueOf(id + 1)).asText()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(state.path("invoicedThrough").path(String.valueOf(id)).asText()).isEqualTo("2024-02-29");
        assertThat(state.path("invoicedThrough").has(String.valueOf(id + 1))).isFalse();

        SandboxHttp.Answer bad = cw.admin("POST", "seed", """
                {"companies": [{"identifier": "Other", "name": "Other"}],
                 "agreements": [{"name": "A", "type": {"name": "Cloud"}, "company": {"identifier": "Other"},
                                 "contact": {"name": "Billing"}, "startDate": "2024-01-01", "nextInvoiceDate": "2023-06-01"}]}""");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(cw.get("company/companies/count").json().path("count").asInt()).isEqualTo(1);
    }

    private JsonNode agreement(Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(SandboxTestSupport.agreementBody(records.company("Co" + System.nanoTime())));
        body.putAll(extra);
        SandboxHttp.Answer answer = cw.post("finance/agreements", body);
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json();
    }

    private JsonNode addition(JsonNode agreement, String fields) {
        return records.addition(agreement.path("id").asInt(), body(fields));
    }

    /** An addition's JSON with the product and billCustomer filled in unless it names them. */
    private String body(String fields) {
        ObjectNode node = (ObjectNode) SandboxJson.parse(fields);
        if (!node.has("product")) {
            node.putObject("product").put("id", product);
        }
        if (!node.has("billCustomer")) {
            node.put("billCustomer", "Billable");
        }
        return SandboxJson.write(node);
    }

    private JsonNode invoice(JsonNode agreement, String through) {
        SandboxHttp.Answer answer = cw.admin("POST", "agreements/" + agreement.path("id").asInt() + "/invoice",
                Map.of("through", through));
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return answer.json().path("invoice");
    }

    private static String path(JsonNode agreement, JsonNode addition) {
        return additions(agreement.path("id").asInt()) + "/" + addition.path("id").asInt();
    }

    private static String replace(String field, String json) {
        return "[{\"op\":\"replace\",\"path\":\"" + field + "\",\"value\":" + json + "}]";
    }

    static void invoicedRefusal(SandboxHttp.Answer answer, String field) {
        assertFields(answer, field);
        assertThat(answer.json().path("errors").get(0).path("message").asText()).isEqualTo(SandboxErrors.INVOICED_PERIOD);
    }
}
