package io.cwbridge.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.AdditionOperation;
import io.cwbridge.rules.LineKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What task deliveries and the global sync's month roll both keep: each planned addition
 * operation as JSON (so an interrupted run can be finished), and, once delivered, which
 * ConnectWise addition holds which subscription line (table subscription_line), so later events
 * and runs edit the right addition.
 */
@Component
public class OperationLedger {

    private static final Logger log = LoggerFactory.getLogger(OperationLedger.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final LineCopies copies;

    public OperationLedger(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper, LineCopies copies) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.copies = copies;
    }

    /** As {@link #recordLine(String, String, String, AdditionOperation, long, JsonNode, Long)} without ConnectWise's answer: the line keeps no copy. */
    public void recordLine(String partnerId, String subscriptionId, String lineKey, AdditionOperation op, long additionId,
            Long taskId) {
        recordLine(partnerId, subscriptionId, lineKey, op, additionId, null, taskId);
    }

    /**
     * Records the addition that now holds {@code lineKey} (CREATE), that an addition changed
     * (UPDATE) or that it is gone (DELETE). Recording a create again is harmless: an addition
     * already recorded for the subscription keeps its row. A line key already held by another
     * addition is never overwritten: two additions for one line mean two plans were computed from
     * the same lines (a write in doubt was missed), and both are in ConnectWise, so both are kept
     * (the new one under the next free revision of the key) for the rules to see and net (R10, R16).
     *
     * <p>The addition as ConnectWise answered the write (POST and PATCH answer it whole) is kept as
     * the line's copy ({@link LineCopies}), so the next plan need not read it back; without it the
     * line has no copy and is read.
     *
     * @param addition ConnectWise's answer to the write, or null (a delete, or not known)
     * @param taskId the task whose delivery created the line, or null for the global sync
     */
    public void recordLine(String partnerId, String subscriptionId, String lineKey, AdditionOperation op, long additionId,
            JsonNode addition, Long taskId) {
        record(partnerId, subscriptionId, lineKey, op, additionId, addition, taskId, null, Optional.empty());
    }

    /**
     * As {@link #recordLine(String, String, String, AdditionOperation, long, JsonNode, Long)}, and marks operation
     * {@code seq} of task {@code taskId} DONE by the same statement (issue 14: one round trip for line, copy and
     * operation), and only once the line is recorded: an operation is never DONE while its line is unknown.
     */
    public void recordLineDone(String partnerId, String subscriptionId, String lineKey, AdditionOperation op, long additionId,
            JsonNode addition, long taskId, int seq) {
        record(partnerId, subscriptionId, lineKey, op, additionId, addition, taskId, seq, Optional.empty());
    }

    /**
     * As {@link #recordLineDone(String, String, String, AdditionOperation, long, JsonNode, long, int)}; with
     * {@code syncedReason}, the task's last operation: the same statement marks the task SYNCED with that reason once
     * the operation is DONE (issue 14; the task's status through its owner's text, {@code SyncTasks.syncedWhen}).
     *
     * @return whether the task was marked SYNCED
     */
    public boolean recordLineDone(String partnerId, String subscriptionId, String lineKey, AdditionOperation op, long additionId,
            JsonNode addition, long taskId, int seq, Optional<String> syncedReason) {
        return record(partnerId, subscriptionId, lineKey, op, additionId, addition, taskId, seq, syncedReason);
    }

    private boolean record(String partnerId, String subscriptionId, String lineKey, AdditionOperation op, long additionId,
            JsonNode addition, Long taskId, Integer doneSeq, Optional<String> syncedReason) {
        Map<String, Object> params = new HashMap<>(Map.of("p", partnerId, "s", subscriptionId, "k", lineKey,
                "ag", op.agreementId(), "a", additionId));
        params.put("t", taskId);
        params.put("doneSeq", doneSeq);
        params.putAll(io.cwbridge.tasks.store.SyncTasks.PENDING_PARAMS);
        params.put("syncedReason", syncedReason.filter(r -> !r.isEmpty()).orElse(null));
        boolean markSynced = doneSeq != null && syncedReason.isPresent();
        Optional<Map<String, Object>> copy = op.kind() == AdditionOperation.Kind.DELETE ? Optional.empty()
                : copies.columns(partnerId, op.agreementId(), addition);
        copy.ifPresent(params::putAll);
        String sql = STATEMENTS[statement(op.kind(), copy.isPresent(), doneSeq != null, markSynced)];
        return switch (op.kind()) {
            case CREATE -> recordCreate(params, lineKey, sql);
            case DELETE, UPDATE -> synced(jdbc.queryForMap(sql, params));
        };
    }

    /**
     * Each statement text of {@link #record}, made once (issue 14 profile: formatting them on every call showed in the
     * sync path's allocations), by {@link #statement}: the kind, whether the line keeps a copy, whether the operation is
     * marked DONE and the task SYNCED by the same statement.
     */
    private static final String[] STATEMENTS = new String[AdditionOperation.Kind.values().length * 8];

