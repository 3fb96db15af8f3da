package io.cwbridge.ingest;

import io.cwbridge.tasks.store.SyncTasks;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Message;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Step of route {@code subscription-event-record}: stores an accepted event once (eventId is the
 * idempotency key, shared by all instances through the primary key) and creates its task through
 * {@link SyncTasks}, the table's owner, in one transaction: both or neither. A repeated eventId
 * stores nothing and answers the first event's task.
 *
 * <p>One transaction per call, so the route's redelivery of a transient database failure starts it
 * over from the beginning (the failed one was rolled back), never inside an aborted transaction.
 */
@Component("eventRecorder")
public class EventRecorder {

    private final NamedParameterJdbcTemplate jdbc;
    private final SyncTasks tasks;

    public EventRecorder(NamedParameterJdbcTemplate jdbc, SyncTasks tasks) {
        this.jdbc = jdbc;
        this.tasks = tasks;
    }

    /**
     * Reads the headers {@code EventIntake.inspect} set; sets {@code taskId}, and {@code duplicate}
     * true when the eventId was stored before (then {@code taskId} is that event's task).
     */
    @Transactional
    public void record(Message message) {
        Map<String, Object> event = new HashMap<>();
        for (String header : List.of("eventId", "partnerId", "subscriptionId", "eventType", "eventAction", "occurredAt", "payload",
                "source")) {
            event.put(header, message.getHeader(header, String.class));
        }
        // A concurrent insert of the same eventId waits here until the first commits (with its task), then does nothing.
        List<String> stored = jdbc.queryForList("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (:eventId, :partnerId, :subscriptionId, :eventType, :eventAction,
                        CAST(:occurredAt AS timestamptz), CAST(:payload AS jsonb), :source)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id""", event, String.class);
        message.setHeader("duplicate", stored.isEmpty());
        if (stored.isEmpty()) {
            message.setHeader("taskId", jdbc.queryForList("SELECT task_id FROM sync_task WHERE event_id = :eventId", event, Long.class)
                    .stream().findFirst().orElse(null));
        } else {
            message.setHeader("taskId", tasks.createPending(stored, null).get(0).taskId());
        }
    }
}
