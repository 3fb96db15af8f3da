package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cwbridge.config.EmbeddedPostgresConfiguration;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.client.RestClient;

/**
 * The bundle killed (SIGKILL, no shutdown hook) in the middle of a batch and started again on the
 * same data folder (issue 6 item 5b). It runs as a child JVM, so the kill is real: its embedded
 * PostgreSQL outlives it and the restart must cope. Sandbox additions are slowed after they are
 * stored, so the kill lands between "ConnectWise has it" and "the bundle recorded it". After the
 * restart every task is SYNCED and the additions are exactly the expected ones.
 */
class KilledMidBatchTest {

    static final int SUBSCRIPTIONS = 10;
    static final int EVENTS = 5;

    @TempDir Path dataDir;
    final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy(); // graceful: its shutdown hook stops its PostgreSQL
                if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            }
        }
        EmbeddedPostgresConfiguration.stopLeftoverServer(dataDir.resolve("postgres"));
    }

    @Test
    void killedMidBatchAndRestartedLosesAndDoublesNothing() throws Exception {
        int port = freePort();
        Process first = start(port, "first");
        Tenant tenant = new Tenant("killed", port, port).setUp(SUBSCRIPTIONS);
        // Each addition is stored, then answered 400 ms late: a kill most likely hits a STARTED operation.
        tenant.fault(Map.of("status", 0, "delayMillis", 400, "count", 10_000, "method", "POST", "pathContains", "additions",
                "afterCommit", true));
        for (int k = 0; k < EVENTS; k++) {
            for (int i = 0; i < SUBSCRIPTIONS; i++) {
                assertThat(tenant.submit(tenant.event(i, k)).getStatusCode().value()).isEqualTo(202);
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> tenant.calls(Tenant.ADDITIONS_POST) - tenant.postsBefore >= 8);
        long syncedAtKill = tenant.tasks("SYNCED");
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        System.out.printf("KILL -9 after %d of %d tasks SYNCED%n", syncedAtKill, SUBSCRIPTIONS * EVENTS);
        assertThat(syncedAtKill).as("killed mid-batch").isLessThan(SUBSCRIPTIONS * EVENTS);

        // The killed JVM's PostgreSQL is still running on the data folder: the restart has to deal with it.
        long leftover = Long.parseLong(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
        System.out.printf("KILL -9 left PostgreSQL %d alive: %s%n", leftover,
                ProcessHandle.of(leftover).map(ProcessHandle::isAlive).orElse(false));
        start(port, "second");
        tenant.resetCallBaseline(); // the sandbox's call counts live in the bundle's memory
        tenant.awaitAllSynced(SUBSCRIPTIONS * EVENTS, Duration.ofSeconds(180));
        tenant.assertExact("kill -9 mid-batch + restart", EVENTS);
    }

    private Process start(int port, String name) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.cwbridge.BundleApplication",
                "--server.port=" + port, "--cwbridge.data-dir=" + dataDir, "--cwbridge.demo.enabled=false",
                "--cw-sandbox.enabled=true", "--spring.jmx.enabled=false", "--logging.level.root=WARN",
                "--cwbridge.connectwise.initial-backoff=20ms",
                // A killed run's claim on the operation it was sending lapses after the delivery lease
                // (ConnectWiseSettings.deliveryLease): keep it short here, about 13 s.
                "--cwbridge.connectwise.connect-timeout=1s", "--cwbridge.connectwise.request-timeout=2s",
                "--cwbridge.connectwise.max-attempts=3", "--cwbridge.connectwise.max-backoff=1s");
        File log = dataDir.resolve(name + ".log").toFile();
        Process process = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(log).start();
        started.add(process);
        RestClient health = RestClient.create("http://localhost:" + port);
        try {
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .failFast("bundle " + name + " exited", () -> !process.isAlive()).until(() -> {
                return health.get().uri("/actuator/health").retrieve().toBodilessEntity().getStatusCode().is2xxSuccessful();
            });
        } catch (Throwable e) {
            System.out.println("bundle " + name + (process.isAlive() ? " running" : " exit " + process.exitValue()) + ", log:\n" + tail(log));
            throw e;
        }
        return process;
    }

    private static String tail(File log) throws IOException {
        List<String> lines = Files.readAllLines(log.toPath());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
