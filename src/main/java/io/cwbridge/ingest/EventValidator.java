package io.cwbridge.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.api.InputText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks one subscription event against the published JSON schema
 * ({@code schema/subscription-event.schema.json}) and then against the rules a schema cannot
 * express (known currency, dates in order, quantities that agree with the action). Every
 * problem is reported with the JSON path of its field, so an operator can fix and replay.
 *
 * <p>Bounds checked here exactly (on BigDecimal; the schema library compares numbers as doubles),
 * whatever else the schema says about the same field (issue 13):
 * <ul>
 *   <li>licences are whole JSON numbers (no fraction or exponent, {@code 10.0} included), at most
 *       {@value #MAX_LICENCES}; at least 1 on a sales order and a licence increase, at least 0
 *       otherwise (a decrease may leave 0 licences, and the events after it carry that 0);
 *       {@code upgradeTo.quantity} at least 1;</li>
 *   <li>money at least 0, at most {@value #MAX_MONEY_DIGITS} integer digits, and at most the
 *       currency's minor-unit decimals (ISO 4217, {@link Currency#getDefaultFractionDigits()};
 *       trailing zeros do not count); a currency without minor units of money (XAU, XXX…) is refused;
 *       usage's overused amount and its per-unit overuse price and cost (R24) at most 6 decimals;</li>
 *   <li>every date within a window around today by the bundle's clock ({@code cwbridge.sync.clock}):
 *       {@code cwbridge.validation.date-window-years-back} (10) to {@code …-forward} (5);</li>
 *   <li>the ids the mapping API takes as a path segment (subscription, customer, product, upgrade
 *       target): no '/', '\', ';' or '%', which Tomcat and Spring Security's firewall refuse there (SPEC 8.2);</li>
 *   <li>every string and key: {@link InputText}'s rules (no control or bidi characters; line feeds
 *       only in {@code description} and {@code resourceDetails}), keys at most 100 characters,
 *       strings the schema does not bound at most {@value InputText#MAX_STRING}; numbers the schema
 *       does not know at most 15 integer digits and 12 decimals.</li>
 * </ul>
 */
public class EventValidator {

    public static final String SCHEMA = "static/schema/subscription-event.schema.json";
    public static final int MAX_LICENCES = 1_000_000;
    public static final int MAX_MONEY_DIGITS = 12;
    public static final int DEFAULT_YEARS_BACK = 10;
    public static final int DEFAULT_YEARS_FORWARD = 5;

    private static final Set<String> LICENCES = Set.of("subscription.quantity", "subscription.previousQuantity", "upgradeTo.quantity");
    private static final Map<String, long[]> WHOLE_NUMBERS = Map.of(
            "subscription.product.providerId", new long[] {1, Integer.MAX_VALUE},
            "upgradeTo.product.providerId", new long[] {1, Integer.MAX_VALUE},
            "subscription.termMonths", new long[] {1, 120});
    private static final Set<String> MONEY = Set.of("subscription.unitPrice", "subscription.unitCost", "subscription.setupAmount",
            "upgradeTo.unitPrice", "upgradeTo.unitCost");
    /** R24: usage is priced per unit used (a GB-hour, an API call), often below the currency's minor unit. */
    private static final Set<String> RATES = Set.of("usage.overusePrice", "usage.overuseCost");
    public static final int MAX_RATE_DECIMALS = 6;
    private static final Set<String> DATES = Set.of("cancellationDate", "subscription.startDate", "subscription.endDate",
            "upgradeTo.endDate", "usage.periodStart", "usage.periodEnd");
    private static final Set<String> FREE_TEXT = Set.of("subscription.product.description", "upgradeTo.product.description",
            "usage.resourceDetails");
    private static final int MAX_KEY_LENGTH = 100;
    private static final String NOT_A_MEMBER = "is not a field of ";
    /**
     * Ids the mapping API addresses as a path segment ({@code …/customers/{customerId}/mapping} and the product and
     * subscription ones, SPEC 8.2): Tomcat and Spring Security's firewall refuse an encoded '/', '\', ';' or '%' there,
     * so an event naming such an id could never be mapped and its task would wait NEEDS_MAPPING for ever.
     */
    private static final Set<String> PATH_SEGMENT_IDS = Set.of("subscription.id", "subscription.customer.id",
            "subscription.product.id", "upgradeTo.subscriptionId", "upgradeTo.product.id");
    static final String NOT_A_PATH_SEGMENT = "must not contain '/', '\\', ';' or '%' (it names a path segment of the mapping API, SPEC 8.2)";

    private final JsonSchema schema;
    /** The members each object of the event may have, by its dotted path ("" for the event itself). */
    private final Map<String, Set<String>> members;
    private final Clock clock;
    private final int yearsBack;
    private final int yearsForward;

    /** The system clock (UTC) and the default date window: for tests and tools outside the Spring context. */
    public EventValidator() {
        this(Clock.systemUTC(), DEFAULT_YEARS_BACK, DEFAULT_YEARS_FORWARD);
    }

    public EventValidator(Clock clock, int yearsBack, int yearsForward) {
        if (yearsBack < 0 || yearsForward < 0) throw new IllegalArgumentException("cwbridge.validation.date-window-years-* must be 0 or more");
        this.clock = clock;
        this.yearsBack = yearsBack;
        this.yearsForward = yearsForward;
        try (InputStream in = EventValidator.class.getClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) throw new IllegalStateException(SCHEMA + " is missing from the classpath");
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        members = new HashMap<>();
        collectMembers(schema.getSchemaNode(), schema.getSchemaNode(), "", members);
    }

    private static void collectMembers(JsonNode root, JsonNode node, String path, Map<String, Set<String>> out) {
        JsonNode ref = node.path("$ref");
        if (ref.isTextual() && ref.asText().startsWith("#/$defs/")) {
            node = root.path("$defs").path(ref.asText().substring("#/$defs/".length()));
        }
        if (!node.has("properties")) return;
        Set<String> names = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> property = it.next();
            names.add(property.getKey());
            collectMembers(root, property.getValue(), join(path, property.getKey()), out);
        }
        out.put(path, names);
    }

    public List<FieldProblem> validate(JsonNode event) {
        Set<FieldProblem> problems = new LinkedHashSet<>();
        for (ValidationMessage m : schema.validate(event, (ctx) -> ctx.getExecutionConfig().setFormatAssertionsEnabled(true))) {
            problems.add(fromSchema(m, members));
        }
        List<FieldProblem> exact = new ArrayList<>();
        walk(event, "", event, exact);
        if (!exact.isEmpty()) {
            // The exact reason replaces the schema's (double-based, or less clear) one on the same field.
            Set<String> fields = new HashSet<>();
            exact.forEach(p -> fields.add(p.field()));
            problems.removeIf(p -> fields.contains(p.field()));
            // a key refused for its characters is not echoed a second time as a member the event does not have
            Set<String> badKeys = new HashSet<>();
            exact.stream().filter(p -> p.message().startsWith("has a key")).forEach(p -> badKeys.add(p.field()));
            problems.removeIf(p -> p.message().startsWith(NOT_A_MEMBER)
                    && badKeys.stream().anyMatch(k -> p.field().startsWith(k.equals("$") ? "" : k + ".")));
            problems.addAll(exact);
        }
        if (problems.isEmpty()) {
            semanticChecks(event, problems);
        }
        List<FieldProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message));
        return sorted;
    }

    /** Text that is not JSON at all gets one problem on the whole body. */
    public static List<FieldProblem> notJson() {
        return List.of(new FieldProblem("$", "is not valid JSON"));
    }

    private static FieldProblem fromSchema(ValidationMessage m, Map<String, Set<String>> members) {
        String field = dotted(m.getInstanceLocation());
        if ("required".equals(m.getType()) && m.getProperty() != null) {
            return new FieldProblem(join(field, m.getProperty()), "is required");
        }
        if ("additionalProperties".equals(m.getType()) && m.getProperty() != null) {
            // SPEC 2 "nothing is silently dropped": a misspelt cancellationDate would cancel on occurredAt's date instead
            return new FieldProblem(join(field, m.getProperty()), NOT_A_MEMBER + (field.isEmpty() ? "the event" : field)
                    + " (SPEC 8.1: " + String.join(", ", members.getOrDefault(field, Set.of())) + ")");
        }
        String message = m.getMessage();
        // networknt prefixes its message with the instance path; the field says that already.
        String prefix = m.getInstanceLocation().toString() + ": ";
        if (message.startsWith(prefix)) message = message.substring(prefix.length());
        return new FieldProblem(field.isEmpty() ? "$" : field, message);
    }

    /** {@code subscription.customer.name}, {@code items[2].id}: the path as an operator reads it. */
    private static String dotted(JsonNodePath path) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (element instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                if (out.length() > 0) out.append('.');
                out.append(element);
            }
        }
        return out.toString();
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }

    /** The first day and the last day a date of an event may name. */
    public LocalDate[] dateWindow() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        return new LocalDate[] {today.minusYears(yearsBack), today.plusYears(yearsForward)};
    }

    private void walk(JsonNode node, String path, JsonNode event, List<FieldProblem> out) {
        String field = path.isEmpty() ? "$" : path;
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String key = e.getKey();
                String keyProblem = InputText.problem(key, false);
                if (keyProblem != null || key.length() > MAX_KEY_LENGTH) {
                    out.add(new FieldProblem(field, "has a key that " + (keyProblem != null ? keyProblem
                            : "is longer than " + MAX_KEY_LENGTH + " characters")));
                    continue;
                }
                walk(e.getValue(), path.isEmpty() ? key : path + "." + key, event, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) walk(node.get(i), path + "[" + i + "]", event, out);
        } else if (node.isTextual()) {
            String text = node.textValue();
            String why = InputText.problem(text, FREE_TEXT.contains(path));
            if (why == null && text.length() > InputText.MAX_STRING) why = "must be at most " + InputText.MAX_STRING + " characters";
            if (why == null && (DATES.contains(path) || "occurredAt".equals(path))) why = outsideWindow(path, text);
            if (why == null && PATH_SEGMENT_IDS.contains(path) && !isPathSegment(text)) why = NOT_A_PATH_SEGMENT;
            if (why != null) out.add(new FieldProblem(field, why));
        } else if (node.isNumber()) {
            String why = number(path, node, event);
            if (why != null) out.add(new FieldProblem(field, why));
        }
    }

    private static boolean isPathSegment(String id) {
        return id.chars().noneMatch(c -> c == '/' || c == '\\' || c == ';' || c == '%');
    }

    private String outsideWindow(String path, String text) {
        LocalDate day;
        try {
            day = "occurredAt".equals(path) ? OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate()
                    : LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            // Also what the schema's RFC 3339 format lets through but Java and the rules cannot read (23:59:60, 't', 'z').
            return "occurredAt".equals(path) ? "must be an ISO-8601 date-time such as 2024-03-15T14:02:00Z"
                    : "must be an ISO-8601 date such as 2024-03-15";
        }
        LocalDate[] window = dateWindow();
        if (day.isBefore(window[0]) || day.isAfter(window[1])) {
            return "must be between " + window[0] + " and " + window[1] + " (" + yearsBack + " years back, " + yearsForward
                    + " forward: cwbridge.validation.date-window-years-back / -forward)";
        }
        return null;
    }

    private static String number(String path, JsonNode node, JsonNode event) {
        BigDecimal value = node.decimalValue();
        if (LICENCES.contains(path)) {
            long min = "subscription.previousQuantity".equals(path) ? 0
                    : "upgradeTo.quantity".equals(path) ? 1
                    : switch (event.path("action").asText("")) {
                        case "NEW", "LICENSE_INCREASE" -> 1;
                        default -> 0;
                    };
            String why = whole(node, value, min, MAX_LICENCES);
            return why == null || min == 0 || !why.startsWith("must be between") ? why : why + " on " + event.path("action").asText("");
        }
        long[] range = WHOLE_NUMBERS.get(path);
        if (range != null) return whole(node, value, range[0], range[1]);
        if (MONEY.contains(path)) {
            if (value.signum() < 0) return "must not be negative";
            if (integerDigits(value) > MAX_MONEY_DIGITS) return "must have at most " + MAX_MONEY_DIGITS + " integer digits";
            int scale = minorUnits(event.path("subscription").path("currency").asText(""));
            if (scale >= 0 && decimals(value) > scale) {
                return "must have at most " + scale + " decimal places (the minor unit of " + event.path("subscription").path("currency").asText() + ")";
            }
            return null;
        }
        if ("usage.overusedAmount".equals(path) || RATES.contains(path)) {
            if (value.signum() < 0) return "must not be negative";
            if (integerDigits(value) > MAX_MONEY_DIGITS) return "must have at most " + MAX_MONEY_DIGITS + " integer digits";
            if (decimals(value) > MAX_RATE_DECIMALS) return "must have at most " + MAX_RATE_DECIMALS + " decimal places";
            return null;
        }
        if (integerDigits(value) > 15 || decimals(value) > 12) return "must have at most 15 integer digits and 12 decimal places";
        return null;
    }

    private static String whole(JsonNode node, BigDecimal value, long min, long max) {
        if (!node.isIntegralNumber()) return "must be a whole number (no fraction or exponent)";
        if (value.compareTo(BigDecimal.valueOf(min)) < 0 || value.compareTo(BigDecimal.valueOf(max)) > 0) {
            return "must be between " + min + " and " + max;
        }
        return null;
    }

    /** Digits before the decimal point (0 for 0.5); cheap for any exponent. */
    public static long integerDigits(BigDecimal value) {
        return value.signum() == 0 ? 0 : Math.max(0L, (long) value.precision() - value.scale());
    }

    /** Decimal places that carry a digit (22.000 has none beyond 22). */
    public static long decimals(BigDecimal value) {
        if (value.signum() == 0) return 0;
        if (value.scale() <= 0) return 0;
        return Math.max(0, value.stripTrailingZeros().scale());
    }

    /** The ISO 4217 minor unit of {@code code}; -1 when it is no currency of money (or unknown). */
    public static int minorUnits(String code) {
        try {
            return Currency.getInstance(code).getDefaultFractionDigits();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    /** Names shown in ConnectWise and in the API: markup there would run in a browser (stored XSS). */
    private static final String[] DISPLAYED_NAMES = {"customer.name", "product.name", "product.plan", "product.description"};

    private static void semanticChecks(JsonNode event, Set<FieldProblem> problems) {
        JsonNode sub = event.path("subscription");
        for (String name : DISPLAYED_NAMES) {
            String[] path = name.split("\\.");
            String value = sub.path(path[0]).path(path[1]).asText("");
            if (value.indexOf('<') >= 0 || value.indexOf('>') >= 0) {
                problems.add(new FieldProblem("subscription." + name, "must not contain markup (< or >)"));
            }
        }
        String currency = sub.path("currency").asText();
        try {
            if (Currency.getInstance(currency).getDefaultFractionDigits() < 0) {
                problems.add(new FieldProblem("subscription.currency", "is not a currency of money (ISO 4217 code without minor unit)"));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("subscription.currency", "is not an ISO 4217 currency code"));
        }
        LocalDate start = date(sub.path("startDate"));
        LocalDate end = date(sub.path("endDate"));
        if (start != null && end != null && end.isBefore(start)) {
            problems.add(new FieldProblem("subscription.endDate", "must not be before subscription.startDate"));
        }
        JsonNode usage = event.path("usage");
        LocalDate periodStart = date(usage.path("periodStart"));
        LocalDate periodEnd = date(usage.path("periodEnd"));
        if (periodStart != null && periodEnd != null && periodEnd.isBefore(periodStart)) {
            problems.add(new FieldProblem("usage.periodEnd", "must not be before usage.periodStart"));
        }
        String action = event.path("action").asText();
        if (sub.has("previousQuantity")) {
            long now = sub.path("quantity").asLong();
            long before = sub.path("previousQuantity").asLong();
            if ("LICENSE_INCREASE".equals(action) && now <= before) {
                problems.add(new FieldProblem("subscription.quantity", "must be greater than previousQuantity for LICENSE_INCREASE"));
            }
            if ("LICENSE_DECREASE".equals(action) && now >= before) {
                problems.add(new FieldProblem("subscription.quantity", "must be less than previousQuantity for LICENSE_DECREASE"));
            }
        }
        LocalDate cancellation = date(event.path("cancellationDate"));
        if (cancellation != null && start != null && cancellation.isBefore(start)) {
            problems.add(new FieldProblem("cancellationDate", "must not be before subscription.startDate"));
        }
    }

    private static LocalDate date(JsonNode node) {
        if (!node.isTextual()) return null;
        try {
            return LocalDate.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
