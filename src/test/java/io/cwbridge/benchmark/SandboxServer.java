package io.cwbridge.benchmark;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.ServletWebServerFactoryAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;

/**
 * The ConnectWise sandbox alone, in a JVM of its own (issue 14's long heap run): only the sandbox's Spring configuration
 * (package {@code io.cwbridge.sandbox}), a web server and an embedded PostgreSQL of its own, no bundle. The heap benchmark
 * starts it with {@link #start} so the bundle's heap figure holds no sandbox store; the bundle reaches it over HTTP as it
 * reaches ConnectWise. Test code only: the sandbox stands in for ConnectWise.
 */
// @TestConfiguration, not @SpringBootConfiguration: the benchmarks' @SpringBootTest would take the nearest one as the
// bundle's, and the bundle's component scan leaves test configurations out, so this is processed only by main below.
@TestConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, ConfigurationPropertiesAutoConfiguration.class,
        JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class, ServletWebServerFactoryAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class})
@ComponentScan("io.cwbridge.sandbox")
public class SandboxServer {

    /** Arguments: {@code --server.port=N} (and any other Spring property). */
    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(SandboxServer.class);
        // application.yaml still gives the sandbox's keys (cw-sandbox.*); nothing of the bundle is started.
        app.run(args);
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres sandboxPostgres() throws IOException {
        Path dir = Files.createTempDirectory("cw-sandbox-pg");
        return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true).start();
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(8);
        config.setPoolName("sandbox-postgres");
        return new HikariDataSource(config);
    }

    /**
     * Starts the sandbox in a child JVM from this JVM's class path with heap {@code xmx} (e.g. {@code "1g"}) and waits until
     * its admin API answers; its output goes to {@code log}. The caller destroys the process.
     *
     * @return the process and the port it serves on
     */
    public static Running start(String xmx, Path log) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx, "-cp", System.getProperty("java.class.path"), SandboxServer.class.getName(),
                "--server.port=" + port, "--spring.main.banner-mode=off"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        URI calls = URI.create("http://localhost:" + port + "/cw-sandbox/admin/calls");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sandbox JVM exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(calls).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new Running(process, port);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                process.destroy();
                throw new IllegalStateException("sandbox JVM did not answer within 3 minutes; see " + log);
            }
            Thread.sleep(250);
        }
    }

    /** A sandbox JVM started by {@link #start}. */
    public record Running(Process process, int port) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