    static {
        for (AdditionOperation.Kind kind : AdditionOperation.Kind.values()) {
            for (int flags = 0; flags < 8; flags++) {
                STATEMENTS[kind.ordinal() * 8 + flags] = statementText(kind, (flags & 4) != 0, (flags & 2) != 0, (flags & 1) != 0);
            }
        }
    }

    private static int statement(AdditionOperation.Kind kind, boolean withCopy, boolean markDone, boolean markSynced) {
        return kind.ordinal() * 8 + (withCopy ? 4 : 0) + (markDone ? 2 : 0) + (markSynced ? 1 : 0);
    }

    private static String statementText(AdditionOperation.Kind kind, boolean withCopy, boolean markDone, boolean markSynced) {
        // The line's copy as ConnectWise answered the write, or none (read it next time).
        String setCopy = withCopy ? LineCopies.SET_COPY : "copied_at = NULL";
        return switch (kind) {
            // One round trip (issue 14): an addition recorded for the subscription already keeps its row (touched), else
            // the line is inserted under the key unless another addition holds it; with the copy, and the operation DONE
            // (and the task SYNCED after its last operation).
            case CREATE -> """
                    WITH known AS (
                        UPDATE subscription_line SET updated_at = now(), %s
                        WHERE partner_id = :p AND subscription_id = :s AND addition_id = :a AND agreement_id = :ag
                        RETURNING 1),
                    inserted AS (
                        INSERT INTO subscription_line (partner_id, subscription_id, line_key, agreement_id, addition_id, created_by_task%s)
                        SELECT CAST(:p AS text), CAST(:s AS text), CAST(:k AS text), CAST(:ag AS bigint), CAST(:a AS bigint),
                               CAST(:t AS bigint)%s
                        WHERE NOT EXISTS (SELECT 1 FROM known)
                        ON CONFLICT (partner_id, subscription_id, line_key) DO NOTHING
                        RETURNING 1)%s
                    SELECT EXISTS (SELECT 1 FROM known) AS known, EXISTS (SELECT 1 FROM inserted) AS inserted, %s AS synced"""
                    .formatted(setCopy, withCopy ? ", " + LineCopies.COPY_COLUMNS : "", withCopy ? ", " + LineCopies.COPY_VALUES : "",
                            done(markDone, "(EXISTS (SELECT 1 FROM known) OR EXISTS (SELECT 1 FROM inserted))", markSynced),
                            syncedColumn(markSynced));
            case DELETE -> """
                    WITH line AS (DELETE FROM subscription_line WHERE partner_id = :p AND addition_id = :a RETURNING 1)%s
                    SELECT %s AS synced""".formatted(done(markDone, "true", markSynced), syncedColumn(markSynced));
            case UPDATE -> """
                    WITH line AS (UPDATE subscription_line SET updated_at = now(), %s WHERE partner_id = :p AND addition_id = :a
                                  RETURNING 1)%s
                    SELECT %s AS synced""".formatted(setCopy, done(markDone, "true", markSynced), syncedColumn(markSynced));
        };
    }

    private static boolean synced(Map<String, Object> outcome) {
        return Boolean.TRUE.equals(outcome.get("synced"));
    }

    private static String syncedColumn(boolean markSynced) {
        return markSynced ? "EXISTS (SELECT 1 FROM synced)" : "false";
    }

    /**
     * The CTEs marking the operation DONE when {@code recorded} (SQL) holds (the text of the table's owner,
     * {@link TaskOperations#doneWhen}) and, with {@code markSynced}, the task SYNCED once it is; or nothing.
     */
    private static String done(boolean markDone, String recorded, boolean markSynced) {
        if (!markDone) return "";
        return ",\ndone AS (" + TaskOperations.doneWhen(recorded) + ")"
                + (markSynced ? ",\nsynced AS (" + io.cwbridge.tasks.store.SyncTasks.syncedWhen("EXISTS (SELECT 1 FROM done)") + ")" : "");
    }

    /** {@code sql}: the CREATE statement of {@link #statementText}, tried under the key's next revisions until one is free. */
    private boolean recordCreate(Map<String, Object> params, String lineKey, String sql) {
        LineKey key = LineKeys.parse(lineKey);
        for (int revision = key.revision(); ; revision++) {
            String candidate = new LineKey(key.subscriptionId(), key.role(), key.effectiveDate(), revision).toString();
            params.put("k", candidate);
            Map<String, Object> outcome = jdbc.queryForMap(sql, params);
            if (Boolean.TRUE.equals(outcome.get("known"))) return synced(outcome);
            if (Boolean.TRUE.equals(outcome.get("inserted"))) {
                if (revision != key.revision()) {
                    log.warn("Line {} of partner {} is held by another addition already; addition {} recorded as {}",
                            lineKey, params.get("p"), params.get("a"), candidate);
                }
                return synced(outcome);
            }
        }
    }

    public String write(AdditionOperation op) {
        try {
            return mapper.writeValueAsString(op);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} as JSON text (rows handed to a statement as one parameter). */
    public String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public AdditionOperation read(String json) {
        try {
            return mapper.readValue(json, AdditionOperation.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored operation cannot be read", e);
        }
    }
}
