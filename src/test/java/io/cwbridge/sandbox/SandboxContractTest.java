package io.cwbridge.sandbox;

import static io.cwbridge.sandbox.SandboxTestSupport.additions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's answers against ConnectWise's own OpenAPI schemas (2026.4 subset): records, lists,
 * counts, system info and every kind of error body.
 */
class SandboxContractTest extends SandboxHttpTestBase {

    static OpenApiSchemas schemas;

    @BeforeAll
    static void loadSchemas() {
        schemas = new OpenApiSchemas();
    }

    @Test
    void theSchemasThemselvesCatchViolations() {
        assertThat(schemas.validate("Addition", SandboxJson.parse("{\"id\": 1, \"product\": {\"id\": 1}, \"billCustomer\": \"Billable\"}")))
                .isEmpty();
        assertThat(schemas.validate("Addition", SandboxJson.parse("{\"product\": {\"id\": 1}, \"billCustomer\": \"Sometimes\"}")))
                .isNotEmpty();
        assertThat(schemas.validate("Addition", SandboxJson.parse("{\"product\": {\"id\": 1}, \"billCustomer\": null}"))).isEmpty();
        assertThat(schemas.validate("Addition", SandboxJson.parse("{\"product\": {\"id\": 1}}"))).isNotEmpty();
        assertThat(schemas.validate("Addition", SandboxJson.parse(
                "{\"product\": {\"id\": 1}, \"billCustomer\": \"Billable\", \"quantity\": \"ten\"}"))).isNotEmpty();
        assertThat(schemas.validate("Addition", SandboxJson.parse(
                "{\"product\": {\"id\": 1}, \"billCustomer\": \"Billable\", \"invoicedThrough\": \"2024-01-01\"}"))).isNotEmpty();
        assertThat(schemas.validate("Addition", SandboxJson.parse(
                "{\"product\": {\"id\": 1}, \"billCustomer\": \"Billable\", \"effectiveDate\": \"14/02/2024\"}"))).isNotEmpty();
        assertThat(schemas.validate("Addition", SandboxJson.parse(
                "{\"product\": {\"id\": 1}, \"billCustomer\": \"Billable\", \"effectiveDate\": null}"))).isNotEmpty();
        assertThat(schemas.validate("ErrorResponseMessage", SandboxJson.parse("{\"error\": \"x\"}"))).isNotEmpty();
        assertThat(schemas.names()).contains("Addition", "Agreement", "Company", "CatalogItem", "Info", "ErrorResponseMessage",
                "Agreement.Adjustment", "AgreementRecap", "Invoice");
        assertThat(schemas.validate("AgreementRecap", SandboxJson.parse("{\"id\": 1, \"lastInvoiceAmount\": 12.50}"))).isNotEmpty();
        assertThat(schemas.validate("AgreementRecap", SandboxJson.parse("{\"id\": 1, \"lastInvoiceAmount\": \"12.50\"}"))).isEmpty();
        assertThat(schemas.validate("Invoice", SandboxJson.parse("{\"type\": \"Agreement\"}"))).isNotEmpty();
        assertThat(schemas.validate("Invoice", SandboxJson.parse("{\"type\": \"Agreement\", \"company\": {\"id\": 1}, \"through\": 1}")))
                .isNotEmpty();
        assertThat(schemas.validate("Agreement.Adjustment", SandboxJson.parse("{\"amount\": \"5\"}"))).isNotEmpty();
        assertThat(schemas.validate("Agreement.Adjustment", SandboxJson.parse("{\"amount\": 5, \"effectiveDate\": \"2024-02-01\"}")))
                .isNotEmpty();
    }

