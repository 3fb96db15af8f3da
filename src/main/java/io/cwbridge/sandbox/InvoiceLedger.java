package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which additions an invoice has covered, and the edits ConnectWise then refuses: the billed
 * amounts and dates of an invoiced line are history. Ending the line on or after the invoiced
 * date, and text changes, stay allowed; a new line may start in an invoiced period (it bills
 * on the next invoice).
 */
final class InvoiceLedger {

    /** The fields an invoice has billed, which an invoiced addition therefore keeps. */
    static final List<String> BILLED_FIELDS = List.of("product", "quantity", "unitPrice", "unitCost", "effectiveDate");

    private final RecordStore store;

    InvoiceLedger(RecordStore store) {
        this.store = store;
    }

    /**
     * Invoices an agreement through a day: every addition that started by then is marked
     * invoiced (billedQuantity = quantity). Answers which additions the invoice covered.
     */
    ObjectNode invoice(int agreementId, LocalDate through) {
        return store.write(batch -> {
            batch.find(Resource.AGREEMENT, agreementId).orElseThrow(() -> SandboxErrors.notFound(Resource.AGREEMENT, agreementId));
            ObjectNode result = SandboxJson.object();
            result.put("agreementId", agreementId);
            result.put("through", through.toString());
            ArrayNode covered = result.putArray("invoicedAdditions");
            for (StoredRecord addition : batch.children(Resource.ADDITION, agreementId)) {
                Optional<LocalDate> effective = SandboxDates.day(addition.doc().path("effectiveDate").asText(null));
                if (effective.isPresent() && effective.get().isAfter(through)) {
                    continue;
                }
                LocalDate invoiced = addition.isInvoiced() && addition.invoicedThrough().isAfter(through)
                        ? addition.invoicedThrough() : through;
                ObjectNode doc = addition.doc().deepCopy();
                doc.set("billedQuantity", doc.has("quantity") ? doc.get("quantity") : SandboxJson.NODES.numberNode(0));
                batch.put(new StoredRecord(Resource.ADDITION, addition.id(), addition.parentId(), doc, invoiced));
                covered.add(addition.id());
            }
            return result;
        });
    }

    /** Refuses an update of an invoiced addition that rewrites what was billed. */
    static void checkEdit(StoredRecord existing, ObjectNode updated) {
        if (existing.resource() != Resource.ADDITION || !existing.isInvoiced()) {
            return;
        }
        ValidationErrors errors = new ValidationErrors(Resource.ADDITION.objectName());
        for (String field : BILLED_FIELDS) {
            if (!sameValue(existing.doc().get(field), updated.get(field))) {
                errors.add("InvalidValue", field, SandboxErrors.INVOICED_PERIOD);
            }
        }
        JsonNode before = existing.doc().get("cancelledDate");
        JsonNode after = updated.get("cancelledDate");
        if (!sameValue(before, after) && after != null) {
            Optional<LocalDate> end = SandboxDates.day(after.asText());
            if (end.isPresent() && end.get().isBefore(existing.invoicedThrough())) {
                errors.add("InvalidValue", "cancelledDate", SandboxErrors.INVOICED_PERIOD);
            }
        }
        errors.throwIfAny();
    }

    static void checkDelete(StoredRecord existing) {
        if (existing.resource() == Resource.ADDITION && existing.isInvoiced()) {
            throw SandboxErrors.badRequest(SandboxErrors.INVOICED_PERIOD);
        }
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        boolean aAbsent = FieldPath.isAbsent(a);
        boolean bAbsent = FieldPath.isAbsent(b);
        if (aAbsent || bAbsent) {
            return aAbsent == bAbsent;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            return Objects.equals(a.path("id").asText(), b.path("id").asText());
        }
        return a.asText().equals(b.asText());
    }

    /** The admin dump: addition id → last invoiced day. */
    static ObjectNode describe(List<StoredRecord> additions) {
        ObjectNode invoiced = SandboxJson.object();
        additions.stream().filter(StoredRecord::isInvoiced)
                .forEach(a -> invoiced.put(String.valueOf(a.id()), a.invoicedThrough().toString()));
        return invoiced;
    }
}
