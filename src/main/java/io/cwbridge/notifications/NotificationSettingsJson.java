package io.cwbridge.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems.FieldProblem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a PUT body over the current preferences: any subset of the fields, an absent field keeps
 * its value, {@code recipients} replaces the whole list. Every problem is reported per field.
 */
final class NotificationSettingsJson {

    static final int MAX_RECIPIENTS = 50;
    private static final Set<String> FIELDS = Set.of("enabled", "recipients", "serviceMappingDigest", "billingReconciliationDigest",
            "accountName", "notifyErrorsAndActionNeeded", "notifyAllTasks");

    private NotificationSettingsJson() {}

    static NotificationSettings apply(NotificationSettings current, JsonNode body, List<FieldProblem> errors) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                errors.add(new FieldProblem(name, "is not a notification setting"));
            }
        }
        boolean enabled = flag(body, "enabled", current.enabled(), errors);
        boolean serviceMapping = flag(body, "serviceMappingDigest", current.serviceMappingDigest(), errors);
        boolean reconciliation = flag(body, "billingReconciliationDigest", current.billingReconciliationDigest(), errors);
        boolean errorsAndAction = flag(body, "notifyErrorsAndActionNeeded", current.notifyErrorsAndActionNeeded(), errors);
        boolean allTasks = flag(body, "notifyAllTasks", current.notifyAllTasks(), errors);
        String accountName = body.has("accountName") ? accountName(body.get("accountName"), current.accountName(), errors)
                : current.accountName();
        List<String> recipients = body.has("recipients") ? recipients(body.get("recipients"), errors) : current.recipients();
        if (enabled && recipients.isEmpty() && errors.stream().noneMatch(e -> e.field().startsWith("recipients"))) {
            errors.add(new FieldProblem("recipients", "must name at least one address when notifications are enabled"));
        }
        return new NotificationSettings(enabled, recipients, serviceMapping, reconciliation, accountName, errorsAndAction, allTasks);
    }

    /** Text or null (null or blank: greet the partner id); no control characters, it goes into mail bodies. */
    private static String accountName(JsonNode value, String current, List<FieldProblem> errors) {
        if (value.isNull()) return null;
        if (!value.isTextual()) {
            errors.add(new FieldProblem("accountName", "must be text or null"));
            return current;
        }
        String name = value.textValue().strip();
        if (name.length() > NotificationSettings.MAX_ACCOUNT_NAME) {
            errors.add(new FieldProblem("accountName", "must be at most " + NotificationSettings.MAX_ACCOUNT_NAME + " characters"));
            return current;
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            errors.add(new FieldProblem("accountName", "must not contain control characters (line breaks, tabs)"));
            return current;
        }
        return name;
    }

    private static boolean flag(JsonNode body, String field, boolean current, List<FieldProblem> errors) {
        if (!body.has(field)) {
            return current;
        }
        JsonNode value = body.get(field);
        if (!value.isBoolean()) {
            errors.add(new FieldProblem(field, "must be true or false"));
            return current;
        }
        return value.booleanValue();
    }

    private static List<String> recipients(JsonNode value, List<FieldProblem> errors) {
        if (!value.isArray()) {
            errors.add(new FieldProblem("recipients", "must be an array of e-mail addresses"));
            return List.of();
        }
        if (value.size() > MAX_RECIPIENTS) {
            errors.add(new FieldProblem("recipients", "must name at most " + MAX_RECIPIENTS + " addresses"));
            return List.of();
        }
        List<String> addresses = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String problem = item.isTextual() ? EmailAddresses.problem(item.textValue()) : "must be an e-mail address (a string)";
            if (problem != null) {
                errors.add(new FieldProblem("recipients[" + i + "]", problem));
            } else if (!seen.add(item.textValue().toLowerCase(Locale.ROOT))) {
                errors.add(new FieldProblem("recipients[" + i + "]", "is named twice"));
            } else {
                addresses.add(item.textValue());
            }
        }
        return addresses;
    }
}
