package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * ConnectWise's {@code orderBy}: {@code "name asc, id desc"}. Missing values sort first, as
 * SQL Server does in ascending order; ties keep id order.
 */
record OrderBy(List<Key> keys) {

    record Key(String path, boolean descending) {}

    static final OrderBy BY_ID = new OrderBy(List.of(new Key("id", false)));

    static OrderBy parse(String text) {
        if (text == null || text.isBlank()) {
            return BY_ID;
        }
        List<Key> keys = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] words = part.trim().split("\\s+");
            if (words[0].isEmpty() || words.length > 2) {
                throw new ConditionsException("orderBy must look like \"field [asc|desc], ...\"");
            }
            boolean descending = false;
            if (words.length == 2) {
                if (!words[1].equalsIgnoreCase("asc") && !words[1].equalsIgnoreCase("desc")) {
                    throw new ConditionsException("orderBy direction must be asc or desc, not '" + words[1] + "'");
                }
                descending = words[1].equalsIgnoreCase("desc");
            }
            String path = words[0].startsWith("/") ? words[0].substring(1) : words[0];
            keys.add(new Key(path, descending));
        }
        return new OrderBy(List.copyOf(keys));
    }

    void paths(Consumer<String> sink) {
        keys.forEach(k -> sink.accept(k.path()));
    }

    Comparator<JsonNode> comparator() {
        Comparator<JsonNode> result = null;
        for (Key key : keys) {
            Comparator<JsonNode> one = (a, b) -> compareValues(FieldPath.resolve(a, key.path()), FieldPath.resolve(b, key.path()));
            if (key.descending()) {
                one = one.reversed();
            }
            result = result == null ? one : result.thenComparing(one);
        }
        return result;
    }

    static int compareValues(JsonNode a, JsonNode b) {
        boolean aAbsent = FieldPath.isAbsent(a);
        boolean bAbsent = FieldPath.isAbsent(b);
        if (aAbsent || bAbsent) {
            return Boolean.compare(!aAbsent, !bAbsent);
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        if (a.isBoolean() && b.isBoolean()) {
            return Boolean.compare(a.booleanValue(), b.booleanValue());
        }
        return ConditionValue.lower(a.asText()).compareTo(ConditionValue.lower(b.asText()));
    }
}
