package io.cwbridge.tasks;

import io.cwbridge.tasks.store.OperationStatus;
import io.cwbridge.tasks.store.TaskHistory;
import io.cwbridge.tasks.store.TaskHistoryEntry;
import io.cwbridge.tasks.store.TaskOverride;
import io.cwbridge.tasks.store.TaskOverrideRepository;
import io.cwbridge.tasks.store.TaskStatus;
import io.cwbridge.catchup.CatchUpRepository;
import io.cwbridge.catchup.CatchUpView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads {@code sync_task} with its {@code task_operation} rows, its catch-ups ({@link CatchUpRepository})
 * its history ({@link TaskHistory}) and its override ({@link TaskOverrideRepository}).
 */
@Repository
public class TaskRepository {

    private static final String COLUMNS = "task_id, event_id, partner_id, subscription_id, type, action, occurred_at, "
            + "status, reason, attempts, created_at, updated_at, synced_at";
    // A NULL filter matches everything; the casts tell PostgreSQL the type of an untyped NULL.
    private static final String FILTER = " WHERE partner_id = :partnerId"
            + " AND (CAST(:status AS varchar) IS NULL OR status = :status)"
            + " AND (CAST(:subscriptionId AS varchar) IS NULL OR subscription_id = :subscriptionId)"
            + " AND (CAST(:type AS varchar) IS NULL OR type = :type)";

    private final NamedParameterJdbcTemplate jdbc;
    private final CatchUpRepository catchUps;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;
    private final TaskHistory history;
    private final TaskOverrideRepository overrides;

    public TaskRepository(NamedParameterJdbcTemplate jdbc, CatchUpRepository catchUps,
            com.fasterxml.jackson.databind.ObjectMapper mapper, TaskHistory history, TaskOverrideRepository overrides) {
        this.jdbc = jdbc;
        this.overrides = overrides;
        this.history = history;
        this.catchUps = catchUps;
        this.mapper = mapper;
    }

    private io.cwbridge.rules.ProratedAmounts prorated(String json) {
        if (json == null) return null;
        try {
            return mapper.readValue(json, io.cwbridge.rules.ProratedAmounts.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null; // display only: an unreadable value is not shown
        }
    }

    public Optional<TaskView> find(long taskId) {
        List<Row> rows = jdbc.query("SELECT " + COLUMNS + " FROM sync_task WHERE task_id = :taskId",
                Map.of("taskId", taskId), TaskRepository::row);
        return withOperations(rows).stream().findFirst();
    }

    public TaskPage list(String partnerId, TaskStatus status, String subscriptionId, int limit, int offset) {
        return list(partnerId, status, null, subscriptionId, limit, offset);
    }

    /** The same, also filtered by the event's order type (null: every type). */
    public TaskPage list(String partnerId, TaskStatus status, io.cwbridge.events.EventType type, String subscriptionId,
                         int limit, int offset) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("partnerId", partnerId)
                .addValue("status", status == null ? null : status.name())
                .addValue("type", type == null ? null : type.name())
                .addValue("subscriptionId", subscriptionId)
                .addValue("limit", limit)
                .addValue("offset", offset);
        List<Row> rows = jdbc.query("SELECT " + COLUMNS + " FROM sync_task" + FILTER
                + " ORDER BY created_at DESC, task_id DESC LIMIT :limit OFFSET :offset", params, TaskRepository::row);
        Long total = jdbc.queryForObject("SELECT count(*) FROM sync_task" + FILTER, params, Long.class);
        return new TaskPage(withOperations(rows), total == null ? 0 : total, limit, offset);
    }

    /** One query for the operations of the whole page, not one per task. */
    private List<TaskView> withOperations(List<Row> rows) {
        if (rows.isEmpty()) return List.of();
        Map<Long, List<TaskOperationView>> operations = new LinkedHashMap<>();
        rows.forEach(r -> operations.put(r.taskId(), new ArrayList<>()));
        jdbc.query("SELECT task_id, seq, kind, line_key, agreement_id, addition_id, reason, status, done_at, prorated::text AS prorated"
                        + " FROM task_operation WHERE task_id IN (:taskIds) ORDER BY task_id, seq",
                Map.of("taskIds", operations.keySet()),
                (RowCallbackHandler) rs -> {
                    operations.get(rs.getLong("task_id")).add(new TaskOperationView(rs.getInt("seq"), rs.getString("kind"),
                            rs.getString("line_key"), rs.getLong("agreement_id"), rs.getObject("addition_id", Long.class),
                            rs.getString("reason"), rs.getString("status"), rs.getObject("done_at", OffsetDateTime.class),
                            prorated(rs.getString("prorated"))));
                });
        Map<Long, List<CatchUpView>> catchUpsByTask = catchUps.forTasks(operations.keySet());
        Map<Long, List<TaskHistoryEntry>> historyByTask = history.of(operations.keySet());
        Map<Long, TaskOverride> overridesByTask = overrides.of(operations.keySet());
        return rows.stream().map(r -> r.view(operations.get(r.taskId()), catchUpsByTask.get(r.taskId()),
                historyByTask.get(r.taskId())).withOverrides(overridesByTask.get(r.taskId()))).toList();
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getLong("task_id"), rs.getString("event_id"), rs.getString("partner_id"),
                rs.getString("subscription_id"), rs.getString("type"), rs.getString("action"),
                rs.getObject("occurred_at", OffsetDateTime.class), rs.getString("status"), rs.getString("reason"),
                rs.getInt("attempts"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class), rs.getObject("synced_at", OffsetDateTime.class));
    }

    private record Row(long taskId, String eventId, String partnerId, String subscriptionId, String type, String action,
                       OffsetDateTime occurredAt, String status, String reason, int attempts,
                       OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime syncedAt) {

        TaskView view(List<TaskOperationView> operations, List<CatchUpView> catchUps, List<TaskHistoryEntry> history) {
            LinkedHashSet<Long> additionIds = new LinkedHashSet<>();
            for (TaskOperationView op : operations) {
                if (OperationStatus.DONE.is(op.status()) && op.additionId() != null) additionIds.add(op.additionId());
            }
            return new TaskView(taskId, eventId, partnerId, subscriptionId, type, action, occurredAt, status, reason,
                    attempts, createdAt, updatedAt, syncedAt, operations, List.copyOf(additionIds), List.copyOf(catchUps),
                    List.copyOf(history), null, null);
        }
    }
}
