package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * ConnectWise misbehaving (issue 6 item 5a): the sandbox answers 429 with Retry-After, 500, or
 * too slowly for the client's 1 s time-out, on the additions calls of a running batch. Afterwards
 * every subscription's additions are exactly the expected ones: none lost, none doubled.
 */
class SandboxFaultsTest extends FaultsContext {

    static final int SUBSCRIPTIONS = 3;
    static final int EVENTS = 4;

    @Autowired JdbcTemplate jdbc;

    @Test
    void tooManyRequestsWithRetryAfter() {
        run("429x2", Map.of("status", 429, "count", 2, "retryAfterSeconds", 1, "method", "POST", "pathContains", "additions"));
    }

    @Test
    void serverErrorsAfterTheCreateLanded() {
        // afterCommit: the addition is stored, the answer is a 500 — the ambiguous case a blind retry would double.
        run("500x2", Map.of("status", 500, "count", 2, "method", "POST", "pathContains", "additions", "afterCommit", true));
    }

    @Test
    void serverErrorsBeforeAnythingLanded() {
        run("503x3", Map.of("status", 503, "count", 3, "method", "POST", "pathContains", "additions"));
    }

    @Test
    void answersSlowerThanTheRequestTimeout() {
        // The create is stored, then the answer takes 2.5 s: the client times out at 1 s and must not create it again.
        run("slow 2500ms x2", Map.of("status", 0, "delayMillis", 2500, "count", 2, "method", "POST", "pathContains", "additions",
                "afterCommit", true));
    }

    @Test
    void anOutageOutlastingEveryAttemptOfACall() {
        // 5 attempts per call (max-attempts), 7 answers of 500: the task's first run gives up and leaves it PENDING.
        // Nothing else happens to the subscription (no event, no auto-sync, no restart): only the task's own
        // retry, after task-retry-initial, can bring it to SYNCED.
        Tenant tenant = tenant(1);
        tenant.fault(Map.of("status", 500, "count", 7, "method", "POST", "pathContains", "additions"));
        assertThat(tenant.submit(tenant.event(0, 0)).getStatusCode().value()).isEqualTo(202);
        tenant.awaitAllSynced(1, Duration.ofSeconds(60));
        tenant.clearFaults();
        assertThat(jdbc.queryForObject("SELECT attempts FROM sync_task WHERE partner_id = ?", Integer.class, tenant.partner))
                .as("failed runs before the one that synced").isGreaterThanOrEqualTo(1);
        tenant.assertExact("500x7 outage", 1);
    }

    private void run(String label, Map<String, Object> fault) {
        Tenant tenant = tenant(SUBSCRIPTIONS);
        tenant.fault(fault);
        for (int k = 0; k < EVENTS; k++) {
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                assertThat(tenant.submit(tenant.event(i, k)).getStatusCode().value()).isEqualTo(202);
            }
        }
        tenant.awaitAllSynced(SUBSCRIPTIONS * EVENTS, Duration.ofSeconds(60));
        tenant.clearFaults();
        tenant.assertExact(label, EVENTS);
    }
}
