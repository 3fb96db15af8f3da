package io.cwbridge.sandbox;

import java.util.ArrayList;
import java.util.List;

/** Collects every problem of one object, so a caller sees them all in one 400 as ConnectWise does. */
final class ValidationErrors {

    private final String resource;
    private final List<ValidationError> errors = new ArrayList<>();

    ValidationErrors(String resource) {
        this.resource = resource;
    }

    void add(String code, String field, String message) {
        errors.add(new ValidationError(code, message, resource, field));
    }

    void nullValue(String field) {
        add("NullValue", field, field + " may not be null");
    }

    void invalid(String field, String message) {
        add("InvalidValue", field, message);
    }

    boolean has(String field) {
        return errors.stream().anyMatch(e -> field.equals(e.field()));
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw SandboxErrors.invalidObject(resource, errors);
        }
    }
}
