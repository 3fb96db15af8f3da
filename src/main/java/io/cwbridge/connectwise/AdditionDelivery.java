package io.cwbridge.connectwise;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.stereotype.Component;

/**
 * Delivers one {@link AdditionOperation} to the partner's ConnectWise; called by the
 * {@code connectwise-agreement-addition-sink} Kamelet. Each kind is safe to repeat: a create
 * is guarded by a look-up for the line it would make, updates are replaces, deletes accept
 * "already gone" after an ambiguous failure.
 */
@Component("connectWiseAdditionDelivery")
public class AdditionDelivery {

    private final ConnectWiseClient client;
    private final PartnerConnections connections;

    public AdditionDelivery(ConnectWiseClient client, PartnerConnections connections) {
        this.client = client;
        this.connections = connections;
    }

    /** @return what ConnectWise holds afterwards: the addition, or null after a delete */
    public DeliveryResult deliver(String partnerId, AdditionOperation operation) {
        return deliver(partnerId, operation, false);
    }

    /**
     * @param verifyFirst an earlier attempt may have landed (it was started but not recorded as
     *                    done): look before creating, and accept a delete of what is already gone
     */
    public DeliveryResult deliver(String partnerId, AdditionOperation operation, Boolean verifyFirst) {
        boolean verify = Boolean.TRUE.equals(verifyFirst);
        ConnectWiseConnection connection = connections.find(partnerId)
                .orElseThrow(() -> new IllegalStateException("partner " + partnerId + " has no ConnectWise connection"));
        return switch (operation.kind()) {
            case CREATE -> {
                AdditionFields fields = operation.fields();
                if (verify) {
                    var landed = client.getAll(connection, operation.collectionPath(), fields.identityConditions());
                    if (!landed.isEmpty()) {
                        yield new DeliveryResult(operation, landed.get(0).path("id").asLong(), landed.get(0));
                    }
                }
                JsonNode addition = client.create(connection, operation.collectionPath(), fields.toCreateBody(),
                        fields.identityConditions());
                yield new DeliveryResult(operation, addition.path("id").asLong(), addition);
            }
            case UPDATE -> {
                JsonNode addition = client.patch(connection, operation.itemPath(), operation.fields().toPatch());
                yield new DeliveryResult(operation, operation.additionId(), addition);
            }
            case DELETE -> {
                try {
                    client.delete(connection, operation.itemPath());
                } catch (ConnectWiseException e) {
                    if (!(verify && e.status() == 404)) throw e;
                }
                yield new DeliveryResult(operation, operation.additionId(), null);
            }
        };
    }

    /** The operation, the addition id it concerned, and the addition as ConnectWise returned it. */
    public record DeliveryResult(AdditionOperation operation, long additionId, JsonNode addition) {}
}
