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
     * {@code path in (a, b)}, {@code path contains "x"}, {@code path like "a*"}, and {@code path = "a*"} /
     * {@code path = "[[]x]"} (a string with a wildcard or a bracket group: {@link TextPattern}); {@code negated} for
     * the "not" forms and {@code !=}. A pattern is compiled once, as lists can be long.
     */
    record Match(String path, Kind kind, List<ConditionValue> values, Pattern pattern, boolean negated)
            implements Condition {

        /** {@code EQUALS}: {@code =} or {@code !=} with a string that is a pattern. */
        enum Kind { IN, CONTAINS, LIKE, EQUALS }

        static Match of(String path, Kind kind, List<ConditionValue> values, boolean negated) {
            Pattern pattern = switch (kind) {
                case IN -> null;
                case CONTAINS -> TextPattern.compileContains(values.get(0).text());
                case LIKE -> like(values.get(0).text());
                case EQUALS -> TextPattern.compile(values.get(0).text(), false);
            };
            return new Match(path, kind, List.copyOf(values), pattern, negated);
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
                // Assumption: the values of an in list are compared as they are written (SQL's IN is no pattern).
                case IN -> values.stream().anyMatch(v -> v.compareWith(field).map(c -> c == 0).orElse(false));
                case CONTAINS, LIKE, EQUALS -> pattern.matcher(field.asText()).matches();
            };
        }

        /**
         * {@code *} (and, an assumption, SQL's {@code %}) match any run of characters; {@code [[]} is a literal
         * {@code [} and a bracket group one character ({@link TextPattern}); everything else is literal.
         */
        static Pattern like(String pattern) {
            return TextPattern.compile(pattern, true);
        }

        public void paths(Consumer<String> sink) {
            sink.accept(path);
        }
    }
}
