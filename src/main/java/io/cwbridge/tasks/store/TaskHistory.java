package io.cwbridge.tasks.store;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Owns table {@code task_history} (V14). The rows are written by the table's trigger on every status
 * change of {@code sync_task}, so no path can change a status unrecorded; a person's action runs
 * through {@link #as} so that its rows name the person and the why.
 */
@Repository
public class TaskHistory {

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public TaskHistory(NamedParameterJdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /**
     * Runs {@code change} in one transaction whose status changes are recorded as made by {@code actor}
     * for {@code why} (transaction-local settings the trigger reads).
     */
    public <T> T as(String actor, String why, Supplier<T> change) {
        return transactions.execute(status -> {
            Map<String, Object> params = new HashMap<>();
            params.put("actor", actor);
            params.put("why", why == null ? "" : why);
            jdbc.queryForList("SELECT set_config('cwbridge.actor', :actor, true), set_config('cwbridge.why', :why, true)", params);
            return change.get();
        });
    }

    /**
     * Records a change of the task that is not a status change (issue 15: an override set or cleared):
     * who, why and what, with the status the task was in. Runs in the caller's transaction.
     */
    public void recordChange(long taskId, String status, String actor, String why, String what) {
        Map<String, Object> params = new HashMap<>();
        params.put("t", taskId);
        params.put("s", status);
        params.put("a", actor);
        params.put("r", why);
        params.put("w", what);
        jdbc.update("INSERT INTO task_history (task_id, actor, from_status, to_status, reason, what) VALUES (:t, :a, :s, :s, :r, :w)",
                params);
    }

    /** The history of each task, oldest first. */
    public Map<Long, List<TaskHistoryEntry>> of(Collection<Long> taskIds) {
        Map<Long, List<TaskHistoryEntry>> history = new HashMap<>();
        if (taskIds.isEmpty()) return history;
        taskIds.forEach(id -> history.put(id, new ArrayList<>()));
        jdbc.query("""
                SELECT task_id, changed_at, actor, from_status, to_status, reason, what FROM task_history
                WHERE task_id IN (:ids) ORDER BY task_id, history_id""", Map.of("ids", taskIds),
                (RowCallbackHandler) rs -> history.get(rs.getLong("task_id")).add(new TaskHistoryEntry(
                        rs.getObject("changed_at", OffsetDateTime.class), rs.getString("actor"), rs.getString("from_status"),
                        rs.getString("to_status"), rs.getString("reason"), rs.getString("what"))));
        return history;
    }
}
