package io.cwbridge.ingest;

import static io.cwbridge.tasks.ApiEvents.json;
import static io.cwbridge.tasks.ApiEvents.salesOrder;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.tasks.ApiEvents;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/** Fix-and-replay over real HTTP (SPEC 2): park, list, replay (invalid again, then fixed), discard, conflicts. */
class ParkedEventApiTest extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired PartnerConnectionRepository connections;
    @Autowired JdbcTemplate jdbc;

    ApiEvents api;
    String partner;

    @BeforeEach
    void knownPartner() {
        api = new ApiEvents(port);
        // A fresh partner per test: the context (and its database) is shared by the test classes.
        partner = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        connections.save(partner, new SandboxAdmin(port, env).connection());
    }

    /** SALES_ORDER/NEW with quantity -1: invalid, so parked; answers the parked id. */
    private ObjectNode invalidEvent() {
        ObjectNode event = salesOrder(partner);
        ((ObjectNode) event.get("subscription")).put("quantity", -1);
        return event;
    }

    private long park(ObjectNode event) {
        ResponseEntity<String> response = api.post("/events", event.toString());
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        return json(response).path("parkedId").asLong();
    }

    @Test
    void parkedEventIsListedWithItsReasonsAndRawText() {
        ObjectNode event = invalidEvent();
        long parkedId = park(event);

        JsonNode page = json(api.get("/parked-events?status=PARKED&partnerId={p}", partner));
        assertThat(page.path("total").asLong()).isEqualTo(1);
        JsonNode row = page.path("items").get(0);
        assertThat(row.path("parkedId").asLong()).isEqualTo(parkedId);
        assertThat(row.path("source").asText()).isEqualTo("HTTP");
        assertThat(row.path("partnerId").asText()).isEqualTo(partner);
        assertThat(row.path("eventId").asText()).isEqualTo(event.path("eventId").asText());
        assertThat(row.path("status").asText()).isEqualTo("PARKED");
        assertThat(row.path("parkedAt").isTextual()).isTrue();
        assertThat(row.path("resolvedAt").isNull()).isTrue();
        assertThat(row.path("rawPayload").asText()).isEqualTo(event.toString());
        assertThat(row.path("reasons").get(0).path("field").asText()).isEqualTo("subscription.quantity");
        assertThat(row.path("reasons").get(0).path("message").asText()).isNotBlank();

        JsonNode one = json(api.get("/parked-events/{id}", parkedId));
        assertThat(one).isEqualTo(row);
        assertThat(api.get("/parked-events/{id}", Long.MAX_VALUE).getStatusCode().value()).isEqualTo(404);
        assertThat(json(api.get("/parked-events?status=REPLAYED&partnerId={p}", partner)).path("total").asLong()).isZero();
    }

    @Test
    void listIsNewestFirstAndPaged() {
        long first = park(invalidEvent());
        long second = park(invalidEvent());

        JsonNode page = json(api.get("/parked-events?partnerId={p}&limit=1", partner));
        assertThat(page.path("total").asLong()).isEqualTo(2);
        assertThat(page.path("items").get(0).path("parkedId").asLong()).isEqualTo(second);
        JsonNode next = json(api.get("/parked-events?partnerId={p}&limit=1&offset=1", partner));
        assertThat(next.path("items").get(0).path("parkedId").asLong()).isEqualTo(first);
    }

    @Test
    void badQueryParametersAreFieldErrors() {
        ResponseEntity<String> response = api.get("/parked-events?status=LOST");
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(json(response).path("errors").get(0).path("field").asText()).isEqualTo("status");
        assertThat(json(api.get("/parked-events?limit=0")).path("errors").get(0).path("field").asText()).isEqualTo("limit");
    }

    @Test
    void replayStillInvalidSupersedesThenFixedReplayIsAccepted() {
        ObjectNode event = invalidEvent();
        long parkedId = park(event);

        // The same text again: parked as a new row that supersedes the old one.
        ResponseEntity<String> again = api.post("/parked-events/{id}/replay", null, parkedId);
        assertThat(again.getStatusCode().value()).isEqualTo(400);
        assertThat(again.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        JsonNode problem = json(again);
        long newId = problem.path("parkedId").asLong();
        assertThat(newId).isNotEqualTo(parkedId).isPositive();
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("subscription.quantity");

        JsonNode old = json(api.get("/parked-events/{id}", parkedId));
        assertThat(old.path("status").asText()).isEqualTo("SUPERSEDED");
        assertThat(old.path("resolvedAt").isTextual()).isTrue();
        JsonNode fresh = json(api.get("/parked-events/{id}", newId));
        assertThat(fresh.path("status").asText()).isEqualTo("PARKED");
        assertThat(fresh.path("source").asText()).isEqualTo("REPLAY");

        // The fixed event: accepted, the row REPLAYED and pointing at the event, a task exists.
        ((ObjectNode) event.get("subscription")).put("quantity", 5);
        ResponseEntity<String> fixed = api.post("/parked-events/{id}/replay", event.toString(), newId);
        assertThat(fixed.getStatusCode().value()).isEqualTo(200);
        JsonNode answer = json(fixed);
        assertThat(answer.path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(answer.path("eventId").asText()).isEqualTo(event.path("eventId").asText());
        long taskId = answer.path("taskId").asLong();
        assertThat(taskId).isPositive();

        JsonNode replayed = json(api.get("/parked-events/{id}", newId));
        assertThat(replayed.path("status").asText()).isEqualTo("REPLAYED");
        assertThat(replayed.path("resolvedAt").isTextual()).isTrue();
        assertThat(replayed.path("replayedEventId").asText()).isEqualTo(event.path("eventId").asText());
        assertThat(jdbc.queryForObject("SELECT source FROM subscription_event WHERE event_id = ?", String.class,
                event.path("eventId").asText())).isEqualTo("REPLAY");
        JsonNode task = json(api.get("/tasks/{id}", taskId));
        assertThat(task.path("eventId").asText()).isEqualTo(event.path("eventId").asText());
        assertThat(task.path("partnerId").asText()).isEqualTo(partner);

        // Neither row can be replayed again.
        ResponseEntity<String> twice = api.post("/parked-events/{id}/replay", event.toString(), newId);
        assertThat(twice.getStatusCode().value()).isEqualTo(409);
        assertThat(twice.getHeaders().getContentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).isTrue();
        assertThat(api.post("/parked-events/{id}/replay", null, parkedId).getStatusCode().value()).isEqualTo(409);
    }

    @Test
    void aCorrectedEventSentAgainResolvesItsParkedCopiesAsResent() {
        ObjectNode event = invalidEvent();
        String eventId = event.path("eventId").asText();
        long first = park(event);
        long second = park(event); // the sender retried the invalid text
        long otherEvent = park(invalidEvent());
        ((ObjectNode) event.get("subscription")).put("quantity", 3);
        assertThat(api.post("/events", event.toString()).getStatusCode().value()).isEqualTo(202);

        // The valid event has arrived: neither copy waits for an operator any more, and each names the event.
        for (long parkedId : List.of(first, second)) {
            JsonNode row = json(api.get("/parked-events/{id}", parkedId));
            assertThat(row.path("status").asText()).isEqualTo("RESENT");
            assertThat(row.path("replayedEventId").asText()).isEqualTo(eventId);
            assertThat(row.path("resolvedAt").isTextual()).isTrue();
            assertThat(api.post("/parked-events/{id}/replay", event.toString(), parkedId).getStatusCode().value()).isEqualTo(409);
        }
        JsonNode waiting = json(api.get("/parked-events?status=PARKED&partnerId={p}", partner));
        assertThat(waiting.path("total").asLong()).isEqualTo(1);
        assertThat(waiting.path("items").get(0).path("parkedId").asLong()).isEqualTo(otherEvent);
        // Sent once more, it is a repeat: nothing else changes.
        assertThat(api.post("/events", event.toString()).getStatusCode().value()).isEqualTo(200);
        assertThat(json(api.get("/parked-events?status=RESENT&partnerId={p}", partner)).path("total").asLong()).isEqualTo(2);
    }

    @Test
    void aFixedReplayOfOneCopyIsReplayedAndTheOtherCopiesResent() {
        ObjectNode event = invalidEvent();
        long first = park(event);
        long second = park(event);
        ((ObjectNode) event.get("subscription")).put("quantity", 4);

        ResponseEntity<String> replay = api.post("/parked-events/{id}/replay", event.toString(), second);
        assertThat(replay.getStatusCode().value()).isEqualTo(200);
        assertThat(json(replay).path("outcome").asText()).isEqualTo("ACCEPTED");
        JsonNode replayed = json(api.get("/parked-events/{id}", second));
        assertThat(replayed.path("status").asText()).isEqualTo("REPLAYED");
        assertThat(replayed.path("replayedEventId").asText()).isEqualTo(event.path("eventId").asText());
        assertThat(json(api.get("/parked-events/{id}", first)).path("status").asText()).isEqualTo("RESENT");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_task WHERE event_id = ?", Long.class,
                event.path("eventId").asText())).isEqualTo(1);
    }

    @Test
    void replayOfAnEventAcceptedUnderAnotherEventIdIsADuplicateAndStillResolvesTheRow() {
        // The parked text names one eventId; the event was accepted before under it, the fix keeps it: a repeat.
        ObjectNode accepted = salesOrder(partner);
        assertThat(api.post("/events", accepted.toString()).getStatusCode().value()).isEqualTo(202);
        ObjectNode broken = accepted.deepCopy();
        broken.put("eventId", UUID.randomUUID().toString());
        ((ObjectNode) broken.get("subscription")).put("quantity", -1);
        long parkedId = park(broken);

        ResponseEntity<String> replay = api.post("/parked-events/{id}/replay", accepted.toString(), parkedId);
        assertThat(replay.getStatusCode().value()).isEqualTo(200);
        assertThat(json(replay).path("outcome").asText()).isEqualTo("DUPLICATE");
        JsonNode row = json(api.get("/parked-events/{id}", parkedId));
        assertThat(row.path("status").asText()).isEqualTo("REPLAYED");
        assertThat(row.path("replayedEventId").asText()).isEqualTo(accepted.path("eventId").asText());
    }

    @Test
    void discardResolvesTheRowAndBlocksReplay() {
        long parkedId = park(invalidEvent());

        ResponseEntity<String> discarded = api.post("/parked-events/{id}/discard", "{\"reason\":\"test order\"}", parkedId);
        assertThat(discarded.getStatusCode().value()).isEqualTo(200);
        assertThat(json(discarded).path("status").asText()).isEqualTo("DISCARDED");
        assertThat(json(discarded).path("resolvedAt").isTextual()).isTrue();

        assertThat(api.post("/parked-events/{id}/replay", null, parkedId).getStatusCode().value()).isEqualTo(409);
        assertThat(api.post("/parked-events/{id}/discard", null, parkedId).getStatusCode().value()).isEqualTo(409);
        assertThat(api.post("/parked-events/{id}/discard", null, Long.MAX_VALUE).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void discardWithoutBody() {
        long parkedId = park(invalidEvent());
        ResponseEntity<String> discarded = api.post("/parked-events/{id}/discard", null, parkedId);
        assertThat(discarded.getStatusCode().value()).isEqualTo(200);
        assertThat(json(discarded).path("status").asText()).isEqualTo("DISCARDED");
    }

    @Test
    void concurrentReplaysOfOneRowMakeOneTask() throws Exception {
        ObjectNode event = invalidEvent();
        long parkedId = park(event);
        // Two operators, two different fixes (different eventIds): only one may become a task.
        List<Callable<ResponseEntity<String>>> operators = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ObjectNode fix = event.deepCopy();
            fix.put("eventId", UUID.randomUUID().toString());
            ((ObjectNode) fix.get("subscription")).put("quantity", 7);
            operators.add(() -> api.post("/parked-events/{id}/replay", fix.toString(), parkedId));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Integer> statuses = new ArrayList<>();
            for (Future<ResponseEntity<String>> f : pool.invokeAll(operators)) statuses.add(f.get().getStatusCode().value());
            assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_task WHERE partner_id = ?", Long.class, partner)).isEqualTo(1);
    }
}
