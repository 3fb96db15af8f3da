package io.cwbridge.sandbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The query parameters of a list or count call, checked: {@code conditions}, {@code orderBy},
 * {@code fields}, {@code page}/{@code pageSize} (1-based, default 25, at most 1000) and the
 * forward-only paging's {@code pageId}. Unknown fields are refused, as the real API refuses them;
 * so are {@code childConditions} and {@code customFieldConditions}, which the sandbox does not model.
 */
record ListQuery(Condition condition, OrderBy orderBy, int page, int pageSize, boolean forwardOnly, int pageId,
                 List<String> fields) {

    static final int DEFAULT_PAGE_SIZE = 25;
    static final int MAX_PAGE_SIZE = 1000;

    /**
     * OpenAPI (openapi_get_filtered.json, 2026.4) declares these on every list and count GET, and the real API
     * filters by them. Assumption of the sandbox: it does not model them, and refuses them rather than answer
     * every row as if they were not there (a client would over-fetch, or act on the wrong rows). Empty is none.
     */
    static final List<String> UNMODELLED = List.of("childConditions", "customFieldConditions");

    static ListQuery parse(Resource resource, Map<String, String> params, boolean forwardOnly) {
        refuseUnmodelled(params);
        Condition condition = conditions(resource, params.get("conditions"));
        String orderText = params.get("orderBy");
        if (forwardOnly && orderText != null && !orderText.isBlank()) {
            throw SandboxErrors.invalidConditions("orderBy", "orderBy cannot be used with forward-only paging");
        }
        OrderBy orderBy;
        try {
            orderBy = OrderBy.parse(orderText);
        } catch (ConditionsException e) {
            throw SandboxErrors.invalidConditions("orderBy", e.getMessage());
        }
        orderBy.paths(path -> checkField(resource, "orderBy", path));
        int page = number(params, "page", 1);
        int pageSize = Math.min(number(params, "pageSize", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
        int pageId = number(params, "pageId", 0);
        List<String> fields = new ArrayList<>();
        String fieldText = params.get("fields");
        if (fieldText != null && !fieldText.isBlank()) {
            Arrays.stream(fieldText.split(",")).map(String::trim).filter(f -> !f.isEmpty()).forEach(f -> {
                checkField(resource, "fields", f);
                fields.add(f.startsWith("/") ? f.substring(1) : f);
            });
        }
        return new ListQuery(condition, orderBy, Math.max(page, 1), Math.max(pageSize, 1), forwardOnly, Math.max(pageId, 0),
                List.copyOf(fields));
    }

    /** The {@code conditions} of a count call, its only filter the sandbox models. Null when there are none. */
    static Condition count(Resource resource, Map<String, String> params) {
        refuseUnmodelled(params);
        return conditions(resource, params.get("conditions"));
    }

    /** Any spelling of the name: the real API's query names are not case-sensitive (assumption, as ASP.NET binds them). */
    private static void refuseUnmodelled(Map<String, String> params) {
        params.forEach((name, value) -> UNMODELLED.stream().filter(name::equalsIgnoreCase).findFirst().ifPresent(known -> {
            if (value != null && !value.isBlank()) {
                throw SandboxErrors.invalidConditions(known, "The sandbox does not model " + known
                        + "; leave it out (the real ConnectWise API filters by it)");
            }
        }));
    }

    /** The {@code conditions} alone. Null when there are none. */
    static Condition conditions(Resource resource, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Condition condition;
        try {
            condition = Conditions.parse(text);
        } catch (ConditionsException e) {
            throw SandboxErrors.invalidConditions("conditions", e.getMessage());
        }
        condition.paths(path -> checkField(resource, "conditions", path));
        return condition;
    }

    private static void checkField(Resource resource, String parameter, String path) {
        String root = FieldPath.root(path.startsWith("/") ? path.substring(1) : path);
        if (!resource.fields().containsKey(root)) {
            throw SandboxErrors.invalidConditions(parameter, "Unknown field " + root + " on " + resource.displayName());
        }
    }

    private static int number(Map<String, String> params, String name, int fallback) {
        String text = params.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw SandboxErrors.invalidConditions(name, name + " must be a whole number");
        }
    }
}
