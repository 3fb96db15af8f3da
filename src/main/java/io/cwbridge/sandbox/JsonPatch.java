package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * ConnectWise's JSON Patch: an array of {@code {op, path, value}} where op is add, replace or
 * remove and path is a case-sensitive top-level field name, with or without a leading slash.
 * A path into a field ({@code product/id}) is accepted but changes nothing, which is what the real
 * API does (a "false 200"): references must be replaced as a whole object.
 */
final class JsonPatch {

    record Operation(String op, String field, boolean subPath, JsonNode value) {}

    private JsonPatch() {}

    static List<Operation> parse(JsonNode body) {
        if (body == null || !body.isArray() || body.isEmpty()) {
            throw new JsonPatchException("operations", "the body must be a non-empty array of patch operations");
        }
        List<Operation> operations = new ArrayList<>();
        for (JsonNode item : body) {
            if (!item.isObject()) {
                throw new JsonPatchException("operations", "each patch operation must be an object");
            }
            String op = item.path("op").asText("");
            if (!List.of("add", "replace", "remove").contains(op)) {
                throw new JsonPatchException("op", "op must be add, replace or remove");
            }
            String path = item.path("path").asText("");
            String trimmed = path.startsWith("/") ? path.substring(1) : path;
            if (trimmed.isEmpty()) {
                throw new JsonPatchException("path", "path is required");
            }
            if (!op.equals("remove") && !item.has("value")) {
                throw new JsonPatchException("value", "value is required for " + op);
            }
            int slash = trimmed.indexOf('/');
            String field = slash < 0 ? trimmed : trimmed.substring(0, slash);
            operations.add(new Operation(op, field, slash >= 0, item.get("value")));
        }
        return operations;
    }

    /**
     * Applies the operations to a copy of {@code doc}. {@code fields} are the names the record
     * type has; any other name is refused (ConnectWise does not guess at case).
     */
    static ObjectNode apply(ObjectNode doc, List<Operation> operations, Set<String> fields) {
        ObjectNode result = doc.deepCopy();
        for (Operation operation : operations) {
            if (!fields.contains(operation.field())) {
                throw new JsonPatchException(operation.field(), operation.field() + " is not a field of this record");
            }
            if (operation.subPath()) {
                continue;
            }
            if (operation.op().equals("remove") || operation.value() == null || operation.value().isNull()) {
                result.remove(operation.field());
            } else {
                result.set(operation.field(), operation.value().deepCopy());
            }
        }
        return result;
    }
}
