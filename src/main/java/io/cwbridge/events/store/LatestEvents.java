package io.cwbridge.events.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What the partner's latest accepted event (table {@code subscription_event}) says about a customer,
 * a product or a subscription (issue 18: one place for "the latest event"). The latest by date of
 * change wins, then the one received last: it carries the freshest name, address and prices. A
 * subscription's latest event is view {@code latest_subscription_event} (V23), for queries that join it.
 */
@Repository
public class LatestEvents {

    // Same order as view latest_subscription_event.
    private static final String LATEST = " ORDER BY occurred_at DESC, received_at DESC LIMIT 1";

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public LatestEvents(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** {@code subscription.customer} of the latest event naming one of the customers. */
    public Optional<JsonNode> customer(String partnerId, Collection<String> customerIds) {
        if (customerIds.isEmpty()) return Optional.empty();
        return first("""
                SELECT payload->'subscription'->'customer' FROM subscription_event
                WHERE partner_id = :p AND payload->'subscription'->'customer'->>'id' IN (:ids)""" + LATEST,
                Map.of("p", partnerId, "ids", customerIds));
    }

    /**
     * The part of the latest event naming the product that describes it, with its unit price and cost:
     * the event's {@code subscription}, or its {@code upgradeTo} when the product is an upgrade's target
     * (R19, R20). Read {@code product}, {@code unitPrice}, {@code unitCost} from it.
     */
    public Optional<JsonNode> product(String partnerId, String productId) {
        return first("""
                SELECT payload FROM subscription_event
                WHERE partner_id = :p
                  AND (payload->'subscription'->'product'->>'id' = :id OR payload->'upgradeTo'->'product'->>'id' = :id)""" + LATEST,
                Map.of("p", partnerId, "id", productId)).map(event -> {
            JsonNode subscription = event.path("subscription");
            return productId.equals(subscription.path("product").path("id").asText(null)) ? subscription : event.path("upgradeTo");
        });
    }

    private Optional<JsonNode> first(String sql, Map<String, ?> params) {
        return jdbc.queryForList(sql, params, String.class).stream().filter(Objects::nonNull).findFirst().map(this::read)
                .filter(node -> !node.isNull() && !node.isMissingNode());
    }

    private JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("subscription_event.payload is not JSON", e);
        }
    }
}
