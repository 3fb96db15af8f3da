package io.cwbridge.tasks;

import static io.cwbridge.tasks.ApiEvents.json;
import static io.cwbridge.tasks.ApiEvents.salesOrder;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.catchup.CatchUpRepository;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.rules.CatchUp;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The task read API over real HTTP (SPEC 8.2). The sync engine may move a task's status at any
 * time, so these tests assert only what it does not change, and filter on a status set by the test.
 */
class TasksApiTest extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired PartnerConnectionRepository connections;
    @Autowired JdbcTemplate jdbc;
    @Autowired CatchUpRepository catchUps;

    ApiEvents api;
    String partner;

    @BeforeEach
    void knownPartner() {
        api = new ApiEvents(port);
        partner = "acme-" + UUID.randomUUID().toString().substring(0, 8);
        connections.save(partner, new SandboxAdmin(port, env).connection());
    }

    private long accept(ObjectNode event) {
        ResponseEntity<String> response = api.post("/events", event.toString());
        assertThat(response.getStatusCode().value()).isEqualTo(202);
        return json(response).path("taskId").asLong();
    }

    @Test
    void taskShowsItsEventFields() {
        ObjectNode event = salesOrder(partner);
        long taskId = accept(event);

        JsonNode task = json(api.get("/tasks/{id}", taskId));
        assertThat(task.path("taskId").asLong()).isEqualTo(taskId);
        assertThat(task.path("eventId").asText()).isEqualTo(event.path("eventId").asText());
        assertThat(task.path("partnerId").asText()).isEqualTo(partner);
        assertThat(task.path("subscriptionId").asText()).isEqualTo(event.path("subscription").path("id").asText());
        assertThat(task.path("type").asText()).isEqualTo("SALES_ORDER");
        assertThat(task.path("action").asText()).isEqualTo("NEW");
        assertThat(java.time.OffsetDateTime.parse(task.path("occurredAt").asText()).toInstant())
                .isEqualTo(java.time.Instant.parse("2024-03-15T14:02:00Z"));
        assertThat(task.path("status").asText()).isIn("PENDING", "NEEDS_MAPPING", "SYNCED", "FAILED");
        assertThat(task.path("createdAt").isTextual()).isTrue();
        assertThat(task.path("updatedAt").isTextual()).isTrue();
        assertThat(task.has("attempts")).isTrue();
        assertThat(task.has("reason")).isTrue();
        assertThat(task.has("syncedAt")).isTrue();
        assertThat(task.path("operations").isArray()).isTrue();
        assertThat(task.path("additionIds").isArray()).isTrue();
    }

    @Test
    void unknownTaskIs404() {
        ResponseEntity<String> response = api.get("/tasks/{id}", Long.MAX_VALUE);
        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
    }

    @Test
    void operationsInPlanOrderAndAdditionIdsOfTheDoneOnes() {
        long taskId = accept(salesOrder(partner));
        // Inserted out of order: the API orders by seq. Addition 501 is done twice (distinct once).
        operation(taskId, 3, "UPDATE", 501L, "DONE");
        operation(taskId, 1, "CREATE", 501L, "DONE");
        operation(taskId, 2, "CREATE", 502L, "PLANNED");
        operation(taskId, 4, "CREATE", null, "PLANNED");
        operation(taskId, 5, "CREATE", 503L, "DONE");

        JsonNode task = json(api.get("/tasks/{id}", taskId));
        List<JsonNode> ops = new ArrayList<>();
        task.path("operations").forEach(op -> { if (op.path("seq").asInt() > 1000) ops.add(op); });
        assertThat(ops).extracting(op -> op.path("seq").asInt()).containsExactly(1001, 1002, 1003, 1004, 1005);
        JsonNode first = ops.get(0);
        assertThat(first.path("kind").asText()).isEqualTo("CREATE");
        assertThat(first.path("lineKey").asText()).isEqualTo("line-1");
        assertThat(first.path("agreementId").asLong()).isEqualTo(77);
        assertThat(first.path("additionId").asLong()).isEqualTo(501);
        assertThat(first.path("reason").asText()).isEqualTo("reason 1");
        assertThat(first.path("status").asText()).isEqualTo("DONE");
        assertThat(first.path("doneAt").isTextual()).isTrue();
        assertThat(ops.get(1).path("status").asText()).isEqualTo("PLANNED");
        assertThat(ops.get(1).path("doneAt").isNull()).isTrue();
        assertThat(ops.get(3).path("additionId").isNull()).isTrue();
        List<Long> additionIds = new ArrayList<>();
        task.path("additionIds").forEach(id -> additionIds.add(id.asLong()));
        assertThat(additionIds).contains(501L, 503L).doesNotContain(502L).doesNotHaveDuplicates();
        assertThat(additionIds.indexOf(501L)).isLessThan(additionIds.indexOf(503L));
    }

    @Test
    void partnerListFiltersByStatusAndSubscription() {
        ObjectNode firstEvent = salesOrder(partner);
        long first = accept(firstEvent);
        long second = accept(salesOrder(partner));
        // Written directly and never handed to the sync engine, so its status stays as set here.
        long failed = task(salesOrder(partner), "FAILED", "ConnectWise said no");
        api.post("/events", salesOrder("other-" + partner).toString()); // unknown partner: parked, not listed

        JsonNode onlyFailed = json(api.get("/partners/{p}/tasks?status=FAILED", partner));
        assertThat(onlyFailed.path("total").asLong()).isEqualTo(1);
        assertThat(onlyFailed.path("items").get(0).path("taskId").asLong()).isEqualTo(failed);
        assertThat(onlyFailed.path("items").get(0).path("reason").asText()).isEqualTo("ConnectWise said no");

        JsonNode all = json(api.get("/partners/{p}/tasks", partner));
        assertThat(all.path("total").asLong()).isEqualTo(3);
        assertThat(all.path("items").findValuesAsText("taskId"))
                .containsExactly(String.valueOf(failed), String.valueOf(second), String.valueOf(first));
        assertThat(all.path("items").get(0).path("operations").isArray()).isTrue();

        JsonNode bySubscription = json(api.get("/partners/{p}/tasks?subscriptionId={s}", partner,
                firstEvent.path("subscription").path("id").asText()));
        assertThat(bySubscription.path("total").asLong()).isEqualTo(1);
        assertThat(bySubscription.path("items").get(0).path("taskId").asLong()).isEqualTo(first);

        JsonNode paged = json(api.get("/partners/{p}/tasks?limit=1&offset=1", partner));
        assertThat(paged.path("items").size()).isEqualTo(1);
        assertThat(paged.path("items").get(0).path("taskId").asLong()).isEqualTo(second);
        assertThat(paged.path("limit").asInt()).isEqualTo(1);
        assertThat(paged.path("offset").asInt()).isEqualTo(1);
    }

    @Test
    void catchUpsOfInvoicedPeriodsAreShownOnTheTaskAndInTheList() {
        ObjectNode event = salesOrder(partner);
        long taskId = task(event, "SYNCED", null);
        String sub = event.path("subscription").path("id").asText();
        CatchUp march = new CatchUp(sub, 5L, LocalDate.parse("2024-03-01"), LocalDate.parse("2024-03-31"),
                LocalDate.parse("2024-03-20"), LocalDate.parse("2024-03-31"), new BigDecimal("-120"), 31, new BigDecimal("22.00"),
                new BigDecimal("18.70"), new BigDecimal("-85.16"), new BigDecimal("-72.39"), "R27 cancellation 2024-03-20 in an invoiced period", List.of());
        CatchUp april = new CatchUp(sub, 5L, LocalDate.parse("2024-04-01"), LocalDate.parse("2024-04-30"),
                LocalDate.parse("2024-04-01"), LocalDate.parse("2024-04-30"), new BigDecimal("-300"), 30, new BigDecimal("22.00"),
                new BigDecimal("18.70"), new BigDecimal("-220.00"), new BigDecimal("-187.00"), "R27 cancellation 2024-03-20 in an invoiced period", List.of());
        CatchUpRepository.Owner owner = new CatchUpRepository.Owner(partner, sub, 77, "USD", LocalDate.parse("2024-05-01"));
        catchUps.recordForTask(taskId, owner, List.of(april));
        // Planned again before anything was delivered: the new plan's catch-ups replace the old ones.
        catchUps.recordForTask(taskId, owner, List.of(march, april));

        JsonNode task = json(api.get("/tasks/{id}", taskId));
        JsonNode shown = task.path("catchUps");
        assertThat(shown).hasSize(2);
        JsonNode first = shown.get(0);
        assertThat(first.path("periodStart").asText()).isEqualTo("2024-03-01");
        assertThat(first.path("periodEnd").asText()).isEqualTo("2024-03-31");
        assertThat(first.path("from").asText()).isEqualTo("2024-03-20");
        assertThat(first.path("licenceDays").decimalValue()).isEqualByComparingTo("-120");
        assertThat(first.path("amount").decimalValue()).isEqualByComparingTo("-85.16");
        assertThat(first.path("amount").toString()).isEqualTo("-85.16");
        assertThat(first.path("cost").decimalValue()).isEqualByComparingTo("-72.39");
        assertThat(first.path("reason").asText()).startsWith("R27");
        assertThat(first.path("status").asText()).isEqualTo("LISTED");
        assertThat(first.path("agreementId").asLong()).isEqualTo(77);
        assertThat(first.path("effectiveDate").asText()).isEqualTo("2024-05-01");
        assertThat(first.path("description").asText()).isEqualTo(march.description());
        assertThat(shown.get(1).path("amount").decimalValue()).isEqualByComparingTo("-220.00");

        JsonNode listed = json(api.get("/partners/{p}/tasks?subscriptionId={s}", partner, sub));
        assertThat(listed.path("items").get(0).path("catchUps")).hasSize(2);
        assertThat(json(api.get("/tasks/{id}", accept(salesOrder(partner)))).path("catchUps")).isEmpty();

        // Once one was claimed for posting, a later plan of the task keeps what it has.
        assertThat(catchUps.claim(first.path("catchUpId").asLong(), "run-1", java.time.Duration.ofMinutes(5))).contains("LISTED");
        catchUps.recordForTask(taskId, owner, List.of(april));
        assertThat(json(api.get("/tasks/{id}", taskId)).path("catchUps")).hasSize(2);
        assertThat(json(api.get("/tasks/{id}", taskId)).path("catchUps").get(0).path("status").asText()).isEqualTo("POSTING");
    }

    @Test
    void partnerListFiltersByOrderType() {
        long sale = accept(salesOrder(partner));
        long cancellation = task(salesOrder(partner), "FAILED", "ConnectWise said no");
        jdbc.update("UPDATE sync_task SET type = 'CANCELLATION_ORDER', action = 'CANCEL' WHERE task_id = ?", cancellation);

        JsonNode cancellations = json(api.get("/partners/{p}/tasks?type=CANCELLATION_ORDER", partner));
        assertThat(cancellations.path("total").asLong()).isEqualTo(1);
        assertThat(cancellations.path("items").get(0).path("taskId").asLong()).isEqualTo(cancellation);
        JsonNode sales = json(api.get("/partners/{p}/tasks?type=SALES_ORDER", partner));
        assertThat(sales.path("items").findValuesAsText("taskId")).containsExactly(String.valueOf(sale));
        assertThat(json(api.get("/partners/{p}/tasks?type=CANCELLATION_ORDER&status=SYNCED", partner)).path("total").asLong()).isZero();
        ResponseEntity<String> bad = api.get("/partners/{p}/tasks?type=REFUND", partner);
        assertThat(bad.getStatusCode().value()).isEqualTo(400);
        assertThat(json(bad).path("errors").get(0).path("field").asText()).isEqualTo("type");
    }

    @Test
    void badQueryParametersAreFieldErrors() {
        ResponseEntity<String> response = api.get("/partners/{p}/tasks?status=DONE", partner);
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(json(response).path("errors").get(0).path("field").asText()).isEqualTo("status");
        assertThat(json(api.get("/partners/{p}/tasks?offset=-1", partner)).path("errors").get(0).path("field").asText())
                .isEqualTo("offset");
    }

    private long task(ObjectNode event, String status, String reason) {
        String eventId = event.path("eventId").asText();
        jdbc.update("INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)"
                        + " VALUES (?, ?, ?, 'SALES_ORDER', 'NEW', now(), CAST(? AS jsonb), 'HTTP')",
                eventId, partner, event.path("subscription").path("id").asText(), event.toString());
        return jdbc.queryForObject("INSERT INTO sync_task (event_id, partner_id, subscription_id, type, action, occurred_at, status, reason)"
                        + " SELECT event_id, partner_id, subscription_id, type, action, occurred_at, ?, ? FROM subscription_event"
                        + " WHERE event_id = ? RETURNING task_id",
                Long.class, status, reason, eventId);
    }

    /** seq from 1001 on, clear of the operations a running sync engine may plan for the same task. */
    private void operation(long taskId, int seq, String kind, Long additionId, String status) {
        jdbc.update("INSERT INTO task_operation (task_id, seq, kind, line_key, agreement_id, addition_id, reason, request, status, done_at)"
                        + " VALUES (?, ?, ?, ?, 77, ?, ?, '{}'::jsonb, ?, CASE WHEN ? = 'DONE' THEN now() END)"
                        + " ON CONFLICT (task_id, seq) DO NOTHING",
                taskId, seq + 1000, kind, "line-" + seq, additionId, "reason " + seq, status, status);
    }
}
