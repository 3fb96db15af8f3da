package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * JSON answers with a fixed content type. Set up front so Spring does not negotiate against the
 * client's {@code Accept: application/vnd.connectwise.com+json; version=...}.
 */
final class SandboxResponses {

    static final MediaType JSON = MediaType.parseMediaType("application/json;charset=UTF-8");

    private SandboxResponses() {}

    static ResponseEntity<String> json(int status, JsonNode body) {
        return json(status, body, new HttpHeaders());
    }

    static ResponseEntity<String> json(int status, JsonNode body, HttpHeaders headers) {
        return ResponseEntity.status(status).headers(headers).contentType(JSON).body(SandboxJson.write(body));
    }

    static ResponseEntity<String> noContent() {
        return ResponseEntity.noContent().build();
    }
}
