package io.cwbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Route slices of routes/subscription-events.yaml on the shared context: {@link MockEndpoint}s woven at
 * the end of subscription-event-record and subscription-event-park and before the hand-over to
 * seda:subscription-sync (AdviceWith by route id and endpoint; the mocks only record, so every other
 * test of the context runs the same routes). Asserts each branch with events sent over HTTP: the
 * choice of subscription-events-ingest (a valid event is recorded, an invalid one parked) and the
 * filter of subscription-event-record (a repeated eventId is not handed over to the sync again). The
 * tests run one at a time, so a mock's count before and after one request is that request's.
 */
class SubscriptionEventsRouteSliceTest extends BundleTestBase {

    private static final String RECORD = "mock:subscription-event-record";
    private static final String PARK = "mock:subscription-event-park";
    private static final String HAND_OVER = "mock:subscription-sync-hand-over";

    @LocalServerPort int port;
    @Autowired CamelContext camel;
    @Autowired JdbcTemplate jdbc;

    private Tenant tenant;
    private String partner;

    @BeforeEach
    void watchTheBranches() throws Exception {
        if (camel.hasEndpoint(RECORD) == null) {
            AdviceWith.adviceWith(camel, "subscription-event-record", a -> {
                a.weaveByToUri("seda:subscription-sync*").before().to(HAND_OVER);
                a.weaveAddLast().to(RECORD);
            });
        }
        if (camel.hasEndpoint(PARK) == null) {
            AdviceWith.adviceWith(camel, "subscription-event-park", a -> a.weaveAddLast().to(PARK));
        }
        tenant = Tenant.connected("evr", port);
        partner = tenant.partner();
        tenant.chairs("-" + partner, Tenant.Terms.MONTHLY_USD);
    }

    @Test
    void aValidEventIsRecordedAndHandedOverToItsSubscriptionsSync() {
        String sub = "sub-valid-" + partner;
        Counts before = counts();

        long task = tenant.submit(sale("sale-" + sub, sub));

        assertThat(counts()).isEqualTo(before.plus(1, 0, 1));
        Exchange handedOver = last(HAND_OVER);
        assertThat(handedOver.getIn().getHeader("partnerId")).isEqualTo(partner);
        assertThat(handedOver.getIn().getHeader("subscriptionId")).isEqualTo(sub);
        assertThat(tenant.awaitTask(task, "SYNCED", "FAILED", "NEEDS_MAPPING").path("status").asText()).isEqualTo("SYNCED");
    }

    @Test
    void aRepeatedEventIsRecordedOnceAndNotHandedOverAgain() {
        String sub = "sub-again-" + partner;
        ObjectNode sale = sale("sale-" + sub, sub);
        long task = tenant.submit(sale);
        assertThat(tenant.awaitTask(task, "SYNCED", "FAILED", "NEEDS_MAPPING").path("status").asText()).isEqualTo("SYNCED");
        Counts before = counts();

        ResponseEntity<String> again = tenant.post(sale);

        assertThat(again.getStatusCode().value()).as(again.getBody()).isEqualTo(200);
        assertThat(tenant.json(again).path("taskId").asLong()).isEqualTo(task);
        assertThat(counts()).as("through the record route, past the filter's hand-over").isEqualTo(before.plus(1, 0, 0));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_task WHERE partner_id = ?", Long.class, partner)).isEqualTo(1);
    }

    @Test
    void anInvalidEventIsParkedAndNeverRecorded() {
        String sub = "sub-invalid-" + partner;
        ObjectNode invalid = sale("sale-" + sub, sub);
        ((ObjectNode) invalid.path("subscription")).put("quantity", -1);
        Counts before = counts();

        ResponseEntity<String> refused = tenant.post(invalid);

        assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(400);
        assertThat(counts()).isEqualTo(before.plus(0, 1, 0));
        JsonNode problem = tenant.json(refused);
        assertThat(problem.path("errors").findValuesAsText("field")).contains("subscription.quantity");
        long parkedId = problem.path("parkedId").asLong();
        JsonNode parked = tenant.json(Tenant.ok(tenant.bundle().get().uri("/api/v1/parked-events/{id}", parkedId)
                .retrieve().toEntity(String.class)));
        assertThat(parked.path("status").asText()).isEqualTo("PARKED");
        assertThat(parked.path("eventId").asText()).isEqualTo("sale-" + sub);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_task WHERE partner_id = ?", Long.class, partner)).isZero();
    }

    private ObjectNode sale(String eventId, String sub) {
        return TestEvents.event(partner, eventId, sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);
    }

    /** Exchanges that reached the end of the record route, the end of the park route, and the hand-over. */
    private record Counts(int recorded, int parked, int handedOver) {
        Counts plus(int r, int p, int h) {
            return new Counts(recorded + r, parked + p, handedOver + h);
        }
    }

    private Counts counts() {
        return new Counts(received(RECORD).size(), received(PARK).size(), received(HAND_OVER).size());
    }

    private List<Exchange> received(String mock) {
        return camel.getEndpoint(mock, MockEndpoint.class).getReceivedExchanges();
    }

    private Exchange last(String mock) {
        List<Exchange> exchanges = received(mock);
        return exchanges.get(exchanges.size() - 1);
    }
}
