package io.cwbridge.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.cwbridge.api.ApiProblems.FieldProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks one subscription event against the published JSON schema
 * ({@code schema/subscription-event.schema.json}) and then against the rules a schema cannot
 * express (known currency, dates in order, quantities that agree with the action). Every
 * problem is reported with the JSON path of its field, so an operator can fix and replay.
 */
public class EventValidator {

    public static final String SCHEMA = "static/schema/subscription-event.schema.json";

    private final JsonSchema schema;

    public EventValidator() {
        try (InputStream in = EventValidator.class.getClassLoader().getResourceAsStream(SCHEMA)) {
            if (in == null) throw new IllegalStateException(SCHEMA + " is missing from the classpath");
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<FieldProblem> validate(JsonNode event) {
        Set<FieldProblem> problems = new LinkedHashSet<>();
        for (ValidationMessage m : schema.validate(event, (ctx) -> ctx.getExecutionConfig().setFormatAssertionsEnabled(true))) {
            problems.add(fromSchema(m));
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

    private static FieldProblem fromSchema(ValidationMessage m) {
        String field = dotted(m.getInstanceLocation());
        if ("required".equals(m.getType()) && m.getProperty() != null) {
            return new FieldProblem(join(field, m.getProperty()), "is required");
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
            Currency.getInstance(currency);
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
