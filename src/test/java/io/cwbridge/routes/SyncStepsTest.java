package io.cwbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.TaskAwait;
import io.cwbridge.testsupport.TestEvents;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
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
 * Issue 14 profile: Camel's own work per steady-state change event on the sync path (a licence increase or decrease
 * of a mapped subscription, one ConnectWise write), counted from the running routes ({@link RouteSteps}): the steps
 * run, those that ran under an error handler with redelivery (a defensive copy of the whole exchange each), the
 * {@code method:} expressions (camel-bean copies the exchange for each), simple expressions calling a method and bean
 * calls naming their method with a parameter list (camel-bean parses it on every call).
 * Counts, not times: what the routes do per event, whatever the machine.
 */
class SyncStepsTest extends BundleTestBase {

    static final String[] SYNC_PATH = {"subscription-sync", "subscription-tasks", "subscription-task-sync", "addition-rules",
            "change-order", "task-deliver", "task-operation-deliver", "connectwise-deliver", "connectwise-http"};

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired ConnectWiseClient client;
    @Autowired PartnerConnectionRepository connections;
    @Autowired JdbcTemplate jdbc;
    @Autowired CamelContext camel;

    final ObjectMapper mapper = new ObjectMapper();

    @Test
    void aSteadyStateChangeEventRunsFewCamelStepsAndCopiesTheExchangeRarely() throws Exception {
        SandboxAdmin sandbox = new SandboxAdmin(port, env);
        ConnectWiseConnection cw = sandbox.connection();
        String partner = "steps-" + UUID.randomUUID().toString().substring(0, 8);
        connections.save(partner, cw);
        RestClient api = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { }).build();
        long catalogItem = client.create(cw, "procurement/catalog", Map.of("identifier", partner, "description", "M365 BP",
                "customerDescription", "M365 BP", "subcategory", Map.of("name", "Cloud"), "type", Map.of("name", "Subscription")),
                null).path("id").asLong();
        long company = client.create(cw, "company/companies", Map.of("identifier", partner, "name", "Steps Unlimited"), null)
                .path("id").asLong();
        jdbc.update("INSERT INTO customer_mapping (partner_id, customer_id, company_id) VALUES (?, '65533', ?)", partner, company);
        jdbc.update("INSERT INTO product_mapping (partner_id, product_id, catalog_item_id) VALUES (?, 'CFQ7TTC0LCHC:0002', ?)",
                partner, catalogItem);
        // invoiced in advance through this month, as agreements usually are: the steady state plans from the bundle's copies
        long agreement = client.create(cw, "finance/agreements", Map.of("name", "Steps cloud", "type", Map.of("name", "Cloud"),
                "company", Map.of("id", company), "contact", Map.of("name", "Billing"), "startDate", "2024-01-01T00:00:00Z",
                "billingCycle", Map.of("name", "Monthly"), "currency", Map.of("currencyCode", "USD"), "prorateFlag", true,
                "invoiceProratedAdditionsFlag", true), null).path("id").asLong();
        LocalDate month = LocalDate.now(ZoneOffset.UTC);
        sandbox.invoice(agreement, month.withDayOfMonth(month.lengthOfMonth()).toString());

