package io.cwbridge.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.globalsync.GlobalSync;
import io.cwbridge.globalsync.GlobalSyncReport;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.TestEvents;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Global sync (R30) over 10,000 mapped subscriptions (100 customers × 100), 1% of them with a new
 * unit price in their latest event: time and ConnectWise calls of the run, then of a second run
 * with nothing left to change (which must write nothing). The tenant is built through the
 * sandbox's ConnectWise API; the bundle's own records (events, mappings, which addition holds
 * which line) are inserted as the pipeline would have left them. Run with
 * {@code mvn -B -Pbenchmark test}; size with {@code -Dbenchmark.customers=…} and
 * {@code -Dbenchmark.subscriptionsPerCustomer=…}.
 */
@Tag("benchmark")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "cwbridge.connectwise.requests-per-minute=1000000",
        "cwbridge.sync.clock=2024-04-10T00:00:00Z",
        "logging.level.io.cwbridge=WARN",
        "logging.level.io.cwbridge.globalsync.GlobalSync=INFO"}) // its run line gives the time per phase
@ActiveProfiles("test")
class GlobalSyncBenchmark {

    private static final String PARTNER = "gs-bench";
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired ConnectWiseClient client;
    @Autowired PartnerConnectionRepository connections;
    @Autowired GlobalSync globalSync;
    @Autowired JdbcTemplate jdbc;
    @Value("${benchmark.customers:100}") int customers;
    @Value("${benchmark.subscriptionsPerCustomer:100}") int perCustomer;

