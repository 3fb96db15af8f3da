package io.cwbridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * R7 over HTTP: an import onboards the active subscriptions (a task each), adopts an exact hand-made
 * addition (R6), creates the base line of a plain one, leaves the one of an unmapped customer waiting;
 * the dry run says so and writes nothing. ConnectWise is the in-app sandbox, read back through its API.
 */
class OnboardingApiTest extends MappingApiTestBase {

    private static final String IMPORT = "/{p}/subscriptions/import";
    private static final String BP = "CFQ7TTC0LCHC:0002";
    private static final String E3 = "CFQ7TTC0LFLZ:0001";

    long bpItem;
    long e3Item;

    @BeforeEach
    void mapCustomerAndProducts() {
        company = company("ChairsUnlimited", "Chairs Unlimited");
        agreement = agreement(company, "Chairs cloud");
        bpItem = catalogItem("M365BP");
        e3Item = catalogItem("M365E3");
        assertThat(put("/{p}/customers/{c}/mapping", Map.of("companyId", company), partner, "65533").getStatusCode().value()).isEqualTo(200);
        assertThat(put("/{p}/products/{id}/mapping", Map.of("catalogItemId", bpItem), partner, BP).getStatusCode().value()).isEqualTo(200);
        assertThat(put("/{p}/products/{id}/mapping", Map.of("catalogItemId", e3Item), partner, E3).getStatusCode().value()).isEqualTo(200);
    }

    static Map<String, Object> subscription(String id, String customerId, String customerName, String productId, int quantity) {
        Map<String, Object> s = new java.util.LinkedHashMap<>(Map.of("id", id, "customer", Map.of("id", customerId, "name", customerName),
                "product", Map.of("id", productId, "provider", "Microsoft CSP", "name", "Microsoft 365 NCE",
                        "plan", productId.equals(BP) ? "Microsoft 365 Business Premium" : "Microsoft 365 E3",
                        "mfgPartNumber", productId + ":P1"),
                "kind", "SAAS", "quantity", quantity, "unitPrice", new BigDecimal("22.00"), "unitCost", new BigDecimal("18.70"),
                "currency", "USD", "billingCycle", "MONTHLY"));
        s.putAll(Map.of("startDate", "2024-02-14", "endDate", "2025-02-13", "status", "ACTIVE"));
        return s;
    }

    static List<Map<String, Object>> book() {
        return List.of(subscription("sub-adopt", "65533", "Chairs Unlimited", BP, 10),
                subscription("sub-plain", "65533", "Chairs Unlimited", E3, 5),
                subscription("sub-lost", "777", "Nobody Ltd", BP, 3));
    }

    long handMade(long catalogItemId, int quantity) {
        Map<String, Object> body = new HashMap<>(Map.of("product", Map.of("id", catalogItemId), "quantity", quantity,
                "unitPrice", new BigDecimal("22.00"), "unitCost", new BigDecimal("18.70"), "billCustomer", "Billable",
                "effectiveDate", "2024-02-14T00:00:00Z", "description", "Business Premium, typed by hand"));
        return client.create(cw, "finance/agreements/" + agreement + "/additions", body, null).path("id").asLong();
    }

    ResponseEntity<String> importBook(String query) {
        return api.post().uri(IMPORT + query, partner).contentType(MediaType.APPLICATION_JSON).body(book()).retrieve()
                .toEntity(String.class);
    }

    String taskStatus(String subscriptionId) {
        return jdbc.queryForObject("SELECT status FROM sync_task WHERE partner_id = ? AND subscription_id = ?", String.class,
                partner, subscriptionId);
    }

    void await(String subscriptionId, String expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        String status = null;
        while (System.currentTimeMillis() < deadline) {
            status = taskStatus(subscriptionId);
            if (expected.equals(status)) return;
            Thread.sleep(100);
        }
        throw new AssertionError("onboarding task of " + subscriptionId + " is " + status + ", expected " + expected);
    }

    List<JsonNode> additions(long catalogItemId) {
        return client.getAll(cw, "finance/agreements/" + agreement + "/additions", null).stream()
                .filter(a -> a.path("product").path("id").asLong() == catalogItemId).toList();
    }

