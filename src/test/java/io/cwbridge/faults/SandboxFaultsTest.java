package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import io.cwbridge.connectwise.ConnectWiseSettings;
import org.junit.jupiter.api.BeforeEach;
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
    @Autowired ConnectWiseSettings settings;
    Duration lease;

    @BeforeEach
    void clearLeftoverFaults() {
        lease = settings.deliveryLease();
        new Tenant("none", port, port).clearFaults();
    }

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

    @Test
    void aCreateInDoubtAfterACrashIsConfirmedBeforeAnEarlierChangeOfTheSameDayIsPlanned() {
        // Issue 13: an increase's POST lands but its answer is lost, and the run that sent it is gone with its claim
        // (as after kill -9). A second increase of the same day, earlier in the day, then arrives. It must not be
        // planned from lines that omit the first: R16 makes it update that line, leaving one +3 line, not +1 and +2.
        Tenant tenant = tenant(1);
        assertThat(tenant.submit(tenant.event(0, 0)).getStatusCode().value()).isEqualTo(202);
        tenant.awaitAllSynced(1, Duration.ofSeconds(60));
        long posts = tenant.calls(Tenant.ADDITIONS_POST);
        long patches = tenant.calls(Tenant.ADDITIONS_PATCH);
        String additions = "agreements/" + tenant.agreements.get(0) + "/additions";
        // The increase plans from the bundle's copies of its lines (issue 14: a create reads nothing), its create is
        // stored and answered 500, and every later read of the agreement's additions fails: the create cannot be looked up.
        tenant.fault(Map.of("status", 500, "count", 1, "method", "POST", "pathContains", additions, "afterCommit", true));
        tenant.fault(Map.of("status", 503, "count", 100_000, "method", "GET", "pathContains", additions));
        int base = Tenant.baseQuantity(0);
        String later = tenant.increase(tenant.partner + "-inc-late", 0, "2024-03-05T15:00:00Z", base + 1, base + 3);
        String earlier = tenant.increase(tenant.partner + "-inc-early", 0, "2024-03-05T09:00:00Z", base, base + 1);
        assertThat(tenant.submit(later).getStatusCode().value()).isEqualTo(202);
        long laterTask = taskOf(tenant.partner + "-inc-late");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
                jdbc.queryForObject("SELECT attempts FROM sync_task WHERE task_id = ?", Integer.class, laterTask) >= 1);
        assertThat(tenant.calls(Tenant.ADDITIONS_POST) - posts).as("the +2 create was sent once").isEqualTo(1);
        // The state a killed run leaves: the operation STARTED, claimed by a run that no longer exists, for a while yet.
        assertThat(jdbc.update("""
                UPDATE task_operation SET started_by = 'killed-run', claimed_until = now() + interval '4 seconds'
                WHERE task_id = ? AND status = 'STARTED'""", laterTask)).as("the +2 create is in doubt").isEqualTo(1);

        assertThat(tenant.submit(earlier).getStatusCode().value()).isEqualTo(202);
        long earlierTask = taskOf(tenant.partner + "-inc-early");
        tenant.clearFaults(); // ConnectWise answers again; the dead run's claim lapses in 4 s
        tenant.awaitAllSynced(3, Duration.ofSeconds(60));

        Map<String, Integer> lines = tenant.foundLines(0);
        System.out.printf("FAULT create in doubt + earlier same-day increase: lines %s, calls POST=%d PATCH=%d%n", lines,
                tenant.calls(Tenant.ADDITIONS_POST) - posts, tenant.calls(Tenant.ADDITIONS_PATCH) - patches);
        assertThat(lines).as("R16: one delta line with the net change").isEqualTo(Map.of("2024-02-14", base, "2024-03-05", 3));
        assertThat(tenant.calls(Tenant.ADDITIONS_POST) - posts).as("the lost answer's create was looked up, not repeated").isEqualTo(1);
        assertThat(tenant.calls(Tenant.ADDITIONS_PATCH) - patches).as("the earlier change updated that line").isEqualTo(1);
        long deltaLine = tenant.additions(0).stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-03-05"))
                .findFirst().orElseThrow().path("id").asLong();
        assertThat(jdbc.queryForList("SELECT addition_id FROM task_operation WHERE task_id IN (?, ?)", Long.class, laterTask, earlierTask))
                .as("both tasks' operations hold the one delta line").hasSize(2).containsOnly(deltaLine);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM subscription_line WHERE partner_id = ?", Integer.class, tenant.partner))
                .isEqualTo(2);
        assertThat(jdbc.queryForObject("""
                SELECT e.lines_read_at > o.done_at FROM sync_task e, task_operation o WHERE e.task_id = ? AND o.task_id = ?""",
                Boolean.class, earlierTask, laterTask)).as("the earlier change was planned after the create was confirmed").isTrue();
    }

    @Test
    void throttlingOutlastingEveryAttemptOfACallEndsPromptlyNotAfterTheLease() {
        // Issue 13: 429 with Retry-After for more answers than a call's 5 attempts, then ConnectWise takes the create.
        // The run that gave up releases its claim, so the task's own retry (task-retry-initial) carries on at once
        // instead of waiting out the delivery lease, and the create is sent exactly once more than it was refused.
        // Retry-After 3 s: the first run waits 4 x 3 s, longer than the claim renewal interval (a quarter of the lease).
        Tenant tenant = tenant(1);
        long posts = tenant.calls(Tenant.ADDITIONS_POST);
        int throttled = 6;
        tenant.fault(Map.of("status", 429, "count", throttled, "retryAfterSeconds", 3, "method", "POST",
                "pathContains", "agreements/" + tenant.agreements.get(0) + "/additions"));
        assertThat(tenant.submit(tenant.event(0, 0)).getStatusCode().value()).isEqualTo(202);
        long task = taskOf(tenant.partner + "-e0-0");
        java.util.Set<java.sql.Timestamp> claimedUntil = new java.util.TreeSet<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            // While the first run is alive and waiting, its claim is renewed (claimed_until moves on).
            claimedUntil.addAll(jdbc.queryForList("""
                    SELECT o.claimed_until FROM task_operation o JOIN sync_task t ON t.task_id = o.task_id
                    WHERE o.task_id = ? AND o.status = 'STARTED' AND t.attempts = 0""", java.sql.Timestamp.class, task));
            return jdbc.queryForObject("SELECT attempts FROM sync_task WHERE task_id = ?", Integer.class, task) >= 1;
        });
        long gaveUp = System.nanoTime();
        assertThat(claimedUntil).as("the live run's claim was renewed while it waited on 429s").hasSizeGreaterThanOrEqualTo(2);
        assertThat(jdbc.queryForObject("""
                SELECT claimed_until <= now() + make_interval(secs => ?) FROM task_operation WHERE task_id = ? AND status = 'STARTED'""",
                Boolean.class, settings.requestTimeout().toMillis() / 1000.0, task))
                .as("the run that gave up released its claim (one request time-out left)").isTrue();
        assertThat(jdbc.queryForObject("SELECT reason FROM sync_task WHERE task_id = ?", String.class, task))
                .as("the first run spent its attempts on 429s").contains("will retry").contains("429");
        tenant.awaitAllSynced(1, lease.multipliedBy(2));
        Duration afterGivingUp = Duration.ofNanos(System.nanoTime() - gaveUp);

        System.out.printf("FAULT 429x%d: SYNCED %d ms after the first run gave up (lease %d ms), calls POST=%d%n", throttled,
                afterGivingUp.toMillis(), lease.toMillis(), tenant.calls(Tenant.ADDITIONS_POST) - posts);
        assertThat(afterGivingUp).as("not held for the lease").isLessThan(lease.dividedBy(3));
        assertThat(tenant.calls(Tenant.ADDITIONS_POST) - posts).as("every 429 plus the one create that landed, no duplicate")
                .isEqualTo(throttled + 1);
        tenant.assertExact("429x" + throttled + " outlasting the attempts", 1);
    }

    private long taskOf(String eventId) {
        return jdbc.queryForObject("SELECT task_id FROM sync_task WHERE event_id = ?", Long.class, eventId);
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
