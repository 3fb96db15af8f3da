package io.cwbridge.sync;

import io.cwbridge.tasks.store.TaskStatus;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * On start, hands every subscription with PENDING tasks back to route {@code subscription-sync}.
 * A bundle stopped (or killed) part-way through a batch left them PENDING, some with an operation
 * STARTED; nothing else would pick them up until the subscription's next event. The advisory lock
 * in {@link SubscriptionSync} keeps two instances starting together from syncing one twice.
 */
@Component
public class PendingTasksResume {

    private static final Logger log = LoggerFactory.getLogger(PendingTasksResume.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final SubscriptionSync sync;

    public PendingTasksResume(NamedParameterJdbcTemplate jdbc, SubscriptionSync sync) {
        this.jdbc = jdbc;
        this.sync = sync;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void resume() {
        List<Map<String, Object>> open = jdbc.queryForList(
                "SELECT DISTINCT partner_id, subscription_id FROM sync_task WHERE status = :s", Map.of("s", TaskStatus.PENDING.name()));
        for (Map<String, Object> s : open) {
            sync.enqueue((String) s.get("partner_id"), (String) s.get("subscription_id"));
        }
        if (!open.isEmpty()) log.info("Resumed {} subscription(s) with pending tasks", open.size());
    }
}
