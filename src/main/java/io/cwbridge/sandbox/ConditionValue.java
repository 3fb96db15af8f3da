package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A literal on the right of a condition, and how it compares with a stored field. Text compares
 * case-insensitively, as ConnectWise's SQL Server collation does (an assumption: no public source says so). A string
 * with {@code *} or {@code [} after {@code =} / {@code !=} is a pattern instead ({@link TextPattern}).
 */
sealed interface ConditionValue {

    /** Sign of field − literal, or empty when the two cannot be compared (so the condition is false). */
    Optional<Integer> compareWith(JsonNode field);

    /** The literal as text, for contains/like. */
    String text();

    record Text(String value) implements ConditionValue {
        @Override
        public Optional<Integer> compareWith(JsonNode field) {
            if (field.isNumber()) {
                Optional<BigDecimal> number = number(value);
                if (number.isPresent()) {
                    return Optional.of(Integer.signum(field.decimalValue().compareTo(number.get())));
                }
            }
            if (field.isValueNode()) {
                return Optional.of(Integer.signum(lower(field.asText()).compareTo(lower(value))));
            }
            return Optional.empty();
        }

        @Override
        public String text() {
            return value;
        }
    }

    record Number(BigDecimal value) implements ConditionValue {
        @Override
        public Optional<Integer> compareWith(JsonNode field) {
            Optional<BigDecimal> stored = field.isNumber() ? Optional.of(field.decimalValue())
                    : field.isTextual() ? number(field.asText()) : Optional.empty();
            return stored.map(s -> Integer.signum(s.compareTo(value)));
        }

        @Override
        public String text() {
            return value.toPlainString();
        }
    }

    record Date(Instant value) implements ConditionValue {
        @Override
        public Optional<Integer> compareWith(JsonNode field) {
            return field.isTextual()
                    ? SandboxDates.parse(field.asText()).map(i -> Integer.signum(i.compareTo(value)))
                    : Optional.empty();
        }

        @Override
        public String text() {
            return SandboxDates.format(value);
        }
    }

    record Bool(boolean value) implements ConditionValue {
        @Override
        public Optional<Integer> compareWith(JsonNode field) {
            if (field.isBoolean()) {
                return Optional.of(field.booleanValue() == value ? 0 : 1);
            }
            return field.isTextual() ? Optional.of(field.asText().equalsIgnoreCase(text()) ? 0 : 1) : Optional.empty();
        }

        @Override
        public String text() {
            return Boolean.toString(value);
        }
    }

    /** {@code null}: only {@code =} and {@code !=} apply; the condition handles it. */
    record Null() implements ConditionValue {
        @Override
        public Optional<Integer> compareWith(JsonNode field) {
            return Optional.empty();
        }

        @Override
        public String text() {
            return "null";
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static Optional<BigDecimal> number(String s) {
        try {
            return Optional.of(new BigDecimal(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
