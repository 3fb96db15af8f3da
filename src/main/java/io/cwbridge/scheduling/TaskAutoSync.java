package io.cwbridge.scheduling;

import io.cwbridge.tasks.store.TaskStatus;
import io.cwbridge.sync.SubscriptionSync;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Task sync at the timer's tick (R31, route {@code partner-task-sync}): a due partner's PENDING and
 * NEEDS_MAPPING tasks (left waiting by task sync EVERY_5_MINUTES or DAILY, or by trouble) are synced, one
 * subscription at a time through {@link SubscriptionSync}, which keeps their order and holds the
 * subscription's advisory lock, so a retry never races the event pipeline or another instance.
 */
@Component("taskAutoSync")
public class TaskAutoSync {

    private static final Logger log = LoggerFactory.getLogger(TaskAutoSync.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final SubscriptionSync subscriptionSync;

    public TaskAutoSync(NamedParameterJdbcTemplate jdbc, SubscriptionSync subscriptionSync) {
        this.jdbc = jdbc;
        this.subscriptionSync = subscriptionSync;
    }

    /** @return how many subscriptions had open tasks to retry */
    public int retry(String partnerId) {
        List<String> subscriptions = jdbc.queryForList("""
                SELECT DISTINCT subscription_id FROM sync_task
                WHERE partner_id = :p AND status IN (:syncable) ORDER BY subscription_id""",
                Map.of("p", partnerId, "syncable", TaskStatus.SYNCABLE), String.class);
        for (String subscriptionId : subscriptions) {
            try {
                subscriptionSync.run(partnerId, subscriptionId);
            } catch (Exception e) {
                // The task itself records why; one subscription must not stop the others.
                log.warn("Task auto-sync of partner {} subscription {} failed: {}", partnerId, subscriptionId, e.getMessage());
            }
        }
        return subscriptions.size();
    }
}
