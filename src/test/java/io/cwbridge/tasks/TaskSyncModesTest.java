package io.cwbridge.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.approval.ApprovalMail;
import io.cwbridge.approval.ApprovalSection;
import io.cwbridge.notifications.DigestQueries;
import io.cwbridge.notifications.ServiceMappingRow;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/**
 * Task sync MANUAL and a person's decisions on tasks (R31) with real parts: the sandbox over HTTP
 * (its call counts tell what was sent), the embedded PostgreSQL and the routes.
 */
class TaskSyncModesTest extends TaskApiTestBase {

    static final String ADDITIONS_POST = "POST /finance/agreements/{parentId}/additions";

    @Autowired DigestQueries digests;
    @Autowired ApprovalMail approvalMail;

    List<String> transitions(JsonNode task) {
        List<String> all = new ArrayList<>();
        task.path("history").forEach(h -> all.add(h.path("from").asText("-") + ">" + h.path("to").asText() + " by "
                + h.path("by").asText()));
        return all;
    }

    /** The plan shown, as "KIND line fields" per operation. */
    static List<String> shown(JsonNode plan) {
        List<String> ops = new ArrayList<>();
        plan.path("operations").forEach(op -> ops.add(op.path("kind").asText() + " " + op.path("line").asText() + " "
                + op.path("fields")));
        return ops;
    }

    long approvedAndSynced(String body) throws Exception {
        long taskId = submit(body);
        assertThat(awaitStatus(taskId, "AWAITING_APPROVAL", "SYNCED", "FAILED")).isEqualTo("AWAITING_APPROVAL");
        ResponseEntity<String> approved = post("/api/v1/tasks/" + taskId + "/approve", null);
        assertThat(approved.getStatusCode().value()).as(approved.getBody()).isEqualTo(200);
        assertThat(json(approved).path("status").asText()).as(approved.getBody()).isEqualTo("SYNCED");
        return taskId;
    }

