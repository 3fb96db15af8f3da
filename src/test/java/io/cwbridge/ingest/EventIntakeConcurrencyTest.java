package io.cwbridge.ingest;

import static io.cwbridge.tasks.ApiEvents.json;
import static io.cwbridge.tasks.ApiEvents.salesOrder;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.tasks.ApiEvents;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The intake's idempotency under concurrency (SPEC 8.1, issue 18): the event and its task are stored
 * in one transaction (EventIntake.record, the task through SyncTasks), so the same eventId sent at
 * once from several clients is stored once, with one task, and every answer names that task.
 */
class EventIntakeConcurrencyTest extends BundleTestBase {

    private static final int CLIENTS = 6;

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired PartnerConnectionRepository connections;
    @Autowired JdbcTemplate jdbc;

    @Test
    void oneEventIdSentAtOnceIsOneEventOneTaskAndEveryAnswerNamesIt() throws Exception {
        ApiEvents api = new ApiEvents(port);
        String partner = "race-" + UUID.randomUUID().toString().substring(0, 8);
        connections.save(partner, new SandboxAdmin(port, env).connection());
        ObjectNode event = salesOrder(partner);
        String eventId = event.path("eventId").asText();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<ResponseEntity<String>>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(() -> {
                start.await();
                return api.post("/events", event.toString());
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Integer> statuses = new ArrayList<>();
        List<Long> taskIds = new ArrayList<>();
        try {
            List<Future<ResponseEntity<String>>> answers = new ArrayList<>();
            for (Callable<ResponseEntity<String>> client : clients) answers.add(pool.submit(client));
            start.countDown();
            for (Future<ResponseEntity<String>> answer : answers) {
                ResponseEntity<String> response = answer.get();
                statuses.add(response.getStatusCode().value());
                taskIds.add(json(response).path("taskId").asLong());
            }
        } finally {
            pool.shutdownNow();
        }

        // One accepted (202), the repeats answered 200 (SPEC 8.1), all with the first task's id.
        assertThat(statuses).filteredOn(s -> s == 202).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(CLIENTS - 1);
        Long task = jdbc.queryForObject("SELECT task_id FROM sync_task WHERE event_id = ?", Long.class, eventId);
        assertThat(taskIds).containsOnly(task);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM subscription_event WHERE event_id = ?", Long.class, eventId)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_task WHERE partner_id = ?", Long.class, partner)).isEqualTo(1);
    }
}
