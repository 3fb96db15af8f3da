package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A parsed {@code conditions} expression, evaluated against a record's JSON. Like SQL, a
 * comparison with a missing field is false (except {@code = null}).
 */
sealed interface Condition {

    boolean test(JsonNode doc);

    /** Every field path the expression reads, so the caller can reject unknown fields. */
    void paths(Consumer<String> sink);

    record And(Condition left, Condition right) implements Condition {
        public boolean test(JsonNode doc) {
            return left.test(doc) && right.test(doc);
        }

        public void paths(Consumer<String> sink) {
            left.paths(sink);
            right.paths(sink);
        }
    }

    record Or(Condition left, Condition right) implements Condition {
        public boolean test(JsonNode doc) {
            return left.test(doc) || right.test(doc);
        }

        public void paths(Consumer<String> sink) {
            left.paths(sink);
            right.paths(sink);
        }
    }

    record Not(Condition inner) implements Condition {
        public boolean test(JsonNode doc) {
            return !inner.test(doc);
        }

        public void paths(Consumer<String> sink) {
            inner.paths(sink);
        }
    }

    enum Operator { EQ, NE, LT, LE, GT, GE }

    record Compare(String path, Operator op, ConditionValue value) implements Condition {
        public boolean test(JsonNode doc) {
            JsonNode field = FieldPath.resolve(doc, path);
            if (value instanceof ConditionValue.Null) {
                return (op == Operator.EQ) == FieldPath.isAbsent(field);
            }
            if (FieldPath.isAbsent(field)) {
                return false;
            }
            return value.compareWith(field).map(c -> switch (op) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            }).orElse(false);
        }

        public void paths(Consumer<String> sink) {
            sink.accept(path);
        }
    }

    /**
     * {@code path in (a, b)}, {@code path contains "x"}, {@code path like "a*"}; {@code negated} for
     * the "not" forms. A like pattern is compiled once, as lists can be long.
     */
    record Match(String path, Kind kind, List<ConditionValue> values, Pattern likePattern, boolean negated)
            implements Condition {

        enum Kind { IN, CONTAINS, LIKE }

        static Match of(String path, Kind kind, List<ConditionValue> values, boolean negated) {
            return new Match(path, kind, List.copyOf(values), kind == Kind.LIKE ? like(values.get(0).text()) : null, negated);
        }

        public boolean test(JsonNode doc) {
            JsonNode field = FieldPath.resolve(doc, path);
            if (FieldPath.isAbsent(field) || !field.isValueNode()) {
                return false;
            }
            return matches(field) != negated;
        }

        private boolean matches(JsonNode field) {
            return switch (kind) {
                case IN -> values.stream().anyMatch(v -> v.compareWith(field).map(c -> c == 0).orElse(false));
                case CONTAINS -> ConditionValue.lower(field.asText()).contains(ConditionValue.lower(values.get(0).text()));
                case LIKE -> likePattern.matcher(field.asText()).matches();
            };
        }

        /** {@code *} (and SQL's {@code %}) match any run of characters; everything else is literal. */
        static Pattern like(String pattern) {
            String[] parts = pattern.split("[*%]", -1);
            StringBuilder regex = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                if (i > 0) regex.append(".*");
                if (!parts[i].isEmpty()) regex.append(Pattern.quote(parts[i]));
            }
            return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
        }

        public void paths(Consumer<String> sink) {
            sink.accept(path);
        }
    }
}
