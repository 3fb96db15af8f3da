package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.config.StrictJsonConfiguration;
import io.cwbridge.ingest.EventValidator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 13 as a property: random mutations of a valid event (keys dropped or given twice, types
 * swapped, huge and odd numbers, control/bidi/surrogate characters in values and keys, impossible
 * dates, truncation, a garbage suffix; one to three at a time) posted to {@code POST /api/v1/events}.
 * Every answer is 202 with an event the strict reader and the validator take as it was stored, or
 * 400 problem+json with reasons and a parked row — never a 5xx. None of the refused ones becomes a
 * task, and nothing reaches ConnectWise (the customer is left unmapped, so an accepted event waits
 * as NEEDS_MAPPING: every write the sandbox counts would have to come from a refused one).
 *
 * <p>The mutations are drawn with jqwik's generators from a fixed seed ({@code -Dmutation.seed},
 * {@code -Dmutation.tries}), inside this JUnit test so that it runs on the fault suite's cached
 * Spring context. A failure prints the seed, the case and the body.
 */
class EventMutationPropertyTest extends FaultsContext {

    enum Kind { DROP_KEY, DUPLICATE_KEY, SWAP_TYPE, NUMBER, CHARACTER, KEY_CHARACTER, DATE, TRUNCATE, SUFFIX }

    record Mutation(Kind kind, int where, int what) {}

    static final Object[] ODD_VALUES = {"x", "", 7, -1, true, false, null, "[]", "{}", 1.5};
    static final String[] NUMBERS = {"1e400", "-1e400", "2147483648", "9".repeat(400), "-1", "0", "0.5", "1.0", "1e-400",
            "999999999999.999", "-0", "1000001", "12", "22.00", "1E+2", "0." + "1".repeat(30)};
    /** Inserted into strings: refused ones, and a few that are fine (é, an emoji, a line feed in free text). */
    static final String[] CHARACTERS = {"\u0000", "\u0001", "\u001f", "\u007f", "\u0085", "\u202e", "\u202a", "\u2066", "\u2069",
            "\ud800", "\udfff", "\ufffd", "\n", "\t", "\r", "é", "\ud83d\ude00", "<", "'"};
    static final String[] DATES = {"2999-01-01", "9999-12-31", "1900-01-01", "2024-02-30", "2024-13-01", "24-02-14", "2024-02-14T00:00:00Z",
            "2024-02-14", "2023-12-31", "+10000-01-01"};
    static final String[] SUFFIXES = {"x", "{}", "]", " 1", ",", "\u0000", " ", "\n", "null", "}"};

    @Autowired JdbcTemplate jdbc;
    @Autowired EventValidator validator;

    private final ObjectMapper strict = StrictJsonConfiguration.newStrictMapper();

