package io.cwbridge.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Task overrides (R31, issue 15) over the API with real parts: the sandbox over HTTP (the additions it
 * holds after approval), the embedded PostgreSQL, the routes.
 */
class TaskOverridesApiTest extends TaskApiTestBase {

    ResponseEntity<String> putOverride(long taskId, Map<String, Object> body) {
        return api.put().uri("/api/v1/tasks/{id}/override", taskId).contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(String.class);
    }

    ResponseEntity<String> deleteOverride(long taskId, Map<String, Object> body) {
        return api.method(org.springframework.http.HttpMethod.DELETE).uri("/api/v1/tasks/{id}/override", taskId)
                .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    static Map<String, String> fieldProblems(JsonNode problem) {
        Map<String, String> fields = new HashMap<>();
        problem.path("errors").forEach(e -> fields.put(e.path("field").asText(), e.path("message").asText()));
        return fields;
    }

    long waiting(String body) throws Exception {
        long taskId = submit(body);
        assertThat(awaitStatus(taskId, "AWAITING_APPROVAL", "SYNCED", "FAILED")).isEqualTo("AWAITING_APPROVAL");
        return taskId;
    }

    @Test
    void anOverriddenWaitingTaskShowsAndSendsTheOverriddenValuesAndItsHistorySaysWhoAndWhy() throws Exception {
        putSyncRules(Map.of("taskSync", "MANUAL"));
        long taskId = waiting(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));

        Map<String, Object> override = new HashMap<>();
        override.put("effectiveDate", "2024-02-20");
        override.put("cancelledDate", "2025-01-31");
        override.put("description", "Chairs M365 Business Premium (agreed)");
        override.put("quantity", 6);
        override.put("unitPrice", 21.50);
        override.put("unitCost", 17.25);
        override.put("billCustomer", "DoNotBill");
        override.put("taxableFlag", false);
        override.put("reason", "agreed with the customer on the phone");
        sandbox.resetCalls();
        ResponseEntity<String> set = putOverride(taskId, override);
        assertThat(set.getStatusCode().value()).as(set.getBody()).isEqualTo(200);
        assertThat(json(set).path("by").asText()).isEqualTo("api");
        assertThat(writeCalls()).isZero();

        JsonNode shown = task(taskId);
        assertThat(shown.path("overrides").path("quantity").decimalValue()).isEqualByComparingTo("6");
        assertThat(shown.path("overrides").path("reason").asText()).isEqualTo("agreed with the customer on the phone");
        JsonNode planned = shown.path("plan").path("operations");
        assertThat(planned.size()).as(shown.toString()).isEqualTo(1);
        JsonNode fields = planned.get(0).path("fields");
        assertThat(fields.path("quantity").decimalValue()).isEqualByComparingTo("6");
        assertThat(fields.path("unitPrice").decimalValue()).isEqualByComparingTo("21.50");
        assertThat(fields.path("billCustomer").asText()).isEqualTo("DoNotBill");
        assertThat(fields.path("description").asText()).isEqualTo("Chairs M365 Business Premium (agreed)");
        assertThat(planned.get(0).path("reason").asText()).contains("task override (R31)");
        JsonNode recorded = last(shown.path("history"));
        assertThat(recorded.path("by").asText()).isEqualTo("api");
        assertThat(recorded.path("from").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(recorded.path("to").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(recorded.path("reason").asText()).isEqualTo("agreed with the customer on the phone");
        assertThat(recorded.path("what").asText()).startsWith("override set: effectiveDate=2024-02-20").contains("quantity=6",
                "unitPrice=21.5", "billCustomer=DoNotBill", "taxableFlag=false");
        assertThat(recorded.path("at").isTextual()).isTrue();

        ResponseEntity<String> approved = post("/api/v1/tasks/" + taskId + "/approve", null);
        assertThat(json(approved).path("status").asText()).as(approved.getBody()).isEqualTo("SYNCED");
        JsonNode addition = additions().stream().reduce((a, b) -> { throw new AssertionError("one addition: " + additions()); })
                .orElseThrow();
        assertThat(addition.path("quantity").decimalValue()).isEqualByComparingTo("6");
        assertThat(addition.path("unitPrice").decimalValue()).isEqualByComparingTo("21.50");
        assertThat(addition.path("unitCost").decimalValue()).isEqualByComparingTo("17.25");
        assertThat(addition.path("effectiveDate").asText()).startsWith("2024-02-20");
        assertThat(addition.path("cancelledDate").asText()).startsWith("2025-01-31");
        assertThat(addition.path("description").asText()).isEqualTo("Chairs M365 Business Premium (agreed)");
        assertThat(addition.path("billCustomer").asText()).isEqualTo("DoNotBill");
        assertThat(addition.path("taxableFlag").asBoolean(true)).isFalse();

        // Synced: too late to override.
        ResponseEntity<String> late = putOverride(taskId, Map.of("quantity", 7, "reason", "too late"));
        assertThat(late.getStatusCode().value()).isEqualTo(409);
        assertThat(late.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(fieldProblems(json(late))).containsKey("status");
        assertThat(task(taskId).path("overrides").path("quantity").decimalValue()).isEqualByComparingTo("6");
    }

    @Test
    void invalidOverridesAnswerFieldProblemsAndChangeNothing() throws Exception {
        putSyncRules(Map.of("taskSync", "MANUAL"));
        long taskId = waiting(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));

        Map<String, Object> bad = new HashMap<>();
        bad.put("quantity", 2.5);
        bad.put("unitPrice", -1);
        bad.put("unitCost", 1.234);
        bad.put("billCustomer", "Maybe");
        bad.put("priceSource", "SOMEWHERE");
        bad.put("effectiveDate", "2024-02-01"); // before the subscription's start 2024-02-14
        bad.put("cancelledDate", "2026-03-01"); // after its end 2025-02-13
        bad.put("reason", "test");
        ResponseEntity<String> refused = putOverride(taskId, bad);
        assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(400);
        assertThat(refused.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        Map<String, String> problems = fieldProblems(json(refused));
        assertThat(problems).containsOnlyKeys("quantity", "unitPrice", "unitCost", "billCustomer", "priceSource", "effectiveDate",
                "cancelledDate");
        assertThat(problems.get("effectiveDate")).contains("start 2024-02-14");
        assertThat(problems.get("cancelledDate")).contains("end 2025-02-13");

        ResponseEntity<String> backwards = putOverride(taskId, Map.of("effectiveDate", "2024-03-10", "cancelledDate", "2024-03-01",
                "reason", "test"));
        assertThat(fieldProblems(json(backwards))).containsOnlyKeys("cancelledDate");

        ResponseEntity<String> noReason = putOverride(taskId, Map.of("quantity", 3));
        assertThat(noReason.getStatusCode().value()).isEqualTo(400);
        assertThat(fieldProblems(json(noReason))).containsKey("reason");

        ResponseEntity<String> nothing = putOverride(taskId, Map.of("reason", "nothing to set"));
        assertThat(nothing.getStatusCode().value()).isEqualTo(400);

        assertThat(putOverride(999_999_999L, Map.of("quantity", 3, "reason", "x")).getStatusCode().value()).isEqualTo(404);

        JsonNode unchanged = task(taskId);
        assertThat(unchanged.path("overrides").isNull()).isTrue();
        assertThat(unchanged.path("history").findValues("what")).allMatch(JsonNode::isNull);
        assertThat(unchanged.path("plan").path("operations").get(0).path("fields").path("quantity").asInt()).isEqualTo(5);
    }

    @Test
    void aDateIntoAnInvoicedPeriodOfANonProratingAgreementIsRefusedR27AndAClearedOverrideIsRecorded() throws Exception {
        putSyncRules(Map.of("taskSync", "MANUAL"));
        long sale = waiting(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));
        assertThat(json(post("/api/v1/tasks/" + sale + "/approve", null)).path("status").asText()).isEqualTo("SYNCED");
        sandbox.invoice(agreement, "2024-03-31"); // February and March invoiced; the agreement does not prorate
        long increase = waiting(event("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-04-10T09:00:00Z", 7, 5, "65533"));

        ResponseEntity<String> invoiced = putOverride(increase, Map.of("effectiveDate", "2024-03-20", "reason", "backdate"));
        assertThat(invoiced.getStatusCode().value()).as(invoiced.getBody()).isEqualTo(400);
        assertThat(fieldProblems(json(invoiced)).get("effectiveDate")).contains("invoiced", "R27");

        ResponseEntity<String> set = putOverride(increase, Map.of("effectiveDate", "2024-04-12", "reason", "starts on the 12th"));
        assertThat(set.getStatusCode().value()).as(set.getBody()).isEqualTo(200);
        assertThat(task(increase).path("plan").path("operations").size()).as(task(increase).toString()).isEqualTo(1);
        assertThat(task(increase).path("plan").path("operations").get(0).path("fields").path("effectiveDate").asText())
                .startsWith("2024-04-12");

        ResponseEntity<String> noReason = deleteOverride(increase, Map.of());
        assertThat(noReason.getStatusCode().value()).isEqualTo(400);
        ResponseEntity<String> cleared = deleteOverride(increase, Map.of("reason", "the 10th after all"));
        assertThat(cleared.getStatusCode().value()).as(cleared.getBody()).isEqualTo(204);
        JsonNode after = task(increase);
        assertThat(after.path("overrides").isNull()).isTrue();
        assertThat(after.path("plan").path("operations").get(0).path("fields").path("effectiveDate").asText()).startsWith("2024-04-10");
        List<String> what = new ArrayList<>();
        after.path("history").forEach(h -> { if (!h.path("what").isNull()) what.add(h.path("what").asText() + " / " + h.path("reason").asText()); });
        assertThat(what).containsExactly("override set: effectiveDate=2024-04-12 / starts on the 12th",
                "override cleared / the 10th after all");
        assertThat(deleteOverride(increase, Map.of("reason", "again")).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void aTaskNeedingMappingTakesAnOverrideThatItsSyncOnceMappedApplies() throws Exception {
        long taskId = submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "77001"));
        assertThat(awaitStatus(taskId, "NEEDS_MAPPING", "SYNCED", "FAILED")).isEqualTo("NEEDS_MAPPING");
        ResponseEntity<String> set = putOverride(taskId, Map.of("quantity", 4, "unitCost", 15.00, "reason", "4 seats billed"));
        assertThat(set.getStatusCode().value()).as(set.getBody()).isEqualTo(200);

        ResponseEntity<String> mapped = api.put().uri("/api/v1/partners/{p}/customers/77001/mapping", partner)
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("companyId", company)).retrieve().toEntity(String.class);
        assertThat(mapped.getStatusCode().value()).as(mapped.getBody()).isEqualTo(200);
        assertThat(awaitStatus(taskId, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(additions()).singleElement().satisfies(a -> {
            assertThat(a.path("quantity").decimalValue()).isEqualByComparingTo("4");
            assertThat(a.path("unitCost").decimalValue()).isEqualByComparingTo("15.00");
            assertThat(a.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
            assertThat(a.path("description").asText()).endsWith("| 4 licences"); // the rules' text follows the quantity
        });
    }

    @Test
    void aPendingTaskTakesAnOverrideOnlyWhenItWaitsForATick() throws Exception {
        putSyncRules(Map.of("taskSync", "DAILY"));
        long taskId = submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));
        Thread.sleep(1500);
        assertThat(jdbc.queryForObject("SELECT status FROM sync_task WHERE task_id = ?", String.class, taskId)).isEqualTo("PENDING");
        ResponseEntity<String> set = putOverride(taskId, Map.of("taxableFlag", true, "reason", "taxable for this customer"));
        assertThat(set.getStatusCode().value()).as(set.getBody()).isEqualTo(200);

        // Under IMMEDIATE a PENDING task is about to sync: no override.
        putSyncRules(Map.of("taskSync", "IMMEDIATE"));
        ResponseEntity<String> refused = putOverride(taskId, Map.of("taxableFlag", false, "reason", "changed my mind"));
        assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(409);
        assertThat(json(refused).path("taskStatus").asText()).isEqualTo("PENDING");
        assertThat(json(refused).path("status").asInt()).isEqualTo(409);
        assertThat(task(taskId).path("overrides").path("taxableFlag").asBoolean()).isTrue();
    }

    static JsonNode last(JsonNode array) {
        return array.get(array.size() - 1);
    }
}
