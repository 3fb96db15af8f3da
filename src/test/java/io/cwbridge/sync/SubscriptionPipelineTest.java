package io.cwbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * Events in over HTTP, additions out in the sandbox over its ConnectWise API: the whole pipeline
 * (ingest → validate → enrich → rules → deliver) with the real routes, database and HTTP.
 */
class SubscriptionPipelineTest extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired ConnectWiseClient client;
    @Autowired PartnerConnectionRepository connections;
    @Autowired JdbcTemplate jdbc;

    final ObjectMapper mapper = new ObjectMapper();
    SandboxAdmin sandbox;
    ConnectWiseConnection cw;
    RestClient api;
    String partner;
    long agreement;
    long catalogItem;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
        partner = "p-" + UUID.randomUUID().toString().substring(0, 8);
        connections.save(partner, cw);
        api = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { }).build();
        catalogItem = client.create(cw, "procurement/catalog", Map.of("identifier", "M365-BP", "description", "M365 BP",
                "customerDescription", "M365 BP", "subcategory", Map.of("name", "Cloud"), "type", Map.of("name", "Subscription")),
                null).path("id").asLong();
        long company = client.create(cw, "company/companies", Map.of("identifier", "Chairs", "name", "Chairs Unlimited"), null)
                .path("id").asLong();
        agreement = client.create(cw, "finance/agreements", Map.of("name", "Chairs cloud", "type", Map.of("name", "Cloud"),
                "company", Map.of("id", company), "contact", Map.of("name", "Billing"), "startDate", "2024-01-01T00:00:00Z",
                "billingCycle", Map.of("name", "Monthly"), "currency", Map.of("currencyCode", "USD")), null).path("id").asLong();
        jdbc.update("INSERT INTO customer_mapping (partner_id, customer_id, company_id) VALUES (?, '65533', ?)", partner, company);
        jdbc.update("INSERT INTO product_mapping (partner_id, product_id, catalog_item_id) VALUES (?, 'CFQ7TTC0LCHC:0002', ?)",
                partner, catalogItem);
    }

    String event(String eventId, String type, String action, String occurredAt, int quantity, Integer previous, String customerId) {
        return """
                {"eventId":"%s","partnerId":"%s","type":"%s","action":"%s","occurredAt":"%s",
                 "subscription":{"id":"sub-1","customer":{"id":"%s","name":"Chairs Unlimited"},
                   "product":{"id":"CFQ7TTC0LCHC:0002","provider":"Microsoft CSP","providerId":30,"name":"Microsoft 365 NCE",
                              "plan":"Microsoft 365 Business Premium","mfgPartNumber":"CFQ7TTC0LCHC:0002:P1"},
                   "kind":"SAAS","quantity":%d,%s"unitPrice":22.00,"unitCost":18.70,"currency":"USD","billingCycle":"MONTHLY",
                   "startDate":"2024-02-14","endDate":"2025-02-13","autoRenew":false,"status":"ACTIVE"}}
                """.formatted(eventId, partner, type, action, occurredAt, customerId, quantity,
                previous == null ? "" : "\"previousQuantity\":" + previous + ",");
    }

    ResponseEntity<String> post(String path, String body) {
        return api.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    long submit(String body) throws Exception {
        ResponseEntity<String> response = post("/api/v1/events", body);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        return mapper.readTree(response.getBody()).path("taskId").asLong();
    }

    String awaitStatus(long taskId, String... expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        String status = null;
        while (System.currentTimeMillis() < deadline) {
            status = jdbc.queryForObject("SELECT status FROM sync_task WHERE task_id = ?", String.class, taskId);
            if (List.of(expected).contains(status)) return status;
            Thread.sleep(100);
        }
        String reason = jdbc.queryForObject("SELECT coalesce(reason, '') FROM sync_task WHERE task_id = ?", String.class, taskId);
        throw new AssertionError("task " + taskId + " is " + status + " (" + reason + "), expected " + List.of(expected));
    }

    List<JsonNode> additions() {
        return client.getAll(cw, "finance/agreements/" + agreement + "/additions", null);
    }

    @Test
    void salesOrderThenIncreaseBecomeBaseAndDeltaLinesAndARepeatChangesNothing() throws Exception {
        long sale = submit(event("e-sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533"));
        assertThat(awaitStatus(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(additions()).singleElement().satisfies(base -> {
            assertThat(base.path("quantity").decimalValue()).isEqualByComparingTo("10");
            assertThat(base.path("effectiveDate").asText()).startsWith("2024-02-14");
            assertThat(base.path("product").path("id").asLong()).isEqualTo(catalogItem);
        });
        // R4: the company's only eligible agreement was chosen and remembered.
        assertThat(jdbc.queryForObject("SELECT agreement_id FROM subscription_mapping WHERE partner_id = ?", Long.class, partner))
                .isEqualTo(agreement);

        String increase = event("e-inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10, "65533");
        long task = submit(increase);
        assertThat(awaitStatus(task, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        List<JsonNode> lines = additions();
        assertThat(lines).hasSize(2);
        JsonNode delta = lines.stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-03-15")).findFirst().orElseThrow();
        assertThat(delta.path("quantity").decimalValue()).isEqualByComparingTo("2"); // R12
        assertThat(delta.path("cancelledDate").asText()).startsWith("2024-03-31");
        // R17 v2: the subscription's unit price and cost, never prorated by the bundle (was 11.35 / 9.65 in v1).
        assertThat(delta.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(delta.path("unitCost").decimalValue()).isEqualByComparingTo("18.70");

        ResponseEntity<String> again = post("/api/v1/events", increase);
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(mapper.readTree(again.getBody()).path("taskId").asLong()).isEqualTo(task);
        Thread.sleep(300);
        assertThat(additions()).hasSize(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM task_operation WHERE task_id = ?", Integer.class, task)).isEqualTo(1);
    }

    @Test
    void unmappedCustomerWaitsAndSyncsOnceTheMappingIsPut() throws Exception {
        long task = submit(event("e-new", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "99999"));
        assertThat(awaitStatus(task, "NEEDS_MAPPING", "SYNCED", "FAILED")).isEqualTo("NEEDS_MAPPING");
        assertThat(jdbc.queryForObject("SELECT reason FROM sync_task WHERE task_id = ?", String.class, task)).contains("customer 99999");
        assertThat(additions()).isEmpty();

        long company = client.getAll(cw, "company/companies", "identifier=\"Chairs\"").get(0).path("id").asLong();
        ResponseEntity<String> mapped = api.put().uri("/api/v1/partners/{p}/customers/99999/mapping", partner)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("companyId", company)).retrieve().toEntity(String.class);
        assertThat(mapped.getStatusCode().value()).as(mapped.getBody()).isEqualTo(200);

        assertThat(awaitStatus(task, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(additions()).hasSize(1);
    }

    @Test
    void twoServerErrorsStillEndWithExactlyOneAddition() throws Exception {
        sandbox.fault(Map.of("status", 500, "count", 2, "method", "POST", "pathContains", "additions", "afterCommit", true));
        long task = submit(event("e-500", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 7, null, "65533"));
        assertThat(awaitStatus(task, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(additions()).singleElement().satisfies(a -> assertThat(a.path("quantity").decimalValue()).isEqualByComparingTo("7"));
    }

    @Test
    void planShowsTheOperationsAndWritesNothing() throws Exception {
        long sale = submit(event("e-s2", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533"));
        awaitStatus(sale, "SYNCED");
        sandbox.resetCalls();
        long tasks = jdbc.queryForObject("SELECT count(*) FROM sync_task", Long.class);

        ResponseEntity<String> plan = post("/api/v1/plan",
                event("e-dry", "CHANGE_ORDER", "LICENSE_DECREASE", "2024-03-10T10:00:00Z", 8, 10, "65533"));

        assertThat(plan.getStatusCode().value()).as(plan.getBody()).isEqualTo(200);
        JsonNode ops = mapper.readTree(plan.getBody()).path("operations");
        assertThat(ops).hasSize(1);
        assertThat(ops.get(0).path("kind").asText()).isEqualTo("CREATE");
        assertThat(ops.get(0).path("reason").asText()).contains("R14");
        assertThat(ops.get(0).path("fields").path("quantity").decimalValue()).isEqualByComparingTo("-2");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_task", Long.class)).isEqualTo(tasks);
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).isZero();
        assertThat(additions()).hasSize(1);
    }
}
