package io.cwbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * Real HTTP against the bundle with the in-app sandbox as the partner's ConnectWise and a fresh
 * partner per test; the same Spring test context as the mapping API tests (same annotations).
 */
abstract class ConsoleTestBase extends BundleTestBase {

    static final String CUSTOMER_ID = "65533";
    static final String PRODUCT_ID = "CFQ7TTC0LCHC:0002";

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired JdbcTemplate jdbc;
    @Autowired ConnectWiseClient client;
    @Autowired PartnerConnectionRepository connections;

    final ObjectMapper mapper = new ObjectMapper();
    RestClient api;
    SandboxAdmin sandbox;
    ConnectWiseConnection cw;
    String partner;

    @BeforeEach
    void connectPartnerToSandbox() {
        api = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { }).build();
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
        partner = "con-" + UUID.randomUUID().toString().substring(0, 8);
        connections.save(partner, cw);
    }

    /** The context's ticks must not act on this test's partner later with MANUAL rules. */
    @AfterEach
    void immediateAgain() {
        api.put().uri("/api/v1/partners/{p}/sync-rules", partner).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("taskSync", "IMMEDIATE")).retrieve().toBodilessEntity();
    }

    String base() {
        return "http://localhost:" + port;
    }

    ResponseEntity<String> put(String path, Object body, Object... vars) {
        return api.put().uri(path, vars).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    JsonNode json(ResponseEntity<String> response) {
        try {
            return mapper.readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Chairs' company, one agreement and the catalog item in the sandbox, customer and product mapped,
     * task sync MANUAL: an event then makes a task AWAITING_APPROVAL. Answers the agreement id.
     */
    long manualPartnerWithMappings() {
        long company = client.create(cw, "company/companies", Map.of("identifier", "ChairsUnlimited", "name", "Chairs Unlimited"),
                null).path("id").asLong();
        long agreement = client.create(cw, "finance/agreements", Map.of("name", "Chairs cloud", "type", Map.of("name", "Cloud Services"),
                "company", Map.of("id", company), "contact", Map.of("name", "Billing"),
                "startDate", "2024-01-01T00:00:00Z"), null).path("id").asLong();
        long item = client.create(cw, "procurement/catalog", Map.of("identifier", "M365BP", "description", "M365BP",
                "customerDescription", "M365BP", "subcategory", Map.of("name", "Cloud Licensing"),
                "type", Map.of("name", "Subscription")), null).path("id").asLong();
        assertThat(put("/api/v1/partners/{p}/customers/{c}/mapping", Map.of("companyId", company), partner, CUSTOMER_ID)
                .getStatusCode().value()).isEqualTo(200);
        assertThat(put("/api/v1/partners/{p}/products/{id}/mapping", Map.of("catalogItemId", item), partner, PRODUCT_ID)
                .getStatusCode().value()).isEqualTo(200);
        ResponseEntity<String> rules = put("/api/v1/partners/{p}/sync-rules", Map.of("taskSync", "MANUAL"), partner);
        assertThat(rules.getStatusCode().value()).as(rules.getBody()).isEqualTo(200);
        return agreement;
    }

    /** The event of a SALES_ORDER/NEW of a Microsoft 365 subscription (5 licences) of the customer {@code customerId}. */
    Map<String, Object> sale(String eventId, String subscriptionId, String customerId, String customerName) {
        return Map.of("eventId", eventId, "partnerId", partner,
                "type", "SALES_ORDER", "action", "NEW", "occurredAt", "2024-02-14T09:00:00Z",
                "subscription", Map.ofEntries(Map.entry("id", subscriptionId),
                        Map.entry("customer", Map.of("id", customerId, "name", customerName)),
                        Map.entry("product", Map.of("id", PRODUCT_ID, "provider", "Microsoft CSP", "name", "Microsoft 365 NCE",
                                "plan", "Microsoft 365 Business Premium", "mfgPartNumber", "CFQ7TTC0LCHC:0002:P1")),
                        Map.entry("kind", "SAAS"), Map.entry("quantity", 5), Map.entry("unitPrice", 22.00),
                        Map.entry("unitCost", 18.70), Map.entry("currency", "USD"), Map.entry("billingCycle", "MONTHLY"),
                        Map.entry("startDate", "2024-02-14"), Map.entry("endDate", "2025-02-13"),
                        Map.entry("autoRenew", false), Map.entry("status", "ACTIVE")));
    }

    /** POSTs a SALES_ORDER/NEW of Chairs' Microsoft 365 subscription with the customer named {@code customerName}; its task id. */
    long submitSale(String subscriptionId, String customerName) {
        String body;
        try {
            body = mapper.writeValueAsString(sale(UUID.randomUUID().toString(), subscriptionId, CUSTOMER_ID, customerName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ResponseEntity<String> response = api.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        return json(response).path("taskId").asLong();
    }

    /** Waits up to 30 s until the task has one of {@code expected}; answers it. */
    String awaitTask(long taskId, String... expected) throws InterruptedException {
        return io.cwbridge.testsupport.TaskAwait.status(jdbc, taskId, expected);
    }

    /** A task AWAITING_APPROVAL of subscription {@code subscriptionId} (mapping it to the agreement if it waits for that). */
    long waitingTask(String subscriptionId, String customerName, long agreement) throws InterruptedException {
        long taskId = submitSale(subscriptionId, customerName);
        if (awaitTask(taskId, "NEEDS_MAPPING", "AWAITING_APPROVAL", "SYNCED", "FAILED").equals("NEEDS_MAPPING")) {
            ResponseEntity<String> mapped = put("/api/v1/partners/{p}/subscriptions/{s}/mapping?sync=true",
                    Map.of("agreementId", agreement), partner, subscriptionId);
            assertThat(mapped.getStatusCode().value()).as(mapped.getBody()).isEqualTo(200);
        }
        assertThat(awaitTask(taskId, "AWAITING_APPROVAL", "SYNCED", "FAILED")).isEqualTo("AWAITING_APPROVAL");
        return taskId;
    }
}
