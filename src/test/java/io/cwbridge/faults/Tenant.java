package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.TestEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * The fault tests' book on one partner's tenant ({@link io.cwbridge.testsupport.Tenant}, driven only
 * over real HTTP, so it works against a test context or a child JVM): the sandbox is seeded with one
 * company and agreement per subscription, the partner connected and mapped through the bundle's API,
 * and each subscription gets a sales order followed by increases/decreases on different dates — so the
 * expected additions follow from R11/R12/R14: the base line plus one delta line per change.
 */
final class Tenant {

    static final String CLIENT_ID = io.cwbridge.testsupport.Tenant.CLIENT_ID;
    static final String PRODUCT = io.cwbridge.testsupport.Tenant.PRODUCT;
    static final String ADDITIONS_POST = io.cwbridge.testsupport.Tenant.ADDITIONS_POST;
    static final String ADDITIONS_PATCH = io.cwbridge.testsupport.Tenant.ADDITIONS_PATCH;
    /** The changes after the sales order: date of change and quantity delta, on different dates. */
    static final String[][] CHANGES = {{"2024-03-05", "2"}, {"2024-03-12", "-1"}, {"2024-03-19", "3"}, {"2024-03-26", "-2"}};

    final ObjectMapper mapper = new ObjectMapper();
    final String partner;
    final String sandboxSite;
    final RestClient bundle;
    final List<Long> agreements = new ArrayList<>();
    final List<String> subscriptions = new ArrayList<>();
    private final io.cwbridge.testsupport.Tenant shared;
    private final SandboxAdmin sandbox;
    /** Sandbox call counts are global; the printed counts are this tenant's, from after its set-up. */
    long postsBefore;
    long patchesBefore;

    Tenant(String partner, int bundlePort, int sandboxPort) {
        this.shared = new io.cwbridge.testsupport.Tenant(partner, bundlePort, sandboxPort);
        this.partner = partner;
        this.sandboxSite = shared.site();
        this.bundle = shared.bundle();
        this.sandbox = shared.sandbox();
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
        JsonNode created = sandbox.seed(seed.toString());

        shared.connect();
        shared.mapProduct(PRODUCT, created.path("catalog").get(0).path("id").asLong());
        for (int i = 0; i < n; i++) {
            shared.mapCustomer(customer(i), created.path("companies").get(i).path("id").asLong());
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
        ObjectNode e = TestEvents.customer(TestEvents.event(partner, eventId, subscriptions.get(i), type, action, occurredAt,
                quantity, previous), customer(i), customerName);
        ((ObjectNode) e.path("subscription")).put("currency", currency);
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
        return shared.additions(agreements.get(i));
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
        return sandbox.pendingFaults();
    }

    /** An increase of subscription {@code i} from {@code previous} to {@code quantity} licences at {@code occurredAt}. */
    String increase(String eventId, int i, String occurredAt, int previous, int quantity) {
        return eventJson(eventId, i, "CHANGE_ORDER", "LICENSE_INCREASE", occurredAt, quantity, previous, "USD", "Customer " + i);
    }

    ResponseEntity<String> submit(String body) {
        return shared.post(body);
    }

    long tasks(String status) {
        return shared.tasks(status);
    }

    /** Waits until every one of {@code count} tasks is SYNCED; fails early with the reasons when one FAILED. */
    void awaitAllSynced(long count, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(300))
                .failFast("a task of " + partner + " FAILED", () -> tasks("FAILED") > 0)
                .untilAsserted(() -> assertThat(tasks("SYNCED")).as("synced tasks of " + partner).isEqualTo(count));
        assertThat(tasks(null)).isEqualTo(count);
    }

    void fault(Map<String, Object> fault) {
        sandbox.fault(fault);
    }

    void clearFaults() {
        sandbox.clearFaults();
    }

    long calls(String endpoint) {
        return sandbox.calls(endpoint);
    }

    long writeCalls() {
        return sandbox.writeCalls();
    }

    static ResponseEntity<String> ok(ResponseEntity<String> response) {
        return io.cwbridge.testsupport.Tenant.ok(response);
    }

    JsonNode json(ResponseEntity<String> response) {
        return shared.json(response);
    }
}
