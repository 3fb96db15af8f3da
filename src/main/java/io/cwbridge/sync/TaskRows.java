package io.cwbridge.sync;

import java.sql.Timestamp;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Variable {@code taskRows} of routes {@code subscription-tasks} and {@code subscription-task-sync}: everything a
 * task's plan is made from, read in one round trip (issue 14, {@link SubscriptionSync#firstTask}): one row per known
 * line of the event's subscriptions (one row with no line when there is none), each carrying the task's columns (its
 * row, event, stored operations, catch-up flag), its mapping ({@code m_}-prefixed: the columns of
 * sql/mapping-lookup.sql), the first other open task's operation not DONE on its lines (R16, {@code doubt_}), whether
 * it has an override or other tasks' catch-up lines to read, and when the lines were read (the statement's
 * {@code now()}).
 *
 * @param taskId    the task
 * @param openTasks how many open tasks the subscription had (at most 2 counted: 1 means this was the only one)
 * @param rows      the rows as read
 */
public record TaskRows(long taskId, long openTasks, List<Map<String, Object>> rows) {

    /** The columns of sql/subscription-lines.sql: the rows of {@link #knownLines}. */
    static final List<String> LINE_COLUMNS = List.of("line_key", "agreement_id", "addition_id", "catalog_item_id", "quantity",
            "unit_price", "unit_cost", "effective_date", "cancelled_date", "description", "invoice_description", "copied_at",
            "copy_next_invoice");

    /** The columns of sql/mapping-lookup.sql, read here with prefix {@code m_}. */
    static final List<String> MAPPING_COLUMNS = List.of("company_id", "catalog_item_id", "upgrade_catalog_item_id", "agreement_id",
            "from_date", "sync_rules", "unmapped", "cancelled_from", "adopted_addition_id");

    /** The task's row (event payload, stored operations as JSON, catch-up flag; the columns above beside it). */
    public Map<String, Object> row() {
        return rows.get(0);
    }

    /** Variable {@code mappingRow}: the task's mapping, as sql/mapping-lookup.sql answers it. */
    public Map<String, Object> mappingRow() {
        Map<String, Object> m = new HashMap<>();
        MAPPING_COLUMNS.forEach(c -> m.put(c, row().get("m_" + c)));
        return m;
    }

    /** Variable {@code knownLines}: the subscription's lines with their copies, as sql/subscription-lines.sql answers them. */
    public List<Map<String, Object>> knownLines() {
        return rows.stream().filter(r -> r.get("line_key") != null).map(r -> {
            Map<String, Object> line = new LinkedHashMap<>();
            LINE_COLUMNS.forEach(c -> line.put(c, r.get(c)));
            return line;
        }).toList();
    }

    /** The subscription has a FAILED task whose operations this one waits for: its id, else null. */
    Object failedTask() {
        return row().get("failed_task");
    }

    /** When the lines were read (for the written-since check of the plan's store). */
    Timestamp linesReadAt() {
        return (Timestamp) row().get("lines_read_at");
    }

    /**
     * The plan versions (V30) of the event's subscriptions as read with their lines: a plan is stored only while they
     * are still these ({@link TaskOperations#persist}).
     */
    Map<String, Long> planVersions() {
        Map<String, Long> versions = new java.util.TreeMap<>();
        versions.put((String) row().get("subscription_id"), ((Number) row().get("plan_version")).longValue());
        String upgrade = (String) row().get("upgrade_subscription_id");
        if (upgrade != null && !upgrade.isEmpty()) versions.put(upgrade, ((Number) row().get("upgrade_plan_version")).longValue());
        return versions;
    }

    /** Whether the task may have a person's override (R31): only then is it read. */
    public boolean mayHaveOverride() {
        return Boolean.TRUE.equals(row().get("has_override"));
    }

    /** Whether other tasks kept R27 catch-up lines for the event's subscriptions: only then are they read. */
    public boolean mayHaveCaughtUpLines() {
        return Boolean.TRUE.equals(row().get("has_caught_up_lines"));
    }

    @Override
    public String toString() {
        return "task " + taskId + " (" + rows.size() + " row(s))";
    }
}
