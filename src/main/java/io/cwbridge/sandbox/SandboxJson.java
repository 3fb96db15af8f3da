package io.cwbridge.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sandbox's own JSON settings, kept apart from the application's ObjectMapper so that money
 * stays exact (22.00 stays 22.00, never a double) whatever the rest of the app configures.
 */
final class SandboxJson {

    static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .nodeFactory(NODES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    private SandboxJson() {}

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** Parses a request body; the message never quotes the body, which may hold anything. */
    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw SandboxErrors.malformedJson();
        }
    }

    /**
     * The record as it will read back from the database: same text, same node types. Keeps the
     * in-memory index identical to what a restart would load.
     */
    static ObjectNode canonical(ObjectNode doc) {
        return (ObjectNode) parse(write(doc));
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write sandbox JSON", e);
        }
    }
}
