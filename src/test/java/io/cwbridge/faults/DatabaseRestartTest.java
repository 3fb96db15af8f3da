package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.SharedPostgres;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/**
 * The database restarted under a running bundle in the middle of a batch (issue 6 item 5): the
 * PostgreSQL server (the test JVM's one, testsupport/SharedPostgres) is stopped and started again on
 * the same files and port while tasks are being delivered. The shared route configuration redelivers the steps that hit the lost connection,
 * so every task still ends SYNCED and the additions are exactly the expected ones. In the fault
 * tests' context (a 1 s request time-out: the sandbox's 300 ms delay stays well inside it).
 */
class DatabaseRestartTest extends FaultsContext {

    static final int SUBSCRIPTIONS = 3;
    static final int EVENTS = 4;

    @Test
    void aDatabaseRestartInTheMiddleOfABatchLosesAndDoublesNothing() throws Exception {
        Tenant tenant = new Tenant("db" + UUID.randomUUID().toString().substring(0, 8), port, port).setUp(SUBSCRIPTIONS);
        // Slow ConnectWise down so the batch is still running when the database goes away.
        tenant.fault(Map.of("status", 0, "delayMillis", 300, "count", 1000, "method", "POST", "pathContains", "additions"));
        for (int k = 0; k < EVENTS; k++) {
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                assertThat(tenant.submit(tenant.event(i, k)).getStatusCode().value()).isEqualTo(202);
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> tenant.tasks("SYNCED") >= 2);
        long syncedBefore = tenant.tasks("SYNCED");

        // The test JVM's one PostgreSQL server (every context's database is on it), stopped and started
        // again on the same files and port.
        SharedPostgres.restart();

        tenant.awaitAllSynced(SUBSCRIPTIONS * EVENTS, Duration.ofSeconds(90));
        tenant.clearFaults();
        System.out.printf("FAULT database restart after %d of %d tasks synced%n", syncedBefore, SUBSCRIPTIONS * EVENTS);
        tenant.assertExact("database restart", EVENTS);
        String health = RestClient.create("http://localhost:" + port).get().uri("/actuator/health").retrieve().body(String.class);
        assertThat(health).contains("\"db\":{\"status\":\"UP\"");
    }
}
