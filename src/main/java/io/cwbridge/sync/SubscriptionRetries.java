package io.cwbridge.sync;

import io.cwbridge.tasks.store.SyncTasks;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Retry-later of a task left PENDING by a ConnectWise outage or throttling, or by a write another run holds
 * (issue 14): its due time is a column of the task ({@code sync_task.retry_due_at}, V28), so it survives a stop
 * and any instance picks it up. Route {@code subscription-retries-due} (routes/subscription-sync.yaml) claims the
 * due tasks and hands their subscriptions to route {@code subscription-sync}; every instance's retry timer and the
 * clustered tick call it. While the database itself is away the due time cannot be written: it is kept here until
 * the next call writes it (a stop meanwhile leaves the task PENDING, which the next start resumes).
 */
@Component("subscriptionRetries")
public class SubscriptionRetries {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionRetries.class);
    /** Due tasks handed over per call: a long outage's backlog goes in slices, the rest on the next call. */
    static final int BATCH = 500;

    private final SyncTasks syncTasks;
    private final Map<Long, Duration> unwritten = new ConcurrentHashMap<>();

    public SubscriptionRetries(SyncTasks syncTasks) {
        this.syncTasks = syncTasks;
    }

    /** A subscription to sync again: the input of route {@code subscription-sync} (its headers). */
    public record Due(String partnerId, String subscriptionId) {}

    /** The PENDING task {@code taskId} is tried again after {@code after} (plus a second of margin). */
    public void putOff(long taskId, Duration after) {
        Duration delay = after.plusSeconds(1);
        try {
            syncTasks.retryAfter(taskId, delay);
            log.info("Task {} will be tried again in {} s", taskId, delay.toSeconds());
        } catch (RuntimeException e) {
            unwritten.merge(taskId, delay, (a, b) -> a.compareTo(b) <= 0 ? a : b);
            log.warn("Could not store the retry of task {} ({}); kept until the database is back", taskId, e.getMessage());
        }
    }

    /**
     * Step of route {@code subscription-retries-due}: writes the due times kept while the database was away, then
     * claims the tasks due now.
     *
     * @return the subscriptions to sync, each once, in due order
     */
    public List<Due> due() {
        for (Map.Entry<Long, Duration> kept : Map.copyOf(unwritten).entrySet()) {
            syncTasks.retryAfter(kept.getKey(), kept.getValue());
            unwritten.remove(kept.getKey(), kept.getValue());
        }
        Set<Due> due = new LinkedHashSet<>();
        for (SyncTasks.TaskKey task : syncTasks.claimDueRetries(BATCH)) {
            due.add(new Due(task.partnerId(), task.subscriptionId()));
        }
        if (!due.isEmpty()) log.info("Retrying {} subscription(s) whose tasks are due", due.size());
        return List.copyOf(due);
    }
}
