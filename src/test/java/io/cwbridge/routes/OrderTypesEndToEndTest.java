package io.cwbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.testsupport.KafkaTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * Each order type (SPEC 8.1) sent from Kafka and from HTTP ends as the right additions in the
 * sandbox, read back over its ConnectWise API: the routes subscription-events-kafka (with
 * subscription-events-batch), subscription-events-ingest, subscription-event-record, subscription-sync,
 * subscription-task-sync, task-operation-deliver and connectwise-deliver with the real embedded
 * broker, database and HTTP; subscription-event-park for an invalid event and subscription-plan
 * for a dry run.
 */
class OrderTypesEndToEndTest extends KafkaTestBase {

    enum Transport { HTTP, KAFKA }

    private static final String CUSTOMER = TestEvents.CUSTOMER;
    private static final String PRODUCT = TestEvents.PRODUCT;

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired ConnectWiseClient client;
    @Autowired JdbcTemplate jdbc;
    @Autowired CamelContext camel;

    private final ObjectMapper mapper = new ObjectMapper();
    private SandboxAdmin sandbox;
    private ConnectWiseConnection cw;
    private RestClient api;
    private Tenant tenant;
    private String partner;
    private long agreement;
    private long catalogItem;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxAdmin(port, env);
        cw = sandbox.connection();
        // The partner's tenant, created through the same API calls a script would use against ConnectWise.
        tenant = Tenant.connected("ot", port);
        partner = tenant.partner();
        api = tenant.bundle();
        catalogItem = tenant.catalogItem("M365-BP-" + partner, "M365 BP", "Cloud", Map.of());
        long company = tenant.company("Chairs-" + partner, "Chairs Unlimited " + partner);
        agreement = tenant.agreement(company, "Chairs cloud", Tenant.Terms.MONTHLY_USD);
        tenant.mapCustomer(CUSTOMER, company);
        tenant.mapProduct(PRODUCT, catalogItem);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void everyOrderTypeEndsAsTheRightAdditions(Transport transport) throws Exception {
        String sub = "sub-" + transport.name().toLowerCase() + "-" + partner;
        RouteCounts routes = new RouteCounts(camel, "subscription-events-ingest", "subscription-event-record", "subscription-sync",
                "subscription-task-sync", "task-operation-deliver", "connectwise-deliver", "subscription-events-kafka",
                "subscription-events-batch");

        // SALES_ORDER / NEW (R25): one base line of 10 from the start date to the subscription end.
        send(transport, sub, event("sale", sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null));
        // Every event passes ingest and record (from Kafka: its poll batch's route), sync and task sync; the one
        // operation goes to ConnectWise.
        boolean kafka = transport == Transport.KAFKA;
        routes.assertCompleted("subscription-events-ingest", kafka ? 0 : 1);
        routes.assertCompleted("subscription-event-record", kafka ? 0 : 1);
        routes.assertCompleted("subscription-events-batch", kafka ? 1 : 0);
        routes.assertCompleted("subscription-sync", 1);
        routes.assertCompleted("subscription-task-sync", 1);
        routes.assertCompleted("task-operation-deliver", 1);
        routes.assertCompleted("connectwise-deliver", 1);
        routes.assertCompleted("subscription-events-kafka", transport == Transport.KAFKA ? 1 : 0);
        JsonNode base = single(licenceLines(sub));
        assertThat(base.path("quantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(base.path("effectiveDate").asText()).startsWith("2024-02-14");
        assertThat(base.path("cancelledDate").asText()).startsWith("2025-02-13");
        assertThat(base.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(base.path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(base.path("product").path("id").asLong()).isEqualTo(catalogItem);

        // BILLING_ORDER / USAGE (R24): one quantity-1 line, price 3 x 5.00, cost 3 x 4.00.
        ObjectNode usage = event("usage", sub, "BILLING_ORDER", "USAGE", "2024-03-02T08:00:00Z", 10, null);
        usage.putObject("usage").put("periodStart", "2024-02-14").put("periodEnd", "2024-02-29")
                .put("overusedAmount", new BigDecimal("3")).put("overusePrice", new BigDecimal("5.00"))
                .put("overuseCost", new BigDecimal("4.00"));
        send(transport, sub, usage);
        JsonNode usageLine = single(usageLines(sub));
        assertThat(usageLine.path("quantity").decimalValue()).isEqualByComparingTo("1");
        assertThat(usageLine.path("unitPrice").decimalValue()).isEqualByComparingTo("15.00");
        assertThat(usageLine.path("unitCost").decimalValue()).isEqualByComparingTo("12.00");
        // R24 (probe 57 P57-4): dated over the whole billing period of the usage (14 to 29 February), so no proration
        // cuts the amount; the description keeps the usage period
        assertThat(usageLine.path("effectiveDate").asText()).startsWith("2024-02-01");
        assertThat(usageLine.path("cancelledDate").asText()).startsWith("2024-02-29");
        assertThat(usageLine.path("description").asText()).contains("2024-02-14");

        // CHANGE_ORDER / LICENSE_INCREASE (R12, ACTUAL_DATE): a +2 delta line from the change to the month's end.
        send(transport, sub, event("increase", sub, "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10));
        List<JsonNode> licences = licenceLines(sub);
        assertThat(licences).hasSize(2);
        JsonNode delta = licences.stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-03-15")).findFirst()
                .orElseThrow();
        assertThat(delta.path("quantity").decimalValue()).isEqualByComparingTo("2");
        assertThat(delta.path("cancelledDate").asText()).startsWith("2024-03-31");
        // R17 v2: the delta line carries the subscription's unit price and cost; proration is ConnectWise's.
        assertThat(delta.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(delta.path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(activeLicences(licences, "2024-03-14")).isEqualByComparingTo("10");
        assertThat(activeLicences(licences, "2024-03-15")).isEqualByComparingTo("12");

        // February is invoiced in ConnectWise; then CANCELLATION_ORDER / CANCEL on 20 March (R21,
        // CANCEL_PER_CANCELLATION_DATE): nothing bills from the 20th on, the days before stay billed,
        // the usage line is left alone.
        sandbox.invoice(agreement, "2024-02-29");
        ObjectNode cancel = event("cancel", sub, "CANCELLATION_ORDER", "CANCEL", "2024-03-18T10:00:00Z", 12, null);
        cancel.put("cancellationDate", "2024-03-20");
        send(transport, sub, cancel);
        List<JsonNode> afterCancel = licenceLines(sub);
        assertThat(activeLicences(afterCancel, "2024-02-20")).isEqualByComparingTo("10");
        assertThat(activeLicences(afterCancel, "2024-03-19")).isEqualByComparingTo("12");
        assertThat(activeLicences(afterCancel, "2024-03-20")).isEqualByComparingTo("0");
        assertThat(activeLicences(afterCancel, "2024-03-31")).isEqualByComparingTo("0");
        assertThat(activeLicences(afterCancel, "2024-06-01")).isEqualByComparingTo("0");
        assertThat(single(usageLines(sub)).path("unitPrice").decimalValue()).isEqualByComparingTo("15.00");

        // A decrease dated 17 March arrives after the cancellation (R21 x R10): it bills 11 until the 19th, nothing after.
        send(transport, sub, event("late-decrease", sub, "CHANGE_ORDER", "LICENSE_DECREASE", "2024-03-17T10:00:00Z", 11, 12));
        List<JsonNode> afterLate = licenceLines(sub);
        assertThat(activeLicences(afterLate, "2024-03-16")).isEqualByComparingTo("12");
        assertThat(activeLicences(afterLate, "2024-03-17")).isEqualByComparingTo("11");
        assertThat(activeLicences(afterLate, "2024-03-19")).isEqualByComparingTo("11");
        assertThat(activeLicences(afterLate, "2024-03-20")).isEqualByComparingTo("0");
        assertThat(activeLicences(afterLate, "2024-03-31")).isEqualByComparingTo("0");
        assertThat(activeLicences(afterLate, "2024-04-01")).isEqualByComparingTo("0");

        assertThat(jdbc.queryForList("SELECT status FROM sync_task WHERE partner_id = ? ORDER BY task_id", String.class, partner))
                .containsExactly("SYNCED", "SYNCED", "SYNCED", "SYNCED", "SYNCED");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDuplicateEventChangesNothing(Transport transport) throws Exception {
        String sub = "sub-dup-" + transport.name().toLowerCase() + "-" + partner;
        ObjectNode sale = event("sale", sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 4, null);
        send(transport, sub, sale);
        sandbox.resetCalls();
        RouteCounts routes = new RouteCounts(camel, "subscription-event-record", "subscription-events-batch", "subscription-task-sync");

        if (transport == Transport.HTTP) {
            ResponseEntity<String> again = post("/api/v1/events", sale.toString());
            assertThat(again.getStatusCode().value()).isEqualTo(200);
        } else {
            produce(sub, sale.toString());
        }

        // From Kafka the repeat is stored by its poll batch's route.
        routes.assertCompleted(transport == Transport.HTTP ? "subscription-event-record" : "subscription-events-batch", 1);
        Thread.sleep(300);
        routes.assertCompleted("subscription-task-sync", 0);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_task WHERE partner_id = ?", Long.class, partner)).isEqualTo(1);
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        assertThat(licenceLines(sub)).hasSize(1);
    }

    @Test
    void anInvalidEventIsParkedAndAPlanWritesNothing() throws Exception {
        RouteCounts routes = new RouteCounts(camel, "subscription-event-park", "subscription-event-record", "subscription-plan");
        ObjectNode invalid = event("bad", "sub-bad-" + partner, "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", -1, 10);
        assertThat(post("/api/v1/events", invalid.toString()).getStatusCode().value()).isEqualTo(400);
        routes.assertCompleted("subscription-event-park", 1);
        routes.assertCompleted("subscription-event-record", 0);

        String sub = "sub-plan-" + partner;
        ResponseEntity<String> plan = post("/api/v1/plan", event("plan", sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 3, null).toString());
        assertThat(plan.getStatusCode().value()).as(plan.getBody()).isEqualTo(200);
        routes.assertCompleted("subscription-plan", 1);
        assertThat(mapper.readTree(plan.getBody()).path("operations")).hasSize(1);
        assertThat(licenceLines(sub)).isEmpty();
    }

    // ---- sending

    private void send(Transport transport, String sub, ObjectNode event) throws Exception {
        String eventId = event.path("eventId").asText();
        if (transport == Transport.HTTP) {
            ResponseEntity<String> response = post("/api/v1/events", event.toString());
            assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        } else {
            produce(sub, event.toString());
        }
        awaitSynced(eventId);
    }

    private void produce(String key, String value) throws Exception {
        produce(TOPIC, key, value);
    }

    private void awaitSynced(String eventId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        Map<String, Object> task = Map.of();
        while (System.nanoTime() < deadline) {
            List<Map<String, Object>> rows = jdbc.queryForList(
                    "SELECT status, coalesce(reason, '') AS reason FROM sync_task WHERE event_id = ?", eventId);
            if (!rows.isEmpty()) {
                task = rows.get(0);
                if (Set.of("SYNCED", "FAILED", "NEEDS_MAPPING").contains((String) task.get("status"))) {
                    break;
                }
            }
            Thread.sleep(100);
        }
        assertThat(task.get("status")).as("task of %s: %s", eventId, task).isEqualTo("SYNCED");
    }

    private ObjectNode event(String name, String sub, String type, String action, String occurredAt, int quantity,
            Integer previousQuantity) {
        return TestEvents.event(partner, name + "-" + sub, sub, type, action, occurredAt, quantity, previousQuantity);
    }

    private ResponseEntity<String> post(String path, String body) {
        return api.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    // ---- reading back from the sandbox's ConnectWise API

    /** Additions of the subscription, split by the line role the bundle recorded for each (line key sub/ROLE/date#rev). */
    private List<JsonNode> lines(String sub, boolean usage) {
        Set<Long> usageIds = jdbc.queryForList("SELECT addition_id FROM subscription_line WHERE partner_id = ? AND subscription_id = ?"
                        + " AND line_key LIKE ?", Long.class, partner, sub, sub + "/USAGE/%").stream().collect(Collectors.toSet());
        Set<Long> ids = jdbc.queryForList("SELECT addition_id FROM subscription_line WHERE partner_id = ? AND subscription_id = ?",
                Long.class, partner, sub).stream().collect(Collectors.toSet());
        return client.getAll(cw, "finance/agreements/" + agreement + "/additions", null).stream()
                .filter(a -> ids.contains(a.path("id").asLong()))
                .filter(a -> usageIds.contains(a.path("id").asLong()) == usage)
                .toList();
    }

    private List<JsonNode> licenceLines(String sub) {
        return lines(sub, false);
    }

    private List<JsonNode> usageLines(String sub) {
        return lines(sub, true);
    }

    private static JsonNode single(List<JsonNode> lines) {
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    /** R10: licences billed on a day = sum of the quantities of the lines active that day. */
    private static BigDecimal activeLicences(List<JsonNode> lines, String day) {
        LocalDate d = LocalDate.parse(day);
        return lines.stream().filter(a -> {
            LocalDate from = LocalDate.parse(a.path("effectiveDate").asText().substring(0, 10));
            String to = a.path("cancelledDate").asText("");
            return !from.isAfter(d) && (to.isEmpty() || !LocalDate.parse(to.substring(0, 10)).isBefore(d));
        }).map(a -> a.path("quantity").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
