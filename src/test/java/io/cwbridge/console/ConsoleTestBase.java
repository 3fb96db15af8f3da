package io.cwbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
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
    Tenant tenant;
    String partner;

    @BeforeEach
    void connectPartnerToSandbox() {
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
        tenant = Tenant.connected("con", port);
        partner = tenant.partner();
        api = tenant.bundle();
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
        long company = tenant.company("ChairsUnlimited", "Chairs Unlimited");
        long agreement = tenant.agreement(company, "Chairs cloud", Tenant.Terms.CLOUD_SERVICES);
        long item = tenant.catalogItem("M365BP", "M365BP", "Cloud Licensing", Map.of());
        tenant.mapCustomer(CUSTOMER_ID, company);
        tenant.mapProduct(PRODUCT_ID, item);
        tenant.syncRules(Map.of("taskSync", "MANUAL"));
        return agreement;
    }

    /** The event of a SALES_ORDER/NEW of a Microsoft 365 subscription (5 licences) of the customer {@code customerId}. */
    ObjectNode sale(String eventId, String subscriptionId, String customerId, String customerName) {
        return TestEvents.customer(TestEvents.event(partner, eventId, subscriptionId, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z",
                5, null), customerId, customerName);
    }

    /** POSTs a SALES_ORDER/NEW of Chairs' Microsoft 365 subscription with the customer named {@code customerName}; its task id. */
    long submitSale(String subscriptionId, String customerName) {
        return tenant.submit(sale(UUID.randomUUID().toString(), subscriptionId, CUSTOMER_ID, customerName));
    }

    /** Waits up to 45 s until the task has one of {@code expected}; answers it. */
    String awaitTask(long taskId, String... expected) {
        return tenant.awaitTask(taskId, expected).path("status").asText();
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
