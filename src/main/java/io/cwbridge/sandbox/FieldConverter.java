package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

/**
 * Reads an input object field by field against the schema: types, enums, max lengths and dates.
 * Unknown and server-computed fields are ignored, as ConnectWise ignores them; lenient where the
 * real API's JSON reader is (numbers and booleans given as strings, enums in any case).
 */
final class FieldConverter {

    private FieldConverter() {}

    static ObjectNode convert(Resource resource, ObjectNode input, ValidationErrors errors) {
        ObjectNode result = SandboxJson.object();
        Map<String, FieldSpec> fields = resource.fields();
        input.fields().forEachRemaining(entry -> {
            FieldSpec spec = fields.get(entry.getKey());
            JsonNode value = entry.getValue();
            if (spec == null || spec.readOnly() || value == null || value.isNull()) {
                return;
            }
            convert(spec, value, errors).ifPresent(v -> result.set(spec.name(), v));
        });
        return result;
    }

    private static Optional<JsonNode> convert(FieldSpec spec, JsonNode value, ValidationErrors errors) {
        String field = spec.name();
        Optional<JsonNode> converted = switch (spec.kind()) {
            case INT -> wholeNumber(value);
            case NUMBER -> number(value).map(SandboxJson.NODES::numberNode);
            case TEXT -> value.isValueNode() ? Optional.of(SandboxJson.NODES.textNode(value.asText())) : Optional.empty();
            case DATE -> value.isTextual()
                    ? SandboxDates.parse(value.asText()).map(i -> SandboxJson.NODES.textNode(SandboxDates.format(i)))
                    : Optional.empty();
            case BOOL -> bool(value);
            case ENUM -> value.isTextual()
                    ? spec.values().stream().filter(v -> v.equalsIgnoreCase(value.asText().trim())).findFirst()
                            .map(SandboxJson.NODES::textNode)
                    : Optional.empty();
            case REF -> reference(value);
            case ARRAY -> value.isArray() ? Optional.of(value.deepCopy()) : Optional.empty();
            case INFO -> Optional.empty();
        };
        if (converted.isEmpty()) {
            errors.invalid(field, field + " " + expectation(spec));
            return converted;
        }
        if (spec.kind() == FieldSpec.Kind.TEXT && spec.maxLength() > 0
                && converted.get().asText().codePointCount(0, converted.get().asText().length()) > spec.maxLength()) {
            errors.add("InvalidLength", field, field + " cannot be longer than " + spec.maxLength() + " characters");
            return Optional.empty();
        }
        return converted;
    }

    private static String expectation(FieldSpec spec) {
        return switch (spec.kind()) {
            case INT -> "must be a whole number";
            case NUMBER -> "must be a number";
            case TEXT -> "must be text";
            case DATE -> "must be a date-time such as 2024-03-15T00:00:00Z";
            case BOOL -> "must be true or false";
            case ENUM -> "must be one of " + String.join(", ", spec.values());
            case REF -> "must be a reference object such as {\"id\": 5}";
            case ARRAY -> "must be an array";
            case INFO -> "is read-only";
        };
    }

    private static Optional<BigDecimal> number(JsonNode value) {
        if (value.isNumber()) {
            return Optional.of(value.decimalValue());
        }
        return value.isTextual() ? ConditionValue.number(value.asText()) : Optional.empty();
    }

    private static Optional<JsonNode> wholeNumber(JsonNode value) {
        return number(value).flatMap(n -> {
            try {
                return Optional.of(SandboxJson.NODES.numberNode(n.intValueExact()));
            } catch (ArithmeticException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<JsonNode> bool(JsonNode value) {
        if (value.isBoolean()) {
            return Optional.of(value);
        }
        String text = value.isTextual() ? value.asText().trim() : "";
        return text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")
                ? Optional.of(SandboxJson.NODES.booleanNode(Boolean.parseBoolean(text)))
                : Optional.empty();
    }

    /** A reference must be an object; its id, when given, a whole number. */
    private static Optional<JsonNode> reference(JsonNode value) {
        if (!value.isObject()) {
            return Optional.empty();
        }
        ObjectNode ref = value.deepCopy();
        JsonNode id = ref.get("id");
        if (id != null && !id.isNull()) {
            Optional<JsonNode> whole = wholeNumber(id);
            if (whole.isEmpty()) {
                return Optional.empty();
            }
            ref.set("id", whole.get());
        }
        return Optional.of(ref);
    }
}
