package io.cwbridge.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.reconciliation.rules.CutoverWindows;
import io.cwbridge.reconciliation.rules.InvoiceType;
import io.cwbridge.reconciliation.rules.Money;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads invoice lines (one JSON object or an array) with a field-level reason for everything
 * wrong; paths are prefixed with the array index ({@code [1].amount}) for a batch.
 */
final class InvoiceValidator {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@/-]{1,100}");
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
        List<InvoiceLine> lines = new ArrayList<>();
        List<FieldProblem> problems = new ArrayList<>();
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
        return new Result(problems.isEmpty() ? lines : List.of(), problems);
    }

    private static InvoiceLine one(JsonNode n, String prefix, List<FieldProblem> problems) {
        if (n == null || !n.isObject()) {
            problems.add(new FieldProblem(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1), "must be an object"));
            return null;
        }
        int before = problems.size();
        String partnerId = id(n, "partnerId", prefix, problems);
        String subscriptionId = id(n, "subscriptionId", prefix, problems);
        String invoiceNumber = id(n, "invoiceNumber", prefix, problems);
        InvoiceType type = enumValue(n, "invoiceType", InvoiceType.class, prefix, problems);
        SubscriptionKind kind = enumValue(n, "kind", SubscriptionKind.class, prefix, problems);
        Integer providerId = null;
        JsonNode p = n.path("providerId");
        if (!p.isIntegralNumber()) {
            problems.add(new FieldProblem(prefix + "providerId", "is required and must be an integer"));
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
        }
        BigDecimal amount = decimal(n, "amount", prefix, problems);
        if (amount != null && amount.scale() > Money.SCALE && amount.stripTrailingZeros().scale() > Money.SCALE) {
            problems.add(new FieldProblem(prefix + "amount", "must have at most 2 decimal places"));
        }
        String currency = n.path("currency").asText("");
        if (!CURRENCY.matcher(currency).matches()) {
            problems.add(new FieldProblem(prefix + "currency", "is required as an ISO 4217 code, e.g. USD"));
        }
        if (problems.size() > before) return null;
        return new InvoiceLine(partnerId, type, invoiceNumber, subscriptionId, providerId, kind, period, quantity,
                Money.of(amount), currency);
    }

    private static String id(JsonNode n, String field, String prefix, List<FieldProblem> problems) {
        JsonNode v = n.path(field);
        if (!v.isTextual() || !ID.matcher(v.asText()).matches()) {
            problems.add(new FieldProblem(prefix + field, "is required: 1-100 letters, digits or ._:@/-"));
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
