package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * ConnectWise's error bodies (schema ErrorResponseMessage): {@code {code, message, errors[]}}.
 * The 429 body is the odd one out and uses {@code error} instead of {@code code}.
 */
final class SandboxErrors {

    static final String INVOICED_PERIOD = "Since this period has already been invoiced there will not be an invoice"
            + " generated for additional products for this period. Please end-date this addition and add a new one.";

    private SandboxErrors() {}

    static ObjectNode body(String code, String message) {
        ObjectNode body = SandboxJson.object();
        body.put("code", code);
        body.put("message", message);
        return body;
    }

    static SandboxException endpointMissing() {
        return new SandboxException(404, body("ConnectWiseApi", "The endpoint does not exist."));
    }

    static SandboxException notFound(Resource resource, int id) {
        return new SandboxException(404, body("NotFound", resource.displayName() + " with id " + id + " was not found."));
    }

    static SandboxException unauthorized(String message) {
        return new SandboxException(401, body("Unauthorized", message));
    }

    static SandboxException invalidObject(String resource, List<ValidationError> errors) {
        ObjectNode body = body("InvalidObject", resource + " object is invalid");
        ArrayNode list = body.putArray("errors");
        errors.forEach(e -> list.add(e.toJson()));
        return new SandboxException(400, body);
    }

    static SandboxException invalidObject(String resource, String code, String field, String message) {
        return invalidObject(resource, List.of(new ValidationError(code, message, resource, field)));
    }

    /** A problem with the request as a whole rather than with one field of an object. */
    static SandboxException badRequest(String message) {
        return new SandboxException(400, body("InvalidObject", message));
    }

    static SandboxException malformedJson() {
        return badRequest("The request body is not valid JSON.");
    }

    static SandboxException invalidConditions(String parameter, String message) {
        ObjectNode body = body("InvalidObject", parameter + " is invalid");
        body.putArray("errors").add(new ValidationError("InvalidValue", message, parameter, parameter).toJson());
        return new SandboxException(400, body);
    }

    static SandboxException unexpected() {
        return new SandboxException(500, body("UnexpectedError", "An unexpected error occurred"));
    }

    /** The body of an injected fault of the given status. */
    static ObjectNode faultBody(int status, int retryAfterSeconds) {
        return switch (status) {
            case 429 -> {
                ObjectNode body = SandboxJson.object();
                body.put("error", "ConnectWiseAPI");
                body.put("message", "Too many requests. Please try again in " + retryAfterSeconds + " seconds.");
                yield body;
            }
            case 401 -> body("Unauthorized", "Authentication failed.");
            case 403 -> body("Forbidden", "You do not have permission to access this resource.");
            case 404 -> body("NotFound", "The record was not found.");
            case 409 -> body("Conflict", "The record was changed by another request.");
            default -> status >= 500 ? body("UnexpectedError", "An unexpected error occurred")
                    : body("InvalidObject", "The request is invalid.");
        };
    }
}