        assertThat(sync(api, TestEvents.event(partner, partner + "-sale", "sub-1", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null)
                .toString())).isEqualTo("SYNCED");
        int[] quantities = {12, 11, 15, 13};
        String[] actions = {"LICENSE_INCREASE", "LICENSE_DECREASE", "LICENSE_INCREASE", "LICENSE_DECREASE"};
        // the first change warms what the bundle keeps for the subscription; the next three are the steady state
        assertThat(sync(api, change(partner, 0, actions[0], quantities[0], 10))).isEqualTo("SYNCED");
        Thread.sleep(300); // the run's last steps after SYNCED (next task, unlock, release)
        RouteSteps.Counts counts, all;
        RouteCounts calls = new RouteCounts(camel, "connectwise-http");
        // the variables each hand-over ended with (route subscription-sync)
        List<Set<String>> handOvers = new CopyOnWriteArrayList<>();
        EventNotifierSupport done = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeCompletedEvent completed
                        && "subscription-sync".equals(completed.getExchange().getFromRouteId())) {
                    handOvers.add(Set.copyOf(completed.getExchange().getVariables().keySet()));
                }
            }
        };
        done.start();
        camel.getManagementStrategy().addEventNotifier(done);
        try (RouteSteps steps = new RouteSteps(camel)) {
            assertThat(steps.size()).as("steps counted").isGreaterThan(100);
            for (int c = 1; c < 4; c++) {
                assertThat(sync(api, change(partner, c, actions[c], quantities[c], quantities[c - 1]))).isEqualTo("SYNCED");
            }
            Thread.sleep(300);
            calls.assertCompleted("connectwise-http", 3); // one write per event, nothing read
            all = steps.since();
            counts = steps.since(SyncStepsTest::syncPath);
        } finally {
            camel.getManagementStrategy().removeEventNotifier(done);
        }
        all.byRoute().forEach((route, n) -> System.out.printf(
                "STEPS %-40s steps %4d  copies %4d  method: %4d  simple calls %4d  parameter lists %4d%n",
                route, n[0], n[1], n[2], n[3], n[4]));
        System.out.println("STEPS per steady-state change event: " + counts.perEvent(3));
        assertThat(counts.byRoute().keySet()).as("routes run").contains(SYNC_PATH);
        // issue 14: the task's exchange (subscription-task-sync and the routes it calls) and each ConnectWise call run
        // without per-step copies (42 per event before); what is left copies the hand-over's small exchange before the
        // steps outside its doTry blocks (subscription-sync, subscription-tasks; inside a doTry Camel applies no error
        // handler)
        assertThat(counts.copies()).as("defensive exchange copies of 3 events").isLessThanOrEqualTo(3 * 6);
        // and a bean's answer reaches the variables through the bean endpoint, not a method: expression copying the
        // exchange (20 per event, then 7); what is left is the hand-over's claim (subscription-sync's filter, outside its
        // doTry, where a bean endpoint and a filter on its answer would cost a defensive copy instead)
        assertThat(counts.beanExpressions()).as("method: expressions of 3 events").isLessThanOrEqualTo(3);
        assertThat(counts.byRoute().get("subscription-task-sync")[2]).as("method: expressions of subscription-task-sync").isZero();
        assertThat(counts.byRoute().get("subscription-tasks")[2]).as("method: expressions of subscription-tasks").isZero();
        // each bean step names only its method and binds its parameters by annotation (@Variable, @Body, @Header), once per
        // method, instead of a parameter list camel-bean parses on every call (30 per event before)
        assertThat(counts.parameterLists()).as("bean calls with a parameter list of 3 events").isZero();
        // nor does a step's expression call into a value by bean OGNL (the sink's ${body.additionId}: 1 per event before)
        assertThat(counts.ognlCalls()).as("simple expressions calling into a value, 3 events").isZero();
        // the hand-over drops the intake's headers after reading its two (subscription-sync): a bean endpoint's
        // variableReceive copies every header of the message into a variable header:<variable>.<name>
        assertThat(handOvers).as("hand-overs of 3 events").hasSizeGreaterThanOrEqualTo(3).allSatisfy(variables -> assertThat(variables)
                .contains("partnerId", "subscriptionId", "taskSync", "runAgain").noneMatch(name -> name.startsWith("header:")));
    }

    /** The routes of routes/subscription-sync.yaml, order-types.yaml, connectwise-*.yaml and the sink Kamelet's (not the intake's). */
    static boolean syncPath(String routeId) {
        return !routeId.startsWith("subscription-event") && !routeId.startsWith("subscription-retries");
    }

    static String change(String partner, int c, String action, int quantity, int previous) {
        return TestEvents.event(partner, partner + "-c" + c, "sub-1", "CHANGE_ORDER", action, "2024-03-0" + (1 + 2 * c) + "T10:00:00Z",
                quantity, previous).toString();
    }

    String sync(RestClient api, String body) throws Exception {
        ResponseEntity<String> response = api.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        return TaskAwait.status(jdbc, mapper.readTree(response.getBody()).path("taskId").asLong(), "SYNCED", "FAILED");
    }
}
