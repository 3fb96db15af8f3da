package io.cwbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.rules.PlannedOperation;
import io.cwbridge.sync.TaskPlanner;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
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
 * Route slices of the router in routes/order-types.yaml and the branches of subscription-task-sync:
 * the real context (database, sandbox over HTTP) with a {@link MockEndpoint} woven at the end of each
 * branch's route (AdviceWith; the mocks only record, so every other test of this context still runs
 * the same routes). Each branch is asserted by what reached its mock and what its rules answered
 * (variable {@code preview}), and only this test's partner is counted. The context is the one of
 * ConnectWiseDeliverRouteTest.
 */
class OrderTypeRouterTest extends BundleTestBase {

    /** The branches of the task sync: the four order types, the resume and NEEDS_MAPPING branches. */
    private static final List<String> BRANCHES = List.of("sales-order", "change-order", "billing-order", "cancellation-order",
            "resume-stored-plan", "task-needs-mapping");
    /** The routes whose end is watched: the branches, the router and the delivery. */
    private static final List<String> WATCHED = java.util.stream.Stream.concat(BRANCHES.stream(),
            java.util.stream.Stream.of("addition-rules", "task-deliver", "subscription-tasks")).toList();

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;
    @Autowired JdbcTemplate jdbc;

    private final ObjectMapper mapper = new ObjectMapper();
    private SandboxAdmin sandbox;
    private RestClient api;
    private Tenant tenant;
    private String partner;
    private long company;

    @BeforeEach
    void setUp() throws Exception {
        for (String route : WATCHED) {
            if (camel.hasEndpoint("mock:" + route) == null) {
                AdviceWith.adviceWith(camel, route, a -> a.weaveAddLast().to("mock:" + route));
            }
        }
        sandbox = new SandboxAdmin(port, env);
        tenant = Tenant.connected("otr", port);
        partner = tenant.partner();
        api = tenant.bundle();
        long catalogItem = tenant.catalogItem("M365-BP-" + partner, "M365 BP", "Cloud", Map.of());
        company = tenant.company("Chairs-" + partner, "Chairs Unlimited " + partner);
        tenant.agreement(company, "Chairs cloud", Tenant.Terms.MONTHLY_USD);
        tenant.mapProduct(TestEvents.PRODUCT, catalogItem);
    }

