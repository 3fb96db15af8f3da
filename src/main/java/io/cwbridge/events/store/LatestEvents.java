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
    /** The event's task is SYNCED (one task per event, sync_task.event_id unique): what view latest_synced_subscription_event (V35) keeps. */
    private static final String SYNCED =
            " AND EXISTS (SELECT 1 FROM sync_task t WHERE t.event_id = subscription_event.event_id AND t.status = 'SYNCED')";

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public LatestEvents(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** {@code subscription.customer} of the latest event naming one of the customers. */
    public Optional<JsonNode> customer(String partnerId, Collection<String> customerIds) {
        return customer(partnerId, customerIds, "");
    }

    /**
     * R30 x R31: {@code subscription.customer} of the latest event naming one of the customers whose task is SYNCED, the
     * values ConnectWise has been sent; an event waiting (for approval under MANUAL, the task period, a retry, its mapping)
     * or dismissed is not the truth of the global sync.
     */
    public Optional<JsonNode> syncedCustomer(String partnerId, Collection<String> customerIds) {
        return customer(partnerId, customerIds, SYNCED);
    }

    private Optional<JsonNode> customer(String partnerId, Collection<String> customerIds, String filter) {
        if (customerIds.isEmpty()) return Optional.empty();
        return first("""
                SELECT payload->'subscription'->'customer' FROM subscription_event
                WHERE partner_id = :p AND payload->'subscription'->'customer'->>'id' IN (:ids)""" + filter + LATEST,
                Map.of("p", partnerId, "ids", customerIds));
    }

    /**
     * The part of the latest event naming the product that describes it, with its unit price and cost:
     * the event's {@code subscription}, or its {@code upgradeTo} when the product is an upgrade's target
     * (R19, R20). Read {@code product}, {@code unitPrice}, {@code unitCost} from it.
     */
    public Optional<JsonNode> product(String partnerId, String productId) {
        return product(partnerId, productId, "");
    }

    /**
     * R30 x R31: as {@link #product}, of the latest event naming the product whose task is SYNCED: a price or cost of an
     * event still waiting (for approval under MANUAL, the task period, a retry, its mapping) or dismissed has not been sent.
     */
    public Optional<JsonNode> syncedProduct(String partnerId, String productId) {
        return product(partnerId, productId, SYNCED);
    }

    private Optional<JsonNode> product(String partnerId, String productId, String filter) {
        return first("""
                SELECT payload FROM subscription_event
                WHERE partner_id = :p
                  AND (payload->'subscription'->'product'->>'id' = :id OR payload->'upgradeTo'->'product'->>'id' = :id)"""
                + filter + LATEST, Map.of("p", partnerId, "id", productId)).map(event -> {
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