    @Test
    void recordsConformToTheirSchemas() {
        JsonNode company = conforming("Company", cw.post("company/companies", """
                {"identifier": "Chairs", "name": "Chairs Inc", "addressLine1": "1 Main St", "city": "Tampa", "state": "FL",
                 "zip": "33601", "country": {"name": "United States"}, "leadFlag": false, "numberOfEmployees": 12,
                 "annualRevenue": 1000000.50, "dateAcquired": "2020-05-01", "types": [{"id": 1, "name": "Customer"}]}""")).json();
        JsonNode item = conforming("CatalogItem", cw.post("procurement/catalog", """
                {"identifier": "M365-BP", "description": "M365 BP", "customerDescription": "Microsoft 365 Business Premium",
                 "subcategory": {"name": "Cloud"}, "category": {"name": "Cloud Services"}, "type": {"name": "Subscription"},
                 "manufacturer": {"name": "Microsoft"}, "manufacturerPartNumber": "CFQ7TTC0LCHC:0002", "price": 22.00,
                 "cost": 18.70, "productClass": "Service", "vendor": {"identifier": "Chairs"}}""")).json();
        JsonNode agreement = conforming("Agreement", cw.post("finance/agreements", """
                {"name": "Chairs cloud", "type": {"id": 4, "name": "Cloud"}, "company": {"id": %d},
                 "contact": {"id": 7, "name": "Billing"}, "startDate": "2024-01-01", "billingCycle": {"id": 2, "name": "Monthly"},
                 "prorateFlag": true, "applicationUnits": "Amount", "currency": {"currencyCode": "USD"},
                 "billToCompany": {"identifier": "Chairs"}}""".formatted(company.path("id").asInt()))).json();
        int agreementId = agreement.path("id").asInt();
        JsonNode addition = conforming("Addition", cw.post(additions(agreementId), """
                {"product": {"id": %d}, "billCustomer": "Billable", "quantity": 10, "unitPrice": 22.00, "unitCost": 18.70,
                 "effectiveDate": "2024-02-14", "cancelledDate": "2024-02-29", "taxableFlag": true, "description": "line",
                 "invoiceDescription": "M365", "serialNumber": "SN-1", "uom": "Each"}""".formatted(item.path("id").asInt()))).json();
        String additionPath = additions(agreementId) + "/" + addition.path("id").asInt();

        conforming("Company", cw.get("company/companies/" + company.path("id").asInt()));
        conforming("CatalogItem", cw.get("procurement/catalog/" + item.path("id").asInt()));
        conforming("Agreement", cw.get("finance/agreements/" + agreementId));
        conforming("Addition", cw.get(additionPath));
        conforming("Addition", cw.patch(additionPath, "[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":12}]"));
        conforming("Addition", cw.put(additionPath, Map.of("product", Map.of("identifier", "M365-BP"), "billCustomer", "NoCharge")));
        cw.admin("POST", "agreements/" + agreementId + "/invoice", Map.of("through", "2024-12-31"));
        conforming("Addition", cw.get(additionPath));

        assertThat(schemas.validateEach("Company", cw.get("company/companies").json())).isEmpty();
        assertThat(schemas.validateEach("CatalogItem", cw.get("procurement/catalog").json())).isEmpty();
        assertThat(schemas.validateEach("Agreement", cw.get("finance/agreements").json())).isEmpty();
        assertThat(schemas.validateEach("Addition", cw.get(additions(agreementId)).json())).isEmpty();
        conforming("Count", cw.get(additions(agreementId) + "/count"));
        conforming("Count", cw.get("company/companies/count"));
    }

