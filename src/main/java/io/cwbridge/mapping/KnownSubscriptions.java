package io.cwbridge.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.events.Subscription;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The partner's subscriptions as the workbench knows them: from accepted events (table
 * subscription_event) and from imports (table imported_subscription). The latest snapshot of a
 * subscription, by date of change, describes it, its customer and its product.
 */
@Component
public class KnownSubscriptions {

    private static final String LATEST = """
            SELECT DISTINCT ON (subscription_id) subscription_id, subscription::text AS subscription, type, occurred_at
            FROM (
                SELECT subscription_id, payload->'subscription' AS subscription, type, occurred_at, received_at, false AS imported
                FROM subscription_event WHERE partner_id = :p AND payload->'subscription' IS NOT NULL
                UNION ALL
                SELECT subscription_id, payload, 'IMPORT', imported_at, imported_at, true
                FROM imported_subscription WHERE partner_id = :p
            ) known
            WHERE (:s::text IS NULL OR subscription_id = :s::text)
            ORDER BY subscription_id, imported, occurred_at DESC, received_at DESC
            """;

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KnownSubscriptions.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;

    KnownSubscriptions(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /**
     * @param lastType type of the latest event (SALES_ORDER…), or IMPORT
     */
    public record Known(String subscriptionId, Subscription subscription, String lastType, Instant occurredAt,
                        Map<String, String> productFields, String snapshotProblem) {

        public Known(String subscriptionId, Subscription subscription, String lastType, Instant occurredAt,
                     Map<String, String> productFields) {
            this(subscriptionId, subscription, lastType, occurredAt, productFields, null);
        }

        /** Whether the stored snapshot could not be read as a subscription ({@link #snapshotProblem} says why). */
        public boolean unreadable() {
            return snapshotProblem != null;
        }

        /** Cancelled subscriptions bring no more revenue and need no agreement. */
        public boolean cancelled() {
            return "CANCELLATION_ORDER".equals(lastType) || "CANCELLED".equalsIgnoreCase(subscription.status());
        }

        public String customerId() {
            return subscription.customer() == null ? null : subscription.customer().id();
        }

        public String productId() {
            return subscription.product() == null ? null : subscription.product().id();
        }
    }

    public List<Known> all(String partnerId) {
        return query(partnerId, null);
    }

    public Optional<Known> one(String partnerId, String subscriptionId) {
        return query(partnerId, subscriptionId).stream().findFirst();
    }

    private List<Known> query(String partnerId, String subscriptionId) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("p", partnerId);
        params.put("s", subscriptionId);
        return jdbc.query(LATEST, params, (rs, n) -> {
            String id = rs.getString("subscription_id");
            String type = rs.getString("type");
            Instant at = rs.getTimestamp("occurred_at").toInstant();
            JsonNode node;
            try {
                node = mapper.readTree(rs.getString("subscription"));
            } catch (JsonProcessingException | RuntimeException e) {
                return new Known(id, Lenient.empty(id), type, at, Map.of(), "the stored snapshot is not JSON");
            }
            try {
                return new Known(id, mapper.treeToValue(node, Subscription.class), type, at, fields(node.path("product")));
            } catch (JsonProcessingException | RuntimeException e) {
                // One bad stored event (e.g. accepted before issue 13's bounds) is reported on its own row,
                // read field by field; it never fails the whole list.
                log.warn("Stored snapshot of subscription {} (partner {}) cannot be read: {}", id, partnerId, e.getMessage());
                return new Known(id, Lenient.subscription(node, id), type, at, fields(node.path("product")),
                        "the stored snapshot of the latest event cannot be read as a subscription (" + Lenient.reason(e)
                                + "); fix it with a new event");
            }
        });
    }

    /** The product's scalar fields as text, extra ones included (R3 conditions may name them). */
    static Map<String, String> fields(JsonNode product) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        product.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) fields.put(e.getKey(), e.getValue().asText());
        });
        return fields;
    }

}