    @Test
    void everyOrderTypeReachesItsRouteAndThatRoutesRules() throws Exception {
        mapCustomer();
        String sub = "sub-types-" + partner;
        sync(event("sale", sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null));
        assertThat(rules("sales-order", "sale-" + sub)).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(PlannedOperation.Kind.CREATE);
            assertThat(op.reason()).startsWith("R25");
        });

        sync(event("increase", sub, "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10));
        assertThat(rules("change-order", "increase-" + sub)).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(PlannedOperation.Kind.CREATE);
            assertThat(op.reason()).startsWith("R12");
        });

        ObjectNode usage = event("usage", sub, "BILLING_ORDER", "USAGE", "2024-03-02T08:00:00Z", 12, null);
        usage.putObject("usage").put("periodStart", "2024-02-14").put("periodEnd", "2024-02-29")
                .put("overusedAmount", 3).put("overusePrice", 5.00).put("overuseCost", 4.00);
        sync(usage);
        assertThat(rules("billing-order", "usage-" + sub)).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(PlannedOperation.Kind.CREATE);
            assertThat(op.reason()).startsWith("R24");
        });

        ObjectNode cancel = event("cancel", sub, "CANCELLATION_ORDER", "CANCEL", "2024-03-18T10:00:00Z", 12, null);
        cancel.put("cancellationDate", "2024-03-20");
        sync(cancel);
        assertThat(rules("cancellation-order", "cancel-" + sub)).isNotEmpty()
                .allSatisfy(op -> assertThat(op.reason()).matches("R2[12] .*"));

        // Each event went through its own route only.
        for (String route : BRANCHES) {
            long expected = route.endsWith("-order") ? 1 : 0;
            assertThat(received(route)).as("exchanges of %s at route %s", partner, route).hasSize((int) expected);
        }
        assertThat(received("addition-rules")).hasSize(4);
        assertThat(received("task-deliver")).hasSize(4);
        assertThat(jdbc.queryForList("SELECT status FROM sync_task WHERE partner_id = ? ORDER BY task_id", String.class, partner))
                .containsExactly("SYNCED", "SYNCED", "SYNCED", "SYNCED");
    }

    @Test
    void aTaskWithAStoredPlanContinuesItInsteadOfPlanningAgain() throws Exception {
        mapCustomer();
        String sub = "sub-resume-" + partner;
        sync(event("sale", sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null));
        // ConnectWise refuses the increase's write, and again after its one re-plan (sync/RefusedWrites):
        // the task is FAILED with its plan stored and an operation not DONE.
        sandbox.fault(Map.of("status", 400, "count", 2, "method", "POST", "pathContains", "additions"));
        ObjectNode increase = event("up", sub, "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-01T09:00:00Z", 7, 5);
        long task = submit(increase);
        assertThat(awaitStatus(task)).isEqualTo("FAILED");
        int planned = received("change-order").size();
        assertThat(planned).isPositive();
        assertThat(received("resume-stored-plan")).isEmpty();

        // A person retries it: the stored plan is delivered, not made again by the order type's route.
        ResponseEntity<String> retry = api.post().uri("/api/v1/tasks/" + task + "/retry").retrieve().toEntity(String.class);
        assertThat(mapper.readTree(retry.getBody()).path("status").asText()).as(retry.getBody()).isEqualTo("SYNCED");
        assertThat(received("resume-stored-plan")).singleElement()
                .satisfies(e -> assertThat(e.getVariable("taskId", Long.class)).isEqualTo(task));
        assertThat(received("change-order")).hasSize(planned);
        assertThat(received("task-deliver")).last().satisfies(e -> assertThat(e.getVariable("taskId", Long.class)).isEqualTo(task));
        assertThat(jdbc.queryForList("SELECT status FROM task_operation WHERE task_id = ?", String.class, task))
                .isNotEmpty().containsOnly("DONE");
    }

    @Test
    void aTaskWhoseCustomerIsNotMappedTakesTheNeedsMappingBranch() throws Exception {
        String sub = "sub-unmapped-" + partner;
        long task = submit(event("sale", sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null));
        assertThat(awaitStatus(task)).isEqualTo("NEEDS_MAPPING");
        assertThat(received("task-needs-mapping")).singleElement().satisfies(e -> {
            TaskPlanner.Preview preview = e.getVariable("preview", TaskPlanner.Preview.class);
            assertThat(preview.plan()).isNull();
            assertThat(preview.missing()).anyMatch(m -> m.contains("R1"));
        });
        assertThat(received("sales-order")).isEmpty();
        assertThat(received("task-deliver")).isEmpty();
        assertThat(jdbc.queryForObject("SELECT reason FROM sync_task WHERE task_id = ?", String.class, task)).contains("R1");
    }

    @Test
    void aSubscriptionsTasksRunInOrderAndStopAtTheFirstThatWaits() throws Exception {
        String sub = "sub-order-" + partner;
        long sale = submit(event("sale", sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null));
        assertThat(awaitStatus(sale)).isEqualTo("NEEDS_MAPPING");
        // The increase waits behind the sale: route subscription-tasks stops at the task that waits for its mapping.
        long increase = submit(event("increase", sub, "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-01T09:00:00Z", 7, 5));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (runs(sub).size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(runs(sub)).hasSize(2);
        assertThat(jdbc.queryForObject("SELECT status FROM sync_task WHERE task_id = ?", String.class, increase)).isEqualTo("PENDING");
        assertThat(received("change-order")).isEmpty();

        // Mapping the customer hands the subscription back: both tasks now run, the sale first.
        mapCustomer();
        assertThat(awaitStatus(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(awaitStatus(increase, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(jdbc.queryForList("SELECT task_id FROM sync_task WHERE partner_id = ? ORDER BY synced_at", Long.class, partner))
                .containsExactly(sale, increase);
        assertThat(received("sales-order")).hasSize(1);
        assertThat(received("change-order")).hasSize(1);
    }

    /** Runs of route subscription-tasks over {@code sub} that ended. */
    private List<Exchange> runs(String sub) {
        return camel.getEndpoint("mock:subscription-tasks", MockEndpoint.class).getReceivedExchanges().stream()
                .filter(e -> partner.equals(e.getVariable("partnerId")) && sub.equals(e.getVariable("subscriptionId"))).toList();
    }

    @Test
    void aDryRunGoesThroughTheSameOrderTypeRoutesAndWritesNothing() throws Exception {
        mapCustomer();
        String sub = "sub-dry-" + partner;
        sync(event("sale", sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null));
        Map<String, Long> before = writes();
        sandbox.resetCalls();

        List<ObjectNode> events = new ArrayList<>();
        events.add(event("d-sale", "sub-dry-new-" + partner, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 3, null));
        events.add(event("d-increase", sub, "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10));
        ObjectNode renewal = event("d-renewal", sub, "CHANGE_ORDER", "RENEWAL", "2025-02-13T09:00:00Z", 10, null);
        ((ObjectNode) renewal.path("subscription")).put("endDate", "2026-02-13").put("autoRenew", true);
        events.add(renewal);
        ObjectNode usage = event("d-usage", sub, "BILLING_ORDER", "USAGE", "2024-03-02T08:00:00Z", 10, null);
        usage.putObject("usage").put("periodStart", "2024-02-14").put("periodEnd", "2024-02-29")
                .put("overusedAmount", 3).put("overusePrice", 5.00).put("overuseCost", 4.00);
        events.add(usage);
        ObjectNode cancel = event("d-cancel", sub, "CANCELLATION_ORDER", "CANCEL", "2024-03-18T10:00:00Z", 10, null);
        cancel.put("cancellationDate", "2024-03-20");
        events.add(cancel);
        for (ObjectNode e : events) {
            ResponseEntity<String> plan = api.post().uri("/api/v1/plan").contentType(MediaType.APPLICATION_JSON).body(e.toString())
                    .retrieve().toEntity(String.class);
            assertThat(plan.getStatusCode().value()).as(plan.getBody()).isEqualTo(200);
            JsonNode answer = mapper.readTree(plan.getBody());
            assertThat(answer.path("missingMappings")).as(plan.getBody()).isEmpty();
            assertThat(answer.path("operations")).as(plan.getBody()).isNotEmpty();
        }

        assertThat(rules("sales-order", "d-sale-sub-dry-new-" + partner)).singleElement()
                .satisfies(op -> assertThat(op.reason()).startsWith("R25"));
        assertThat(rules("change-order", "d-increase-" + sub)).singleElement()
                .satisfies(op -> assertThat(op.reason()).startsWith("R12"));
        assertThat(rules("change-order", "d-renewal-" + sub)).anySatisfy(op -> {
            assertThat(op.kind()).isEqualTo(PlannedOperation.Kind.UPDATE);
            assertThat(op.reason()).startsWith("R23");
        });
        assertThat(rules("billing-order", "d-usage-" + sub)).singleElement()
                .satisfies(op -> assertThat(op.reason()).startsWith("R24"));
        assertThat(rules("cancellation-order", "d-cancel-" + sub)).isNotEmpty()
                .allSatisfy(op -> assertThat(op.reason()).matches("R2[12] .*"));
        // Nothing of a dry run is stored or sent.
        assertThat(received("resume-stored-plan")).isEmpty();
        assertThat(received("task-needs-mapping")).isEmpty();
        assertThat(received("addition-rules")).hasSize(1 + events.size());
        assertThat(received("task-deliver")).hasSize(1);
        assertThat(writes()).isEqualTo(before);
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).isZero();
    }

    // ---- what the branches saw

    /** This test's exchanges that reached the end of {@code route}. */
    private List<Exchange> received(String route) {
        return camel.getEndpoint("mock:" + route, MockEndpoint.class).getReceivedExchanges().stream()
                .filter(e -> e.getVariable("event", SubscriptionEvent.class) != null
                        && partner.equals(e.getVariable("event", SubscriptionEvent.class).partnerId()))
                .toList();
    }

    /** The operations the rules of {@code route} planned for event {@code eventId}. */
    private List<PlannedOperation> rules(String route, String eventId) {
        List<Exchange> seen = received(route).stream()
                .filter(e -> eventId.equals(e.getVariable("event", SubscriptionEvent.class).eventId())).toList();
        assertThat(seen).as("exchanges of event %s at route %s", eventId, route).hasSize(1);
        TaskPlanner.Preview preview = seen.get(0).getVariable("preview", TaskPlanner.Preview.class);
        assertThat(preview.missing()).isEmpty();
        return preview.plan().operations();
    }

    /** Rows a plan or a sync would write, for this partner. */
    private Map<String, Long> writes() {
        return Map.of(
                "sync_task", count("SELECT count(*) FROM sync_task WHERE partner_id = ?"),
                "task_operation", count("SELECT count(*) FROM task_operation o JOIN sync_task t ON t.task_id = o.task_id"
                        + " WHERE t.partner_id = ?"),
                "subscription_line", count("SELECT count(*) FROM subscription_line WHERE partner_id = ?"),
                "subscription_mapping", count("SELECT count(*) FROM subscription_mapping WHERE partner_id = ?"));
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class, partner);
    }

    // ---- sending

    private void mapCustomer() {
        tenant.mapCustomer(TestEvents.CUSTOMER, company);
    }

    private void sync(ObjectNode event) {
        long task = submit(event);
        assertThat(awaitStatus(task)).as("task of %s", event.path("eventId").asText()).isEqualTo("SYNCED");
    }

    private long submit(ObjectNode event) {
        return tenant.submit(event);
    }

    private String awaitStatus(long task) {
        return awaitStatus(task, "SYNCED", "FAILED", "NEEDS_MAPPING");
    }

    /** Waits (up to 45 s) until the task is in one of {@code ends}; answers its status then. */
    private String awaitStatus(long task, String... ends) {
        return tenant.awaitTask(task, ends).path("status").asText();
    }

    private ObjectNode event(String name, String sub, String type, String action, String occurredAt, int quantity,
            Integer previousQuantity) {
        return TestEvents.event(partner, name + "-" + sub, sub, type, action, occurredAt, quantity, previousQuantity);
    }
}
