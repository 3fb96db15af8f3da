package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * One partner's tenant, driven only over real HTTP (works against a test context or a child JVM):
 * the sandbox is seeded with one company and agreement per subscription, the partner connected
 * and mapped through the bundle's API, and each subscription gets a sales order followed by
 * increases/decreases on different dates — so the expected additions follow from R11/R12/R14:
 * the base line plus one delta line per change.
 */
final class Tenant {

    static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("demo_msp+sandboxPublicKey01:sandboxPrivateKey01".getBytes());
    static final String CLIENT_ID = "1d6b7e2a-6f0c-4a4e-9a53-0c5d8f1b2e77";
    static final String PRODUCT = "CFQ7TTC0LCHC:0002";
    static final String ADDITIONS_POST = "POST /finance/agreements/{parentId}/additions";
    static final String ADDITIONS_PATCH = "PATCH /finance/agreements/{parentId}/additions/{id}";
    /** The changes after the sales order: date of change and quantity delta, on different dates. */
    static final String[][] CHANGES = {{"2024-03-05", "2"}, {"2024-03-12", "-1"}, {"2024-03-19", "3"}, {"2024-03-26", "-2"}};

    final ObjectMapper mapper = new ObjectMapper();
    final String partner;
    final String sandboxSite;
    final RestClient bundle;
    final RestClient sandboxAdmin;
    final RestClient cw;
    final List<Long> agreements = new ArrayList<>();
    final List<String> subscriptions = new ArrayList<>();
    /** Sandbox call counts are global; the printed counts are this tenant's, from after its set-up. */
    long postsBefore;
    long patchesBefore;

    Tenant(String partner, int bundlePort, int sandboxPort) {
        this.partner = partner;
        this.sandboxSite = "http://localhost:" + sandboxPort + "/cw-sandbox";
        this.bundle = lenient("http://localhost:" + bundlePort);
        this.sandboxAdmin = lenient(sandboxSite + "/admin");
        this.cw = RestClient.builder().baseUrl(sandboxSite + "/v4_6_release/apis/3.0")
                .defaultHeader("Authorization", AUTH).defaultHeader("clientId", CLIENT_ID).build();
    }

