package io.cwbridge.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.globalsync.TimersTestBase;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Task sync EVERY_5_MINUTES and DAILY (R31): a new event's task waits PENDING, nothing is sent, and
 * the timer's tick (route scheduled-sync, at the context's fixed 00:00 UTC instant: due for both)
 * syncs it through route partner-task-sync.
 */
class TaskSyncPeriodTest extends TimersTestBase {

    @Autowired ProducerTemplate producer;
    @Autowired CamelContext camel;

    @AfterEach
    void immediateAgain() {
        putSyncRules(Map.of("taskSync", "IMMEDIATE"));
    }

    String status(long task) {
        return jdbc.queryForObject("SELECT status FROM sync_task WHERE task_id = ?", String.class, task);
    }

    @ParameterizedTest
    @ValueSource(strings = {"EVERY_5_MINUTES", "DAILY"})
    void tasksWaitForTheTickThatSyncsThem(String period) throws Exception {
        putSyncRules(Map.of("taskSync", period));
        sandbox.resetCalls();

        NotifyBuilder handedOver = new NotifyBuilder(camel).fromRoute("subscription-sync")
                .filter(e -> partner.equals(e.getVariable("partnerId", String.class))).whenDone(1).create();
        long task = submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));
        // The hand-over to the sync has run (the subscription's lock is free again) and left the task alone:
        // waited for (Camel's NotifyBuilder on route subscription-sync), not guessed with a sleep.
        assertThat(handedOver.matches(30, TimeUnit.SECONDS)).as("the hand-over of this partner's subscription ended").isTrue();
        assertThat(status(task)).isEqualTo("PENDING");
        assertThat(sandbox.totalCalls()).isZero();
        assertThat(additions()).isEmpty();

        assertThat(camel.getRoute("partner-task-sync").getEndpoint().getEndpointUri()).isEqualTo("direct://partner-task-sync");
        producer.sendBody("direct:scheduled-sync", null);

        assertThat(status(task)).isEqualTo("SYNCED");
        assertThat(additions()).singleElement().satisfies(a -> assertThat(a.path("quantity").asInt()).isEqualTo(5));
        assertThat(jdbc.queryForList("SELECT coalesce(from_status, '-') || '>' || to_status FROM task_history WHERE task_id = ? "
                + "ORDER BY history_id", String.class, task)).containsExactly("->PENDING", "PENDING>SYNCED");
    }
}
