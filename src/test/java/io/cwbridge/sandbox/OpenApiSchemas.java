package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The component schemas of ConnectWise's OpenAPI 3.0 subset, plus those only the raw GET-only spec
 * (openapi_get_filtered.json: Invoice, AgreementRecap, Agreement.Adjustment and their references)
 * has, as JSON Schema draft-07: refs point at
 * {@code #/definitions/...}, {@code nullable: true} becomes a type union with null, and formats
 * other than date-time (int32, double, uuid) are dropped. The record and error schemas are made
 * closed ({@code additionalProperties: false}) so an answer with a field ConnectWise does not have
 * fails too.
 */
final class OpenApiSchemas {

    private static final String SPEC = "/connectwise/connectwise-agreements-subset.openapi.json";
    private static final String GET_SPEC = "/connectwise/openapi_get_filtered.json";
    private static final List<String> CLOSED = List.of("Addition", "Agreement", "Company", "CatalogItem", "Info",
            "ErrorResponseMessage", "ValidationError", "Count", "Agreement.Adjustment", "AgreementRecap", "Invoice");

    private final ObjectNode definitions;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);

    OpenApiSchemas() {
        try (InputStream in = OpenApiSchemas.class.getResourceAsStream(SPEC);
             InputStream getOnly = OpenApiSchemas.class.getResourceAsStream(GET_SPEC)) {
            JsonNode spec = new ObjectMapper().readTree(in);
            definitions = (ObjectNode) spec.path("components").path("schemas").deepCopy();
            // The subset copies its schemas unchanged from the GET-only file, so the two never disagree on a name.
            new ObjectMapper().readTree(getOnly).path("components").path("schemas").fields()
                    .forEachRemaining(e -> definitions.putIfAbsent(e.getKey(), e.getValue().deepCopy()));
            translate(definitions);
            CLOSED.forEach(name -> ((ObjectNode) definitions.get(name)).put("additionalProperties", false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Set<String> names() {
        Set<String> names = new java.util.TreeSet<>();
        definitions.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Problems of {@code json} against the named schema; empty when it conforms. */
    Set<ValidationMessage> validate(String schema, JsonNode json) {
        return compiled.computeIfAbsent(schema, this::compile).validate(json);
    }

    /** Problems of each element of an array against the named schema. */
    Set<ValidationMessage> validateEach(String schema, JsonNode array) {
        Set<ValidationMessage> all = new java.util.LinkedHashSet<>();
        array.forEach(item -> all.addAll(validate(schema, item)));
        return all;
    }

    private JsonSchema compile(String name) {
        if (!definitions.has(name)) {
            throw new IllegalArgumentException("no schema " + name);
        }
        ObjectNode root = definitions.objectNode();
        root.put("$schema", "http://json-schema.org/draft-07/schema#");
        root.put("$ref", "#/definitions/" + name);
        root.set("definitions", definitions);
        return factory.getSchema(root);
    }

    private static void translate(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual()) {
                object.put("$ref", ref.asText().replace("#/components/schemas/", "#/definitions/"));
            }
            if (object.path("nullable").asBoolean(false)) {
                object.remove("nullable");
                JsonNode type = object.get("type");
                if (type != null && type.isTextual()) {
                    object.putArray("type").add(type.asText()).add("null");
                }
                if (object.get("enum") instanceof ArrayNode values) {
                    values.addNull();
                }
            } else {
                object.remove("nullable");
            }
            JsonNode format = object.get("format");
            if (format != null && format.isTextual() && !format.asText().equals("date-time") && object.has("type")) {
                object.remove("format");
            }
            for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
                translate(it.next());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(OpenApiSchemas::translate);
        }
    }
}
