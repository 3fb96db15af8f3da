package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;

/**
 * Create, replace, patch and delete of sandbox records, each as one atomic write: validation,
 * the invoiced-period rules, computed fields, then the store.
 */
final class RecordService {

    private final RecordStore store;
    private final Clock clock;

    RecordService(RecordStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    StoredRecord create(Resource resource, Integer parentId, JsonNode body) {
        return store.write(batch -> create(batch, resource, parentId, body));
    }

    /** Create inside a larger write (the admin seed), seeing the batch's earlier records. */
    StoredRecord create(RecordBatch batch, Resource resource, Integer parentId, JsonNode body) {
        StoredRecord parent = resource.hasParent() ? parentForWrite(batch, resource, parentId) : null;
        ObjectNode fields = RecordValidator.validate(resource, body, null, parent, batch);
        if (resource == Resource.ADDITION) {
            InvoiceLedger.checkCreate(fields, parent);
            productDefaults(fields, batch);
        }
        int id = batch.nextId(resource);
        ObjectNode doc = ComputedFields.complete(resource, id, parent, fields, null, null, clock.instant());
        StoredRecord record = new StoredRecord(resource, id, parentId, doc, null);
        batch.put(record);
        return record;
    }

    /**
     * A new addition without a unit price or cost takes the catalog item's {@code price} / {@code cost}. Source: ConnectWise's
     * screens default a product's unit price from the product catalog (betterinvoice.io/docs/connectwise/agreements/product-tab,
     * "Unit Price Defaults from the Product Catalog", said of an agreement's product entries). Assumption: the REST API
     * fills an addition the same way (the OpenAPI file and the facts do not say). The bundle leaves a field out only where
     * the partner's rules do not push it ("sync unit price / cost" off, COST_ONLY usage lines), so ConnectWise's own
     * value is what the partner asked for there.
     */
    private static void productDefaults(ObjectNode fields, RecordBatch batch) {
        JsonNode product = fields.path("product").path("id");
        if (!product.canConvertToInt() || (fields.hasNonNull("unitPrice") && fields.hasNonNull("unitCost"))) return;
        batch.find(Resource.CATALOG, product.asInt()).ifPresent(item -> {
            if (!fields.hasNonNull("unitPrice") && item.doc().hasNonNull("price")) fields.set("unitPrice", item.doc().get("price"));
            if (!fields.hasNonNull("unitCost") && item.doc().hasNonNull("cost")) fields.set("unitCost", item.doc().get("cost"));
        });
    }

    /** PUT: the body replaces the record; fields it omits are cleared. */
    StoredRecord replace(Resource resource, Integer parentId, int id, JsonNode body) {
        return store.write(batch -> update(batch, existing(batch, resource, parentId, id), body));
    }

    /** PATCH: the operations are applied to the record as it is, then checked like a PUT. */
    StoredRecord patch(Resource resource, Integer parentId, int id, JsonNode body) {
        List<JsonPatch.Operation> operations = parsePatch(body);
        return store.write(batch -> {
            StoredRecord existing = existing(batch, resource, parentId, id);
            ObjectNode patched;
            try {
                patched = JsonPatch.apply(existing.doc(), operations, resource.fields().keySet());
            } catch (JsonPatchException e) {
                throw SandboxErrors.invalidObject(resource.objectName(), "InvalidField", e.field(), e.getMessage());
            }
            return update(batch, existing, patched);
        });
    }

    void delete(Resource resource, Integer parentId, int id) {
        store.write(batch -> {
            StoredRecord existing = existing(batch, resource, parentId, id);
            if (resource == Resource.ADDITION) {
                InvoiceLedger.checkDelete(existing, batch.find(Resource.AGREEMENT, parentId).orElseThrow());
            }
            if (resource == Resource.AGREEMENT) {
                List<StoredRecord> additions = batch.children(Resource.ADDITION, id);
                additions.forEach(a -> InvoiceLedger.checkDelete(a, existing));
                additions.forEach(batch::delete);
                batch.children(Resource.ADJUSTMENT, id).forEach(batch::delete);
            }
            RecordReferences.checkUnused(existing, batch);
            batch.delete(existing);
            return null;
        });
    }

    private StoredRecord update(RecordBatch batch, StoredRecord existing, JsonNode body) {
        Resource resource = existing.resource();
        StoredRecord parent = resource.hasParent() ? parentForWrite(batch, resource, existing.parentId()) : null;
        ObjectNode fields = RecordValidator.validate(resource, body, existing.id(), parent, batch);
        InvoiceLedger.checkEdit(existing, fields, parent);
        ObjectNode doc = ComputedFields.complete(resource, existing.id(), parent, fields, existing,
                existing.invoicedThrough(), clock.instant());
        StoredRecord record = new StoredRecord(resource, existing.id(), existing.parentId(), doc, existing.invoicedThrough());
        batch.put(record);
        if (resource == Resource.AGREEMENT) {
            RecordReferences.refresh(record, batch);
            rederiveAdditions(batch, record);
        } else if (!resource.hasParent()) {
            RecordReferences.refresh(record, batch);
        }
        return record;
    }

    /** An agreement's prorateFlag and billing cycle decide its additions' prorate amounts, so they follow its changes. */
    static void rederiveAdditions(RecordBatch batch, StoredRecord agreement) {
        for (StoredRecord addition : batch.children(Resource.ADDITION, agreement.id())) {
            ObjectNode doc = ComputedFields.derive(Resource.ADDITION, addition.id(), agreement, addition.doc(), null);
            if (!doc.equals(addition.doc())) {
                batch.put(new StoredRecord(Resource.ADDITION, addition.id(), addition.parentId(), doc, addition.invoicedThrough()));
            }
        }
    }

    static StoredRecord existing(RecordView view, Resource resource, Integer parentId, int id) {
        if (resource.hasParent()) {
            view.find(Resource.AGREEMENT, parentId).orElseThrow(() -> SandboxErrors.notFound(Resource.AGREEMENT, parentId));
        }
        return view.find(resource, parentId, id).orElseThrow(() -> SandboxErrors.notFound(resource, id));
    }

    /**
     * A new addition's agreement is part of what is validated, so its absence is a 400. Assumption:
     * an adjustment under an unknown agreement is a 404, as every read under it is.
     */
    private static StoredRecord parentForWrite(RecordView view, Resource resource, Integer parentId) {
        if (resource == Resource.ADJUSTMENT) {
            return view.find(Resource.AGREEMENT, parentId).orElseThrow(() -> SandboxErrors.notFound(Resource.AGREEMENT, parentId));
        }
        return view.find(Resource.AGREEMENT, parentId).orElseThrow(() -> SandboxErrors.invalidObject(
                Resource.ADDITION.objectName(), "InvalidValue", "agreementId",
                Resource.AGREEMENT.displayName() + " with id " + parentId + " was not found."));
    }

    private static List<JsonPatch.Operation> parsePatch(JsonNode body) {
        try {
            return JsonPatch.parse(body);
        } catch (JsonPatchException e) {
            throw SandboxErrors.invalidObject("PatchOperation", "InvalidValue", e.field(), e.getMessage());
        }
    }
}