    static JsonNode item(JsonNode report, String subscriptionId) {
        for (JsonNode c : report.path("customers")) {
            for (JsonNode i : c.path("subscriptions")) {
                if (subscriptionId.equals(i.path("subscriptionId").asText())) return i;
            }
        }
        throw new AssertionError(subscriptionId + " not in " + report);
    }

    int count(String table) {
        return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE partner_id = ?", Integer.class, partner);
    }

    @Test
    void importOnboardsEachActiveSubscriptionOnceAdoptingCreatingOrWaiting() throws Exception {
        long hand = handMade(bpItem, 10);

        ResponseEntity<String> imported = importBook("");

        assertThat(imported.getStatusCode().value()).as(imported.getBody()).isEqualTo(200);
        JsonNode report = json(imported);
        assertThat(report.path("imported").asInt()).isEqualTo(3);
        assertThat(report.path("tasksCreated").asInt()).isEqualTo(3);
        assertThat(item(report, "sub-adopt").path("action").asText()).isEqualTo("ADOPT");
        assertThat(item(report, "sub-adopt").path("additionId").asLong()).isEqualTo(hand);
        assertThat(item(report, "sub-plain").path("action").asText()).isEqualTo("CREATE");
        assertThat(item(report, "sub-lost").path("action").asText()).isEqualTo("LEAVE");
        assertThat(item(report, "sub-lost").path("reason").asText()).contains("777").contains("not mapped");
        assertThat(jdbc.queryForList("SELECT event_id FROM sync_task WHERE partner_id = ? ORDER BY subscription_id", String.class, partner))
                .containsExactly("onboard-" + partner + "/sub-adopt", "onboard-" + partner + "/sub-lost", "onboard-" + partner + "/sub-plain");

        await("sub-adopt", "SYNCED");
        await("sub-plain", "SYNCED");
        await("sub-lost", "NEEDS_MAPPING");

        List<JsonNode> bp = additions(bpItem);
        assertThat(bp).extracting(a -> a.path("id").asLong()).containsExactly(hand); // adopted: no second base line
        List<JsonNode> e3 = additions(e3Item);
        assertThat(e3).hasSize(1);
        assertThat(AdditionAdoptionApiTest.day(e3.get(0).path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 2, 14));
        LocalDate start = LocalDate.of(2024, 2, 14);
        AdditionAdoptionApiTest.assertLicencesPerDay(bp, LocalDate.of(2024, 2, 1), LocalDate.of(2024, 6, 30), d -> d.isBefore(start) ? 0 : 10);
        AdditionAdoptionApiTest.assertLicencesPerDay(e3, LocalDate.of(2024, 2, 1), LocalDate.of(2024, 6, 30), d -> d.isBefore(start) ? 0 : 5);
        assertThat(jdbc.queryForList("SELECT addition_id FROM subscription_line WHERE partner_id = ? AND subscription_id = 'sub-adopt'",
                Long.class, partner)).containsExactly(hand);

        // a repeated import adds nothing: no task, no event, no ConnectWise write
        int tasks = count("sync_task");
        int events = count("subscription_event");
        sandbox.resetCalls();
        ResponseEntity<String> again = importBook("");
        assertThat(again.getStatusCode().value()).as(again.getBody()).isEqualTo(200);
        assertThat(json(again).path("tasksCreated").asInt()).isZero();
        assertThat(item(json(again), "sub-plain").path("action").asText()).isEqualTo("LEAVE");
        assertThat(count("sync_task")).isEqualTo(tasks);
        assertThat(count("subscription_event")).isEqualTo(events);
        Thread.sleep(500);
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).isZero();
        assertThat(additions(bpItem)).hasSize(1);
        assertThat(additions(e3Item)).hasSize(1);
    }

    @Test
    void theDryRunListsCreateAdoptLeavePerCustomerAndWritesNothing() {
        long hand = handMade(bpItem, 10);
        sandbox.resetCalls();

        ResponseEntity<String> dry = importBook("?dryRun=true");

        assertThat(dry.getStatusCode().value()).as(dry.getBody()).isEqualTo(200);
        JsonNode report = json(dry);
        assertThat(report.path("dryRun").asBoolean()).isTrue();
        assertThat(report.path("tasksCreated").asInt()).isZero();
        assertThat(report.path("customers")).extracting(c -> c.path("customerId").asText()).containsExactly("65533", "777");
        assertThat(report.path("customers").path(0).path("counts").path("ADOPT").asInt()).isEqualTo(1);
        assertThat(report.path("customers").path(0).path("counts").path("CREATE").asInt()).isEqualTo(1);
        assertThat(item(report, "sub-adopt").path("action").asText()).isEqualTo("ADOPT");
        assertThat(item(report, "sub-adopt").path("additionId").asLong()).isEqualTo(hand);
        assertThat(item(report, "sub-adopt").path("agreementId").asLong()).isEqualTo(agreement);
        assertThat(item(report, "sub-plain").path("action").asText()).isEqualTo("CREATE");
        assertThat(item(report, "sub-plain").path("agreementId").asLong()).isEqualTo(agreement);
        assertThat(item(report, "sub-lost").path("action").asText()).isEqualTo("LEAVE");
        assertThat(item(report, "sub-lost").path("reason").asText()).contains("customer 777").contains("not mapped");

        Map<String, Long> calls = sandbox.callsByEndpoint();
        assertThat(calls.keySet()).as(calls.toString()).allMatch(k -> k.startsWith("GET "));
        assertThat(count("imported_subscription")).isZero();
        assertThat(count("sync_task")).isZero();
        assertThat(count("subscription_event")).isZero();
        assertThat(count("subscription_mapping")).isZero();
        assertThat(count("subscription_line")).isZero();
    }

    @Test
    void severalUnownedAdditionsOfTheProductLeaveTheSubscriptionAmbiguousAndItsTaskWaits() throws Exception {
        long a = handMade(bpItem, 7);
        long b = handMade(bpItem, 8);

        ResponseEntity<String> imported = importBook("");

        assertThat(imported.getStatusCode().value()).as(imported.getBody()).isEqualTo(200);
        JsonNode adopt = item(json(imported), "sub-adopt");
        assertThat(adopt.path("action").asText()).isEqualTo("LEAVE");
        assertThat(adopt.path("reason").asText()).contains("ambiguous").contains(String.valueOf(a)).contains(String.valueOf(b));
        await("sub-adopt", "NEEDS_MAPPING");
        await("sub-plain", "SYNCED");
        assertThat(additions(bpItem)).hasSize(2);
    }

    @Test
    void onboardFalseSavesOnlyTheSnapshotsAndARepeatedIdInOneBatchKeepsItsLastItem() {
        Map<String, Object> first = subscription("sub-twice", "65533", "Chairs Unlimited", E3, 5);
        Map<String, Object> last = subscription("sub-twice", "65533", "Chairs Unlimited", E3, 9);
        Map<String, Object> cancelled = new java.util.LinkedHashMap<>(subscription("sub-gone", "65533", "Chairs Unlimited", E3, 2));
        cancelled.put("status", "CANCELLED");

        ResponseEntity<String> saved = api.post().uri(IMPORT + "?onboard=false", partner).contentType(MediaType.APPLICATION_JSON)
                .body(List.of(first, last, cancelled)).retrieve().toEntity(String.class);

        assertThat(saved.getStatusCode().value()).as(saved.getBody()).isEqualTo(200);
        assertThat(count("imported_subscription")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT (payload->>'quantity')::int FROM imported_subscription WHERE partner_id = ? AND subscription_id = 'sub-twice'",
                Integer.class, partner)).isEqualTo(9);
        assertThat(count("sync_task")).isZero();

        // onboarding later (a plain import): the active one gets its task, the cancelled one none
        ResponseEntity<String> onboarded = api.post().uri(IMPORT, partner).contentType(MediaType.APPLICATION_JSON)
                .body(List.of(last, cancelled)).retrieve().toEntity(String.class);
        assertThat(onboarded.getStatusCode().value()).as(onboarded.getBody()).isEqualTo(200);
        assertThat(json(onboarded).path("tasksCreated").asInt()).isEqualTo(1);
        assertThat(item(json(onboarded), "sub-gone").path("action").asText()).isEqualTo("LEAVE");
        assertThat(jdbc.queryForList("SELECT subscription_id FROM sync_task WHERE partner_id = ?", String.class, partner))
                .containsExactly("sub-twice");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R7: an import onboards only its own subscriptions; one saved earlier with onboard=false gets no task"
            + " (none left PENDING unqueued) until it is imported with onboarding, and tasksCreated counts what customers lists")
    void r7AnImportOnboardsOnlyItsBatchNotSubscriptionsSavedEarlierWithoutOnboarding() throws Exception {
        Map<String, Object> earlier = subscription("sub-x", "65533", "Chairs Unlimited", BP, 4);
        Map<String, Object> lost = subscription("sub-q", "c10", "Not Mapped Ltd", BP, 2);
        assertThat(api.post().uri(IMPORT + "?onboard=false", partner).contentType(MediaType.APPLICATION_JSON)
                .body(List.of(earlier, lost)).retrieve().toEntity(String.class).getStatusCode().value()).isEqualTo(200);
        assertThat(count("sync_task")).isZero();

        ResponseEntity<String> other = api.post().uri(IMPORT, partner).contentType(MediaType.APPLICATION_JSON)
                .body(List.of(subscription("sub-y", "65533", "Chairs Unlimited", E3, 5))).retrieve().toEntity(String.class);

        assertThat(other.getStatusCode().value()).as(other.getBody()).isEqualTo(200);
        JsonNode report = json(other);
        // before: tasksCreated 3 (sub-x and sub-q too), customers only sub-y, sub-x's task PENDING for ever, sub-q's
        // PENDING instead of NEEDS_MAPPING
        assertThat(report.path("tasksCreated").asInt()).isEqualTo(1);
        assertThat(report.findValues("taskId").stream().filter(t -> !t.isNull()).count()).isEqualTo(1);
        assertThat(item(report, "sub-y").path("action").asText()).isEqualTo("CREATE");
        assertThat(jdbc.queryForList("SELECT subscription_id FROM sync_task WHERE partner_id = ?", String.class, partner))
                .containsExactly("sub-y");
        await("sub-y", "SYNCED");

        // imported again with onboarding: now they are onboarded, each handed over like the batch's own
        ResponseEntity<String> now = api.post().uri(IMPORT, partner).contentType(MediaType.APPLICATION_JSON)
                .body(List.of(earlier, lost)).retrieve().toEntity(String.class);
        assertThat(json(now).path("tasksCreated").asInt()).isEqualTo(2);
        assertThat(item(json(now), "sub-x").path("action").asText()).isEqualTo("CREATE");
        assertThat(item(json(now), "sub-q").path("action").asText()).isEqualTo("LEAVE");
        await("sub-x", "SYNCED");
        await("sub-q", "NEEDS_MAPPING");
        assertThat(additions(bpItem)).hasSize(1);
        assertThat(additions(bpItem).get(0).path("quantity").asInt()).isEqualTo(4);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R31 / §8.2: a task held back behind a NEEDS_MAPPING task of the same subscription says which task it"
            + " waits for, and syncs after it once the mapping is saved")
    void r31ATaskHeldBackBehindANeedsMappingTaskNamesIt() throws Exception {
        ResponseEntity<String> imported = importBook("");
        assertThat(imported.getStatusCode().value()).as(imported.getBody()).isEqualTo(200);
        long onboarding = item(json(imported), "sub-lost").path("taskId").asLong();
        await("sub-lost", "NEEDS_MAPPING");

        long increase = tenant.submit(io.cwbridge.testsupport.TestEvents.customer(io.cwbridge.testsupport.TestEvents.event(partner,
                "inc-lost-" + partner, "sub-lost", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-01T09:00:00Z", 5, 3), "777", "Nobody Ltd"));

        // before: PENDING with reason null
        String expected = "waits for NEEDS_MAPPING task " + onboarding + " of subscription sub-lost";
        long deadline = System.currentTimeMillis() + 30_000;
        JsonNode task = tenant.task(increase);
        while (!task.path("reason").asText("").contains(expected) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            task = tenant.task(increase);
        }
        assertThat(task.path("status").asText()).as(task.toString()).isEqualTo("PENDING");
        assertThat(task.path("reason").asText("")).as(task.toString()).contains(expected);
        assertThat(tenant.task(onboarding).path("status").asText()).isEqualTo("NEEDS_MAPPING");

        assertThat(put("/{p}/customers/{c}/mapping", Map.of("companyId", company), partner, "777").getStatusCode().value()).isEqualTo(200);
        assertThat(awaitTask(onboarding, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(awaitTask(increase, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(tenant.task(increase).path("reason").asText("")).doesNotContain("waits for NEEDS_MAPPING");
    }
}