    /** SPEC 8.3 v2: the billing fields, invoices, recaps and adjustments, requests and answers alike. */
    @Test
    void billingRecordsAndTheirRequestsConformToTheirSchemas() {
        int company = conforming("Company", cw.post("company/companies", request("Company",
                "{\"identifier\": \"Chairs\", \"name\": \"Chairs Inc\"}"))).json().path("id").asInt();
        int item = conforming("CatalogItem", cw.post("procurement/catalog", request("CatalogItem", """
                {"identifier": "M365-BP", "description": "M365 BP", "customerDescription": "M365 BP",
                 "subcategory": {"name": "Cloud"}, "type": {"name": "Subscription"}}"""))).json().path("id").asInt();
        String agreementBody = """
                {"name": "Chairs cloud", "type": {"name": "Cloud"}, "company": {"id": %d}, "contact": {"name": "Billing"},
                 "startDate": "2024-01-01T00:00:00Z", "billStartDate": "2024-01-01T00:00:00Z", "billingCycle": {"name": "Monthly"},
                 "prorateFlag": %s, "invoiceProratedAdditionsFlag": %s}""";
        JsonNode prorating = conforming("Agreement", cw.post("finance/agreements",
                request("Agreement", agreementBody.formatted(company, true, true)))).json();
        JsonNode plain = conforming("Agreement", cw.post("finance/agreements",
                request("Agreement", agreementBody.formatted(company, false, false)))).json();
        assertThat(prorating.path("nextInvoiceDate").asText()).isEqualTo("2024-01-01T00:00:00Z");
        String additionBody = """
                {"product": {"id": %d}, "billCustomer": "Billable", "quantity": 10, "lessIncluded": 1, "unitPrice": 22.00,
                 "unitCost": 18.70, "effectiveDate": "2024-02-14T00:00:00Z", "proratePrice": 11.00, "prorateCost": 9.35}""";
        for (JsonNode agreement : List.of(prorating, plain)) {
            JsonNode addition = conforming("Addition", cw.post(additions(agreement.path("id").asInt()),
                    request("Addition", additionBody.formatted(item)))).json();
            assertThat(addition.has("extendedProratePrice")).isTrue();
        }

        int agreementId = prorating.path("id").asInt();
        String adjustments = "finance/agreements/" + agreementId + "/adjustments";
        JsonNode adjustment = conforming("Agreement.Adjustment", cw.post(adjustments, request("Agreement.Adjustment", """
                {"amount": -15.00, "description": "Catch-up sub-1", "effectiveDate": "2024-02-20T00:00:00Z"}"""))).json();
        String adjustmentPath = adjustments + "/" + adjustment.path("id").asInt();
        conforming("Agreement.Adjustment", cw.get(adjustmentPath));
        String patch = "[{\"op\": \"replace\", \"path\": \"amount\", \"value\": -12.50}]";
        // The reconstructed PatchOperation types value as object (the Go model's interface{}); the README's
        // examples send plain values, so only op and path are checked against it.
        com.fasterxml.jackson.databind.node.ArrayNode operations = (com.fasterxml.jackson.databind.node.ArrayNode) SandboxJson.parse(patch);
        operations.forEach(op -> ((com.fasterxml.jackson.databind.node.ObjectNode) op).remove("value"));
        assertThat(schemas.validateEach("PatchOperation", operations)).isEmpty();
        conforming("Agreement.Adjustment", cw.patch(adjustmentPath, patch));
        conforming("Agreement.Adjustment", cw.put(adjustmentPath, request("Agreement.Adjustment",
                "{\"amount\": -12.50, \"description\": \"Catch-up\"}")));
        assertThat(schemas.validateEach("Agreement.Adjustment", cw.get(adjustments).json())).isEmpty();
        conforming("Count", cw.get(adjustments + "/count"));

        SandboxHttp.Answer invoiced = cw.admin("POST", "agreements/" + agreementId + "/invoice", Map.of("through", "2024-02-29"));
        assertThat(invoiced.status()).as(invoiced.text()).isEqualTo(200);
        assertThat(schemas.validate("Invoice", invoiced.json().path("invoice"))).as(invoiced.text()).isEmpty();
        int invoiceId = invoiced.json().path("invoice").path("id").asInt();
        conforming("Invoice", cw.get("finance/invoices/" + invoiceId));
        JsonNode invoices = cw.get("finance/invoices", Map.of("conditions", "agreement/id=" + agreementId)).json();
        assertThat(invoices).hasSize(1);
        assertThat(schemas.validateEach("Invoice", invoices)).isEmpty();
        conforming("Count", cw.get("finance/invoices/count"));
        conforming("Agreement", cw.get("finance/agreements/" + agreementId));
        JsonNode recap = conforming("AgreementRecap", cw.get("finance/agreementrecap/" + agreementId)).json();
        assertThat(recap.has("lastInvoiceAmount")).isTrue();
        JsonNode recaps = cw.get("finance/agreementrecap").json();
        assertThat(recaps).hasSize(2);
        assertThat(schemas.validateEach("AgreementRecap", recaps)).isEmpty();
        assertThat(schemas.validateEach("Addition", cw.get(additions(agreementId)).json())).isEmpty();

        error(cw.get("finance/agreements/999/adjustments"), 404);
        error(cw.post("finance/agreements/999/adjustments", Map.of("amount", 1)), 404);
        error(cw.post(adjustments, Map.of("description", "x".repeat(1001))), 400);
        error(cw.post("finance/invoices", Map.of("type", "Agreement")), 404);
        error(cw.get("finance/invoices/999"), 404);
        error(cw.get("finance/agreementrecap/999"), 404);
        cw.admin("POST", "agreements/" + plain.path("id").asInt() + "/invoice", Map.of("through", "2024-02-29"));
        error(cw.post(additions(plain.path("id").asInt()), additionBody.formatted(item)), 400);
        error(cw.admin("POST", "agreements/" + agreementId + "/invoice", Map.of("through", "2024-02-29")), 400);
    }

