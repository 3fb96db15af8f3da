package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * The checks ConnectWise makes on a POST or PUT body, in one place so the API, PATCH and the
 * admin seed all go through them: field types, required fields, references to other records,
 * unique identifiers and the addition's dates against its agreement. Returns the writable fields
 * in stored form; the server-computed ones are {@link ComputedFields}' job.
 */
final class RecordValidator {

    static final String BEFORE_BILLING_START = "effectiveDate cannot be less than the agreement billing start date";

    private RecordValidator() {}

    /**
     * @param selfId  the record's own id on an update (for unique identifiers), else null
     * @param parent  the agreement of an addition, else null
     */
    static ObjectNode validate(Resource resource, JsonNode input, Integer selfId, StoredRecord parent, RecordView view) {
        if (input == null || !input.isObject()) {
            throw SandboxErrors.invalidObject(resource.objectName(), "NullValue", resource.objectName(),
                    resource.objectName() + " may not be null");
        }
        ValidationErrors errors = new ValidationErrors(resource.objectName());
        ObjectNode doc = FieldConverter.convert(resource, (ObjectNode) input, errors);
        applyDefaults(resource, doc);
        checkRequired(resource, doc, errors);
        resolveReferences(resource, doc, view, errors);
        checkUniqueIdentifier(resource, doc, selfId, view, errors);
        if (resource == Resource.ADDITION && parent != null) {
            checkAdditionDates(doc, parent, errors);
        }
        errors.throwIfAny();
        return doc;
    }

    private static void applyDefaults(Resource resource, ObjectNode doc) {
        switch (resource) {
            case ADDITION -> putIfAbsent(doc, "agreementStatus", "Active");
            case AGREEMENT -> {
                // ConnectWise fills the billing start from the start date when it is not sent.
                if (!doc.has("billStartDate") && doc.has("startDate")) {
                    doc.set("billStartDate", doc.get("startDate"));
                }
                putIfAbsent(doc, "agreementStatus", "Active");
            }
            case CATALOG -> putIfAbsent(doc, "productClass", "NonInventory");
            default -> { }
        }
    }

    private static void putIfAbsent(ObjectNode doc, String field, String value) {
        if (!doc.has(field)) {
            doc.put(field, value);
        }
    }

    private static void checkRequired(Resource resource, ObjectNode doc, ValidationErrors errors) {
        for (String field : resource.required()) {
            if (errors.has(field)) {
                continue;
            }
            JsonNode value = doc.get(field);
            boolean missing = value == null
                    || value.isTextual() && value.asText().isBlank()
                    || value.isObject() && !value.hasNonNull("id") && !value.hasNonNull("identifier") && !value.hasNonNull("name");
            if (missing) {
                errors.nullValue(field);
            }
        }
    }

    private static void resolveReferences(Resource resource, ObjectNode doc, RecordView view, ValidationErrors errors) {
        for (FieldSpec spec : resource.fields().values()) {
            JsonNode ref = doc.get(spec.name());
            if (spec.kind() != FieldSpec.Kind.REF || spec.target() == null || ref == null || errors.has(spec.name())) {
                continue;
            }
            Resource target = Resource.byKey(spec.target());
            Optional<StoredRecord> found;
            String missing;
            if (ref.hasNonNull("id")) {
                found = view.find(target, ref.get("id").asInt());
                missing = target.displayName() + " with id " + ref.get("id").asInt() + " was not found.";
            } else if (ref.hasNonNull("identifier") && target.referenceFields().contains("identifier")) {
                found = view.findByIdentifier(target, ref.get("identifier").asText());
                missing = target.displayName() + " with identifier " + ref.get("identifier").asText() + " was not found.";
            } else {
                errors.invalid(spec.name(), spec.name() + " must be given by id"
                        + (target.referenceFields().contains("identifier") ? " or identifier" : ""));
                continue;
            }
            if (found.isPresent()) {
                doc.set(spec.name(), RecordShape.reference(found.get()));
            } else {
                errors.invalid(spec.name(), missing);
            }
        }
    }

    private static void checkUniqueIdentifier(Resource resource, ObjectNode doc, Integer selfId, RecordView view,
                                              ValidationErrors errors) {
        if ((resource != Resource.COMPANY && resource != Resource.CATALOG) || !doc.has("identifier") || errors.has("identifier")) {
            return;
        }
        String identifier = doc.get("identifier").asText();
        view.findByIdentifier(resource, identifier)
                .filter(other -> selfId == null || other.id() != selfId)
                .ifPresent(other -> errors.add("DuplicateValue", "identifier",
                        "The identifier " + identifier + " is already in use."));
    }

    private static void checkAdditionDates(ObjectNode doc, StoredRecord agreement, ValidationErrors errors) {
        Optional<Instant> effective = date(doc, "effectiveDate");
        Optional<Instant> billingStart = date(agreement.doc(), "billStartDate").or(() -> date(agreement.doc(), "startDate"));
        if (effective.isPresent() && billingStart.isPresent() && effective.get().isBefore(billingStart.get())) {
            errors.invalid("effectiveDate", BEFORE_BILLING_START);
        }
        Optional<Instant> cancelled = date(doc, "cancelledDate");
        if (effective.isPresent() && cancelled.isPresent() && cancelled.get().isBefore(effective.get())) {
            errors.invalid("cancelledDate", "cancelledDate cannot be less than effectiveDate");
        }
    }

    private static Optional<Instant> date(JsonNode doc, String field) {
        return SandboxDates.parse(doc.path(field).asText(null));
    }
}
