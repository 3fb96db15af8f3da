package io.cwbridge.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.api.ApiProblems.FieldProblem;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Table {@code parked_event}, its one writer (issue 18): subscription events are parked by route
 * {@code subscription-event-park} through {@link #parkSubscriptionEvent}, invoice records by {@link #park}; this
 * class reads the rows and moves them out of PARKED. Every transition is guarded by
 * {@code WHERE status = 'PARKED'}, so of two operators acting on the same row only one wins.
 */
@Repository
public class ParkedEventRepository {

    private static final Logger log = LoggerFactory.getLogger(ParkedEventRepository.class);

    private static final String COLUMNS = "parked_id, kind, source, partner_id, event_id, status, parked_at, resolved_at, "
            + "reasons::text AS reasons, raw_payload, replayed_event_id";
    // A NULL filter matches everything; the casts tell PostgreSQL the type of an untyped NULL.
    private static final String FILTER = " WHERE (CAST(:status AS varchar) IS NULL OR status = :status)"
            + " AND (CAST(:partnerId AS varchar) IS NULL OR partner_id = :partnerId)"
            + " AND (CAST(:kind AS varchar) IS NULL OR kind = :kind)";

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public ParkedEventRepository(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    public ParkedEventPage list(ParkedEvent.Kind kind, ParkedEvent.Status status, String partnerId, int limit, int offset) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("kind", kind == null ? null : kind.name())
                .addValue("status", status == null ? null : status.name())
                .addValue("partnerId", partnerId)
                .addValue("limit", limit)
                .addValue("offset", offset);
        List<ParkedEvent> items = jdbc.query("SELECT " + COLUMNS + " FROM parked_event" + FILTER
                + " ORDER BY parked_at DESC, parked_id DESC LIMIT :limit OFFSET :offset", params, this::row);
        Long total = jdbc.queryForObject("SELECT count(*) FROM parked_event" + FILTER, params, Long.class);
        return new ParkedEventPage(items, total == null ? 0 : total, limit, offset);
    }

    public Optional<ParkedEvent> find(long parkedId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM parked_event WHERE parked_id = :id", Map.of("id", parkedId), this::row)
                .stream().findFirst();
    }

    /**
     * Header of route {@code subscription-event-park}'s input: the event's Kafka place ({@link #kafkaOrigin}), set by the
     * Kafka batch intake ({@code EventIntake.parkings}); absent for other sources.
     */
    public static final String ORIGIN = "eventOrigin";

    /**
     * Step of route {@code subscription-event-park}: keeps an invalid subscription event with its raw text and
     * field-level reasons (headers {@code source}, {@code rawPayload}, {@code eventProblems} as JSON, {@code partnerId},
     * {@code eventId}, as {@code EventIntake.inspect} set them, and {@value #ORIGIN}) for fix-and-replay; answers the
     * new row's id. An event with an origin is parked once: polled again, it answers the first row.
     */
    public long parkSubscriptionEvent(org.apache.camel.Message message) throws JsonProcessingException {
        String problems = message.getHeader(EventIntake.PROBLEMS, String.class);
        List<FieldProblem> reasons = problems == null || problems.isBlank() ? List.of()
                : List.of(mapper.readValue(problems, FieldProblem[].class));
        return park(ParkedEvent.Kind.SUBSCRIPTION_EVENT, message.getHeader("source", String.class),
                message.getHeader("rawPayload", String.class), reasons, message.getHeader("partnerId", String.class),
                message.getHeader("eventId", String.class), message.getHeader(ORIGIN, String.class));
    }

    /**
     * A Kafka record's event's place, {@code topic/partition/offset#index} (index: the event's place in the record's
     * array, 0 for a record of one event), or null without a Kafka place (or one too long for the column). Polled again
     * after a lost commit, the record then finds its events already parked.
     */
    public static String kafkaOrigin(Object topic, Object partition, Object offset, int index) {
        if (topic == null || partition == null || offset == null) return null;
        String origin = topic + "/" + partition + "/" + offset + "#" + index;
        return origin.length() <= 300 ? origin : null;
    }

    /** Keeps invalid input of {@code kind} with its raw text and field-level reasons; answers the new row's id. */
    public long park(ParkedEvent.Kind kind, String source, String rawPayload, List<FieldProblem> reasons, String partnerId) {
        return park(kind, source, rawPayload, reasons, partnerId, null);
    }

    /**
     * As {@link #park(ParkedEvent.Kind, String, String, List, String)}, with the eventId it names. The raw
     * text and the reasons are made storable ({@link io.cwbridge.api.InputText#storable}); keys that
     * a column cannot keep are left out.
     */
    public long park(ParkedEvent.Kind kind, String source, String rawPayload, List<FieldProblem> reasons, String partnerId,
                     String eventId) {
        return park(kind, source, rawPayload, reasons, partnerId, eventId, null);
    }

    /**
     * As above; an input with an {@code origin} (a Kafka record's place) is parked once: again, it answers the first row.
     * A different text at that place (a recreated topic, reset offsets) is parked on its own, without the place.
     */
    public long park(ParkedEvent.Kind kind, String source, String rawPayload, List<FieldProblem> reasons, String partnerId,
              String eventId, String origin) {
        String reasonsJson;
        try {
            reasonsJson = mapper.writeValueAsString(EventIntake.storable(reasons));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Field problems are plain strings and always serialise", e);
        }
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("kind", kind.name())
                .addValue("source", source)
                .addValue("rawPayload", io.cwbridge.api.InputText.storable(rawPayload == null ? "" : rawPayload))
                .addValue("reasons", reasonsJson)
                .addValue("partnerId", ParkedEvent.storableKey(partnerId))
                .addValue("eventId", ParkedEvent.storableKey(eventId))
                .addValue("origin", origin, java.sql.Types.VARCHAR);
        List<Long> ids = jdbc.queryForList(PARK, params, Long.class);
        if (!ids.isEmpty()) return ids.get(0);
        // Another text at the same Kafka place (the topic recreated, or its offsets reset): kept on its own, without the
        // place, instead of answering the row of the text that was there before.
        log.warn("A different input at Kafka place {} than the one parked there; parked without its place", origin);
        params.addValue("origin", null, java.sql.Types.VARCHAR);
        return java.util.Objects.requireNonNull(jdbc.queryForObject(PARK, params, Long.class), "INSERT … RETURNING answered no id");
    }

    /**
     * Parks the input, or answers the row already parked at its origin with the same text (a record polled again); no
     * row when another text holds the origin.
     */
    private static final String PARK = """
            WITH parked AS (
                INSERT INTO parked_event (kind, source, raw_payload, reasons, partner_id, event_id, origin)
                VALUES (:kind, :source, :rawPayload, CAST(:reasons AS jsonb), :partnerId, :eventId, :origin)
                ON CONFLICT (origin) WHERE origin IS NOT NULL DO NOTHING RETURNING parked_id)
            SELECT parked_id FROM parked
            UNION ALL SELECT parked_id FROM parked_event
                      WHERE origin = :origin AND raw_payload = :rawPayload AND NOT EXISTS (SELECT 1 FROM parked)
            LIMIT 1""";

    /**
     * A writer of another table that stores events in the same statement ({@code EventIntake}'s store, issue 14: no
     * round trip of its own): this owner's UPDATE, as a CTE body, that marks RESENT every PARKED subscription event
     * whose eventId is among the rows of CTE {@code stored} (event_id): the valid event has arrived, so the parked
     * copy no longer waits for an operator (index {@code parked_event_waiting}, V34: one probe per stored event).
     */
    public static String resentOf(String stored) {
        return """
                UPDATE parked_event p SET status = 'RESENT', resolved_at = now(), replayed_event_id = s.event_id
                FROM %s s WHERE p.status = 'PARKED' AND p.event_id = s.event_id AND p.kind = 'SUBSCRIPTION_EVENT'
                RETURNING p.parked_id""".formatted(stored);
    }

    /**
     * False when the row was no longer PARKED (another operator got there first). The replay's own store marked it
     * RESENT by its eventId ({@link #resentOf}): that is this replay's, so it becomes REPLAYED all the same.
     */
    public boolean markReplayed(long parkedId, String eventId) {
        return jdbc.update("UPDATE parked_event SET status = 'REPLAYED', resolved_at = now(), replayed_event_id = :eventId"
                + " WHERE parked_id = :id AND (status = 'PARKED' OR (status = 'RESENT' AND replayed_event_id = :eventId))",
                new MapSqlParameterSource("id", parkedId).addValue("eventId", eventId)) == 1;
    }

    public boolean markSuperseded(long parkedId) {
        return resolve(parkedId, ParkedEvent.Status.SUPERSEDED);
    }

    public boolean markDiscarded(long parkedId) {
        return resolve(parkedId, ParkedEvent.Status.DISCARDED);
    }

    private boolean resolve(long parkedId, ParkedEvent.Status status) {
        return jdbc.update("UPDATE parked_event SET status = :status, resolved_at = now()"
                + " WHERE parked_id = :id AND status = 'PARKED'", Map.of("id", parkedId, "status", status.name())) == 1;
    }

    private ParkedEvent row(ResultSet rs, int n) throws SQLException {
        return new ParkedEvent(rs.getLong("parked_id"), ParkedEvent.Kind.valueOf(rs.getString("kind")), rs.getString("source"), rs.getString("partner_id"),
                rs.getString("event_id"), ParkedEvent.Status.valueOf(rs.getString("status")),
                rs.getObject("parked_at", OffsetDateTime.class), rs.getObject("resolved_at", OffsetDateTime.class),
                reasons(rs.getString("reasons")), rs.getString("raw_payload"), rs.getString("replayed_event_id"));
    }

    private List<FieldProblem> reasons(String json) {
        try {
            return List.of(mapper.readValue(json, FieldProblem[].class));
        } catch (JsonProcessingException e) {
            // Written by the park route from a list of FieldProblem; show it rather than fail the listing.
            return List.of(new FieldProblem("$", json));
        }
    }
}
