package io.cwbridge.mapping;

import io.cwbridge.tasks.store.TaskStatus;
import io.cwbridge.sync.SubscriptionSync;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * "Map & sync" (SPEC 3): right after a mapping is saved, the open tasks of the subscriptions it
 * concerns run at once through the pipeline's {@link SubscriptionSync}, which orders them and
 * holds the per-subscription lock, and the answer says how each task ended. With task sync MANUAL
 * (R31) they wait for approval instead (AWAITING_APPROVAL).
 */
@Component
public class MapAndSync {

    private final SubscriptionSync sync;
    private final NamedParameterJdbcTemplate jdbc;

    MapAndSync(SubscriptionSync sync, NamedParameterJdbcTemplate jdbc) {
        this.sync = sync;
        this.jdbc = jdbc;
    }

    /** A task of a synced subscription and how it stands now. */
    public record SyncedTask(long taskId, String subscriptionId, String status, String reason) {}

    List<SyncedTask> run(String partnerId, Collection<String> subscriptionIds) {
        List<SyncedTask> done = new ArrayList<>();
        for (String subscriptionId : subscriptionIds) {
            boolean manual = "MANUAL".equals(sync.taskSync(partnerId));
            List<Long> open = manual ? waiting(partnerId, subscriptionId) : sync.openTasks(partnerId, subscriptionId);
            if (open.isEmpty()) continue;
            try {
                if (manual) {
                    // R31 MANUAL: a person approves what is sent, also after a mapping; part-way plans still finish
                    sync.awaitApproval(partnerId, subscriptionId);
                    sync.runApproved(partnerId, subscriptionId);
                } else {
                    sync.run(partnerId, subscriptionId);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Could not sync subscription " + subscriptionId, e);
            }
            jdbc.query("SELECT task_id, status, reason FROM sync_task WHERE task_id IN (:ids) ORDER BY occurred_at, task_id",
                    Map.of("ids", open), rs -> {
                        done.add(new SyncedTask(rs.getLong(1), subscriptionId, rs.getString(2), rs.getString(3)));
                    });
        }
        return done;
    }

    /** Task sync MANUAL: the subscription's tasks still to send, those already waiting for approval included. */
    private List<Long> waiting(String partnerId, String subscriptionId) {
        return jdbc.queryForList("SELECT task_id FROM sync_task WHERE partner_id = :p AND subscription_id = :s"
                + " AND status IN (:open) ORDER BY occurred_at, task_id", Map.of("p", partnerId, "s", subscriptionId,
                        "open", TaskStatus.names(TaskStatus.PENDING, TaskStatus.NEEDS_MAPPING, TaskStatus.AWAITING_APPROVAL)), Long.class);
    }
}
