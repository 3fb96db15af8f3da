package io.cwbridge.mapping;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.events.Address;
import io.cwbridge.events.BillingCycle;
import io.cwbridge.events.Customer;
import io.cwbridge.events.Product;
import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionKind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.stream.Collectors;

/**
 * A stored subscription snapshot read field by field, for the one row whose snapshot the strict
 * reader refuses: every field that reads is shown, every other one is null.
 */
final class Lenient {

    private Lenient() {}

    static Subscription empty(String id) {
        return new Subscription(id, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    static Subscription subscription(JsonNode n, String id) {
        return new Subscription(text(n.path("id"), id), customer(n.path("customer")), product(n.path("product")),
                constant(SubscriptionKind.class, n.path("kind")), integer(n.path("quantity")), integer(n.path("previousQuantity")),
                decimal(n.path("unitPrice")), decimal(n.path("unitCost")), text(n.path("currency"), null),
                constant(BillingCycle.class, n.path("billingCycle")), integer(n.path("termMonths")), date(n.path("startDate")),
                date(n.path("endDate")), n.path("autoRenew").isBoolean() ? n.path("autoRenew").booleanValue() : null,
                text(n.path("status"), null), decimal(n.path("setupAmount")));
    }

    /** What could not be read, without the value (it may be anything). */
    static String reason(Exception e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[") + " is out of range or of the wrong type";
        }
        return e.getClass().getSimpleName();
    }

    private static Customer customer(JsonNode n) {
        if (!n.isObject()) return null;
        JsonNode a = n.path("address");
        Address address = a.isObject() ? new Address(text(a.path("line1"), null), text(a.path("line2"), null), text(a.path("city"), null),
                text(a.path("state"), null), text(a.path("zip"), null), text(a.path("country"), null)) : null;
        return new Customer(text(n.path("id"), null), text(n.path("name"), null), address);
    }

    private static Product product(JsonNode n) {
        if (!n.isObject()) return null;
        return new Product(text(n.path("id"), null), text(n.path("provider"), null), integer(n.path("providerId")),
                text(n.path("name"), null), text(n.path("plan"), null), text(n.path("mfgPartNumber"), null),
                text(n.path("description"), null));
    }

    private static String text(JsonNode n, String otherwise) {
        return n.isTextual() ? n.textValue() : otherwise;
    }

    private static Integer integer(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt() ? n.intValue() : null;
    }

    private static BigDecimal decimal(JsonNode n) {
        if (!n.isNumber()) return null;
        BigDecimal value = n.decimalValue();
        // A value beyond money's 12 integer digits is not shown as money.
        return value.signum() == 0 || value.precision() - value.scale() <= 15 ? value : null;
    }

    private static LocalDate date(JsonNode n) {
        try {
            return n.isTextual() ? LocalDate.parse(n.textValue()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static <E extends Enum<E>> E constant(Class<E> type, JsonNode n) {
        if (!n.isTextual()) return null;
        try {
            return Enum.valueOf(type, n.textValue());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
