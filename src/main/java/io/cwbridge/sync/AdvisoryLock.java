package io.cwbridge.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

/**
 * PostgreSQL session advisory locks, shared by every instance on the database: the work runs
 * while the lock is held on a connection of its own (so the work's statements commit as usual),
 * and a crashed instance's lock ends with its connection.
 *
 * <p>A failure of the lock's own statements is thrown as Spring's {@code DataAccessException}, as JdbcTemplate's are:
 * a lost connection (a database restart: SQLSTATE 57P01, 08xxx) is then a {@code DataAccessResourceFailureException},
 * which the shared route configuration redelivers. As a raw {@code PSQLException} it was not, and a run whose lock
 * step met the restart left its tasks for the next tick ({@code faults/DatabaseRestartTest}).
 */
public final class AdvisoryLock {

    private static final Logger log = LoggerFactory.getLogger(AdvisoryLock.class);
    private static final SQLExceptionTranslator TRANSLATOR = new SQLStateSQLExceptionTranslator();
    private static final String LOCK = "SELECT pg_advisory_lock(hashtext(?))";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtext(?))";

    private AdvisoryLock() {}

    /** Work that may throw SQLException. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /** The key the task sync and the month roll both lock one subscription by, so they never interleave. */
    public static String subscription(String partnerId, String subscriptionId) {
        return partnerId + "/" + subscriptionId;
    }

    /** Runs {@code work} holding the lock on {@code key}, waiting for it as long as another holder has it. */
    public static <T> T with(DataSource dataSource, String key, Work<T> work) throws SQLException {
        try (Connection lock = connection(dataSource)) {
            execute(lock, LOCK, key);
            try {
                return work.run();
            } finally {
                unlock(lock, key);
            }
        }
    }

    /** A lock held on a connection of its own until {@link #close}; for a route that holds it across its steps. */
    public static final class Held implements AutoCloseable {
        private final Connection connection;
        private final String key;

        private Held(Connection connection, String key) {
            this.connection = connection;
            this.key = key;
        }

        /** Releases the lock and gives the connection back. */
        @Override
        public void close() throws SQLException {
            try (connection) {
                unlock(connection, key);
            }
        }

        @Override
        public String toString() {
            return "advisory lock " + key;
        }
    }

    /** Takes the lock on {@code key}, waiting for it as long as another holder has it; the caller closes it. */
    public static Held acquire(DataSource dataSource, String key) throws SQLException {
        Connection connection = connection(dataSource);
        try {
            execute(connection, LOCK, key);
            return new Held(connection, key);
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * A pooled connection outlives close(): the session lock is released explicitly. When that fails (the session was
     * lost, or is unusable) the connection is aborted instead of going back to the pool: PostgreSQL ends a session's
     * advisory locks with the session, so the lock is free either way and the work's outcome stands.
     */
    private static void unlock(Connection connection, String key) {
        try {
            execute(connection, UNLOCK, key);
        } catch (RuntimeException e) {
            log.warn("Advisory lock {} not released by its statement ({}); its session is ended instead", key, e.getMessage());
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // already gone: the session, and the lock with it, ended when the connection was lost
            }
        }
    }

    private static Connection connection(DataSource dataSource) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw translated("connection for an advisory lock", e);
        }
    }

    private static void execute(Connection c, String sql, String key) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            ps.execute();
        } catch (SQLException e) {
            throw translated(sql, e);
        }
    }

    private static RuntimeException translated(String task, SQLException e) {
        RuntimeException translated = TRANSLATOR.translate(task, null, e);
        return translated != null ? translated : new org.springframework.jdbc.UncategorizedSQLException(task, null, e);
    }
}
