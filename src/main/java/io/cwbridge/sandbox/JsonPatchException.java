package io.cwbridge.sandbox;

/** A PATCH body that is not a JSON Patch the sandbox (or ConnectWise) accepts. */
final class JsonPatchException extends RuntimeException {

    private final String field;

    JsonPatchException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
