package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Puts a record's fields in the schema's order and drops nulls, as ConnectWise omits empty fields. */
final class RecordShape {

    private RecordShape() {}

    static ObjectNode ordered(Resource resource, ObjectNode doc) {
        ObjectNode result = SandboxJson.object();
        for (String name : resource.fields().keySet()) {
            JsonNode value = doc.get(name);
            if (value != null && !value.isNull()) {
                result.set(name, value);
            }
        }
        return result;
    }

    /** The reference other records hold to this one, e.g. {@code {"id":5,"identifier":"AZ-365","name":..,"_info":{..}}}. */
    static ObjectNode reference(StoredRecord target) {
        ObjectNode ref = SandboxJson.object();
        for (String name : target.resource().referenceFields()) {
            JsonNode value = target.doc().get(name);
            if (value != null && !value.isNull()) {
                ref.set(name, value);
            }
        }
        ref.putObject("_info").put(target.resource().hrefName(), target.resource().href(target.parentId(), target.id()));
        return ref;
    }
}
