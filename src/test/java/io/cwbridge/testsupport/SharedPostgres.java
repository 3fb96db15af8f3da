package io.cwbridge.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test JVM's one PostgreSQL server (issue 18): started on first use, stopped when the JVM ends.
 * Every Spring test context gets a fresh database of its own on it ({@link SharedPostgresContextCustomizerFactory}),
 * as do the tests that start a bundle themselves ({@link ProdBundle}); so a context's data stays its own
 * while one server's start-up and memory serve the whole run.
 */
public final class SharedPostgres {

    public static final String USER = "postgres";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;
    private static Path files;

    private SharedPostgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                files = Files.createTempDirectory("cwbridge-test-pg");
                // its files are kept when it stops, so restart() can start it again on them
                server = builder().setDataDirectory(files).setCleanDataDirectory(false).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(SharedPostgres::stop));
        }
        return server;
    }

    /** Creates an empty database; answers its JDBC URL (user {@link #USER}, no password). */
    public static String newDatabase(String prefix) {
        String name = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name); // a generated identifier, not input
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return server().getJdbcUrl(USER, name);
    }

    /**
     * Stops the server and starts it again on the same files and port, as an operator's restart does
     * ({@code faults/DatabaseRestartTest}); every context's pool reconnects to it.
     */
    public static synchronized void restart() throws IOException, InterruptedException {
        int port = server().getPort();
        server.close();
        awaitFree(port);
        server = builder().setDataDirectory(files).setCleanDataDirectory(false).setPort(port).start();
    }

    /**
     * The server's builder; with {@code -Dtest.postgres.preload=pg_stat_statements} (the benchmark profile) the server
     * loads that library and accounts planning too, so a benchmark can print what each statement cost PostgreSQL.
     */
    private static EmbeddedPostgres.Builder builder() {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        String preload = System.getProperty("test.postgres.preload", "");
        if (!preload.isBlank()) {
            builder.setServerConfig("shared_preload_libraries", preload);
            if (preload.contains("pg_stat_statements")) builder.setServerConfig("pg_stat_statements.track_planning", "on");
            if (preload.contains("auto_explain")) {
                // Diagnosis only (-Dtest.postgres.preload=pg_stat_statements,auto_explain): one statement in 50 logs its plan
                // with the rows, loops and time of each node, into {@code $TMPDIR/cwbridge-postgres-log}.
                builder.setServerConfig("auto_explain.log_min_duration", "0");
                builder.setServerConfig("auto_explain.log_analyze", "on");
                builder.setServerConfig("auto_explain.log_timing", "off");
                builder.setServerConfig("auto_explain.sample_rate", "0.02");
                builder.setServerConfig("logging_collector", "on");
                builder.setServerConfig("log_directory", System.getProperty("java.io.tmpdir") + "/cwbridge-postgres-log");
            }
        }
        return builder;
    }

    /** Until the stopped server's port can be bound again (at most 10 s), rather than a fixed pause. */
    private static void awaitFree(int port) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.setReuseAddress(true); // as PostgreSQL binds it
                probe.bind(new java.net.InetSocketAddress("localhost", port));
                return;
            } catch (IOException inUse) {
                Thread.sleep(50);
            }
        }
    }

    private static synchronized void stop() {
        try {
            if (server != null) server.close();
        } catch (IOException ignored) {
            // the JVM is ending anyway
        }
    }
}
