package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Bad input (issue 6 item 5e): each case is parked with its field-level reason, refused with a
 * clear problem, or (when the event is valid but cannot be placed) held as a task with the reason —
 * and none of them writes anything to ConnectWise.
 */
class BadInputCorpusTest extends FaultsContext {

    @Autowired JdbcTemplate jdbc;

    @Test
    void noBadInputReachesConnectWise() {
        Tenant tenant = tenant(3); // one subscription per accepted case: a waiting task holds back later ones
        long writesBefore = tenant.writeCalls();
        long parkedBefore = count("SELECT count(*) FROM parked_event");
        String valid = tenant.event(0, 0);

        parked(tenant, "truncated JSON", valid.substring(0, valid.length() / 2), "$", "not valid JSON");
        parked(tenant, "wrong type", valid.replace("\"quantity\":10", "\"quantity\":\"ten\""), "subscription.quantity", "");
        parked(tenant, "unknown partner", valid.replace("\"partnerId\":\"" + tenant.partner + "\"", "\"partnerId\":\"nobody-here\""),
                "partnerId", "unknown partner");
        parked(tenant, "over-long ids", valid.replaceFirst("\"eventId\":\"[^\"]*\"", "\"eventId\":\"" + "e".repeat(300) + "\"")
                .replace("\"partnerId\":\"" + tenant.partner + "\"", "\"partnerId\":\"" + "p".repeat(300) + "\""), "eventId", "");
        parked(tenant, "dates reversed", valid.replace("\"endDate\":\"2025-02-13\"", "\"endDate\":\"2023-02-13\""),
                "subscription.endDate", "before subscription.startDate");
        parked(tenant, "script in name", tenant.eventJson(tenant.partner + "-xss", 0, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z",
                10, null, "USD", "<script>alert(1)</script>"), "subscription.customer.name", "markup");
        parked(tenant, "HTML in name", tenant.eventJson(tenant.partner + "-html", 0, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z",
                10, null, "USD", "<b>Chairs</b>"), "subscription.customer.name", "markup");

        // 5 MB: refused before parsing with 413, and not kept (a parked copy would be 5 MB too).
        String huge = valid.replace("\"name\":\"Customer 0\"", "\"name\":\"Customer 0\",\"padding\":\"" + "x".repeat(5 * 1024 * 1024) + "\"");
        ResponseEntity<String> tooLarge = tenant.submit(huge);
        assertThat(tooLarge.getStatusCode().value()).isEqualTo(413);
        assertThat(tooLarge.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(tenant.json(tooLarge).path("errors").get(0).path("field").asText()).isEqualTo("$");
        System.out.println("BAD INPUT 5 MB body: 413 " + tenant.json(tooLarge).path("detail").asText());

        // Valid events that cannot be placed wait as tasks with the reason; injection strings are plain data.
        long wrongCurrency = accepted(tenant, tenant.eventJson(tenant.partner + "-eur", 1, "SALES_ORDER", "NEW",
                "2024-02-14T09:00:00Z", 10, null, "EUR", "Customer 0"));
        String injection = tenant.eventJson(tenant.partner + "-sql", 2, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null,
                "USD", "Robert'); DROP TABLE sync_task;--").replace(Tenant.PRODUCT, "x' OR '1'='1");
        long sql = accepted(tenant, injection);
        for (long task : List.of(wrongCurrency, sql)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !"PENDING".equals(status(task)));
            String reason = jdbc.queryForObject("SELECT coalesce(reason, '') FROM sync_task WHERE task_id = ?", String.class, task);
            System.out.println("BAD INPUT task " + task + ": " + status(task) + " - " + reason);
            assertThat(status(task)).isIn("NEEDS_MAPPING", "FAILED");
            assertThat(reason).isNotBlank();
        }
        assertThat(jdbc.queryForObject("SELECT payload->'subscription'->'customer'->>'name' FROM subscription_event WHERE event_id = ?",
                String.class, tenant.partner + "-sql")).isEqualTo("Robert'); DROP TABLE sync_task;--");

        assertThat(count("SELECT count(*) FROM parked_event")).isEqualTo(parkedBefore + 7);
        assertThat(tenant.writeCalls()).as("ConnectWise writes").isEqualTo(writesBefore);
        assertThat(tenant.totalAdditions()).isZero();
        System.out.printf("FAULT bad input: expected 0 additions, found %d, write calls %d%n", tenant.totalAdditions(),
                tenant.writeCalls() - writesBefore);
    }

    private void parked(Tenant tenant, String label, String body, String field, String message) {
        ResponseEntity<String> response = tenant.submit(body);
        assertThat(response.getStatusCode().value()).as(label + ": " + response.getBody()).isEqualTo(400);
        JsonNode problem = tenant.json(response);
        assertThat(problem.path("errors").findValuesAsText("field")).as(label).contains(field);
        assertThat(problem.path("errors").toString()).as(label).contains(message);
        long parkedId = problem.path("parkedId").asLong();
        JsonNode parked = tenant.json(Tenant.ok(tenant.bundle.get().uri("/api/v1/parked-events/{id}", parkedId)
                .retrieve().toEntity(String.class)));
        assertThat(parked.path("status").asText()).as(label).isEqualTo("PARKED");
        assertThat(parked.path("reasons").toString()).as(label).contains(field);
        System.out.println("BAD INPUT " + label + ": parked " + parkedId + " " + problem.path("errors"));
    }

    private long accepted(Tenant tenant, String body) {
        ResponseEntity<String> response = tenant.submit(body);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        return tenant.json(response).path("taskId").asLong();
    }

    private String status(long task) {
        return jdbc.queryForObject("SELECT status FROM sync_task WHERE task_id = ?", String.class, task);
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }
}
