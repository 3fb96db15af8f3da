package io.cwbridge.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * PostgreSQL session advisory locks, shared by every instance on the database: the work runs
 * while the lock is held on a connection of its own (so the work's statements commit as usual),
 * and a crashed instance's lock ends with its connection.
 */
public final class AdvisoryLock {

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
        try (Connection lock = dataSource.getConnection()) {
            execute(lock, "SELECT pg_advisory_lock(hashtext(?))", key);
            try {
                return work.run();
            } finally {
                // A pooled connection outlives close(): the session lock must be released explicitly.
                execute(lock, "SELECT pg_advisory_unlock(hashtext(?))", key);
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
                // A pooled connection outlives close(): the session lock must be released explicitly.
                execute(connection, "SELECT pg_advisory_unlock(hashtext(?))", key);
            }
        }

        @Override
        public String toString() {
            return "advisory lock " + key;
        }
    }

    /** Takes the lock on {@code key}, waiting for it as long as another holder has it; the caller closes it. */
    public static Held acquire(DataSource dataSource, String key) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            execute(connection, "SELECT pg_advisory_lock(hashtext(?))", key);
            return new Held(connection, key);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static void execute(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            ps.execute();
        }
    }
}
