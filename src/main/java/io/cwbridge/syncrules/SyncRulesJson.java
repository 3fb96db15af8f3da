package io.cwbridge.syncrules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.rules.SyncRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads sync rules from JSON field by field: a PUT body (partial: only the fields it names) and
 * the stored document alike. Checked here rather than by Jackson binding, because Jackson would
 * quietly accept {@code 1} for an enum or {@code "yes"} for a flag, and would stop at the first
 * bad field instead of naming every one.
 */
final class SyncRulesJson {

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();
    static final String GLOBAL_SYNC = "globalSync";

    static {
        oneOf("positiveChange", SyncRules.PositiveChange.class);
        oneOf("negativeChange", SyncRules.NegativeChange.class);
        oneOf("cancellation", SyncRules.Cancellation.class);
        oneOf("priceSource", SyncRules.PriceSource.class);
        flag("syncUnitPrice");
        flag("syncUnitCost");
        oneOf("saasInvoiceValues", SyncRules.InvoiceValues.class);
        oneOf("iaasInvoiceValues", SyncRules.InvoiceValues.class);
        flag("iaasResourceDetailsInDescription");
        flag("includeSubscriptionInfo");
        oneOf("proration", SyncRules.ProrationRule.class);
        oneOf("invoicedCatchUp", SyncRules.InvoicedCatchUp.class);
        subsetOf("companyFields", Arrays.stream(CompanyField.values()).map(CompanyField::json).toList());
        subsetOf("productFields", Arrays.stream(ProductField.values()).map(ProductField::json).toList());
        flag("automaticSync");
        oneOf("syncPeriod", SyncPeriod.class);
        oneOf("taskSync", TaskSync.class);
    }

    private SyncRulesJson() {}

    /** The rule names, in API order. */
    static List<String> names() {
        return List.copyOf(RULES.keySet());
    }

    /**
     * The fields of {@code input} in stored form (every field checked; unknown ones are errors).
     * Only the fields that are present come back: the caller merges them over the current rules.
     */
    static ObjectNode changes(JsonNode input, List<FieldProblem> errors) {
        ObjectNode changes = JsonNodeFactory.instance.objectNode();
        if (input == null || !input.isObject()) {
            errors.add(new FieldProblem("$", "must be a JSON object of sync rules"));
            return changes;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = input.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            // "globalSync" (SPEC v2's name) is an alias of automaticSync, not a rule of its own.
            Rule rule = RULES.get(GLOBAL_SYNC.equals(field.getKey()) ? "automaticSync" : field.getKey());
            if (rule == null) {
                errors.add(new FieldProblem(field.getKey(), "is not a sync rule; known rules: " + String.join(", ", RULES.keySet())));
                continue;
            }
            rule.normalize(field.getKey(), field.getValue(), errors).ifPresent(value -> changes.set(field.getKey(), value));
        }
        // "globalSync" (SPEC v2's name) is the rule stored as automaticSync.
        JsonNode global = changes.remove(GLOBAL_SYNC);
        if (global != null) {
            if (changes.has("automaticSync") && !changes.get("automaticSync").equals(global)) {
                errors.add(new FieldProblem("globalSync", "is the same rule as automaticSync and must not differ from it"));
            } else {
                changes.set("automaticSync", global);
            }
        }
        return changes;
    }

    /**
     * A PUT's legacy {@code syncPeriod} (v1) without {@code taskSync} sets taskSync to that period;
     * with taskSync it must agree with it. Stored documents are not read this way: a period stored
     * before task sync existed was no deferral (those partners stay IMMEDIATE).
     */
    static void legacyPeriod(ObjectNode changes, List<FieldProblem> errors) {
        JsonNode period = changes.get("syncPeriod");
        if (period == null) return;
        TaskSync asTaskSync = TaskSync.of(SyncPeriod.valueOf(period.asText()));
        JsonNode taskSync = changes.get("taskSync");
        if (taskSync == null) {
            changes.set("taskSync", TextNode.valueOf(asTaskSync.name()));
        } else if (TaskSync.valueOf(taskSync.asText()).period() != SyncPeriod.valueOf(period.asText())) {
            errors.add(new FieldProblem("syncPeriod", "is the legacy form of taskSync and must agree with it (taskSync "
                    + taskSync.asText() + " reads as syncPeriod " + TaskSync.valueOf(taskSync.asText()).period() + ")"));
        }
    }

    /** {@code base} with {@code changes} laid over it (changes as returned by {@link #changes}). */
    static PartnerSyncRules apply(ObjectMapper mapper, PartnerSyncRules base, ObjectNode changes) {
        ObjectNode merged = mapper.valueToTree(base);
        merged.setAll(changes);
        try {
            return mapper.treeToValue(merged, PartnerSyncRules.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("checked sync rules could not be read back", e);
        }
    }

    private static void oneOf(String name, Class<? extends Enum<?>> type) {
        List<String> allowed = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        RULES.put(name, (field, value, errors) -> {
            if (value.isTextual() && allowed.contains(value.asText())) {
                return Optional.of(value);
            }
            errors.add(new FieldProblem(field, "must be one of " + String.join(", ", allowed)));
            return Optional.empty();
        });
    }

    private static void flag(String name) {
        RULES.put(name, (field, value, errors) -> {
            if (value.isBoolean()) {
                return Optional.of(BooleanNode.valueOf(value.booleanValue()));
            }
            errors.add(new FieldProblem(field, "must be true or false"));
            return Optional.empty();
        });
    }

    private static void subsetOf(String name, List<String> allowed) {
        RULES.put(name, (field, value, errors) -> {
            if (!value.isArray()) {
                errors.add(new FieldProblem(field, "must be an array of " + String.join(", ", allowed)));
                return Optional.empty();
            }
            int before = errors.size();
            List<String> given = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (item.isTextual() && allowed.contains(item.asText())) {
                    given.add(item.asText());
                } else {
                    errors.add(new FieldProblem(field + "[" + i + "]", "must be one of " + String.join(", ", allowed)));
                }
            }
            if (errors.size() > before) {
                return Optional.empty();
            }
            // Fixed order, no duplicates: the same choice always looks the same.
            ArrayNode ordered = JsonNodeFactory.instance.arrayNode();
            allowed.stream().filter(given::contains).map(TextNode::valueOf).forEach(ordered::add);
            return Optional.of(ordered);
        });
    }

    /** Checks one field's value and answers it in stored form, or records why it is wrong. */
    @FunctionalInterface
    private interface Rule {
        Optional<JsonNode> normalize(String field, JsonNode value, List<FieldProblem> errors);
    }

    static String describe(List<FieldProblem> errors) {
        return errors.stream().map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; "));
    }
}
