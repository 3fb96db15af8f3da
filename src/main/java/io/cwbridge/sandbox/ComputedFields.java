package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * What the server adds to every record it answers: the id, {@code _info}, and for additions the
 * agreement id and the amounts ConnectWise derives. Amounts are exact decimals.
 */
final class ComputedFields {

    /** The API member the sandbox's keys stand for, shown in {@code _info.updatedBy}. */
    static final String API_MEMBER = "SandboxApi";

    private ComputedFields() {}

    /**
     * @param previous the record before this write, for its entry date; null on create
     */
    static ObjectNode complete(Resource resource, int id, Integer parentId, ObjectNode fields, StoredRecord previous,
                               LocalDate invoicedThrough, Instant now) {
        ObjectNode doc = fields.deepCopy();
        doc.put("id", id);
        if (resource == Resource.ADDITION) {
            addAmounts(doc, parentId, invoicedThrough);
        }
        ObjectNode info = doc.putObject("_info");
        String stamp = SandboxDates.format(now);
        info.put("lastUpdated", stamp);
        info.put("updatedBy", API_MEMBER);
        JsonNode before = previous == null ? null : previous.doc().get("_info");
        info.put("dateEntered", before != null && before.hasNonNull("dateEntered") ? before.get("dateEntered").asText() : stamp);
        info.put("enteredBy", before != null && before.hasNonNull("enteredBy") ? before.get("enteredBy").asText() : API_MEMBER);
        return SandboxJson.canonical(RecordShape.ordered(resource, doc));
    }

    private static void addAmounts(ObjectNode doc, Integer parentId, LocalDate invoicedThrough) {
        BigDecimal quantity = decimal(doc, "quantity");
        BigDecimal extPrice = quantity.multiply(decimal(doc, "unitPrice"));
        BigDecimal extCost = quantity.multiply(decimal(doc, "unitCost"));
        doc.put("agreementId", parentId);
        doc.put("extPrice", extPrice);
        doc.put("extCost", extCost);
        doc.put("margin", extPrice.subtract(extCost));
        // Billed quantity shows what the last invoice took; edits to an invoiced line are refused, so it is the quantity.
        doc.put("billedQuantity", invoicedThrough == null ? BigDecimal.ZERO : quantity);
    }

    private static BigDecimal decimal(JsonNode doc, String field) {
        JsonNode value = doc.get(field);
        return value != null && value.isNumber() ? value.decimalValue() : BigDecimal.ZERO;
    }
}
