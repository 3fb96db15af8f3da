package io.cwbridge.mapping;

import java.util.List;
import io.cwbridge.events.store.LatestEvents;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the partner's accepted events (table subscription_event) say about a customer, product
 * or subscription. The latest event by date of change wins: it carries the freshest name,
 * address and prices. Upgrades count too, since an upgrade names a product and a subscription
 * that may have no event of their own yet (R20).
 */
@Component
class EventSnapshots {

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final LatestEvents latest;

    EventSnapshots(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper, LatestEvents latest) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.latest = latest;
    }

    /** {@code subscription.customer} of the latest event naming the customer. */
    Optional<JsonNode> customer(String partnerId, String customerId) {
        return latest.customer(partnerId, List.of(customerId)).or(() -> first("""
                SELECT payload->'customer' FROM imported_subscription
                WHERE partner_id = :partnerId AND payload->'customer'->>'id' = :id
                ORDER BY imported_at DESC LIMIT 1
                """, partnerId, customerId));
    }

    /**
     * The product as the latest event naming it describes it, with that event's unit price and
     * cost: the subscription's own, or the upgrade's when the product is an upgrade's target.
     */
    Optional<ProductSnapshot> product(String partnerId, String productId) {
        return latest.product(partnerId, productId)
                .map(source -> new ProductSnapshot(source.path("product"), source.path("unitPrice"), source.path("unitCost")))
                .or(() -> first("""
                SELECT payload FROM imported_subscription
                WHERE partner_id = :partnerId AND payload->'product'->>'id' = :id
                ORDER BY imported_at DESC LIMIT 1
                """, partnerId, productId).map(s -> new ProductSnapshot(s.path("product"), s.path("unitPrice"), s.path("unitCost"))));
    }

    /** The customer id of a subscription (its own events, or the upgrade that created it). */
    Optional<String> customerOfSubscription(String partnerId, String subscriptionId) {
        return first("""
                SELECT payload->'subscription'->'customer'->'id' FROM subscription_event
                WHERE partner_id = :partnerId AND payload->'subscription'->'customer'->>'id' IS NOT NULL
                  AND (subscription_id = :id OR payload->'upgradeTo'->>'subscriptionId' = :id)
                ORDER BY occurred_at DESC, received_at DESC LIMIT 1
                """, partnerId, subscriptionId).or(() -> first("""
                SELECT payload->'customer'->'id' FROM imported_subscription
                WHERE partner_id = :partnerId AND subscription_id = :id
                """, partnerId, subscriptionId)).map(JsonNode::asText);
    }

    private Optional<JsonNode> first(String sql, String partnerId, String id) {
        return jdbc.queryForList(sql, Map.of("partnerId", partnerId, "id", id), String.class).stream()
                .filter(Objects::nonNull).findFirst().map(this::read).filter(node -> !node.isNull());
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("subscription_event.payload is not JSON", e);
        }
    }

    /** A product and the unit price / cost the same event gave it (missing nodes when absent). */
    record ProductSnapshot(JsonNode product, JsonNode unitPrice, JsonNode unitCost) {}
}
