package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 14 retry-later: a task left PENDING by a ConnectWise outage carries its due time in the database
 * (sync_task.retry_due_at, V28), not in an executor of the instance, so nothing in memory is needed to try it again:
 * route "subscription-retries-due" (called by each instance's "subscription-retries-timer" and by the clustered tick,
 * route scheduled-sync) claims it once due, as it would after a restart or on another instance.
 */
class RetryDueTest extends FaultsContext {

    @Autowired JdbcTemplate jdbc;
    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;

    @Test
    void aTaskPutOffByAnOutageIsRunByTheDueRouteFromItsStoredDueTimeAndNotBefore() throws Exception {
        Tenant tenant = tenant(1);
        long posts = tenant.calls(Tenant.ADDITIONS_POST);
        // This instance's timer stays off: only the stored due time and the route's explicit call bring the task back.
        camel.getRouteController().stopRoute("subscription-retries-timer");
        try {
            // Every attempt of the run's call fails (max-attempts 5): the task is left PENDING "will retry".
            tenant.fault(Map.of("status", 503, "count", 5, "method", "POST", "pathContains", "additions"));
            assertThat(tenant.submit(tenant.event(0, 0)).getStatusCode().value()).isEqualTo(202);
            long task = jdbc.queryForObject("SELECT task_id FROM sync_task WHERE event_id = ?", Long.class, tenant.partner + "-e0-0");
            await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                    "SELECT attempts >= 1 AND retry_due_at IS NOT NULL FROM sync_task WHERE task_id = ?", Boolean.class, task));
            Map<String, Object> putOff = jdbc.queryForMap("""
                    SELECT status, reason, extract(epoch FROM retry_due_at - now()) AS due_in FROM sync_task WHERE task_id = ?""", task);
            assertThat(putOff.get("status")).isEqualTo("PENDING");
            assertThat((String) putOff.get("reason")).contains("will retry").contains("503");
            double dueIn = ((Number) putOff.get("due_in")).doubleValue();
            // task-retry-initial 1 s plus a second of margin
            assertThat(dueIn).as("due in about 2 s").isBetween(-1.0, 2.5);
            if (dueIn > 0.5) {
                producer.sendBody("direct:subscription-retries-due", null);
                assertThat(jdbc.queryForObject("SELECT retry_due_at IS NOT NULL FROM sync_task WHERE task_id = ?", Boolean.class, task))
                        .as("not claimed before it is due").isTrue();
            }

            // Past its due time nothing in the instance tries it again by itself (no private executor, timer off) ...
            Thread.sleep((long) (Math.max(dueIn, 0) * 1000) + 1500);
            assertThat(jdbc.queryForMap("SELECT status, attempts FROM sync_task WHERE task_id = ?", task))
                    .containsEntry("status", "PENDING").containsEntry("attempts", 1);
            assertThat(tenant.calls(Tenant.ADDITIONS_POST) - posts).as("the five refused attempts only").isEqualTo(5);

            // ... the due route does, from the stored due time, once.
            tenant.clearFaults();
            producer.sendBody("direct:subscription-retries-due", null);
            tenant.awaitAllSynced(1, Duration.ofSeconds(30));
            assertThat(jdbc.queryForObject("SELECT retry_due_at IS NULL FROM sync_task WHERE task_id = ?", Boolean.class, task)).isTrue();
            assertThat(tenant.calls(Tenant.ADDITIONS_POST) - posts).as("the refused attempts and one create").isEqualTo(6);
            tenant.assertExact("retry from the stored due time", 1);
        } finally {
            camel.getRouteController().startRoute("subscription-retries-timer");
        }
    }
}