    @Test
    void systemInfoConformsToInfo() {
        conforming("Info", cw.get("system/info"));
    }

    @Test
    void errorBodiesConformToErrorResponseMessage() {
        error(cw.post("company/companies", Map.of("identifier", "X")), 400);
        error(cw.post("company/companies", "{not json"), 400);
        error(cw.get("company/companies", Map.of("conditions", "name = ")), 400);
        error(cw.get("company/companies/5"), 404);
        error(cw.get("service/tickets"), 404);
        error(cw.as(null, null).get("system/info"), 401);
        error(cw.patch("company/companies/5", "[{\"op\":\"replace\",\"path\":\"name\",\"value\":\"x\"}]"), 404);
        error(cw.patch("company/companies/5", "[]"), 400);
        cw.admin("POST", "faults", Map.of("status", 500));
        error(cw.get("system/info"), 500);
        cw.admin("POST", "faults", Map.of("status", 403));
        error(cw.get("system/info"), 403);
        cw.admin("POST", "faults", Map.of("status", 429, "retryAfterSeconds", 2));
        SandboxHttp.Answer throttled = cw.get("system/info");
        assertThat(throttled.status()).isEqualTo(429);
        // The 429 body is the one error that uses "error" instead of "code", as the real API answers.
        assertThat(throttled.json().fieldNames()).toIterable().containsExactly("error", "message");
    }

    /** A request body that conforms to the schema the real API takes, to send as it is. */
    private static String request(String schema, String body) {
        assertThat(schemas.validate(schema, SandboxJson.parse(body))).as(schema + " request: " + body).isEmpty();
        return body;
    }

    private static SandboxHttp.Answer conforming(String schema, SandboxHttp.Answer answer) {
        assertThat(answer.status()).as(answer.text()).isBetween(200, 201);
        assertThat(schemas.validate(schema, answer.json())).as(schema + ": " + answer.text()).isEmpty();
        return answer;
    }

    private static void error(SandboxHttp.Answer answer, int status) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(schemas.validate("ErrorResponseMessage", answer.json())).as(answer.text()).isEmpty();
        assertThat(answer.json().path("code").asText()).isNotBlank();
        assertThat(answer.json().path("message").asText()).isNotBlank();
    }
}
