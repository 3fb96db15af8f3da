package io.cwbridge.tasks.store;

import io.cwbridge.rules.LineOverride;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Owns table {@code task_override} (V18): one override per task, with who set it and why. */
@Repository
public class TaskOverrideRepository {

    private static final String COLUMNS = "o.effective_date, o.cancelled_date, o.description, o.quantity, o.unit_price, "
            + "o.unit_cost, o.bill_customer, o.taxable_flag, o.price_source, o.reason, o.set_by, o.set_at";

    private final NamedParameterJdbcTemplate jdbc;

    public TaskOverrideRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<TaskOverride> find(long taskId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM task_override o WHERE o.task_id = :t", Map.of("t", taskId),
                TaskOverrideRepository::row).stream().findFirst();
    }

    /**
     * The override of the event's task while that task has not synced yet (PENDING, NEEDS_MAPPING,
     * AWAITING_APPROVAL): what planning the event applies.
     */
    public Optional<TaskOverride> forOpenTaskOf(String partnerId, String eventId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM task_override o JOIN sync_task t ON t.task_id = o.task_id"
                        + " WHERE t.partner_id = :p AND t.event_id = :e AND t.status IN (:open)",
                Map.of("p", partnerId, "e", eventId, "open", List.of(TaskStatus.PENDING.name(), TaskStatus.NEEDS_MAPPING.name(),
                        TaskStatus.AWAITING_APPROVAL.name())), TaskOverrideRepository::row).stream().findFirst();
    }

    /** Sets (replaces) the task's override. */
    public void save(long taskId, LineOverride o, String reason, String by) {
        Map<String, Object> p = new HashMap<>();
        p.put("t", taskId);
        p.put("eff", o.effectiveDate());
        p.put("canc", o.cancelledDate());
        p.put("d", o.description());
        p.put("q", o.quantity());
        p.put("up", o.unitPrice());
        p.put("uc", o.unitCost());
        p.put("bc", o.billCustomer());
        p.put("tx", o.taxableFlag());
        p.put("ps", o.priceSource() == null ? null : o.priceSource().name());
        p.put("r", reason);
        p.put("by", by);
        jdbc.update("""
                INSERT INTO task_override (task_id, effective_date, cancelled_date, description, quantity, unit_price, unit_cost,
                                           bill_customer, taxable_flag, price_source, reason, set_by, set_at)
                VALUES (:t, :eff, :canc, :d, :q, :up, :uc, :bc, :tx, :ps, :r, :by, now())
                ON CONFLICT (task_id) DO UPDATE SET effective_date = EXCLUDED.effective_date, cancelled_date = EXCLUDED.cancelled_date,
                    description = EXCLUDED.description, quantity = EXCLUDED.quantity, unit_price = EXCLUDED.unit_price,
                    unit_cost = EXCLUDED.unit_cost, bill_customer = EXCLUDED.bill_customer, taxable_flag = EXCLUDED.taxable_flag,
                    price_source = EXCLUDED.price_source, reason = EXCLUDED.reason, set_by = EXCLUDED.set_by, set_at = now()""", p);
    }

    /** @return whether there was one */
    public boolean delete(long taskId) {
        return jdbc.update("DELETE FROM task_override WHERE task_id = :t", Map.of("t", taskId)) > 0;
    }

    /** The overrides of a page of tasks. */
    public Map<Long, TaskOverride> of(java.util.Collection<Long> taskIds) {
        Map<Long, TaskOverride> all = new HashMap<>();
        if (taskIds.isEmpty()) return all;
        jdbc.query("SELECT o.task_id, " + COLUMNS + " FROM task_override o WHERE o.task_id IN (:ids)", Map.of("ids", taskIds),
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> all.put(rs.getLong("task_id"), row(rs, 0)));
        return all;
    }

    private static TaskOverride row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new TaskOverride(rs.getObject("effective_date", java.time.LocalDate.class),
                rs.getObject("cancelled_date", java.time.LocalDate.class), rs.getString("description"),
                rs.getBigDecimal("quantity"), rs.getBigDecimal("unit_price"), rs.getBigDecimal("unit_cost"),
                rs.getString("bill_customer"), (Boolean) rs.getObject("taxable_flag"), rs.getString("price_source"),
                rs.getString("reason"), rs.getString("set_by"), rs.getObject("set_at", OffsetDateTime.class));
    }

}
