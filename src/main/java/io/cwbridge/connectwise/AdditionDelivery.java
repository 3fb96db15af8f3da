package io.cwbridge.connectwise;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * Delivers one {@link AdditionOperation} to the partner's ConnectWise. The
 * {@code connectwise-agreement-addition-sink} Kamelet runs it as steps: {@link #prepare} the
 * request, marshal its {@link AdditionRequest#payload} (camel-jackson), {@link #send} it, read the
 * {@link #result}; {@link #deliver} is the same in one call. Each kind is safe to repeat: a create
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
        AdditionRequest request = prepare(partnerId, operation, verifyFirst);
        return result(request, sendPayload(request, request.payload()));
    }

    /** Variable the sink Kamelet sets from the header its property {@code partnerHeader} names, for {@link #prepare}. */
    public static final String PARTNER_VARIABLE = "additionPartnerId";

    /**
     * Step 1: the request for {@code operation} (the body); the partner's connection is only looked up to send it. The
     * Kamelet's steps bind their parameters by these annotations (computed once per method by camel-bean), not by a
     * parameter list parsed on every call (issue 14 profile).
     */
    public AdditionRequest prepare(@Variable(PARTNER_VARIABLE) String partnerId, @Body AdditionOperation operation,
                                   @Header("CwVerifyFirst") Boolean verifyFirst) {
        if (partnerId == null || partnerId.isBlank()) {
            throw new IllegalArgumentException("the partner id is missing");
        }
        return new AdditionRequest(partnerId, operation, Boolean.TRUE.equals(verifyFirst));
    }

    /** Step 2's input: what ConnectWise is sent for {@code request} ({@link AdditionRequest#payload}). */
    public Object payload(@Body AdditionRequest request) {
        return request.payload();
    }

    /**
     * Step 3: sends the request with its payload written as {@code json} (null for a delete) through
     * the partner's connection, read by partner id from the encrypted store.
     *
     * @return the addition as ConnectWise answered it; null after a delete
     */
    public JsonNode send(@Variable("additionRequest") AdditionRequest request, @Body String json) {
        return sendPayload(request, json);
    }

    /** @param body the payload, or the payload written as JSON text; the connectwise-http route writes the former */
    private JsonNode sendPayload(AdditionRequest request, Object body) {
        AdditionOperation operation = request.operation();
        ConnectWiseConnection connection = connections.find(request.partnerId())
                .orElseThrow(() -> new IllegalStateException("partner " + request.partnerId() + " has no ConnectWise connection"));
        return switch (operation.kind()) {
            case CREATE -> {
                // R16: found by exact fields, its description compared here (a ConnectWise string condition is a pattern).
                ConnectWiseLookup identity = operation.fields().identity().lookup();
                if (request.verifyFirst()) {
                    Optional<JsonNode> landed = client.find(connection, operation.collectionPath(), identity);
                    if (landed.isPresent()) {
                        yield landed.get();
                    }
                }
                yield client.createOnce(connection, operation.collectionPath(), body, identity);
            }
            case UPDATE -> client.patchWith(connection, operation.itemPath(), body);
            case DELETE -> {
                try {
                    client.delete(connection, operation.itemPath());
                } catch (ConnectWiseException e) {
                    if (!(request.verifyFirst() && e.status() == 404)) throw e;
                }
                yield null;
            }
        };
    }

    /** Step 4: the delivery result of {@code request} from ConnectWise's {@code answer}. */
    public DeliveryResult result(@Variable("additionRequest") AdditionRequest request, @Body JsonNode answer) {
        AdditionOperation operation = request.operation();
        return switch (operation.kind()) {
            case CREATE -> new DeliveryResult(operation, answer.path("id").asLong(), answer);
            case UPDATE -> new DeliveryResult(operation, operation.additionId(), answer);
            case DELETE -> new DeliveryResult(operation, operation.additionId(), null);
        };
    }

    /** Header {@code CwAdditionId} of the sink Kamelet: the addition id of its {@code result}. */
    public long additionId(@Body DeliveryResult result) {
        return result.additionId();
    }

    /**
     * One addition operation ready to send for a partner (no connection, no key: those are looked up
     * by partner id when it is sent).
     *
     * @param verifyFirst look before creating; a delete of what is gone counts as done
     */
    public record AdditionRequest(String partnerId, AdditionOperation operation, boolean verifyFirst) {

        /** What ConnectWise is sent: the new addition, the JSON Patch of an update, nothing for a delete. */
        public Object payload() {
            return switch (operation.kind()) {
                case CREATE -> operation.fields().toCreateBody();
                case UPDATE -> operation.fields().toPatch();
                case DELETE -> null;
            };
        }
    }

    /** The operation, the addition id it concerned, and the addition as ConnectWise returned it. */
    public record DeliveryResult(AdditionOperation operation, long additionId, JsonNode addition) {}
}
