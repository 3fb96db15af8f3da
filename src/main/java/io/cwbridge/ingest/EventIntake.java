package io.cwbridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
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
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The Java steps of routes {@code subscription-events-ingest} and {@code subscription-event-record}:
 * reads and checks one event and puts what the later steps need into headers, stores an accepted
 * event with its task ({@link #record}); the route decides. And of route {@code subscription-events-batch}
 * (Kafka, issue 14): the same check ({@link #check}) for every event of a poll batch, the same store for all
 * of them in one statement ({@link #recordBatch}), and the batch's hand-overs and parked events as messages.
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
        EventCheck check = check(message.getBody(String.class), inputProblems(message));
        // Kept as received, but storable.
        message.setHeader("rawPayload", check.rawPayload());
        // Text that is not a JSON object has neither: the parked row keeps them empty.
        message.setHeader("partnerId", check.partnerId());
        message.setHeader("eventId", check.eventId());
        if (check.valid()) {
            message.setHeader("subscriptionId", check.subscriptionId());
            message.setHeader("eventType", check.eventType());
            message.setHeader("eventAction", check.eventAction());
            message.setHeader("occurredAt", check.occurredAt());
            message.setHeader("payload", check.payload());
        }
        message.setHeader("eventValid", check.valid());
        message.setHeader(PROBLEMS, problemsJson(check.problems()));
    }

    /**
     * What one event's text says, read and checked once (strict JSON, SPEC 8.1 fields, the partner known), for every
     * intake: {@link #inspect} puts it into headers for one event, {@link #readBatch} keeps it for a poll batch.
     * {@code inputProblems}: problems found before parsing (the HTTP intake's invalid UTF-8), which park the event.
     */
    EventCheck check(String raw, List<FieldProblem> inputProblems) throws JsonProcessingException {
        String rawPayload = InputText.storable(raw == null ? "" : raw);
        String partnerId = null;
        String eventId = null;
        JsonNode event = null;
        List<FieldProblem> problems = new ArrayList<>(inputProblems);
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
                RefusedTextKeys keys = keysOfRefusedText(raw);
                partnerId = keys.partnerId();
                eventId = keys.eventId();
            }
        }
        if (event != null && event.isObject()) {
            String partner = event.path("partnerId").isTextual() ? event.path("partnerId").textValue() : null;
            String id = event.path("eventId").isTextual() ? event.path("eventId").textValue() : null;
            partnerId = ParkedEvent.storableKey(partner);
            eventId = ParkedEvent.storableKey(id);
            if (problems.isEmpty() && !partners.exists(partner)) {
                problems.add(new FieldProblem("partnerId", "unknown partner: connect it first (PUT /api/v1/partners/{p}/connection)"));
            }
            if (problems.isEmpty()) {
                return new EventCheck(rawPayload, partnerId, eventId, List.of(), event.path("subscription").path("id").asText(),
                        event.path("type").asText(), event.path("action").asText(), event.path("occurredAt").asText(),
                        mapper.writeValueAsString(event));
            }
        }
        return new EventCheck(rawPayload, partnerId, eventId, storable(problems), null, null, null, null, null);
    }

    /** The problems as the header {@value #PROBLEMS} and the park route carry them (JSON). */
    String problemsJson(List<FieldProblem> problems) throws JsonProcessingException {
        return problems.isEmpty() ? NO_PROBLEMS : mapper.writeValueAsString(problems);
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
            task AS (%s),
            resent AS (%s)
            SELECT (SELECT task_id FROM task) AS new_task, (SELECT task_id FROM sync_task WHERE event_id = :eventId) AS old_task,
                   (SELECT payload::text FROM subscription_event WHERE event_id = :eventId) AS old_payload
            """.formatted(SyncTasks.pendingOf("stored"), ParkedEventRepository.resentOf("stored"));

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
            taskId = taskOf((String) event.get("eventId"));
        }
        message.setHeader("taskId", taskId == null ? null : ((Number) taskId).longValue());
    }

    /**
     * {@link #RECORD} for N events in one statement (issue 14: a Kafka poll batch in one round trip): rows from
     * {@code :events} (a JSON array of {ord, event_id, partner_id, subscription_id, type, action, occurred_at, payload}),
     * inserted in {@code ord} (record) order, a task for each new one (its owner's text, SyncTasks.pendingOf); per
     * {@code ord} the new task, or for a repeat (stored before this statement's snapshot) its task and stored body.
     * The eventIds are distinct ({@link #recordBatch} keeps the first of a batch's repeats).
     */
    private static final String RECORD_ALL = """
            WITH incoming AS (
                SELECT * FROM json_to_recordset(CAST(:events AS json)) AS e(ord int, event_id text, partner_id text,
                    subscription_id text, type text, action text, occurred_at timestamptz, payload jsonb)),
            stored AS (
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                SELECT event_id, partner_id, subscription_id, type, action, occurred_at, payload, :source FROM incoming ORDER BY ord
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id, partner_id, subscription_id, type, action, occurred_at),
            task AS (%s),
            resent AS (%s)
            SELECT i.ord, t.task_id AS new_task, o.task_id AS old_task,
                   CASE WHEN t.task_id IS NULL THEN (SELECT payload::text FROM subscription_event WHERE event_id = i.event_id) END AS old_payload
            FROM incoming i LEFT JOIN task t ON t.event_id = i.event_id
                 LEFT JOIN sync_task o ON t.task_id IS NULL AND o.event_id = i.event_id
            """.formatted(SyncTasks.pendingOf("stored"), ParkedEventRepository.resentOf("stored"));

    /** A row of {@link #RECORD_ALL}. */
    private record Stored(Long newTask, Long oldTask, String oldPayload) {}

    /** An eventId's task and the body stored for it, as a later event of the same batch that repeats it finds them. */
    private record Known(Long taskId, String body) {}

    /**
     * First step of route {@code subscription-events-batch}: the events of a poll batch's records (camel-kafka batching:
     * one Exchange per record, in poll order), each read and checked once; a record that is a JSON array gives one event
     * per element. An invalid event is PARKED with its problems from here on.
     */
    public IntakeBatch readBatch(List<Exchange> records) throws JsonProcessingException {
        List<IntakeBatch.Event> events = new ArrayList<>();
        for (Exchange record : records) {
            Message m = record.getMessage();
            List<String> texts = split(m.getBody(String.class));
            for (int i = 0; i < texts.size(); i++) {
                String origin = ParkedEventRepository.kafkaOrigin(m.getHeader(KafkaConstants.TOPIC), m.getHeader(KafkaConstants.PARTITION),
                        m.getHeader(KafkaConstants.OFFSET), i);
                // A record's own Kafka headers are no intake state (they arrive as message headers): only the text counts.
                EventCheck check = check(texts.get(i), List.of());
                events.add(new IntakeBatch.Event(origin, check, check.valid() ? null
                        : new IntakeResult(IntakeResult.Outcome.PARKED, check.eventId(), null, null, check.problems())));
            }
        }
        return new IntakeBatch(KAFKA, events);
    }

    private static final String KAFKA = "KAFKA";

    /**
     * Step of route {@code subscription-events-batch}: stores the batch's valid events with their tasks in one statement
     * ({@link #RECORD_ALL}; atomic by itself, so a failure stores none of them and the batch is polled again), and
     * answers the batch with each one's outcome. A repeated eventId (stored before, or earlier in this batch) is a
     * DUPLICATE of the first task when its body says the same, else PARKED as {@link #result} parks a Kafka conflict.
     */
    public IntakeBatch recordBatch(IntakeBatch batch) throws JsonProcessingException {
        List<IntakeBatch.Event> events = batch.events();
        Map<String, Integer> first = new HashMap<>();
        ArrayNode rows = mapper.createArrayNode();
        for (int i = 0; i < events.size(); i++) {
            EventCheck c = events.get(i).check();
            if (!c.valid() || first.putIfAbsent(c.eventId(), i) != null) continue;
            ObjectNode row = rows.addObject();
            row.put("ord", i).put("event_id", c.eventId()).put("partner_id", c.partnerId()).put("subscription_id", c.subscriptionId())
                    .put("type", c.eventType()).put("action", c.eventAction()).put("occurred_at", c.occurredAt());
            // The event's normalised text as it is (no second serialisation of its tree).
            row.putRawValue("payload", new RawValue(c.payload()));
        }
        Map<Integer, Stored> stored = new HashMap<>();
        if (!rows.isEmpty()) {
            Map<String, Object> params = new HashMap<>(SyncTasks.PENDING_PARAMS);
            params.put("events", mapper.writeValueAsString(rows));
            params.put("source", batch.source());
            jdbc.query(RECORD_ALL, params, rs -> {
                stored.put(rs.getInt("ord"), new Stored(rs.getObject("new_task", Long.class), rs.getObject("old_task", Long.class),
                        rs.getString("old_payload")));
            });
        }
        // Per eventId: its task and the body stored for it, as the later events of the batch that repeat it find them.
        Map<String, Known> byEventId = new HashMap<>();
        List<IntakeBatch.Event> done = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            IntakeBatch.Event e = events.get(i);
            EventCheck c = e.check();
            if (!c.valid()) {
                done.add(e);
                continue;
            }
            Known known = byEventId.get(c.eventId());
            IntakeResult result;
            if (known == null) {
                Stored s = stored.get(i);
                if (s.newTask() != null) {
                    byEventId.put(c.eventId(), new Known(s.newTask(), c.payload()));
                    result = new IntakeResult(IntakeResult.Outcome.ACCEPTED, c.eventId(), s.newTask(), null, null);
                } else {
                    Long taskId = s.oldTask() != null ? s.oldTask() : taskOf(c.eventId());
                    String body = s.oldPayload() != null ? s.oldPayload() : storedPayload(c.eventId());
                    byEventId.put(c.eventId(), new Known(taskId, body));
                    result = repeat(c, taskId, body);
                }
            } else {
                result = repeat(c, known.taskId(), known.body());
            }
            done.add(new IntakeBatch.Event(e.origin(), c, result));
        }
        return new IntakeBatch(batch.source(), done);
    }

    /** A repeated eventId: DUPLICATE of task {@code taskId} when {@code storedBody} says the same, else PARKED (a conflict). */
    private IntakeResult repeat(EventCheck c, Long taskId, String storedBody) throws JsonProcessingException {
        if (storedBody == null || storedBody.equals(c.payload()) || sameAsStored(c.eventId(), storedBody, c.payload())) {
            return new IntakeResult(IntakeResult.Outcome.DUPLICATE, c.eventId(), taskId, null, null);
        }
        return new IntakeResult(IntakeResult.Outcome.PARKED, c.eventId(), null, null, conflict(taskId));
    }

    private static List<FieldProblem> conflict(Long taskId) {
        return List.of(new FieldProblem("eventId", "was already used by task " + taskId
                + " for an event with a different body; a repeated eventId must repeat the same event"));
    }

    /** The task of an eventId whose first insert committed after the statement's snapshot was taken (then visible). */
    private Long taskOf(String eventId) {
        return jdbc.queryForList("SELECT task_id FROM sync_task WHERE event_id = :eventId", Map.of("eventId", eventId), Long.class)
                .stream().findFirst().orElse(null);
    }

    private String storedPayload(String eventId) {
        return jdbc.queryForList("SELECT payload::text AS stored_payload FROM subscription_event WHERE event_id = :id",
                Map.of("id", eventId), String.class).stream().findFirst().orElse(null);
    }

    /**
     * Split of route {@code subscription-events-batch}: a message per subscription with ACCEPTED events, at its first
     * event's place in record order, for {@code seda:subscription-sync} (which reads partnerId and subscriptionId and
     * drops the other headers), with the first event's eventId. One per subscription: the
     * whole batch is stored before the first hand-over, and a subscription's run syncs all its open tasks in order
     * (route subscription-tasks), so a second hand-over for the same subscription would only find its run busy.
     */
    public List<Message> handOvers(IntakeBatch batch, Exchange exchange) {
        List<Message> messages = new ArrayList<>();
        java.util.Set<List<String>> handedOver = new java.util.HashSet<>();
        for (IntakeBatch.Event e : batch.events()) {
            if (e.result() == null || e.result().outcome() != IntakeResult.Outcome.ACCEPTED) continue;
            EventCheck c = e.check();
            if (!handedOver.add(List.of(c.partnerId(), c.subscriptionId()))) continue;
            Message m = new DefaultMessage(exchange.getContext());
            m.setHeader("partnerId", c.partnerId());
            m.setHeader("subscriptionId", c.subscriptionId());
            m.setHeader("eventId", c.eventId()); // for the log and tests: the sync route reads only the two above
            messages.add(m);
        }
        return messages;
    }

    /**
     * Split of route {@code subscription-events-batch}: a message per PARKED event, in record order, for route
     * {@code subscription-event-park}, with the headers {@link #inspect} sets for it and the event's Kafka place
     * ({@link ParkedEventRepository#ORIGIN}): polled again, the event finds its parked row.
     */
    public List<Message> parkings(IntakeBatch batch, Exchange exchange) throws JsonProcessingException {
        List<Message> messages = new ArrayList<>();
        for (IntakeBatch.Event e : batch.events()) {
            if (e.result() == null || e.result().outcome() != IntakeResult.Outcome.PARKED) continue;
            Message m = new DefaultMessage(exchange.getContext());
            m.setHeader("source", batch.source());
            m.setHeader("rawPayload", e.check().rawPayload());
            m.setHeader("partnerId", e.check().partnerId());
            m.setHeader("eventId", e.check().eventId());
            m.setHeader(PROBLEMS, problemsJson(e.result().errors()));
            m.setHeader(ParkedEventRepository.ORIGIN, e.origin());
            messages.add(m);
        }
        return messages;
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
     * Each key is null when not found.
     */
    private RefusedTextKeys keysOfRefusedText(String raw) {
        try {
            JsonNode lenient = this.lenient.readTree(raw);
            if (lenient != null && lenient.isObject()) {
                JsonNode partnerId = lenient.path("partnerId");
                JsonNode eventId = lenient.path("eventId");
                return new RefusedTextKeys(partnerId.isTextual() ? ParkedEvent.storableKey(partnerId.textValue()) : null,
                        eventId.isTextual() ? ParkedEvent.storableKey(eventId.textValue()) : null);
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // Not JSON even leniently: parked without keys.
        }
        return new RefusedTextKeys(null, null);
    }

    /** The partner and eventId a refused text names, for the parked row's columns. */
    private record RefusedTextKeys(String partnerId, String eventId) {}

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
            List<FieldProblem> problems = conflict(taskId);
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
        if (stored == null) stored = storedPayload(eventId);
        if (stored == null || payload == null) return true; // nothing to compare: the SQL said duplicate
        return mapper.readTree(stored).equals(NUMBERS_BY_VALUE, mapper.readTree(payload));
    }

    /**
     * 22.0 and 22.00 and 22 are the same number, and 2024-03-15T14:02:00Z and 2024-03-15T16:02+02:00 the same instant (a
     * marketplace's retry may come from another serialiser; SPEC 8.1: dates are ISO-8601); everything else compares as
     * Jackson does.
     */
    public static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> {
        if (a.equals(b)) return 0;
        if (a.isNumber() && b.isNumber()) return a.decimalValue().compareTo(b.decimalValue());
        if (a.isTextual() && b.isTextual()) return sameInstant(a.textValue(), b.textValue()) ? 0 : 1;
        return 1;
    };

    private static boolean sameInstant(String a, String b) {
        try {
            return java.time.OffsetDateTime.parse(a).toInstant().equals(java.time.OffsetDateTime.parse(b).toInstant());
        } catch (java.time.format.DateTimeParseException notInstants) {
            return false;
        }
    }

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
