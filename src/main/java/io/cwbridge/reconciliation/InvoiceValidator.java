package io.cwbridge.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.rules.reconciliation.CutoverWindows;
import io.cwbridge.rules.reconciliation.InvoiceType;
import io.cwbridge.rules.reconciliation.Money;
import java.math.BigDecimal;
import io.cwbridge.api.InputText;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads invoice lines (one JSON object or an array) with a field-level reason for everything
 * wrong; paths are prefixed with the array index ({@code [1].amount}) for a batch.
 */
final class InvoiceValidator {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@/-]{1,100}");
    /**
     * A subscription id as an event may carry it (the event schema's mappingId: 1–100 characters, no control or
     * bidirectional-control characters, no '/', '\\', ';' or '%'), so every subscription that syncs can be reconciled:
     * marketplace ids are the marketplace's, not ours to narrow (probe 56 N1: "abc+1 x" synced, its invoice was refused).
     */
    private static final Pattern SUBSCRIPTION_ID =
            Pattern.compile("[^/\\\\;%\\u0000-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069\\uFFFD]{1,100}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern PERIOD = Pattern.compile("\\d{4}-\\d{2}");

    private InvoiceValidator() {}

    /** The lines, or the problems of all of them. */
    record Result(List<InvoiceLine> lines, List<FieldProblem> problems) {
        boolean valid() {
            return problems.isEmpty();
        }
    }

    static Result read(JsonNode body) {
        return read(body, null);
    }

    /**
     * @param window first and last day a billing month may touch (the event date window), or null for any
     */
    static Result read(JsonNode body, LocalDate[] window) {
        List<InvoiceLine> lines = new ArrayList<>();
        List<FieldProblem> problems = new ArrayList<>();
        text(body, "", problems);
        if (body == null || !(body.isObject() || body.isArray())) {
            problems.add(new FieldProblem("", "must be an invoice line object or an array of them"));
        } else if (body.isArray()) {
            if (body.isEmpty()) problems.add(new FieldProblem("", "must hold at least one invoice line"));
            for (int i = 0; i < body.size(); i++) {
                InvoiceLine line = one(body.get(i), "[" + i + "].", problems);
                if (line != null) lines.add(line);
            }
        } else {
            InvoiceLine line = one(body, "", problems);
            if (line != null) lines.add(line);
        }
        if (window != null) {
            for (InvoiceLine line : lines) {
                if (line.billingPeriod().atEndOfMonth().isBefore(window[0]) || line.billingPeriod().atDay(1).isAfter(window[1])) {
                    String prefix = body.isArray() ? "[" + lines.indexOf(line) + "]." : "";
                    problems.add(new FieldProblem(prefix + "billingPeriod", "must be a month between " + YearMonth.from(window[0])
                            + " and " + YearMonth.from(window[1]) + " (cwbridge.validation.date-window-years-back / -forward)"));
                }
            }
        }
        return new Result(problems.isEmpty() ? lines : List.of(), problems);
    }

    private static InvoiceLine one(JsonNode n, String prefix, List<FieldProblem> problems) {
        if (n == null || !n.isObject()) {
            problems.add(new FieldProblem(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), "must be an object"));
            return null;
        }
        int before = problems.size();
        String partnerId = id(n, "partnerId", prefix, problems);
        String subscriptionId = subscriptionId(n, prefix, problems);
        String invoiceNumber = id(n, "invoiceNumber", prefix, problems);
        InvoiceType type = enumValue(n, "invoiceType", InvoiceType.class, prefix, problems);
        SubscriptionKind kind = enumValue(n, "kind", SubscriptionKind.class, prefix, problems);
        Integer providerId = null;
        JsonNode p = n.path("providerId");
        if (!p.isIntegralNumber()) {
            problems.add(new FieldProblem(prefix + "providerId", "is required and must be an integer"));
        } else if (!p.canConvertToInt()) {
            problems.add(new FieldProblem(prefix + "providerId", "is out of range"));
        } else if (CutoverWindows.of(p.asInt()).isEmpty()) {
            problems.add(new FieldProblem(prefix + "providerId", "has no billing cutover window; known providers: "
                    + CutoverWindows.all().keySet().stream().sorted().toList()));
        } else {
            providerId = p.asInt();
        }
        YearMonth period = null;
        String periodText = n.path("billingPeriod").asText("");
        if (!PERIOD.matcher(periodText).matches()) {
            problems.add(new FieldProblem(prefix + "billingPeriod", "is required as a month, e.g. 2024-02"));
        } else {
            try {
                period = YearMonth.parse(periodText);
            } catch (DateTimeParseException e) {
                problems.add(new FieldProblem(prefix + "billingPeriod", "is not a valid month"));
            }
        }
        BigDecimal quantity = decimal(n, "quantity", prefix, problems);
        if (quantity != null && quantity.signum() < 0) {
            problems.add(new FieldProblem(prefix + "quantity", "must not be negative"));
        } else if (quantity != null && (integerDigits(quantity) > 10 || decimals(quantity) > 4)) {
            problems.add(new FieldProblem(prefix + "quantity", "must have at most 10 integer digits and 4 decimal places"));
        }
        String currency = n.path("currency").isTextual() ? n.path("currency").textValue() : "";
        int minorUnits = -1;
        if (!CURRENCY.matcher(currency).matches()) {
            problems.add(new FieldProblem(prefix + "currency", "is required as an ISO 4217 code, e.g. USD"));
        } else {
            try {
                minorUnits = Currency.getInstance(currency).getDefaultFractionDigits();
                if (minorUnits < 0) problems.add(new FieldProblem(prefix + "currency", "is not a currency of money (ISO 4217 code without minor unit)"));
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem(prefix + "currency", "is not an ISO 4217 currency code"));
            }
        }
        BigDecimal amount = decimal(n, "amount", prefix, problems);
        // Stored as NUMERIC(14, 2): 12 integer digits, and no more decimals than the currency has (nor than 2).
        int scale = minorUnits < 0 ? Money.SCALE : Math.min(minorUnits, Money.SCALE);
        if (amount != null && integerDigits(amount) > 12) {
            problems.add(new FieldProblem(prefix + "amount", "must have at most 12 integer digits"));
        } else if (amount != null && decimals(amount) > scale) {
            problems.add(new FieldProblem(prefix + "amount", "must have at most " + scale + " decimal places"
                    + (minorUnits >= 0 && minorUnits < Money.SCALE ? " (the minor unit of " + currency + ")" : "")));
        }
        if (problems.size() > before) return null;
        return new InvoiceLine(partnerId, type, invoiceNumber, subscriptionId, providerId, kind, period, quantity,
                Money.of(amount), currency);
    }

    /** Every string and key anywhere in the text: InputText's rules (no control, bidi…), keys at most 100 characters. */
    private static void text(JsonNode node, String path, List<FieldProblem> problems) {
        String field = path.isEmpty() ? "$" : path;
        if (node == null) return;
        if (node.isTextual()) {
            String why = InputText.problem(node.textValue(), false);
            if (why == null && node.textValue().length() > InputText.MAX_STRING) why = "must be at most " + InputText.MAX_STRING + " characters";
            if (why != null) problems.add(new FieldProblem(field, why));
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String why = InputText.problem(e.getKey(), false);
                if (why != null || e.getKey().length() > 100) {
                    problems.add(new FieldProblem(field, "has a key that " + (why != null ? why : "is longer than 100 characters")));
                } else {
                    text(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), problems);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) text(node.get(i), path + "[" + i + "]", problems);
        }
    }

    private static long integerDigits(BigDecimal value) {
        return value.signum() == 0 ? 0 : Math.max(0L, (long) value.precision() - value.scale());
    }

    private static long decimals(BigDecimal value) {
        return value.signum() == 0 || value.scale() <= 0 ? 0 : Math.max(0, value.stripTrailingZeros().scale());
    }

    private static String id(JsonNode n, String field, String prefix, List<FieldProblem> problems) {
        JsonNode v = n.path(field);
        if (!v.isTextual() || !ID.matcher(v.asText()).matches()) {
            problems.add(new FieldProblem(prefix + field, "is required: 1-100 letters, digits or ._:@/-"));
            return null;
        }
        return v.asText();
    }

    private static String subscriptionId(JsonNode n, String prefix, List<FieldProblem> problems) {
        JsonNode v = n.path("subscriptionId");
        if (!v.isTextual() || !SUBSCRIPTION_ID.matcher(v.asText()).matches()) {
            problems.add(new FieldProblem(prefix + "subscriptionId", "is required: 1-100 characters as in the event's subscription.id"
                    + " (no control characters, '/', '\\', ';' or '%')"));
            return null;
        }
        return v.asText();
    }

    private static <E extends Enum<E>> E enumValue(JsonNode n, String field, Class<E> type, String prefix, List<FieldProblem> problems) {
        String text = n.path(field).asText("");
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(text.toUpperCase(Locale.ROOT)) && !text.isEmpty()) return e;
        }
        problems.add(new FieldProblem(prefix + field, "must be one of " + Arrays.toString(type.getEnumConstants())));
        return null;
    }

    private static BigDecimal decimal(JsonNode n, String field, String prefix, List<FieldProblem> problems) {
        JsonNode v = n.path(field);
        if (!v.isNumber()) {
            problems.add(new FieldProblem(prefix + field, "is required and must be a number"));
            return null;
        }
        return v.decimalValue();
    }
}
