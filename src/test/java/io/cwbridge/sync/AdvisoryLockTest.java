package io.cwbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cwbridge.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The subscription lock when its connection is lost (a database restart, faults/DatabaseRestartTest): taking it fails
 * as Spring's DataAccessResourceFailureException, which the shared route configuration (routes/route-configuration.yaml)
 * redelivers; releasing it does not fail the run, and the lock is free.
 */
class AdvisoryLockTest {

    private static String url;

    @BeforeAll
    static void database() {
        url = SharedPostgres.newDatabase("advisory_lock");
    }

    @Test
    void aLockWhoseSessionWasLostIsReleasedWithoutAFailure() throws Exception {
        withOneConnection(pool -> {
            AdvisoryLock.Held held = AdvisoryLock.acquire(pool, "p/lost-session");
            assertThat(lockFree("p/lost-session")).as("held").isFalse();
            terminate(pool.getConnection());

            held.close(); // the unlock statement fails on the lost session: no exception

            assertThat(lockFree("p/lost-session")).as("free once its session ended").isTrue();
        });
    }

    @Test
    void takingALockOnALostConnectionFailsAsTheRedeliveredResourceFailure() throws Exception {
        withOneConnection(pool -> {
            terminate(pool.getConnection());

            assertThatThrownBy(() -> AdvisoryLock.acquire(pool, "p/lost-connection"))
                    .isInstanceOf(DataAccessResourceFailureException.class);
        });
    }

    @Test
    void aLockIsHeldUntilClosedThenFree() throws Exception {
        withOneConnection(pool -> {
            try (AdvisoryLock.Held held = AdvisoryLock.acquire(pool, "p/held")) {
                assertThat(lockFree("p/held")).isFalse();
            }
            assertThat(lockFree("p/held")).isTrue();
        });
    }

    interface PoolWork {
        void run(SingleConnectionDataSource pool) throws Exception;
    }

    /** {@code work} on a pool of one connection, the same each time (so a test can end that connection's session). */
    private static void withOneConnection(PoolWork work) throws Exception {
        SingleConnectionDataSource pool = new SingleConnectionDataSource(url, SharedPostgres.USER, "", true);
        try {
            work.run(pool);
        } finally {
            pool.destroy();
        }
    }

    /** Ends {@code victim}'s PostgreSQL session from another one, as a restart does, and waits until it is gone. */
    private static void terminate(Connection victim) throws SQLException {
        int pid;
        try (Statement st = victim.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
        }
        try (Connection other = DriverManager.getConnection(url, SharedPostgres.USER, "");
             Statement st = other.createStatement()) {
            st.execute("SELECT pg_terminate_backend(" + pid + ")"); // an int read from the server
            Awaitility.await().until(() -> {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
                    rs.next();
                    return rs.getInt(1) == 0;
                }
            });
        }
    }

    /** Whether another session can take the lock on {@code key} now (and gives it back). */
    private static boolean lockFree(String key) throws SQLException {
        try (Connection other = DriverManager.getConnection(url, SharedPostgres.USER, "");
             PreparedStatement st = other.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
