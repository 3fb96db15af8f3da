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
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
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
    protected Tenant tenant;
    protected String partner;
    protected long company;
    protected long agreement;
    protected long catalogItem;

    @BeforeEach
    void setUpPartner() {
        clock.setInstant("2024-04-01T00:00:00Z"); // "today" of the timer tests
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
        // Tenant works without the context (child JVMs) and so keeps its own copy of the sandbox's credentials
        assertThat(List.of(cw.apiUrl(), cw.companyId(), cw.publicKey(), cw.privateKey(), cw.clientId())).as("cw-sandbox.* of the context")
                .containsExactly(sandbox.site(), Tenant.COMPANY_ID, Tenant.PUBLIC_KEY, Tenant.PRIVATE_KEY, Tenant.CLIENT_ID);
        tenant = Tenant.connected("p", port);
        partner = tenant.partner();
        api = tenant.bundle();
        catalogItem = tenant.catalogItem("M365-BP", "M365 BP", "Cloud", Map.of("price", 20, "cost", 15));
        // the old name and city the global sync replaces (R30)
        company = tenant.company("Chairs", "Chairs Old Name", Map.of("city", "Old City"));
        agreement = tenant.agreement(company, "Chairs cloud", Tenant.Terms.MONTHLY_USD);
        tenant.mapCustomer(Tenant.CUSTOMER, company);
        tenant.mapProduct(PRODUCT_ID, catalogItem);
    }

    /**
     * The next test resets the sandbox, whose ids start at 1 again: a task of this test's partner still to run (released by
     * a switch of its task sync, due for a retry or a tick) would write into the next test's agreement 1. Without its
     * connection nothing of this partner syncs any more (SPEC 7 v2), and the ticks skip it.
     */
    @AfterEach
    void disconnectPartner() {
        connections.remove(partner);
    }

    /** An event of Chairs Unlimited's subscription sub-1 (with its address), event id {@code eventId-<partner>}. */
    protected String event(String eventId, String type, String action, String occurredAt, int quantity, Integer previous,
            String customerId) {
        return TestEvents.address(TestEvents.customer(TestEvents.event(partner, eventId + "-" + partner, "sub-1", type, action,
                occurredAt, quantity, previous), customerId, "Chairs Unlimited")).toString();
    }

    protected ResponseEntity<String> post(String path, Object body) {
        return api.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body == null ? "" : body).retrieve()
                .toEntity(String.class);
    }

    protected long submit(String body) {
        return tenant.submit(body);
    }

    protected String awaitStatus(long taskId, String... expected) {
        return tenant.awaitTask(taskId, expected).path("status").asText();
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
    protected long writeCalls() {
        return sandbox.writeCalls();
    }
}
