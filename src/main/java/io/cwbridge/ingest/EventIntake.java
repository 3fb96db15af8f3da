package io.cwbridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.api.InputText;
import io.cwbridge.api.JsonProblems;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.tasks.store.SyncTasks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The Java steps of routes {@code subscription-events-ingest} and {@code subscription-event-record}:
 * reads and checks one event and puts what the later steps need into headers, stores an accepted
 * event with its task ({@link #record}); the route decides.
 *
 * <p>The event is read with the application's strict ObjectMapper (duplicate keys, trailing text
 * and coerced types are refused; see {@code config.StrictJsonConfiguration}). The raw text kept
 * for a parked event is made storable first ({@link InputText#storable}: NUL and unpaired
 * surrogates as {@code \\uXXXX}), and so are the reasons.
 */
@Component("eventIntake")
public class EventIntake {

    private static final Logger log = LoggerFactory.getLogger(EventIntake.class);

    public static final String PROBLEMS = "eventProblems";
    /** Optional header from the HTTP intake: problems found before parsing (invalid UTF-8), JSON list of FieldProblem. */
    public static final String INPUT_PROBLEMS = "inputProblems";

    private final ObjectMapper mapper;
    /** Only to find the partnerId and eventId of refused text, never to take an event. */
    private final ObjectMapper lenient;
    private final EventValidator validator;
    private final PartnerConnectionRepository partners;
    private final NamedParameterJdbcTemplate jdbc;
    private final ParkedEventRepository parked;
    private final SyncTasks tasks;

    public EventIntake(ObjectMapper mapper, PartnerConnectionRepository partners, EventValidator validator,
                       NamedParameterJdbcTemplate jdbc, ParkedEventRepository parked, SyncTasks tasks) {
        this.mapper = mapper;
        this.lenient = mapper.copy().disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.lenient.getFactory().disable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.validator = validator;
        this.partners = partners;
        this.jdbc = jdbc;
        this.parked = parked;
        this.tasks = tasks;
    }

    /** Validates the raw event in the body; sets {@value #PROBLEMS} (JSON, empty list when valid) and the event's keys. */
    public void inspect(Message message) throws JsonProcessingException {
        String raw = message.getBody(String.class);
        // Kept as received, but storable.
        message.setHeader("rawPayload", InputText.storable(raw == null ? "" : raw));
        // Text that is not a JSON object has neither: the parked row keeps them empty.
        message.setHeader("partnerId", null);
        message.setHeader("eventId", null);
        JsonNode event = null;
        List<FieldProblem> problems = new ArrayList<>(inputProblems(message));
        if (raw == null || raw.isBlank()) {
            problems.add(new FieldProblem("$", "is empty: send one JSON event object (an array is a batch of them)"));
        } else {
            try {
                event = mapper.readTree(raw);
                if (event == null || !event.isObject()) {
                    problems.add(new FieldProblem("$", "must be one JSON object (an array is a batch of them)"));
                } else if (problems.isEmpty()) {
                    problems.addAll(validator.validate(event));
                }
            } catch (JsonProcessingException e) {
                event = null;
                problems.add(JsonProblems.of(e));
                keysOfRefusedText(raw, message);
            }
        }
        if (event != null && event.isObject()) {
            String partnerId = event.path("partnerId").isTextual() ? event.path("partnerId").textValue() : null;
            String eventId = event.path("eventId").isTextual() ? event.path("eventId").textValue() : null;
            message.setHeader("partnerId", ParkedEvent.storableKey(partnerId));
            message.setHeader("eventId", ParkedEvent.storableKey(eventId));
            if (problems.isEmpty() && !partners.exists(partnerId)) {
                problems.add(new FieldProblem("partnerId", "unknown partner: connect it first (PUT /api/v1/partners/{p}/connection)"));
            }
            if (problems.isEmpty()) {
                message.setHeader("subscriptionId", event.path("subscription").path("id").asText());
                message.setHeader("eventType", event.path("type").asText());
                message.setHeader("eventAction", event.path("action").asText());
                message.setHeader("occurredAt", event.path("occurredAt").asText());
                message.setHeader("payload", mapper.writeValueAsString(event));
            }
        }
        message.setHeader("eventValid", problems.isEmpty());
        message.setHeader(PROBLEMS, problems.isEmpty() ? NO_PROBLEMS : mapper.writeValueAsString(storable(problems)));
    }

    /**
     * One statement (issue 14: no separate commit), so atomic by itself: the event and, when it is new, its task (the
     * task's INSERT is its owner's text, SyncTasks.pendingOf). A concurrent insert of the same eventId waits here until
     * the first commits (with its task), then does nothing. The sub-selects read the statement's snapshot: an event
     * stored before it (a repeat) with its task and body, nothing for a new one. Built once (issue 14: not per event).
     */
    private static final String RECORD = """
            WITH stored AS (
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (:eventId, :partnerId, :subscriptionId, :eventType, :eventAction,
                        CAST(:occurredAt AS timestamptz), CAST(:payload AS jsonb), :source)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id, partner_id, subscription_id, type, action, occurred_at),
            task AS (%s)
            SELECT (SELECT task_id FROM task) AS new_task, (SELECT task_id FROM sync_task WHERE event_id = :eventId) AS old_task,
                   (SELECT payload::text FROM subscription_event WHERE event_id = :eventId) AS old_payload
            """.formatted(SyncTasks.pendingOf("stored"));

    private static final List<String> RECORD_HEADERS = List.of("eventId", "partnerId", "subscriptionId", "eventType", "eventAction",
            "occurredAt", "payload", "source");

    /** Variable set by {@link #record} for a repeated eventId: the body stored first (null when not visible yet). */
    static final String STORED_PAYLOAD = "storedPayload";

    /** The problems of a valid event, as the header carries them. */
    private static final String NO_PROBLEMS = "[]";

    /**
     * Step of route {@code subscription-event-record}: stores an accepted event once (eventId is the
     * idempotency key, shared by all instances through the primary key) and creates its task through
     * {@link SyncTasks}, the table's owner, in one transaction: both or neither. Reads the headers
     * {@link #inspect} set; sets {@code taskId}, and {@code duplicate} true when the eventId was stored
     * before (then {@code taskId} is that event's task). One transaction per call, so the route's
     * redelivery of a transient database failure starts it over (the failed one was rolled back),
     * never inside an aborted transaction.
     */
    public void record(Message message) {
        Map<String, Object> event = new HashMap<>();
        for (String header : RECORD_HEADERS) {
            event.put(header, message.getHeader(header, String.class));
        }
        event.putAll(SyncTasks.PENDING_PARAMS);
        Map<String, Object> row = jdbc.queryForMap(RECORD, event);
        boolean duplicate = row.get("new_task") == null;
        message.setHeader("duplicate", duplicate);
        // The stored body of a repeated eventId, for result's comparison without reading it again (issue 14).
        if (duplicate) message.getExchange().setVariable(STORED_PAYLOAD, row.get("old_payload"));
        Object taskId = duplicate ? row.get("old_task") : row.get("new_task");
        if (duplicate && taskId == null) {
            // The first insert committed after this statement's snapshot was taken: its task is visible now.
            taskId = jdbc.queryForList("SELECT task_id FROM sync_task WHERE event_id = :eventId", event, Long.class)
                    .stream().findFirst().orElse(null);
        }
        message.setHeader("taskId", taskId == null ? null : ((Number) taskId).longValue());
    }

    /**
     * The one writer of {@code subscription_event} besides {@link #record} (issue 18): the onboarding events of an
     * import (R7, {@code mapping/SubscriptionImport}), each stored once (the eventId is the key).
     *
     * @return the eventIds stored now (a repeat stores none)
     */
    public List<String> storeOnboarding(List<Map<String, Object>> events) {
        if (events.isEmpty()) return List.of();
        try {
            return jdbc.queryForList("""
                    INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                    SELECT e.event_id, e.partner_id, e.subscription_id, e.type, e.action, e.occurred_at, CAST(e.payload AS jsonb), 'ONBOARD'
                    FROM jsonb_to_recordset(CAST(:events AS jsonb)) AS e(event_id text, partner_id text, subscription_id text,
                         type text, action text, occurred_at timestamptz, payload text)
                    ON CONFLICT (event_id) DO NOTHING
                    RETURNING event_id""", Map.of("events", mapper.writeValueAsString(events)), String.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("onboarding events are plain values and always serialise", e);
        }
    }

    /**
     * Text the strict reader refused (a duplicate key, something after the value) may still name its
     * partner and eventId: read leniently for the parked row's columns only (the operator's filter).
     */
    private void keysOfRefusedText(String raw, Message message) {
        try {
            JsonNode lenient = this.lenient.readTree(raw);
            if (lenient != null && lenient.isObject()) {
                JsonNode partnerId = lenient.path("partnerId");
                JsonNode eventId = lenient.path("eventId");
                message.setHeader("partnerId", partnerId.isTextual() ? ParkedEvent.storableKey(partnerId.textValue()) : null);
                message.setHeader("eventId", eventId.isTextual() ? ParkedEvent.storableKey(eventId.textValue()) : null);
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // Not JSON even leniently: parked without keys.
        }
    }

    /**
     * Only the HTTP intake finds problems before parsing. A Kafka record's own headers arrive as message headers too: one
     * named like this must not park the event, nor (not JSON) fail the record on every poll.
     */
    private List<FieldProblem> inputProblems(Message message) throws JsonProcessingException {
        if (!"HTTP".equals(message.getHeader("source", String.class))) return List.of();
        String json = message.getHeader(INPUT_PROBLEMS, String.class);
        return json == null || json.isBlank() ? List.of() : List.of(mapper.readValue(json, FieldProblem[].class));
    }

    /** Reasons name keys and values of the input: stored in jsonb, they must be storable too. */
    static List<FieldProblem> storable(List<FieldProblem> problems) {
        return problems.stream().map(p -> new FieldProblem(InputText.storable(p.field()), InputText.storable(p.message()))).toList();
    }

    /**
     * The reply of the ingest route, from the headers the SQL steps left. A repeated eventId whose
     * body says the same (equal JSON: key order, spacing and number spelling aside) is a DUPLICATE;
     * one that says something else is a CONFLICT naming the first task, and has no effect. From
     * Kafka a conflict is parked (no one would see an answer); over HTTP it answers 409, and a
     * replay leaves the parked row as it is.
     */
    public IntakeResult result(Message message) throws JsonProcessingException {
        String eventId = message.getHeader("eventId", String.class);
        Long parkedId = message.getHeader("parkedId", Long.class);
        if (parkedId != null) {
            List<FieldProblem> problems = List.of(mapper.readValue(message.getHeader(PROBLEMS, String.class), FieldProblem[].class));
            return new IntakeResult(IntakeResult.Outcome.PARKED, eventId, null, parkedId, problems);
        }
        boolean duplicate = Boolean.TRUE.equals(message.getHeader("duplicate", Boolean.class));
        Long taskId = message.getHeader("taskId", Long.class);
        String stored = duplicate ? message.getExchange().getVariable(STORED_PAYLOAD, String.class) : null;
        if (duplicate && !sameAsStored(eventId, stored, message.getHeader("payload", String.class))) {
            List<FieldProblem> problems = List.of(new FieldProblem("eventId", "was already used by task " + taskId
                    + " for an event with a different body; a repeated eventId must repeat the same event"));
            String source = message.getHeader("source", String.class);
            if ("KAFKA".equals(source)) {
                long id = parked.park(ParkedEvent.Kind.SUBSCRIPTION_EVENT, source, message.getHeader("rawPayload", String.class),
                        problems, message.getHeader("partnerId", String.class), eventId);
                log.warn("Parked event {} from {} as {}: its eventId is task {}'s, with another body", eventId, source, id, taskId);
                return new IntakeResult(IntakeResult.Outcome.PARKED, eventId, null, id, problems);
            }
            return new IntakeResult(IntakeResult.Outcome.CONFLICT, eventId, taskId, null, problems);
        }
        return new IntakeResult(duplicate ? IntakeResult.Outcome.DUPLICATE : IntakeResult.Outcome.ACCEPTED, eventId, taskId, null, null);
    }

    /** {@code stored}: the body {@link #record} read with the repeat; read here only when its snapshot did not see it yet. */
    private boolean sameAsStored(String eventId, String stored, String payload) throws JsonProcessingException {
        if (stored == null) {
            stored = jdbc.queryForList("SELECT payload::text AS stored_payload FROM subscription_event WHERE event_id = :id",
                    Map.of("id", eventId), String.class).stream().findFirst().orElse(null);
        }
        if (stored == null || payload == null) return true; // nothing to compare: the SQL said duplicate
        return mapper.readTree(stored).equals(NUMBERS_BY_VALUE, mapper.readTree(payload));
    }

    /** 22.0 and 22.00 and 22 are the same number; everything else compares as Jackson does. */
    public static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.equals(b)) return 0;
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue());
        return 1;
    };

    /** A batch (JSON array) becomes its elements' texts; anything else stays one event. */
    public List<String> split(String raw) {
        // Text that opens an object is no array (whatever follows): one event, read once, by inspect (issue 14).
        if (raw != null && opensObject(raw)) return List.of(raw);
        try {
            JsonNode node = raw == null || raw.isBlank() ? null : mapper.readTree(raw);
            if (node != null && node.isArray() && !node.isEmpty()) { // an empty batch is refused as one event
                List<String> events = new ArrayList<>();
                for (JsonNode element : node) events.add(mapper.writeValueAsString(element));
                return events;
            }
        } catch (JsonProcessingException e) {
            // Not JSON: it is parked as one event with that reason.
        }
        return List.of(raw == null ? "" : raw);
    }

    /** Whether the first character after JSON whitespace is '{'. */
    static boolean opensObject(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
            return c == '{';
        }
        return false;
    }

}
