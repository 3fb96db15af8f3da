package io.cwbridge.ingest;

import io.cwbridge.api.ApiProblems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Service;

/**
 * Fix-and-replay of parked events (SPEC 2): a subscription event goes through route
 * {@code subscription-events-ingest} like any other event, with source REPLAY; other kinds of
 * parked input (invoice records, R32) go back to their own {@link ParkedInputIntake}.
 *
 * <p>Two operators (possibly on two instances) may act on the same row at once. The
 * {@code WHERE status = 'PARKED'} guard alone would let both replays through the route before one
 * of them loses the update, and two fixes with different eventIds would then become two tasks.
 * So the row is first claimed with a PostgreSQL session advisory lock, held on a connection of its
 * own while the route runs: the route's own statements commit as usual (the sync engine must see
 * the new task at once), and a crashed instance's claim ends with its connection.
 */
@Service
public class ParkedEventReplay {

    private static final Logger log = LoggerFactory.getLogger(ParkedEventReplay.class);

    /** First key of the two-key advisory lock: the parked-event namespace ("PRKD"). */
    private static final int LOCK_CLASS = 0x50524b44;

    private final ParkedEventRepository parked;
    private final ProducerTemplate producer;
    private final DataSource dataSource;
    private final Map<ParkedEvent.Kind, ParkedInputIntake> intakes = new EnumMap<>(ParkedEvent.Kind.class);

    public ParkedEventReplay(ParkedEventRepository parked, ProducerTemplate producer, DataSource dataSource,
                             List<ParkedInputIntake> intakes) {
        this.parked = parked;
        this.producer = producer;
        this.dataSource = dataSource;
        intakes.forEach(intake -> this.intakes.put(intake.kind(), intake));
    }

    /**
     * Replays the row with {@code fixed} (or its stored raw text when blank). ACCEPTED/DUPLICATE mark
     * it REPLAYED; PARKED means the route kept the text as a new row, which supersedes this one.
     */
    public IntakeResult replay(long parkedId, String fixed) {
        return whileClaimed(parkedId, () -> {
            ParkedEvent row = parkedOrConflict(parkedId, "replayed");
            String text = fixed == null || fixed.isBlank() ? row.rawPayload() : fixed;
            IntakeResult result = row.kind() == ParkedEvent.Kind.SUBSCRIPTION_EVENT
                    ? producer.requestBodyAndHeader("direct:subscription-events-ingest", text, "source", "REPLAY", IntakeResult.class)
                    : intakeOf(row.kind()).replay(text);
            if (result.outcome() == IntakeResult.Outcome.CONFLICT) {
                // Nothing happened: the row stays PARKED for a fix with an eventId of its own.
                throw ApiProblems.conflict("The replayed event's eventId " + result.eventId() + " is task " + result.taskId()
                        + "'s, with another body; parked event " + parkedId + " stays PARKED.", result.errors(),
                        java.util.Map.of("taskId", result.taskId()));
            }
            boolean moved = result.outcome() == IntakeResult.Outcome.PARKED
                    ? parked.markSuperseded(parkedId)
                    : parked.markReplayed(parkedId, result.eventId());
            if (!moved) {
                // Only a writer that skips the claim can get here; say so rather than report a success.
                throw ApiProblems.conflict("Parked event " + parkedId + " was resolved by someone else while it was replayed.");
            }
            log.info("Replayed parked event {} ({}): {} {}", parkedId, row.kind(), result.outcome(),
                    result.parkedId() != null ? "as parked event " + result.parkedId() : result.eventId());
            return result;
        });
    }

    /** Marks the row DISCARDED; the reason is logged (the table has no column for it). */
    public ParkedEvent discard(long parkedId, String reason) {
        return whileClaimed(parkedId, () -> {
            parkedOrConflict(parkedId, "discarded");
            if (!parked.markDiscarded(parkedId)) {
                throw ApiProblems.conflict("Parked event " + parkedId + " was resolved by someone else.");
            }
            log.info("Discarded parked event {}: {}", parkedId, reason == null || reason.isBlank() ? "(no reason given)" : reason);
            return parked.find(parkedId).orElseThrow();
        });
    }

    private ParkedInputIntake intakeOf(ParkedEvent.Kind kind) {
        ParkedInputIntake intake = intakes.get(kind);
        if (intake == null) throw new IllegalStateException("No intake replays parked input of kind " + kind);
        return intake;
    }

    private ParkedEvent parkedOrConflict(long parkedId, String verb) {
        ParkedEvent row = parked.find(parkedId)
                .orElseThrow(() -> ApiProblems.notFound("No parked event " + parkedId));
        if (row.status() != ParkedEvent.Status.PARKED) {
            throw ApiProblems.conflict("Parked event " + parkedId + " is " + row.status() + "; only a PARKED one can be " + verb + ".");
        }
        return row;
    }

    private <T> T whileClaimed(long parkedId, java.util.function.Supplier<T> work) {
        // Deliberately not DataSourceUtils: the lock's connection must not join the route's statements.
        try (Connection connection = dataSource.getConnection()) {
            if (!advisory(connection, "SELECT pg_try_advisory_lock(?, ?)", parkedId)) {
                throw ApiProblems.conflict("Parked event " + parkedId + " is being replayed or discarded right now.");
            }
            try {
                return work.get();
            } finally {
                // A pooled connection outlives close(): the session lock must be released explicitly.
                advisory(connection, "SELECT pg_advisory_unlock(?, ?)", parkedId);
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("Could not claim parked event " + parkedId, e);
        }
    }

    private static boolean advisory(Connection connection, String sql, long parkedId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, LOCK_CLASS);
            statement.setInt(2, (int) parkedId); // ids beyond 2^31 may share a lock: that only serialises them
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
