package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * A queued failure: the next {@code remaining} matching API calls answer {@code status} (0 = no
 * status, only the delay). With {@code afterCommit} the call is carried out first, so the client
 * cannot tell whether it landed.
 */
record Fault(long id, int status, int remaining, int retryAfterSeconds, long delayMillis, String method,
             String pathContains, boolean afterCommit) {

    static final long MAX_DELAY_MILLIS = 120_000;

    /** Reads an admin request body; a bad one is a 400 in ConnectWise's error shape. */
    static Fault fromJson(long id, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw SandboxErrors.badRequest("A fault must be a JSON object.");
        }
        int status = body.path("status").asInt(0);
        int count = body.path("count").asInt(1);
        int retryAfter = body.path("retryAfterSeconds").asInt(1);
        long delay = body.path("delayMillis").asLong(0);
        if (status != 0 && (status < 400 || status > 599)) {
            throw SandboxErrors.badRequest("status must be 0 (delay only) or an HTTP error status 400-599.");
        }
        if (count < 1 || retryAfter < 0 || delay < 0 || delay > MAX_DELAY_MILLIS) {
            throw SandboxErrors.badRequest("count must be at least 1, retryAfterSeconds at least 0 and delayMillis 0-"
                    + MAX_DELAY_MILLIS + ".");
        }
        boolean afterCommit = body.path("afterCommit").asBoolean(false);
        if (status == 0 && delay == 0) {
            throw SandboxErrors.badRequest("A fault needs a status or a delayMillis.");
        }
        String method = text(body, "method");
        return new Fault(id, status, count, retryAfter, delay, method == null ? null : method.toUpperCase(Locale.ROOT),
                text(body, "pathContains"), afterCommit);
    }

    boolean matches(String requestMethod, String path) {
        return (method == null || method.equals(requestMethod)) && (pathContains == null || path.contains(pathContains));
    }

    Fault consumeOne() {
        return new Fault(id, status, remaining - 1, retryAfterSeconds, delayMillis, method, pathContains, afterCommit);
    }

    ObjectNode toJson() {
        ObjectNode json = SandboxJson.object();
        json.put("id", id);
        json.put("status", status);
        json.put("remaining", remaining);
        json.put("retryAfterSeconds", retryAfterSeconds);
        json.put("delayMillis", delayMillis);
        json.put("method", method);
        json.put("pathContains", pathContains);
        json.put("afterCommit", afterCommit);
        return json;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
