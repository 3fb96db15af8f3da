package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.config.EmbeddedPostgresConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * The start command run a second time in the same folder (issue 13): the second bundle finds the
 * data folder held by the running one and refuses, naming it (PID, port), with a non-zero exit and
 * without touching its PostgreSQL; the first keeps answering, database included. Once the first is
 * killed (kill -9, its PostgreSQL left running) the folder is free again and a new start takes it
 * over. Both bundles are child JVMs, as a second {@code mvn spring-boot:run} would be.
 */
class SecondStartRefusedTest {

    @TempDir Path dataDir;
    final List<Process> started = new ArrayList<>();
    final ObjectMapper mapper = new ObjectMapper();

    @AfterEach
    void stopAll() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly().waitFor();
            }
        }
        EmbeddedPostgresConfiguration.stopLeftoverServer(dataDir.resolve("postgres"));
    }

    @Test
    void aSecondStartOnAFolderInUseIsRefusedAndTheFirstKeepsWorking() throws Exception {
        int port = freePort();
        Process first = start(port, "first");
        awaitHealthy(first, port, "first");
        String postmasterBefore = Files.readString(dataDir.resolve("postgres/postmaster.pid"));
        String ownerBefore = Files.readString(dataDir.resolve("bundle.owner"));
        assertThat(ownerBefore).contains("pid=" + first.pid()).contains("port=" + port);

        // Exactly what a second "mvn spring-boot:run" in the same folder does: same folder, same port.
        Process second = start(port, "second");
        assertThat(second.waitFor(180, TimeUnit.SECONDS)).as("second start ends by itself").isTrue();
        String secondLog = Files.readString(dataDir.resolve("second.log"));
        System.out.println("The refused start said:\n" + secondLog);
        assertThat(second.exitValue()).as("exit code of the refused start; log:\n%s", secondLog).isNotZero();
        assertThat(secondLog)
                .contains("Data folder " + dataDir.toAbsolutePath().normalize() + " is in use by a running bundle (PID "
                        + first.pid() + ", HTTP port " + port)
                .contains("Nothing was changed; this start is refused.")
                .doesNotContain("still holds") // the leftover-server warning: it did not go for the first's PostgreSQL
                .doesNotContain("Embedded PostgreSQL on port");

        // Nothing in the folder changed, and the first instance still serves, its database included.
        assertThat(Files.readString(dataDir.resolve("postgres/postmaster.pid"))).isEqualTo(postmasterBefore);
        assertThat(Files.readString(dataDir.resolve("bundle.owner"))).isEqualTo(ownerBefore);
        assertThat(first.isAlive()).isTrue();
        RestClient http = client(port);
        ResponseEntity<String> health = http.get().uri("/actuator/health").retrieve().toEntity(String.class);
        assertThat(health.getStatusCode().value()).isEqualTo(200);
        JsonNode body = mapper.readTree(health.getBody());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(http.get().uri("/api/v1/partners").retrieve().toEntity(String.class).getStatusCode().value())
                .as("an API read that needs the database").isEqualTo(200);

        // kill -9: the lock goes with the process, its PostgreSQL stays; the next start may take the folder.
        first.destroyForcibly();
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Process third = start(port, "third");
        awaitHealthy(third, port, "third");
        assertThat(Files.readString(dataDir.resolve("third.log"))).contains("still holds"); // the dead bundle's server, stopped
        assertThat(Files.readString(dataDir.resolve("bundle.owner"))).contains("pid=" + third.pid());
    }

    /** A postmaster.pid whose PID now belongs to another PostgreSQL (PID reuse) does not get that server stopped. */
    @Test
    void aLeftoverPidThatNowNamesAnotherPostgresIsLeftAlone() throws Exception {
        try (EmbeddedPostgres other = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("other")).start()) {
            List<String> real = Files.readAllLines(dataDir.resolve("other/postmaster.pid"));
            Path stale = Files.createDirectories(dataDir.resolve("postgres"));
            List<String> lines = new ArrayList<>(real);
            lines.set(1, stale.toString());
            lines.set(2, Long.toString(Long.parseLong(real.get(2).trim()) - 86_400)); // written by a server a day older
            Files.write(stale.resolve("postmaster.pid"), lines);
            EmbeddedPostgresConfiguration.stopLeftoverServer(stale);
            try (var connection = other.getPostgresDatabase().getConnection()) {
                assertThat(connection.isValid(5)).as("the other PostgreSQL still serves").isTrue();
            }
            Files.delete(stale.resolve("postmaster.pid"));
        }
    }

    private Process start(int port, String name) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.cwbridge.BundleApplication",
                "--server.port=" + port, "--cwbridge.data-dir=" + dataDir, "--cwbridge.demo.enabled=false",
                "--cw-sandbox.enabled=true", "--spring.jmx.enabled=false", "--logging.level.root=WARN",
                "--logging.level.io.cwbridge.config=INFO");
        File log = dataDir.resolve(name + ".log").toFile();
        Process process = new ProcessBuilder(command).directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(log).start();
        started.add(process);
        return process;
    }

    private void awaitHealthy(Process process, int port, String name) throws IOException {
        RestClient health = client(port);
        try {
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .failFast("bundle " + name + " exited", () -> !process.isAlive())
                    .until(() -> health.get().uri("/actuator/health").retrieve().toBodilessEntity().getStatusCode().value() == 200);
        } catch (Throwable e) {
            System.out.println("bundle " + name + (process.isAlive() ? " running" : " exit " + process.exitValue()) + ", log:\n"
                    + Files.readString(dataDir.resolve(name + ".log")));
            throw e;
        }
    }

    private static RestClient client(int port) {
        return RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { }).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