    @Test
    void manualTaskWaitsShowsItsPlanAndApprovalSendsExactlyThatPlan() throws Exception {
        putSyncRules(Map.of("taskSync", "MANUAL"));
        JsonNode rules = mapper.readTree(api.get().uri("/api/v1/partners/{p}/sync-rules", partner).retrieve().body(String.class));
        assertThat(rules.path("taskSync").asText()).isEqualTo("MANUAL");
        sandbox.resetCalls();

        long taskId = submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));
        assertThat(awaitStatus(taskId, "AWAITING_APPROVAL", "SYNCED", "FAILED")).isEqualTo("AWAITING_APPROVAL");

        JsonNode waiting = task(taskId);
        assertThat(waiting.path("reason").asText()).contains("approve");
        List<String> plan = shown(waiting.path("plan"));
        assertThat(plan).as(waiting.toString()).hasSize(1);
        assertThat(plan.get(0)).startsWith("CREATE ").contains("\"quantity\":5");
        assertThat(waiting.path("operations").size()).isZero(); // nothing stored
        assertThat(writeCalls()).isZero(); // the plan was computed, nothing written
        assertThat(additions()).isEmpty();

        ResponseEntity<String> approved = post("/api/v1/tasks/" + taskId + "/approve", null);
        assertThat(approved.getStatusCode().value()).as(approved.getBody()).isEqualTo(200);
        JsonNode synced = json(approved);
        assertThat(synced.path("status").asText()).as(approved.getBody()).isEqualTo("SYNCED");
        // Exactly the plan shown: one addition created, one write call.
        assertThat(writeCalls()).isEqualTo(1);
        assertThat(sandbox.calls(ADDITIONS_POST)).isEqualTo(1);
        assertThat(additions()).singleElement().satisfies(a -> assertThat(a.path("quantity").asInt()).isEqualTo(5));
        assertThat(synced.path("operations").size()).isEqualTo(1);
        assertThat(synced.path("operations").get(0).path("kind").asText()).isEqualTo("CREATE");
        assertThat(synced.path("operations").get(0).path("lineKey").asText())
                .isEqualTo(waiting.path("plan").path("operations").get(0).path("line").asText());
        assertThat(synced.path("plan").isNull()).isTrue();

        assertThat(transitions(task(taskId))).containsExactly("->PENDING by system", "PENDING>AWAITING_APPROVAL by system",
                "AWAITING_APPROVAL>PENDING by api", "PENDING>SYNCED by system");
        JsonNode approval = task(taskId).path("history").get(2);
        assertThat(approval.path("reason").asText()).isEqualTo("approved");
        assertThat(approval.path("at").isTextual()).isTrue();

        ResponseEntity<String> again = post("/api/v1/tasks/" + taskId + "/approve", null);
        assertThat(again.getStatusCode().value()).isEqualTo(409);
        assertThat(again.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(json(again).path("errors").get(0).path("field").asText()).isEqualTo("status");
        assertThat(additions()).hasSize(1);
    }

    /**
     * R31 x R27 (probe-a B2): a waiting task shows the catch-up amounts approving keeps and how (posted as an agreement
     * adjustment under invoiced catch-up ADJUSTMENT), as POST /api/v1/plan lists them, in the API's plan, the console's
     * task page and the approval mail; approving posts exactly that.
     */
    @Test
    void aWaitingTaskShowsTheCatchUpsApprovingPostsAndApprovalPostsThem() throws Exception {
        putSyncRules(Map.of("taskSync", "MANUAL", "invoicedCatchUp", "ADJUSTMENT"));
        sandbox.invoice(agreement, "2024-03-31"); // March invoiced: the agreement does not prorate, so no line starts before April
        String sale = event("sale", "SALES_ORDER", "NEW", "2024-03-01T09:00:00Z", 5, null, "65533");
        long taskId = submit(sale);
        assertThat(awaitStatus(taskId, "AWAITING_APPROVAL", "SYNCED", "FAILED")).isEqualTo("AWAITING_APPROVAL");

        JsonNode dryRun = json(post("/api/v1/plan", sale));
        // the sale started 14 February: February's and March's days are invoiced
        assertThat(dryRun.path("catchUps")).as(dryRun.toString()).hasSize(2);
        JsonNode plan = task(taskId).path("plan");
        JsonNode shown = plan.path("catchUps");
        assertThat(catchUpsAsListed(shown)).as(plan.toString()).isEqualTo(catchUpsAsListed(dryRun.path("catchUps")));
        List<String> amounts = new ArrayList<>();
        shown.forEach(c -> {
            assertThat(c.path("settlement").asText()).isEqualTo("ADJUSTMENT");
            assertThat(c.path("agreementId").asLong()).isEqualTo(agreement);
            assertThat(c.path("effectiveDate").asText()).isEqualTo("2024-04-01");
            assertThat(c.path("amount").decimalValue()).isPositive();
            amounts.add(c.path("amount").decimalValue().setScale(2).toPlainString());
        });
        assertThat(task(taskId).path("catchUps")).isEmpty(); // nothing recorded before approval

        // The console's task page and the approval mail (R35) show them too.
        java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://localhost:" + port + "/partners/" + partner + "/tasks/" + taskId))
                .header("Authorization", io.cwbridge.testsupport.ConsoleLogin.operator()).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"plan-catch-ups\"").contains("posted as agreement adjustment");
        ApprovalSection section = approvalMail.build(partner, java.time.Instant.now()).orElseThrow().tasks().stream()
                .filter(t -> t.taskId() == taskId).findFirst().orElseThrow();
        assertThat(section.catchUps()).as(section.toString()).isNotNull();
        assertThat(section.catchUps().rows()).hasSize(2).allSatisfy(row -> assertThat(row)
                .anySatisfy(cell -> assertThat(cell).startsWith("posted as agreement adjustment").contains("2024-04-01")));
        assertThat(section.catchUps().rows()).extracting(row -> row.get(4)).allSatisfy(cell -> assertThat(cell).endsWith(" USD"))
                .extracting(cell -> new BigDecimal(cell.substring(0, cell.length() - 4)).setScale(2).toPlainString())
                .containsExactlyElementsOf(amounts);

        sandbox.resetCalls();
        JsonNode synced = json(post("/api/v1/tasks/" + taskId + "/approve", null));
        assertThat(synced.path("status").asText()).as(synced.toString()).isEqualTo("SYNCED");
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/adjustments")).isEqualTo(2);
        List<String> posted = new ArrayList<>();
        synced.path("catchUps").forEach(c -> {
            assertThat(c.path("status").asText()).isEqualTo("POSTED");
            assertThat(c.path("effectiveDate").asText()).isEqualTo("2024-04-01");
            posted.add(c.path("amount").decimalValue().setScale(2).toPlainString());
        });
        assertThat(posted).containsExactlyInAnyOrderElementsOf(amounts);
        List<String> adjusted = client.getAll(cw, "finance/agreements/" + agreement + "/adjustments", null).stream()
                .map(a -> a.path("amount").decimalValue().setScale(2).toPlainString()).toList();
        assertThat(adjusted).containsExactlyInAnyOrderElementsOf(amounts);
    }

    /** Each catch-up as "period from-to licence-days amount cost settlement effective" (numbers compared by value). */
    static List<String> catchUpsAsListed(JsonNode catchUps) {
        List<String> all = new ArrayList<>();
        catchUps.forEach(c -> all.add(c.path("periodStart").asText() + " " + c.path("from").asText() + "-" + c.path("to").asText() + " "
                + c.path("licenceDays").decimalValue().stripTrailingZeros().toPlainString() + " "
                + c.path("amount").decimalValue().setScale(2).toPlainString() + " " + c.path("cost").decimalValue().setScale(2).toPlainString()
                + " " + c.path("settlement").asText() + " " + c.path("effectiveDate").asText()));
        return all;
    }

    @Test
    void aConnectWiseChangeBetweenShowingAndApprovingIsWhatGetsSent() throws Exception {
        putSyncRules(Map.of("taskSync", "MANUAL"));
        long taskId = submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));
        assertThat(awaitStatus(taskId, "AWAITING_APPROVAL", "SYNCED", "FAILED")).isEqualTo("AWAITING_APPROVAL");
        List<String> before = shown(task(taskId).path("plan"));

        // ConnectWise invoices February meanwhile: a line must not start in an invoiced period (R22).
        sandbox.invoice(agreement, "2024-02-29");
        JsonNode now = task(taskId);
        List<String> after = shown(now.path("plan"));
        assertThat(after).as("plan before %s, after %s", before, after).isNotEqualTo(before).hasSize(1);
        String effective = now.path("plan").path("operations").get(0).path("fields").path("effectiveDate").asText();

        sandbox.resetCalls();
        JsonNode synced = json(post("/api/v1/tasks/" + taskId + "/approve", null));
        assertThat(synced.path("status").asText()).as(synced.toString()).isEqualTo("SYNCED");
        assertThat(sandbox.calls(ADDITIONS_POST)).isEqualTo(1);
        assertThat(additions()).singleElement()
                .satisfies(a -> assertThat(a.path("effectiveDate").asText()).startsWith(effective.substring(0, 10)));
    }

    /**
     * R31 mode switches: what waited under the old mode goes on under the new one. DAILY at noon (no tick is due) leaves
     * a sale PENDING; MANUAL turns it AWAITING_APPROVAL; DAILY again lets go of it (PENDING, nothing sent); IMMEDIATE
     * runs it at once, with no approval asked.
     */
    @Test
    void switchingTaskSyncHandsWhatWaitedToTheNewModeR31() throws Exception {
        clock.setInstant("2024-04-01T12:00:00Z"); // no DAILY tick is due
        putSyncRules(Map.of("taskSync", "DAILY"));
        sandbox.resetCalls();
        long sale = submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));
        assertThat(awaitStatus(sale, "PENDING", "SYNCED", "FAILED")).isEqualTo("PENDING");

        putSyncRules(Map.of("taskSync", "MANUAL"));
        assertThat(awaitStatus(sale, "AWAITING_APPROVAL", "SYNCED", "FAILED")).isEqualTo("AWAITING_APPROVAL");

        putSyncRules(Map.of("taskSync", "DAILY"));
        JsonNode released = task(sale);
        assertThat(released.path("status").asText()).isEqualTo("PENDING");
        assertThat(released.path("reason").asText("")).doesNotContain("approve");
        assertThat(writeCalls()).isZero();
        // its history says why it no longer waits for a person
        JsonNode letGo = released.path("history").get(released.path("history").size() - 1);
        assertThat(letGo.path("from").asText() + ">" + letGo.path("to").asText()).isEqualTo("AWAITING_APPROVAL>PENDING");
        assertThat(letGo.path("reason").asText()).isEqualTo("task sync changed from MANUAL to DAILY: no approval is asked for any more");

        putSyncRules(Map.of("taskSync", "MANUAL"));
        assertThat(awaitStatus(sale, "AWAITING_APPROVAL", "SYNCED", "FAILED")).isEqualTo("AWAITING_APPROVAL");
        putSyncRules(Map.of("taskSync", "IMMEDIATE"));
        assertThat(awaitStatus(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(sandbox.calls(ADDITIONS_POST)).isEqualTo(1);
        assertThat(additions()).singleElement().satisfies(a -> assertThat(a.path("quantity").asInt()).isEqualTo(5));
        assertThat(transitions(task(sale))).doesNotContain("AWAITING_APPROVAL>PENDING by api");
    }

    @Test
    void approveASelectionThenAllAndRefuseWhatIsNotWaiting() throws Exception {
        putSyncRules(Map.of("taskSync", "MANUAL"));
        long sale = submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));
        long up1 = submit(event("up1", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-01T09:00:00Z", 7, 5, "65533"));
        long up2 = submit(event("up2", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-05T09:00:00Z", 9, 7, "65533"));
        for (long t : List.of(sale, up1, up2)) {
            assertThat(awaitStatus(t, "AWAITING_APPROVAL", "SYNCED", "FAILED")).isEqualTo("AWAITING_APPROVAL");
        }
        String approve = "/api/v1/partners/" + partner + "/tasks/approve";
        assertThat(task(up2).path("plan").path("notes").toString()).contains("task [" + sale + ", " + up1 + "]");

        ResponseEntity<String> neither = post(approve, Map.of());
        assertThat(neither.getStatusCode().value()).isEqualTo(400);
        assertThat(json(neither).path("errors").get(0).path("field").asText()).isEqualTo("taskIds");

        JsonNode first = json(post(approve, Map.of("taskIds", List.of(sale))));
        assertThat(first.path("approved").get(0).asLong()).isEqualTo(sale);
        assertThat(awaitStatus(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(task(up1).path("status").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(task(up2).path("status").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(additions()).hasSize(1);

        // A selection with a task that is not waiting is refused whole.
        ResponseEntity<String> mixed = post(approve, Map.of("taskIds", List.of(up1, sale)));
        assertThat(mixed.getStatusCode().value()).isEqualTo(409);
        assertThat(mixed.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(json(mixed).path("errors").get(0).path("field").asText()).isEqualTo("taskIds[1]");
        assertThat(task(up1).path("status").asText()).isEqualTo("AWAITING_APPROVAL");

        JsonNode all = json(post(approve, Map.of("all", true)));
        List<Long> approved = new ArrayList<>();
        all.path("approved").forEach(id -> approved.add(id.asLong()));
        assertThat(approved).containsExactly(up1, up2);
        List<String> statuses = new ArrayList<>();
        all.path("tasks").forEach(t -> statuses.add(t.path("status").asText()));
        assertThat(statuses).containsExactly("SYNCED", "SYNCED");
        assertThat(additions()).hasSize(3);
        assertThat(json(post(approve, Map.of("all", true))).path("approved").size()).isZero();
    }

    @Test
    void aRetriedFailureEndsSyncedWithoutRepeatingAnOperation() throws Exception {
        putSyncRules(Map.of("taskSync", "MANUAL"));
        approvedAndSynced(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));
        approvedAndSynced(event("up", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-01T09:00:00Z", 7, 5, "65533"));
        long cancel = submit(event("cancel", "CANCELLATION_ORDER", "CANCEL", "2024-03-10T09:00:00Z", 7, null, "65533")
                .replace("\"subscription\":{", "\"cancellationDate\":\"2024-03-20\",\"subscription\":{"));
        assertThat(awaitStatus(cancel, "AWAITING_APPROVAL", "SYNCED", "FAILED")).isEqualTo("AWAITING_APPROVAL");
        JsonNode plan = task(cancel).path("plan").path("operations");
        assertThat(plan.size()).as(plan.toString()).isGreaterThan(1);
        // ConnectWise refuses the kind of call of the plan's last operation, once: what went before is done.
        JsonNode last = plan.get(plan.size() - 1);
        String method = switch (last.path("kind").asText()) { case "CREATE" -> "POST"; case "DELETE" -> "DELETE"; default -> "PATCH"; };
        sandbox.fault(Map.of("status", 400, "count", 1, "method", method, "pathContains",
                "additions" + (last.path("additionId").isNull() ? "" : "/" + last.path("additionId").asLong())));

        JsonNode failed = json(post("/api/v1/tasks/" + cancel + "/approve", null));
        assertThat(failed.path("status").asText()).as(failed.toString()).isEqualTo("FAILED");
        long done = 0;
        for (JsonNode op : failed.path("operations")) if ("DONE".equals(op.path("status").asText())) done++;
        int planned = failed.path("operations").size();
        assertThat(done).as(failed.toString()).isBetween(1L, planned - 1L);
        assertThat(json(api.get().uri("/api/v1/partners/{p}/tasks?status=FAILED", partner).retrieve().toEntity(String.class))
                .path("total").asLong()).isEqualTo(1);

        sandbox.resetCalls();
        ResponseEntity<String> retried = post("/api/v1/tasks/" + cancel + "/retry", null);
        assertThat(retried.getStatusCode().value()).as(retried.getBody()).isEqualTo(200);
        assertThat(json(retried).path("status").asText()).as(retried.getBody()).isEqualTo("SYNCED");
        assertThat(writeCalls()).isEqualTo(planned - done); // only what was not done
        assertThat(json(retried).path("operations").findValuesAsText("status")).allMatch("DONE"::equals).hasSize(planned);
        assertThat(transitions(task(cancel))).containsSubsequence("PENDING>FAILED by system", "FAILED>PENDING by api",
                "PENDING>SYNCED by system");

        ResponseEntity<String> notFailed = post("/api/v1/tasks/" + cancel + "/retry", null);
        assertThat(notFailed.getStatusCode().value()).isEqualTo(409);
        assertThat(notFailed.getHeaders().getContentType().toString()).startsWith("application/problem+json");
    }

    @Test
    void aFailureStaysListedAfterALaterTaskSucceedsUntilItIsDismissed() throws Exception {
        long sale = submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));
        assertThat(awaitStatus(sale, "SYNCED", "FAILED", "NEEDS_MAPPING")).isEqualTo("SYNCED");
        // ConnectWise refuses to read the lines while the next change is planned: FAILED before any plan is stored.
        sandbox.fault(Map.of("status", 400, "count", 1, "method", "GET", "pathContains", "finance/agreements"));
        long up1 = submit(event("up1", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-01T09:00:00Z", 7, 5, "65533"));
        assertThat(awaitStatus(up1, "SYNCED", "FAILED")).isEqualTo("FAILED");
        assertThat(task(up1).path("operations").size()).isZero();
        // A later change does not depend on it (no unfinished operation): it proceeds.
        long up2 = submit(event("up2", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-05T09:00:00Z", 9, 7, "65533"));
        assertThat(awaitStatus(up2, "SYNCED", "FAILED")).isEqualTo("SYNCED");

        // The failed change is still missing in ConnectWise, so it stays listed everywhere.
        JsonNode failed = json(api.get().uri("/api/v1/partners/{p}/tasks?status=FAILED", partner).retrieve().toEntity(String.class));
        assertThat(failed.path("items").findValuesAsText("taskId")).containsExactly(String.valueOf(up1));
        assertThat(workbenchStatus("sub-1")).isEqualTo("FAILED");
        assertThat(digests.servicesNeedingAction(partner)).extracting(ServiceMappingRow::subscriptionId, ServiceMappingRow::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sub-1", ServiceMappingRow.FAILED));

        ResponseEntity<String> noReason = post("/api/v1/tasks/" + up1 + "/dismiss", Map.of("reason", " "));
        assertThat(noReason.getStatusCode().value()).isEqualTo(400);
        ResponseEntity<String> dismissed = post("/api/v1/tasks/" + up1 + "/dismiss", Map.of("reason", "entered by hand in ConnectWise"));
        assertThat(dismissed.getStatusCode().value()).as(dismissed.getBody()).isEqualTo(200);
        assertThat(json(dismissed).path("status").asText()).isEqualTo("DISMISSED");
        assertThat(json(dismissed).path("reason").asText()).isEqualTo("entered by hand in ConnectWise");
        JsonNode last = task(up1).path("history").get(task(up1).path("history").size() - 1);
        assertThat(last.path("from").asText()).isEqualTo("FAILED");
        assertThat(last.path("to").asText()).isEqualTo("DISMISSED");
        assertThat(last.path("by").asText()).isEqualTo("api");
        assertThat(last.path("reason").asText()).isEqualTo("entered by hand in ConnectWise");
        assertThat(task(up1).path("history").get(1).path("reason").asText()).contains("ConnectWise"); // the failure is kept

        assertThat(workbenchStatus("sub-1")).isEqualTo("MAPPED");
        assertThat(digests.servicesNeedingAction(partner)).isEmpty();
        assertThat(post("/api/v1/tasks/" + up1 + "/dismiss", Map.of("reason", "again")).getStatusCode().value()).isEqualTo(409);
    }

    @Test
    void aLaterTaskWaitsBehindAFailureWithUnfinishedOperationsAndSaysSo() throws Exception {
        long sale = submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));
        assertThat(awaitStatus(sale, "SYNCED", "FAILED", "NEEDS_MAPPING")).isEqualTo("SYNCED");
        // The increase's plan is stored, then ConnectWise refuses its write — and again after the one re-plan a
        // refusal gets (sync/RefusedWrites): an operation of it is not done.
        sandbox.fault(Map.of("status", 400, "count", 2, "method", "POST", "pathContains", "additions"));
        long up1 = submit(event("up1", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-01T09:00:00Z", 7, 5, "65533"));
        assertThat(awaitStatus(up1, "SYNCED", "FAILED")).isEqualTo("FAILED");
        assertThat(task(up1).path("operations").findValuesAsText("status")).contains("STARTED");

        long up2 = submit(event("up2", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-05T09:00:00Z", 9, 7, "65533"));
        long deadline = System.currentTimeMillis() + 20_000;
        while (!task(up2).path("reason").asText().contains("waits for FAILED task " + up1) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        JsonNode waiting = task(up2);
        assertThat(waiting.path("status").asText()).isEqualTo("PENDING");
        assertThat(waiting.path("reason").asText()).as(waiting.toString()).contains("waits for FAILED task " + up1);
        assertThat(additions()).hasSize(1);

        // Once the failure is retried to its end, the waiting task goes on.
        assertThat(json(post("/api/v1/tasks/" + up1 + "/retry", null)).path("status").asText()).isEqualTo("SYNCED");
        assertThat(awaitStatus(up2, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(additions()).hasSize(3);
    }

    String workbenchStatus(String subscriptionId) throws Exception {
        for (JsonNode row : json(api.get().uri("/api/v1/partners/{p}/subscriptions?limit=500", partner).retrieve().toEntity(String.class))
                .path("items")) {
            if (subscriptionId.equals(row.path("subscriptionId").asText())) return row.path("status").asText();
        }
        throw new AssertionError(subscriptionId + " not in the workbench");
    }
}
