package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Loads a tenant in one go: {@code {"companies":[..],"catalog":[..],"agreements":[{.., "additions":[..]}]}}
 * in the API's shapes, through the same validation as the API, all or nothing. Later records may
 * name earlier ones by identifier (an agreement's {@code "company":{"identifier":"ChairsUnlimited"}}).
 */
final class SandboxSeeder {

    private final RecordStore store;
    private final RecordService records;

    SandboxSeeder(RecordStore store, RecordService records) {
        this.store = store;
        this.records = records;
    }

    ObjectNode seed(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw SandboxErrors.badRequest("The seed must be an object with companies, catalog and agreements.");
        }
        return store.write(batch -> {
            ObjectNode created = SandboxJson.object();
            ArrayNode companies = created.putArray("companies");
            for (JsonNode company : list(body, "companies")) {
                companies.add(records.create(batch, Resource.COMPANY, null, company).doc());
            }
            ArrayNode catalog = created.putArray("catalog");
            for (JsonNode item : list(body, "catalog")) {
                catalog.add(records.create(batch, Resource.CATALOG, null, item).doc());
            }
            ArrayNode agreements = created.putArray("agreements");
            for (JsonNode agreement : list(body, "agreements")) {
                ObjectNode fields = agreement.isObject() ? ((ObjectNode) agreement).deepCopy() : null;
                JsonNode additions = fields == null ? null : fields.remove("additions");
                StoredRecord saved = records.create(batch, Resource.AGREEMENT, null, fields);
                ObjectNode out = saved.doc().deepCopy();
                ArrayNode savedAdditions = out.putArray("additions");
                if (additions != null && additions.isArray()) {
                    for (JsonNode addition : additions) {
                        savedAdditions.add(records.create(batch, Resource.ADDITION, saved.id(), addition).doc());
                    }
                }
                agreements.add(out);
            }
            return created;
        });
    }

    private static Iterable<JsonNode> list(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return SandboxJson.NODES.arrayNode();
        }
        if (!value.isArray()) {
            throw SandboxErrors.badRequest(field + " must be an array.");
        }
        return value;
    }
}
