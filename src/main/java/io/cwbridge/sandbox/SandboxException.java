package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An answer other than success, already in ConnectWise's error shape. */
final class SandboxException extends RuntimeException {

    private final int status;
    private final transient ObjectNode body;

    SandboxException(int status, ObjectNode body) {
        super(body.path("message").asText(), null, false, false);
        this.status = status;
        this.body = body;
    }

    int status() {
        return status;
    }

    ObjectNode body() {
        return body;
    }
}
