package io.cwbridge.sandbox;

import static io.cwbridge.sandbox.SandboxTestSupport.additions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The sandbox's answers against ConnectWise's own OpenAPI schemas (2026.4 subset): records, lists,
 * counts, system info and every kind of error body.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class SandboxContractTest {

    static OpenApiSchemas schemas;

    @LocalServerPort int port;
    @Autowired SandboxProperties properties;
    SandboxHttp cw;

    @BeforeAll
    static void loadSchemas() {
        schemas = new OpenApiSchemas();
    }

    @BeforeEach
    void setUp() {
        cw = new SandboxHttp(port, properties.companyId(), properties.publicKey(), properties.privateKey(), properties.clientId());
        cw.admin("POST", "reset", null);
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
        assertThat(schemas.names()).contains("Addition", "Agreement", "Company", "CatalogItem", "Info", "ErrorResponseMessage");
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
        error(cw.get("company/contacts"), 404);
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
