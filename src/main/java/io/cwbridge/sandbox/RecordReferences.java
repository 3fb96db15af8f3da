package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.BiConsumer;

/**
 * The links between records ({@code ref:} fields): a record still pointed at cannot be deleted,
 * and a changed record's identifier and name show in the records that point at it, as ConnectWise
 * reads references live.
 */
final class RecordReferences {

    private RecordReferences() {}

    static void checkUnused(StoredRecord target, RecordView view) {
        forEachReferrer(target, view, (holder, field) -> {
            throw SandboxErrors.badRequest(target.resource().displayName() + " with id " + target.id() + " is in use by "
                    + holder.resource().displayName() + " " + holder.id() + " (" + field + ") and cannot be deleted.");
        });
    }

    /** Rewrites the references to {@code target} held by other records, without touching their {@code _info}. */
    static void refresh(StoredRecord target, RecordBatch batch) {
        ObjectNode reference = RecordShape.reference(target);
        forEachReferrer(target, batch, (holder, field) -> {
            StoredRecord current = batch.find(holder.resource(), holder.id()).orElse(holder);
            if (current.doc().get(field).equals(reference)) {
                return;
            }
            ObjectNode doc = current.doc().deepCopy();
            doc.set(field, reference);
            batch.put(new StoredRecord(current.resource(), current.id(), current.parentId(), doc, current.invoicedThrough()));
        });
    }

    private static void forEachReferrer(StoredRecord target, RecordView view, BiConsumer<StoredRecord, String> action) {
        for (Resource holder : Resource.values()) {
            for (FieldSpec spec : holder.fields().values()) {
                if (spec.kind() != FieldSpec.Kind.REF || !target.resource().key().equals(spec.target())) {
                    continue;
                }
                for (StoredRecord record : view.all(holder)) {
                    JsonNode ref = record.doc().get(spec.name());
                    if (ref != null && ref.path("id").asInt(-1) == target.id() && !record.key().equals(target.key())) {
                        action.accept(record, spec.name());
                    }
                }
            }
        }
    }
}