    @Test
    void randomMutationsOfAValidEventAreRefusedOrAcceptedValidNeverA5xx() throws Exception {
        long seed = Long.getLong("mutation.seed", 13L);
        int tries = Integer.getInteger("mutation.tries", 250);
        Tenant tenant = tenant(1);
        long writesBefore = tenant.writeCalls();
        String prefix = tenant.partner + "-m";

        Arbitrary<Mutation> mutation = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 1_000_000),
                Arbitraries.integers().between(0, 1_000_000)).as(Mutation::new);
        net.jqwik.engine.SourceOfRandomness.create(Long.toString(seed));
        List<List<Mutation>> cases = mutation.list().ofMinSize(1).ofMaxSize(3).sampleStream().limit(tries).toList();

        Map<Integer, Integer> statuses = new TreeMap<>();
        Set<String> accepted = new HashSet<>();
        for (int i = 0; i < cases.size(); i++) {
            String eventId = prefix + i;
            String body = apply(tenant, eventId, i, cases.get(i));
            ResponseEntity<String> response = tenant.bundle.post().uri("/api/v1/events").header("Content-Type", "application/json")
                    .body(body.getBytes(StandardCharsets.UTF_8)).retrieve().toEntity(String.class);
            int status = response.getStatusCode().value();
            statuses.merge(status, 1, Integer::sum);
            String label = "seed " + seed + " case " + i + " " + cases.get(i) + "\nbody: " + printable(body) + "\nanswer: " + response.getBody();
            assertThat(status).as(label).isIn(202, 400);
            if (status == 400) {
                assertThat(String.valueOf(response.getHeaders().getContentType())).as(label).startsWith("application/problem+json");
                JsonNode problem = tenant.json(response);
                assertThat(problem.path("errors").isArray() && !problem.path("errors").isEmpty()).as(label).isTrue();
                assertThat(problem.path("parkedId").asLong()).as(label).isPositive();
            } else {
                // Accepted and valid: the strict reader and the validator take the body as sent, and it was stored as sent.
                JsonNode sent = strict.readTree(body);
                assertThat(validator.validate(sent)).as(label).isEmpty();
                String id = tenant.json(response).path("eventId").asText();
                accepted.add(id);
                JsonNode stored = strict.readTree(jdbc.queryForObject("SELECT payload::text FROM subscription_event WHERE event_id = ?",
                        String.class, id));
                assertThat(stored.equals(io.cwbridge.ingest.EventIntake.NUMBERS_BY_VALUE, sent)).as(label).isTrue();
            }
        }
        System.out.println("MUTATIONS seed " + seed + ": " + cases.size() + " cases, answers " + statuses);
        List<String> tasks = jdbc.queryForList("SELECT event_id FROM sync_task WHERE partner_id = ? OR event_id LIKE ?", String.class,
                tenant.partner, prefix + "%");
        assertThat(new HashSet<>(tasks)).as("tasks are exactly the accepted events").isEqualTo(accepted);
        assertThat(statuses.getOrDefault(400, 0)).as("most mutations are refused").isGreaterThan(cases.size() / 2);
        assertThat(tenant.writeCalls()).as("ConnectWise writes").isEqualTo(writesBefore);
    }

    /** The valid base event (customer left unmapped), mutated. */
    private String apply(Tenant tenant, String eventId, int i, List<Mutation> mutations) throws Exception {
        ObjectNode event = (ObjectNode) strict.readTree(tenant.eventJson(eventId, 0, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10,
                null, "USD", "Customer " + i));
        ObjectNode sub = (ObjectNode) event.get("subscription");
        sub.put("id", tenant.partner + "-msub-" + i);
        ((ObjectNode) sub.get("customer")).put("id", tenant.partner + "-unmapped-" + i);
        ((ObjectNode) sub.get("product")).put("description", "Business Premium, monthly");
        List<String> placeholders = new ArrayList<>();
        List<Mutation> textual = new ArrayList<>();
        for (Mutation m : mutations) {
            switch (m.kind()) {
                case DUPLICATE_KEY, TRUNCATE, SUFFIX -> textual.add(m);
                default -> mutateTree(event, m, placeholders);
            }
        }
        String text = strict.writeValueAsString(event);
        for (int p = 0; p < placeholders.size(); p++) {
            String c = placeholders.get(p);
            // Raw in the text, or as a JSON escape: both must end the same way.
            boolean escape = (Character.isSurrogate(c.charAt(0)) && c.length() == 1) || p % 2 == 1; // a lone surrogate has no UTF-8
            String replacement = escape ? c.chars().mapToObj(ch -> String.format("\\u%04x", ch)).reduce("", String::concat) : c;
            text = text.replace("§" + p + "§", replacement);
        }
        for (Mutation m : textual) text = mutateText(text, m);
        return text;
    }

    private static void mutateTree(ObjectNode event, Mutation m, List<String> placeholders) {
        List<Slot> slots = new ArrayList<>();
        collect(event, slots);
        Slot slot = slots.get(m.where() % slots.size());
        switch (m.kind()) {
            case DROP_KEY -> {
                if (slot.parent() instanceof ObjectNode o) o.remove(slot.key());
                else ((ArrayNode) slot.parent()).remove(slot.index());
            }
            case SWAP_TYPE -> slot.set(odd(ODD_VALUES[m.what() % ODD_VALUES.length]));
            case NUMBER -> slot.set(JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(NUMBERS[m.what() % NUMBERS.length])));
            case DATE -> slot.set(JsonNodeFactory.instance.textNode(DATES[m.what() % DATES.length]));
            case CHARACTER -> {
                JsonNode value = slot.get();
                String text = value != null && value.isTextual() ? value.textValue() : "text";
                int at = text.isEmpty() ? 0 : m.what() % (text.length() + 1);
                placeholders.add(CHARACTERS[m.what() % CHARACTERS.length]);
                slot.set(JsonNodeFactory.instance.textNode(text.substring(0, at) + "§" + (placeholders.size() - 1) + "§" + text.substring(at)));
            }
            case KEY_CHARACTER -> {
                if (slot.parent() instanceof ObjectNode o) {
                    JsonNode value = o.remove(slot.key());
                    placeholders.add(CHARACTERS[m.what() % CHARACTERS.length]);
                    o.set(slot.key() + "§" + (placeholders.size() - 1) + "§", value);
                }
            }
            default -> throw new IllegalArgumentException(m.kind().name());
        }
    }

    private static String mutateText(String text, Mutation m) {
        return switch (m.kind()) {
            case TRUNCATE -> text.substring(0, m.where() % Math.max(1, text.length()));
            case SUFFIX -> text + SUFFIXES[m.what() % SUFFIXES.length];
            case DUPLICATE_KEY -> {
                List<Integer> keys = new ArrayList<>();
                java.util.regex.Matcher k = java.util.regex.Pattern.compile("\"[A-Za-z]+\":").matcher(text);
                while (k.find()) keys.add(k.start());
                if (keys.isEmpty()) yield text;
                int at = keys.get(m.where() % keys.size());
                String key = text.substring(at, text.indexOf(':', at) + 1);
                Object value = ODD_VALUES[m.what() % ODD_VALUES.length];
                String json = value == null ? "null" : value instanceof String s && !s.startsWith("[") && !s.startsWith("{")
                        ? "\"" + s + "\"" : String.valueOf(value);
                yield text.substring(0, at) + key + json + "," + text.substring(at);
            }
            default -> text;
        };
    }

    private static JsonNode odd(Object value) {
        if (value == null) return JsonNodeFactory.instance.nullNode();
        if (value instanceof Boolean b) return JsonNodeFactory.instance.booleanNode(b);
        if (value instanceof Integer n) return JsonNodeFactory.instance.numberNode(n);
        if (value instanceof Double d) return JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(d.toString()));
        if ("[]".equals(value)) return JsonNodeFactory.instance.arrayNode();
        if ("{}".equals(value)) return JsonNodeFactory.instance.objectNode();
        return JsonNodeFactory.instance.textNode((String) value);
    }

    /** A place in the tree: a key of an object or an index of an array. */
    record Slot(JsonNode parent, String key, int index) {
        JsonNode get() {
            return key != null ? parent.get(key) : parent.get(index);
        }

        void set(JsonNode value) {
            if (key != null) ((ObjectNode) parent).set(key, value);
            else ((ArrayNode) parent).set(index, value);
        }
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                slots.add(new Slot(node, key, -1));
                collect(node.get(key), slots);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                slots.add(new Slot(node, null, i));
                collect(node.get(i), slots);
            }
        }
    }

    private static String printable(String body) {
        StringBuilder out = new StringBuilder();
        body.chars().forEach(c -> out.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x2000 && c <= 0x206f) || Character.isSurrogate((char) c)
                || c == 0xfffd ? String.format("<U+%04X>", c) : String.valueOf((char) c)));
        return out.length() > 2000 ? out.substring(0, 2000) + "…" : out.toString();
    }
}
