package io.cwbridge.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Subscription events in the SPEC 8.1 shape for one customer and product (Microsoft 365 Business Premium). */
public final class TestEvents {

    public static final String CUSTOMER = "65533";
    public static final String PRODUCT = "CFQ7TTC0LCHC:0002";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestEvents() {
    }

    public static ObjectNode event(String partner, String eventId, String subscriptionId, String type, String action,
            String occurredAt, int quantity, Integer previousQuantity) {
        ObjectNode event = MAPPER.createObjectNode()
                .put("eventId", eventId).put("partnerId", partner).put("type", type).put("action", action)
                .put("occurredAt", occurredAt);
        ObjectNode sub = event.putObject("subscription").put("id", subscriptionId);
        sub.putObject("customer").put("id", CUSTOMER).put("name", "Chairs Unlimited");
        sub.putObject("product").put("id", PRODUCT).put("provider", "Microsoft CSP").put("providerId", 30)
                .put("name", "Microsoft 365 NCE").put("plan", "Microsoft 365 Business Premium")
                .put("mfgPartNumber", "CFQ7TTC0LCHC:0002:P1");
        sub.put("kind", "SAAS").put("quantity", quantity);
        if (previousQuantity != null) {
            sub.put("previousQuantity", previousQuantity);
        }
        sub.put("unitPrice", new java.math.BigDecimal("22.00")).put("unitCost", new java.math.BigDecimal("18.70"))
                .put("currency", "USD").put("billingCycle", "MONTHLY").put("startDate", "2024-02-14")
                .put("endDate", "2025-02-13").put("autoRenew", false).put("status", "ACTIVE");
        return event;
    }

    /** The event's customer (SPEC 8.1 {@code subscription.customer}) replaced by {@code id} / {@code name}. */
    public static ObjectNode customer(ObjectNode event, String id, String name) {
        ((ObjectNode) event.path("subscription")).putObject("customer").put("id", id).put("name", name);
        return event;
    }

    /** The customer's postal address (Tampa), as the global sync copies it to the company (R30). */
    public static ObjectNode address(ObjectNode event) {
        ((ObjectNode) event.path("subscription").path("customer")).putObject("address").put("line1", "1 Main St")
                .put("city", "Tampa").put("state", "FL").put("zip", "33601").put("country", "US");
        return event;
    }

    /**
     * A FULL_UPGRADE's {@code upgradeTo} (SPEC 8.1): {@code quantity} licences of Microsoft 365 E3 (CFQ7TTC0LFLZ:0001) at
     * 36.00 / 30.60 for subscription {@code subscriptionId}, ending {@code endDate}.
     */
    public static ObjectNode upgradeToE3(ObjectNode event, String subscriptionId, int quantity, String endDate) {
        event.putObject("upgradeTo").put("subscriptionId", subscriptionId).put("quantity", quantity)
                .put("unitPrice", new java.math.BigDecimal("36.00")).put("unitCost", new java.math.BigDecimal("30.60"))
                .put("endDate", endDate)
                .putObject("product").put("id", "CFQ7TTC0LFLZ:0001").put("name", "Microsoft 365 E3");
        return event;
    }

    /** The subscription's term: start, end and auto-renew. */
    public static ObjectNode term(ObjectNode event, String startDate, String endDate, boolean autoRenew) {
        ((ObjectNode) event.path("subscription")).put("startDate", startDate).put("endDate", endDate).put("autoRenew", autoRenew);
        return event;
    }

    /**
     * The SYNCED task of every event of {@code partner} inserted without one, as the pipeline leaves an event it has synced:
     * for fixtures that insert events and lines directly (the global sync takes its truth only from events whose task is
     * SYNCED, R30 x R31).
     */
    public static int recordSyncedTasks(org.springframework.jdbc.core.JdbcTemplate jdbc, String partner) {
        return jdbc.update("""
                INSERT INTO sync_task (event_id, partner_id, subscription_id, type, action, occurred_at, status, synced_at)
                SELECT e.event_id, e.partner_id, e.subscription_id, e.type, e.action, e.occurred_at, 'SYNCED', e.received_at
                FROM subscription_event e
                WHERE e.partner_id = ? AND NOT EXISTS (SELECT 1 FROM sync_task t WHERE t.event_id = e.event_id)""", partner);
    }
}