    @Test
    void globalSyncOfTenThousandSubscriptionsWithOnePercentChanged() throws Exception {
        SandboxAdmin sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        ConnectWiseConnection cw = sandbox.connection();
        connections.save(PARTNER, cw);
        // The catalog item already holds what the product's latest event says (R30 has nothing to push to it), so every
        // write of the run is one of the changed subscriptions'.
        long catalog = client.create(cw, "procurement/catalog", Map.of("identifier", "M365-BP",
                "description", "Microsoft 365 Business Premium", "customerDescription", "M365 BP",
                "subcategory", Map.of("name", "Cloud"), "type", Map.of("name", "Subscription"),
                "manufacturer", Map.of("name", "Microsoft CSP"), "manufacturerPartNumber", "CFQ7TTC0LCHC:0002:P1",
                "price", new BigDecimal("22.00"), "cost", new BigDecimal("18.70")), null).path("id").asLong();
        jdbc.update("INSERT INTO product_mapping (partner_id, product_id, catalog_item_id) VALUES (?, ?, ?)", PARTNER,
                TestEvents.PRODUCT, catalog);

        long setupStart = System.nanoTime();
        HttpClient http = HttpClient.newHttpClient();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int subscriptions = customers * perCustomer;
        int changed = 0;
        Map<Long, BigDecimal> expectedPrice = new java.util.HashMap<>(); // addition id -> unit price after the sync
        List<Long> agreements = new ArrayList<>();
        try {
            for (int c = 0; c < customers; c++) {
                String customer = "cust-" + c;
                long company = client.create(cw, "company/companies", Map.of("identifier", "C" + c, "name", "Customer " + c), null)
                        .path("id").asLong();
                long agreement = client.create(cw, "finance/agreements", Map.of("name", "Cloud " + c, "type", Map.of("name", "Cloud"),
                        "company", Map.of("id", company), "contact", Map.of("name", "Billing"), "startDate", "2024-01-01T00:00:00Z",
                        "billingCycle", Map.of("name", "Monthly"), "currency", Map.of("currencyCode", "USD")), null).path("id").asLong();
                agreements.add(agreement);
                jdbc.update("INSERT INTO customer_mapping (partner_id, customer_id, company_id) VALUES (?, ?, ?)", PARTNER, customer,
                        company);
                URI additions = cw.baseUri().resolve("finance/agreements/" + agreement + "/additions");
                List<Future<Long>> created = new ArrayList<>();
                for (int s = 0; s < perCustomer; s++) {
                    String body = "{\"product\":{\"id\":" + catalog + "},\"quantity\":10,\"unitPrice\":22.00,\"unitCost\":18.70,"
                            + "\"effectiveDate\":\"2024-02-14T00:00:00Z\",\"billCustomer\":\"Billable\"}";
                    created.add(pool.submit(() -> post(http, cw, additions, body)));
                }
                List<Object[]> events = new ArrayList<>();
                List<Object[]> lines = new ArrayList<>();
                List<Object[]> mappings = new ArrayList<>();
                for (int s = 0; s < perCustomer; s++) {
                    String sub = customer + "-sub-" + s;
                    boolean priceChanged = (c * perCustomer + s) % 100 == 0;
                    changed += priceChanged ? 1 : 0;
                    ObjectNode event = TestEvents.event(PARTNER, sub + "-sale", sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);
                    ObjectNode subscription = (ObjectNode) event.get("subscription");
                    ((ObjectNode) subscription.get("customer")).put("id", customer).put("name", "Customer " + c);
                    subscription.put("autoRenew", true);
                    if (priceChanged) {
                        subscription.put("unitPrice", new BigDecimal("23.50"));
                    }
                    // The product's latest event (R30 catalog item) is one at the old price: the new prices arrived first.
                    events.add(new Object[] {sub + "-sale", PARTNER, sub, event.toString(),
                            java.sql.Timestamp.from(java.time.Instant.parse(priceChanged ? "2024-02-14T09:00:01Z" : "2024-02-14T09:00:02Z"))});
                    long additionId = created.get(s).get();
                    expectedPrice.put(additionId, new BigDecimal(priceChanged ? "23.50" : "22.00"));
                    lines.add(new Object[] {PARTNER, sub, sub + "/BASE/2024-02-14", agreement, additionId});
                    mappings.add(new Object[] {PARTNER, sub, agreement});
                }
                jdbc.batchUpdate("INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, "
                        + "payload, source, received_at) VALUES (?, ?, ?, 'SALES_ORDER', 'NEW', '2024-02-14T09:00:00Z', ?::jsonb, 'HTTP', ?)", events);
                jdbc.batchUpdate("INSERT INTO subscription_line (partner_id, subscription_id, line_key, agreement_id, addition_id) "
                        + "VALUES (?, ?, ?, ?, ?)", lines);
                jdbc.batchUpdate("INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id) VALUES (?, ?, ?)", mappings);
            }
            io.cwbridge.testsupport.TestEvents.recordSyncedTasks(jdbc, PARTNER);
        } finally {
            pool.shutdown();
        }
        double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

        sandbox.resetCalls();
        long start = System.nanoTime();
        GlobalSyncReport first = globalSync.run(PARTNER, "ON_DEMAND");
        double firstSeconds = (System.nanoTime() - start) / 1e9;
        Map<String, Long> firstCalls = sandbox.callsByEndpoint();
        long firstWrites = firstCalls.entrySet().stream().filter(e -> !e.getKey().startsWith("GET "))
                .mapToLong(Map.Entry::getValue).sum();
        // Correctness (not timed): every addition bills the price of its subscription's latest event, none was added.
        Map<Long, BigDecimal> billedPrice = new java.util.HashMap<>();
        for (long agreement : agreements) {
            client.getAll(cw, "finance/agreements/" + agreement + "/additions", null, 1000)
                    .forEach(a -> billedPrice.put(a.path("id").asLong(), a.path("unitPrice").decimalValue()));
        }
        assertThat(billedPrice.keySet()).isEqualTo(expectedPrice.keySet());
        expectedPrice.forEach((id, price) -> assertThat(billedPrice.get(id)).as("addition " + id).isEqualByComparingTo(price));

        sandbox.resetCalls();
        start = System.nanoTime();
        GlobalSyncReport second = globalSync.run(PARTNER, "ON_DEMAND");
        double secondSeconds = (System.nanoTime() - start) / 1e9;
        long secondWrites = sandbox.callsByEndpoint().entrySet().stream().filter(e -> !e.getKey().startsWith("GET "))
                .mapToLong(Map.Entry::getValue).sum();

        assertThat(first.status()).isEqualTo("COMPLETED");
        assertThat(first.lookedAt().subscriptions()).isEqualTo(subscriptions);
        assertThat(first.changed().subscriptions()).isEqualTo(changed);
        assertThat(firstWrites).as("one write per changed subscription").isEqualTo(changed);
        assertThat(first.calls().writes()).isEqualTo(changed);
        assertThat(second.changed().subscriptions()).isZero();
        assertThat(secondWrites).isZero();

        System.gc();
        long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        System.out.println();
        System.out.println("==== Global sync benchmark (" + Runtime.getRuntime().availableProcessors() + " cores) ====");
        System.out.printf(Locale.ROOT, "mapped subscriptions        %d (%d customers x %d), %d with a new price%n", subscriptions, customers,
                perCustomer, changed);
        System.out.printf(Locale.ROOT, "tenant set-up               %.1f s (through the sandbox's API)%n", setupSeconds);
        System.out.printf(Locale.ROOT, "first run                   %.1f s, %.0f subscriptions/s, reads %d, writes %d, changed %d%n",
                firstSeconds, subscriptions / firstSeconds, first.calls().reads(), firstWrites, first.changed().subscriptions());
        firstCalls.forEach((endpoint, n) -> System.out.printf(Locale.ROOT, "    %-50s %d%n", endpoint, n));
        System.out.printf(Locale.ROOT, "second run (no change)      %.1f s, reads %d, writes %d%n", secondSeconds, second.calls().reads(),
                secondWrites);
        System.out.printf(Locale.ROOT, "heap used after run (GC)    %d MB%n", heapMb);
        System.out.println("=============================================");
    }

    private static long post(HttpClient http, ConnectWiseConnection cw, URI uri, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                .header("Authorization", cw.authorizationHeader()).header("clientId", cw.clientId())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).path("id").asLong();
    }
}
