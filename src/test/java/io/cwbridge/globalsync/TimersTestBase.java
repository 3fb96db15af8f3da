package io.cwbridge.globalsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.SettableClock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * The one Spring context of the timer tests (global sync, scheduled routes): the sandbox over real
 * HTTP, the embedded PostgreSQL, and the sync clock fixed at the 00:00 UTC tick of 2024-04-01, the
 * day after a March delta line ended (R18).
 */
public abstract class TimersTestBase extends BundleTestBase {

    protected static final String PRODUCT_ID = "CFQ7TTC0LCHC:0002";

    @LocalServerPort protected int port;
    @Autowired protected Environment env;
    @Autowired protected ConnectWiseClient client;
    @Autowired protected PartnerConnectionRepository connections;
    @Autowired protected JdbcTemplate jdbc;
    @Autowired protected SettableClock clock;

    protected final ObjectMapper mapper = new ObjectMapper();
    protected SandboxAdmin sandbox;
    protected ConnectWiseConnection cw;
    protected RestClient api;
    protected RestClient sandboxHttp;
    protected String partner;
    protected long company;
    protected long agreement;
    protected long catalogItem;

    @BeforeEach
    void setUpPartner() {
        clock.setInstant("2024-04-01T00:00:00Z"); // "today" of the timer tests
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        sandboxHttp = RestClient.create(sandbox.site() + "/admin");
        cw = sandbox.connection();
        partner = "p-" + UUID.randomUUID().toString().substring(0, 8);
        connections.save(partner, cw);
        api = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { }).build();
        catalogItem = client.create(cw, "procurement/catalog", Map.of("identifier", "M365-BP", "description", "M365 BP",
                "customerDescription", "M365 BP", "subcategory", Map.of("name", "Cloud"), "type", Map.of("name", "Subscription"),
                "price", 20, "cost", 15), null).path("id").asLong();
        company = client.create(cw, "company/companies", Map.of("identifier", "Chairs", "name", "Chairs Old Name", "city", "Old City"),
                null).path("id").asLong();
        agreement = client.create(cw, "finance/agreements", Map.of("name", "Chairs cloud", "type", Map.of("name", "Cloud"),
                "company", Map.of("id", company), "contact", Map.of("name", "Billing"), "startDate", "2024-01-01T00:00:00Z",
                "billingCycle", Map.of("name", "Monthly"), "currency", Map.of("currencyCode", "USD")), null).path("id").asLong();
        jdbc.update("INSERT INTO customer_mapping (partner_id, customer_id, company_id) VALUES (?, '65533', ?)", partner, company);
        jdbc.update("INSERT INTO product_mapping (partner_id, product_id, catalog_item_id) VALUES (?, ?, ?)", partner, PRODUCT_ID,
                catalogItem);
    }

    protected String event(String eventId, String type, String action, String occurredAt, int quantity, Integer previous,
            String customerId) {
        return """
                {"eventId":"%s","partnerId":"%s","type":"%s","action":"%s","occurredAt":"%s",
                 "subscription":{"id":"sub-1","customer":{"id":"%s","name":"Chairs Unlimited",
                     "address":{"line1":"1 Main St","city":"Tampa","state":"FL","zip":"33601","country":"US"}},
                   "product":{"id":"%s","provider":"Microsoft CSP","providerId":30,"name":"Microsoft 365 NCE",
                              "plan":"Microsoft 365 Business Premium","mfgPartNumber":"CFQ7TTC0LCHC:0002:P1"},
                   "kind":"SAAS","quantity":%d,%s"unitPrice":22.00,"unitCost":18.70,"currency":"USD","billingCycle":"MONTHLY",
                   "startDate":"2024-02-14","endDate":"2025-02-13","autoRenew":false,"status":"ACTIVE"}}
                """.formatted(eventId + "-" + partner, partner, type, action, occurredAt, customerId, PRODUCT_ID, quantity,
                previous == null ? "" : "\"previousQuantity\":" + previous + ",");
    }

    protected ResponseEntity<String> post(String path, Object body) {
        return api.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body == null ? "" : body).retrieve()
                .toEntity(String.class);
    }

    protected long submit(String body) throws Exception {
        ResponseEntity<String> response = post("/api/v1/events", body);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        return mapper.readTree(response.getBody()).path("taskId").asLong();
    }

    protected String awaitStatus(long taskId, String... expected) throws InterruptedException {
        return io.cwbridge.testsupport.TaskAwait.status(jdbc, taskId, expected);
    }

    protected void putSyncRules(Map<String, Object> rules) {
        ResponseEntity<String> saved = api.put().uri("/api/v1/partners/{p}/sync-rules", partner).contentType(MediaType.APPLICATION_JSON)
                .body(rules).retrieve().toEntity(String.class);
        assertThat(saved.getStatusCode().value()).as(saved.getBody()).isEqualTo(200);
    }

    protected List<JsonNode> additions() {
        return client.getAll(cw, "finance/agreements/" + agreement + "/additions", null);
    }

    /** POST, PATCH, PUT and DELETE calls the sandbox received since the last reset of its counts. */
    protected long writeCalls() throws Exception {
        JsonNode byEndpoint = mapper.readTree(sandboxHttp.get().uri("/calls").retrieve().body(String.class)).path("byEndpoint");
        long writes = 0;
        for (var it = byEndpoint.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().matches("(POST|PATCH|PUT|DELETE) .*")) writes += e.getValue().asLong();
        }
        return writes;
    }
}
