package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * Real HTTP against the bundle, the in-app sandbox as the partner's ConnectWise, and a fresh
 * partner id per test so the mapping tables need no cleaning.
 *
 * <p>MappingChanged is published on the server's request thread, which {@code @RecordApplicationEvents}
 * (thread-bound) cannot see; a listener on the context records it instead, together with whether
 * the mapping row was already committed when the event arrived.
 */
abstract class MappingApiTestBase extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired JdbcTemplate jdbc;
    @Autowired ConnectWiseClient client;
    @Autowired PartnerConnectionRepository connections;
    @Autowired ConfigurableApplicationContext context;

    final ObjectMapper mapper = new ObjectMapper();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    RestClient api;
    SandboxAdmin sandbox;
    ConnectWiseConnection cw;
    Tenant tenant;
    String partner;
    private ApplicationListener<ApplicationEvent> recorder;

    /** A MappingChanged as a listener saw it, and whether its mapping row was committed by then. */
    record Seen(MappingChanged event, boolean rowCommitted) {}

    @BeforeEach
    void connectPartnerToSandbox() {
        api = Tenant.lenient("http://localhost:" + port + "/api/v1/partners");
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
        tenant = Tenant.connected("map", port);
        partner = tenant.partner();
        recorder = event -> {
            if (event instanceof PayloadApplicationEvent<?> payload && payload.getPayload() instanceof MappingChanged changed) {
                seen.add(new Seen(changed, rowExists(changed)));
            }
        };
        context.addApplicationListener(recorder);
    }

    @AfterEach
    void stopRecording() {
        context.removeApplicationListener(recorder);
    }

    /** Read on a connection of its own: only committed rows are visible. */
    private boolean rowExists(MappingChanged e) {
        String sql = switch (e.kind()) {
            case MappingChanged.CUSTOMER -> "SELECT count(*) FROM customer_mapping WHERE partner_id = ? AND customer_id = ?";
            case MappingChanged.PRODUCT -> "SELECT count(*) FROM product_mapping WHERE partner_id = ? AND product_id = ?";
            default -> "SELECT count(*) FROM subscription_mapping WHERE partner_id = ? AND subscription_id = ?";
        };
        return jdbc.queryForObject(sql, Integer.class, e.partnerId(), e.id()) > 0;
    }

    List<MappingChanged> changes() {
        return seen.stream().map(Seen::event).toList();
    }

    ResponseEntity<String> put(String path, Object body, Object... vars) {
        return api.put().uri(path, vars).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    ResponseEntity<String> get(String path, Object... vars) {
        return api.get().uri(path, vars).retrieve().toEntity(String.class);
    }

    ResponseEntity<String> delete(String path, Object... vars) {
        return api.delete().uri(path, vars).retrieve().toEntity(String.class);
    }

    JsonNode json(ResponseEntity<String> response) {
        try {
            return mapper.readTree(response.getBody());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    long company(String identifier, String name) {
        return tenant.company(identifier, name);
    }

    long agreement(long companyId, String name) {
        return tenant.agreement(companyId, name, Tenant.Terms.CLOUD_SERVICES);
    }

    long catalogItem(String identifier) {
        return tenant.catalogItem(identifier, identifier, "Cloud Licensing", Map.of());
    }

    /** Stores an accepted event as the pipeline would (table subscription_event), from a SPEC 8.1 payload. */
    void seedEvent(String subscriptionId, String occurredAt, Map<String, Object> subscriptionOverrides, Map<String, Object> extra) {
        Map<String, Object> subscription = new java.util.LinkedHashMap<>(Map.of(
                "id", subscriptionId,
                "customer", Map.of("id", "65533", "name", "Chairs Unlimited",
                        "address", Map.of("line1", "1 Main St", "line2", "Suite 200", "city", "Tampa", "state", "FL",
                                "zip", "33601", "country", "US")),
                "product", Map.of("id", "CFQ7TTC0LCHC:0002", "provider", "Microsoft CSP", "providerId", 30,
                        "name", "Microsoft 365 NCE", "plan", "Microsoft 365 Business Premium",
                        "mfgPartNumber", "CFQ7TTC0LCHC:0002:P1", "description", "Business Premium, monthly"),
                "kind", "SAAS", "quantity", 12, "unitPrice", new java.math.BigDecimal("22.00"),
                "unitCost", new java.math.BigDecimal("18.70"), "currency", "USD", "billingCycle", "MONTHLY"));
        subscription.putAll(Map.of("startDate", "2024-02-14", "endDate", "2025-02-13", "autoRenew", true, "status", "ACTIVE"));
        subscription.putAll(subscriptionOverrides);
        String eventId = UUID.randomUUID().toString();
        Map<String, Object> event = new java.util.LinkedHashMap<>(Map.of("eventId", eventId, "partnerId", partner,
                "type", "SALES_ORDER", "action", "NEW", "occurredAt", occurredAt, "subscription", subscription));
        event.putAll(extra);
        try {
            jdbc.update("""
                    INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                    VALUES (?, ?, ?, ?, ?, ?::timestamptz, ?::jsonb, 'HTTP')
                    """, eventId, partner, subscriptionId, event.get("type"), event.get("action"), occurredAt,
                    mapper.writeValueAsString(event));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void seedEvent(String subscriptionId, String occurredAt) {
        seedEvent(subscriptionId, occurredAt, Map.of(), Map.of());
    }

    // ---- the event pipeline, for tests that sync (map & sync, adoption, re-map) ----------------

    /** Chairs Unlimited's ids in the sandbox, set by {@link #mapChairs}. */
    long company;
    long agreement;
    long item;

    /**
     * Chairs Unlimited in the sandbox with agreement {@code agreementName} and catalog item M365BP, its
     * customer and Microsoft 365 product mapped (the tenant most mapping tests start from).
     */
    void mapChairs(String agreementName) {
        company = company("ChairsUnlimited", "Chairs Unlimited");
        agreement = agreement(company, agreementName);
        item = catalogItem("M365BP");
        mapChairsCustomerAndProduct(company, item);
    }

    void mapChairsCustomerAndProduct(long companyId, long catalogItemId) {
        tenant.mapCustomer(Tenant.CUSTOMER, companyId);
        tenant.mapProduct(Tenant.PRODUCT, catalogItemId);
    }

    /**
     * POSTs an event of Chairs Unlimited's Microsoft 365 subscription {@code subscriptionId} (22.00 / 18.70,
     * 2024-02-14 to 2025-02-13, no auto-renew), event id {@code eventId-<partner>}; answers its task id.
     */
    long submitEvent(String subscriptionId, String eventId, String type, String action, String occurredAt, int quantity,
                     Integer previous) {
        return tenant.submit(TestEvents.event(partner, eventId + "-" + partner, subscriptionId, type, action, occurredAt, quantity,
                previous));
    }

    /** Waits up to 45 s until the task has one of {@code expected}; answers it. */
    String awaitTask(long taskId, String... expected) {
        return tenant.awaitTask(taskId, expected).path("status").asText();
    }

    /** The agreement's additions as the sandbox's ConnectWise API answers them. */
    List<JsonNode> additions(long agreementId) {
        return client.getAll(cw, "finance/agreements/" + agreementId + "/additions", null);
    }

    List<String> errorFields(ResponseEntity<String> response) {
        return json(response).path("errors").findValuesAsText("field");
    }

    String firstErrorMessage(ResponseEntity<String> response) {
        return json(response).path("errors").path(0).path("message").asText();
    }
}