    private static RestClient lenient(String base) {
        return RestClient.builder().baseUrl(base).defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { }).build();
    }

    /** Seeds {@code n} companies with one USD monthly agreement each, connects the partner and maps customers and product. */
    Tenant setUp(int n) {
        ObjectNode seed = mapper.createObjectNode();
        ArrayNode companies = seed.putArray("companies");
        ArrayNode agreementsJson = seed.putArray("agreements");
        for (int i = 0; i < n; i++) {
            companies.addObject().put("identifier", partner + "-c" + i).put("name", "Customer " + i);
            ObjectNode a = agreementsJson.addObject();
            a.put("name", "Cloud " + i).putObject("type").put("name", "Cloud");
            a.putObject("company").put("identifier", partner + "-c" + i);
            a.putObject("contact").put("name", "Billing");
            a.put("startDate", "2024-01-01T00:00:00Z");
            a.putObject("billingCycle").put("name", "Monthly");
            a.putObject("currency").put("currencyCode", "USD");
        }
        ObjectNode item = seed.putArray("catalog").addObject();
        item.put("identifier", partner + "-M365").put("description", "M365 BP").put("customerDescription", "M365 BP");
        item.putObject("subcategory").put("name", "Cloud");
        item.putObject("type").put("name", "Subscription");
        JsonNode created = json(ok(sandboxAdmin.post().uri("/seed").contentType(MediaType.APPLICATION_JSON)
                .body(seed.toString()).retrieve().toEntity(String.class)));

        ok(bundle.put().uri("/api/v1/partners/{p}/connection", partner).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("companyId", "demo_msp", "publicKey", "sandboxPublicKey01", "privateKey", "sandboxPrivateKey01",
                        "apiUrl", sandboxSite, "clientId", CLIENT_ID)).retrieve().toEntity(String.class));
        ok(bundle.put().uri("/api/v1/partners/{p}/products/{id}/mapping", partner, PRODUCT).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("catalogItemId", created.path("catalog").get(0).path("id").asLong())).retrieve().toEntity(String.class));
        for (int i = 0; i < n; i++) {
            ok(bundle.put().uri("/api/v1/partners/{p}/customers/{id}/mapping", partner, customer(i))
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("companyId", created.path("companies").get(i).path("id").asLong())).retrieve().toEntity(String.class));
            agreements.add(created.path("agreements").get(i).path("id").asLong());
            subscriptions.add(partner + "-sub-" + i);
        }
        postsBefore = calls(ADDITIONS_POST);
        patchesBefore = calls(ADDITIONS_PATCH);
        return this;
    }

    void resetCallBaseline() {
        postsBefore = 0;
        patchesBefore = 0;
    }

    String customer(int i) {
        return partner + "-cust-" + i;
    }

    static int baseQuantity(int i) {
        return 10 + i;
    }

    /** Event {@code k} (0 = the sales order, 1.. = CHANGES[k-1]) of subscription {@code i}. */
    String event(int i, int k) {
        int quantity = baseQuantity(i);
        int previous = quantity;
        for (int c = 0; c < k; c++) {
            previous = quantity;
            quantity += Integer.parseInt(CHANGES[c][1]);
        }
        String type = k == 0 ? "SALES_ORDER" : "CHANGE_ORDER";
        String action = k == 0 ? "NEW" : quantity > previous ? "LICENSE_INCREASE" : "LICENSE_DECREASE";
        String occurredAt = k == 0 ? "2024-02-14T09:00:00Z" : CHANGES[k - 1][0] + "T10:00:00Z";
        return eventJson(partner + "-e" + i + "-" + k, i, type, action, occurredAt, quantity, k == 0 ? null : previous, "USD",
                "Customer " + i);
    }

    String eventJson(String eventId, int i, String type, String action, String occurredAt, int quantity, Integer previous,
                     String currency, String customerName) {
        ObjectNode e = mapper.createObjectNode();
        e.put("eventId", eventId).put("partnerId", partner).put("type", type).put("action", action).put("occurredAt", occurredAt);
        ObjectNode s = e.putObject("subscription");
        s.put("id", subscriptions.get(i));
        s.putObject("customer").put("id", customer(i)).put("name", customerName);
        s.putObject("product").put("id", PRODUCT).put("provider", "Microsoft CSP").put("providerId", 30)
                .put("name", "Microsoft 365 NCE").put("plan", "Microsoft 365 Business Premium").put("mfgPartNumber", PRODUCT + ":P1");
        s.put("kind", "SAAS").put("quantity", quantity);
        if (previous != null) s.put("previousQuantity", previous);
        s.put("unitPrice", new java.math.BigDecimal("22.00")).put("unitCost", new java.math.BigDecimal("18.70"))
                .put("currency", currency).put("billingCycle", "MONTHLY").put("startDate", "2024-02-14").put("endDate", "2025-02-13")
                .put("autoRenew", false).put("status", "ACTIVE");
        return e.toString();
    }

    /** The additions subscription {@code i}'s events must leave (first {@code events} of them): effective date → quantity. */
    static Map<String, Integer> expectedLines(int i, int events) {
        Map<String, Integer> lines = new TreeMap<>();
        lines.put("2024-02-14", baseQuantity(i));
        for (int c = 0; c < events - 1; c++) lines.put(CHANGES[c][0], Integer.parseInt(CHANGES[c][1]));
        return lines;
    }

    /** The additions found on subscription {@code i}'s agreement; a doubled line fails (same date twice). */
    Map<String, Integer> foundLines(int i) {
        Map<String, Integer> lines = new TreeMap<>();
        for (JsonNode a : additions(i)) {
            String date = a.path("effectiveDate").asText().substring(0, 10);
            Integer previous = lines.put(date, a.path("quantity").decimalValue().intValueExact());
            if (previous != null) lines.put(date + " (doubled)", previous);
        }
        return lines;
    }

    List<JsonNode> additions(int i) {
        JsonNode page = json(cw.get().uri("/finance/agreements/{id}/additions?pageSize=1000&orderBy=id", agreements.get(i))
                .retrieve().toEntity(String.class));
        List<JsonNode> out = new ArrayList<>();
        page.forEach(out::add);
        return out;
    }

    int totalAdditions() {
        int n = 0;
        for (int i = 0; i < agreements.size(); i++) n += additions(i).size();
        return n;
    }

    /** Asserts every subscription's additions are exactly the expected ones and prints the counts. */
    void assertExact(String label, int eventsPerSubscription) {
        assertExact(label, eventsPerSubscription, Map.of());
    }

    /** As {@link #assertExact(String, int)}, with other expected lines (effective date → quantity) for the subscriptions in {@code special}. */
    void assertExact(String label, int eventsPerSubscription, Map<Integer, Map<String, Integer>> special) {
        int expected = 0;
        int found = 0;
        for (int i = 0; i < agreements.size(); i++) {
            expected += special.getOrDefault(i, expectedLines(i, eventsPerSubscription)).size();
            found += additions(i).size();
        }
        System.out.printf("FAULT %s: expected %d additions, found %d, calls POST=%d PATCH=%d%n", label, expected, found,
                calls(ADDITIONS_POST) - postsBefore, calls(ADDITIONS_PATCH) - patchesBefore);
        for (int i = 0; i < agreements.size(); i++) {
            assertThat(foundLines(i)).as("%s: additions of %s", label, subscriptions.get(i))
                    .isEqualTo(new TreeMap<>(special.getOrDefault(i, expectedLines(i, eventsPerSubscription))));
        }
        assertThat(found).isEqualTo(expected);
    }

    /** The faults the sandbox has not used up yet. */
    JsonNode pendingFaults() {
        return json(ok(sandboxAdmin.get().uri("/faults").retrieve().toEntity(String.class)));
    }

    /** An increase of subscription {@code i} from {@code previous} to {@code quantity} licences at {@code occurredAt}. */
    String increase(String eventId, int i, String occurredAt, int previous, int quantity) {
        return eventJson(eventId, i, "CHANGE_ORDER", "LICENSE_INCREASE", occurredAt, quantity, previous, "USD", "Customer " + i);
    }

    ResponseEntity<String> submit(String body) {
        return bundle.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    long tasks(String status) {
        String query = status == null ? "/api/v1/partners/{p}/tasks?limit=1" : "/api/v1/partners/{p}/tasks?limit=1&status=" + status;
        return json(ok(bundle.get().uri(query, partner).retrieve().toEntity(String.class))).path("total").asLong();
    }

    /** Waits until every one of {@code count} tasks is SYNCED; fails early with the reasons when one FAILED. */
    void awaitAllSynced(long count, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(300))
                .failFast("a task of " + partner + " FAILED", () -> tasks("FAILED") > 0)
                .untilAsserted(() -> assertThat(tasks("SYNCED")).as("synced tasks of " + partner).isEqualTo(count));
        assertThat(tasks(null)).isEqualTo(count);
    }

    void fault(Map<String, Object> fault) {
        ok(sandboxAdmin.post().uri("/faults").contentType(MediaType.APPLICATION_JSON).body(fault).retrieve().toEntity(String.class));
    }

    void clearFaults() {
        ok(sandboxAdmin.delete().uri("/faults").retrieve().toEntity(String.class));
    }

    long calls(String endpoint) {
        return json(ok(sandboxAdmin.get().uri("/calls").retrieve().toEntity(String.class))).path("byEndpoint").path(endpoint).asLong(0);
    }

    long writeCalls() {
        JsonNode byEndpoint = json(ok(sandboxAdmin.get().uri("/calls").retrieve().toEntity(String.class))).path("byEndpoint");
        long n = 0;
        for (var it = byEndpoint.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getKey().startsWith("GET ")) n += e.getValue().asLong();
        }
        return n;
    }

    static ResponseEntity<String> ok(ResponseEntity<String> response) {
        assertThat(response.getStatusCode().is2xxSuccessful()).as(response.getBody()).isTrue();
        return response;
    }

    JsonNode json(ResponseEntity<String> response) {
        try {
            return mapper.readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
