package io.cwbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
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
    @Autowired JdbcTemplate jdbc;

    final ObjectMapper mapper = new ObjectMapper();
    SandboxAdmin sandbox;
    ConnectWiseConnection cw;
    RestClient api;
    Tenant tenant;
    Tenant.Ids chairs;
    String partner;
    long agreement;
    long catalogItem;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
        tenant = Tenant.connected("p", port);
        partner = tenant.partner();
        api = tenant.bundle();
        chairs = tenant.chairs("", Tenant.Terms.MONTHLY_USD);
        agreement = chairs.agreement();
        catalogItem = chairs.catalogItem();
    }

    /** An event of subscription sub-1 of customer {@code customerId} (named Chairs Unlimited). */
    String event(String eventId, String type, String action, String occurredAt, int quantity, Integer previous, String customerId) {
        return TestEvents.customer(TestEvents.event(partner, eventId, "sub-1", type, action, occurredAt, quantity, previous),
                customerId, "Chairs Unlimited").toString();
    }

    ResponseEntity<String> post(String path, String body) {
        return api.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    long submit(String body) {
        return tenant.submit(body);
    }

    String awaitStatus(long taskId, String... expected) {
        return tenant.awaitTask(taskId, expected).path("status").asText();
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

        tenant.mapCustomer("99999", chairs.company());

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

    /**
     * R19 into a new subscription, then the same upgrade once more: the second task is planned from the lines of both
     * subscriptions (the upgrade's are read apart from the task's own, SubscriptionSync.withUpgradeLines), so it finds
     * sub-2's base and writes nothing. Without sub-2's lines it would create a second base.
     */
    @Test
    void fullUpgradeToANewSubscriptionThenTheSameUpgradeAgainWritesNothing() throws Exception {
        long e3 = tenant.catalogItem("M365-E3", "M365 E3", "Cloud", Map.of());
        tenant.mapProduct("CFQ7TTC0LFLZ:0001", e3);
        long sale = submit(event("e-up-sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533"));
        assertThat(awaitStatus(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");

        String upgrade = upgrade("e-up-1", "2024-03-15T14:02:00Z");
        long first = submit(upgrade);
        assertThat(awaitStatus(first, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        List<JsonNode> afterUpgrade = additions();
        assertThat(afterUpgrade).filteredOn(a -> a.path("product").path("id").asLong() == e3).singleElement().satisfies(base -> {
            assertThat(base.path("quantity").decimalValue()).isEqualByComparingTo("10");
            assertThat(base.path("effectiveDate").asText()).startsWith("2024-03-15");
            assertThat(base.path("description").asText()).contains("sub-2");
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM subscription_line WHERE partner_id = ? AND subscription_id = 'sub-2'",
                Integer.class, partner)).isEqualTo(1);

        sandbox.resetCalls();
        long again = submit(upgrade("e-up-2", "2024-03-15T15:00:00Z"));
        assertThat(awaitStatus(again, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(additions()).hasSameSizeAs(afterUpgrade);
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
    }

    /** A FULL_UPGRADE of sub-1 to sub-2 (Microsoft 365 E3, 10 licences) on {@code occurredAt}'s date (SPEC 8.1 upgradeTo). */
    private String upgrade(String eventId, String occurredAt) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode event = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
                event(eventId, "CHANGE_ORDER", "FULL_UPGRADE", occurredAt, 10, 10, "65533"));
        return TestEvents.upgradeToE3(event, "sub-2", 10, "2025-03-14").toString();
    }
}
