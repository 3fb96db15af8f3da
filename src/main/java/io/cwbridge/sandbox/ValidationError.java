package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One entry of ConnectWise's {@code errors} array (schema ValidationError). */
record ValidationError(String code, String message, String resource, String field) {

    ObjectNode toJson() {
        ObjectNode json = SandboxJson.object();
        json.put("code", code);
        json.put("message", message);
        json.put("resource", resource);
        json.put("field", field);
        return json;
    }
}
