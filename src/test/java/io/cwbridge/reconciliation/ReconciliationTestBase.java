package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.SettableClock;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * Shared set-up of the reconciliation tests (in the shared context, BundleTestBase): the real app
 * with embedded PostgreSQL and the sandbox over HTTP, and a clock the test sets day by day.
 * A subscription is put in place as the sync pipeline leaves it: its event, its mapping, its
 * addition in the sandbox and the subscription_line row naming that addition.
 */
abstract class ReconciliationTestBase extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired ConnectWiseClient client;
    @Autowired PartnerConnectionRepository connections;
    @Autowired JdbcTemplate jdbc;
    @Autowired ProducerTemplate camel;
    @Autowired SettableClock clock;
    @Autowired Clock injected;

    final ObjectMapper mapper = new ObjectMapper();
    /** Reads an event's extra fields with their decimals as written (5.00 stays 5.00). */
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    SandboxAdmin sandbox;
    ConnectWiseConnection cw;
    RestClient api;
    Tenant tenant;
    String partner;
    long company;
    long agreement;
    long catalogItem;

    @BeforeEach
    void setUpSandbox() {
        assertThat(injected).as("every date decision uses the one clock").isSameAs(clock);
        clock.set("2024-03-01"); // the reconciliation tests' first day; a test moves it on
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
        // The sandbox was reset and hands out ids from 1 again: the lines and invoices earlier tests' partners
        // recorded would name this test's additions, and their daily runs would write to them. The context is
        // shared with every other test (BundleTestBase) and a run reconciles every partner: all of them go.
        jdbc.update("DELETE FROM subscription_line");
        jdbc.update("DELETE FROM subscription_line_moved");
        jdbc.update("DELETE FROM invoice_line");
        tenant = Tenant.connected("r", port);
        partner = tenant.partner();
        api = tenant.bundle();
        catalogItem = tenant.catalogItem("M365-BP", "M365 BP", "Cloud", Map.of());
        company = tenant.company("Chairs", "Chairs Unlimited");
        agreement = tenant.agreement(company, "Chairs cloud", Tenant.Terms.MONTHLY_USD);
    }

    /** A synced subscription with one addition (its base line) in the sandbox; returns the addition id. */
    long subscription(String subscriptionId, int providerId, String kind, String quantity, String unitCost, String unitPrice) {
        long addition = client.create(cw, "finance/agreements/" + agreement + "/additions", Map.of(
                "product", Map.of("id", catalogItem), "billCustomer", "Billable", "quantity", new java.math.BigDecimal(quantity),
                "unitCost", new java.math.BigDecimal(unitCost), "unitPrice", new java.math.BigDecimal(unitPrice),
                "effectiveDate", "2024-01-14T00:00:00Z", "description", "Base " + subscriptionId), null).path("id").asLong();
        String payload = """
                {"subscription":{"id":"%s","kind":"%s","startDate":"2024-01-14",
                 "customer":{"id":"65533","name":"Chairs Unlimited"},
                 "product":{"id":"PROD-1","providerId":%d,"provider":"Microsoft CSP","name":"Microsoft 365 NCE",
                            "plan":"Microsoft 365 Business Premium"}}}""".formatted(subscriptionId, kind, providerId);
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (?, ?, ?, 'SALES_ORDER', 'NEW', '2024-01-14T09:00:00Z', CAST(? AS jsonb), 'HTTP')""",
                partner + "-" + subscriptionId, partner, subscriptionId, payload);
        jdbc.update("INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id) VALUES (?, ?, ?)",
                partner, subscriptionId, agreement);
        jdbc.update("INSERT INTO subscription_line (partner_id, subscription_id, line_key, agreement_id, addition_id) VALUES (?, ?, ?, ?, ?)",
                partner, subscriptionId, subscriptionId + "/BASE/2024-01-14", agreement, addition);
        return addition;
    }

    /**
     * Another line of a synced subscription, as the pipeline records it: the addition in the
     * sandbox and its subscription_line row with the line's role (BASE, DELTA, CANCELLATION, USAGE…).
     */
    long line(String subscriptionId, String role, String quantity, String unitCost, String unitPrice, String effective,
              String cancelled) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("product", Map.of("id", catalogItem));
        body.put("billCustomer", "Billable");
        body.put("quantity", new java.math.BigDecimal(quantity));
        body.put("unitCost", new java.math.BigDecimal(unitCost));
        body.put("unitPrice", new java.math.BigDecimal(unitPrice));
        body.put("effectiveDate", effective + "T00:00:00Z");
        if (cancelled != null) body.put("cancelledDate", cancelled + "T00:00:00Z");
        body.put("description", role + " " + subscriptionId + " " + effective);
        long addition = client.create(cw, "finance/agreements/" + agreement + "/additions", body, null).path("id").asLong();
        jdbc.update("INSERT INTO subscription_line (partner_id, subscription_id, line_key, agreement_id, addition_id) VALUES (?, ?, ?, ?, ?)",
                partner, subscriptionId, subscriptionId + "/" + role + "/" + effective, agreement, addition);
        return addition;
    }

    /** The partner's sync rules (a partial document; the rest are the defaults). */
    void syncRules(String json) {
        jdbc.update("INSERT INTO sync_rules (partner_id, rules) VALUES (?, CAST(? AS jsonb)) "
                + "ON CONFLICT (partner_id) DO UPDATE SET rules = EXCLUDED.rules", partner, json);
    }

    /** Writes to the sandbox's additions since the last reset, per "METHOD /path" (reads left out). */
    Map<String, Long> additionWrites() {
        Map<String, Long> writes = new java.util.TreeMap<>();
        sandbox.callsByEndpoint().forEach((k, v) -> {
            if (k.contains("/additions") && !k.startsWith("GET")) writes.put(k, v);
        });
        return writes;
    }

    JsonNode addition(long id) {
        return client.get(cw, "finance/agreements/" + agreement + "/additions/" + id, Map.of());
    }

    /** kind:status of the reconciliation's recorded ConnectWise operations, in order. */
    List<String> operations(String subscriptionId) {
        return jdbc.queryForList("""
                SELECT o.kind || ':' || o.status FROM reconciliation_operation o
                  JOIN billing_reconciliation r ON r.reconciliation_id = o.reconciliation_id
                 WHERE r.partner_id = ? AND r.subscription_id = ? ORDER BY o.operation_id""", String.class, partner, subscriptionId);
    }

    String invoice(String subscriptionId, int providerId, String kind, String type, String period, String quantity, String amount) {
        return """
                {"partnerId":"%s","invoiceType":"%s","invoiceNumber":"%s-%s-%s","subscriptionId":"%s","providerId":%d,
                 "kind":"%s","billingPeriod":"%s","quantity":%s,"amount":%s,"currency":"USD"}"""
                .formatted(partner, type, type, period, subscriptionId, subscriptionId, providerId, kind, period, quantity, amount);
    }

    ResponseEntity<String> post(String path, String body) {
        return api.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    JsonNode postInvoices(String body) throws Exception {
        ResponseEntity<String> r = post("/api/v1/invoices", body);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
        return mapper.readTree(r.getBody());
    }

    /** The daily run on {@code day}, as the timer route would start it. */
    void runOn(String day) {
        clock.set(day);
        camel.requestBody("direct:billing-reconciliation", (Object) null);
    }

    Map<String, Object> row(String subscriptionId) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT * FROM billing_reconciliation WHERE partner_id = ? AND subscription_id = ?", partner, subscriptionId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    long id(String subscriptionId) {
        return ((Number) row(subscriptionId).get("reconciliation_id")).longValue();
    }

    /** previous→status pairs written to reconciliation_status_change for the subscription, in order. */
    List<String> statusChanges(String subscriptionId) {
        return jdbc.queryForList("""
                SELECT coalesce(previous_status, '-') || '>' || status FROM reconciliation_status_change
                 WHERE partner_id = ? AND subscription_id = ? ORDER BY change_id""", String.class, partner, subscriptionId);
    }

    ResponseEntity<String> decide(String subscriptionId, String what) {
        return api.post().uri("/api/v1/partners/{p}/reconciliation/{id}/{what}", partner, id(subscriptionId), what)
                .retrieve().toEntity(String.class);
    }

    List<JsonNode> additions() {
        return client.getAll(cw, "finance/agreements/" + agreement + "/additions", null);
    }

    /**
     * A marketplace event of the walk-through's Microsoft CSP subscription (customer 65533 Chairs
     * Unlimited, product CFQ7TTC0LCHC:0002, 22.00 / 18.70), as docs/reconciliation.md's event() writes it;
     * {@code extra}: top-level fields, each followed by a comma.
     */
    String event(String eventId, String type, String action, String occurredAt, int quantity, String extra,
                 String subscriptionId, String startDate) {
        ObjectNode event = TestEvents.term(TestEvents.event(partner, partner + "-" + eventId, subscriptionId, type, action,
                occurredAt, quantity, null), startDate, "2025-02-13", true);
        try {
            event.setAll((ObjectNode) EXACT.readTree("{" + extra.replaceAll(",\\s*$", "") + "}"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return event.toString();
    }

    /** Posts an event (202) and answers its task id. */
    long postEvent(String event) {
        return tenant.submit(event);
    }

    /** Waits until the task has left PENDING and answers it (the pipeline delivers asynchronously). */
    JsonNode awaitTask(long taskId) {
        return tenant.awaitSettled(taskId);
    }

    /** Posts the event, waits for its task and asserts it is SYNCED; answers the task. */
    JsonNode sync(String event) {
        return tenant.sync(event);
    }

    /** Maps the sandbox's Chairs company and the catalog item through the mapping API, so events sync through the pipeline. */
    void mapChairsOverTheApi() {
        tenant.mapCustomer(Tenant.CUSTOMER, company);
        tenant.mapProduct(Tenant.PRODUCT, catalogItem);
    }

    ResponseEntity<String> put(String path, String body) {
        return api.put().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }
}
