package io.cwbridge.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.SharedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What one round trip to PostgreSQL costs the machine, apart from what the statement does: the floor under the
 * bundle's per-event SQL (intake, task rows, plan store, ledger, the subscription lock). One connection, server-side
 * prepared statements as pgjdbc makes them, the same embedded PostgreSQL as the pipeline benchmark; CPU per call from
 * {@link CpuAccount} (the PostgreSQL processes from {@code /proc}, this JVM's threads). Prints figures, asserts only
 * that the statements answered.
 */
@Tag("benchmark")
class RoundTripBenchmark {

    private static final int CALLS = 20_000;

    @Test
    void cpuPerRoundTripTrivialStatementCommitAndAWideStatement() throws Exception {
        String url = SharedPostgres.newDatabase("roundtrip");
        try (Connection c = DriverManager.getConnection(url, SharedPostgres.USER, "")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text)");
                for (int i = 0; i < 12; i++) s.execute("CREATE TABLE s" + i + " (k text PRIMARY KEY, v bigint)");
            }
            // a statement of the task-rows query's width: 12 scalar look-ups by key, each its own plan node
            StringBuilder wide = new StringBuilder("SELECT ?::text AS k");
            for (int i = 0; i < 12; i++) wide.append(", (SELECT v FROM s").append(i).append(" WHERE k = ?) AS v").append(i);
            Map<String, double[]> perCall = new java.util.LinkedHashMap<>();
            perCall.put("SELECT 1 (autocommit)", measure(c, "SELECT 1", 0));
            perCall.put("INSERT one row (autocommit: its own commit)", measure(c, "INSERT INTO t (id, v) VALUES (?, 'x')", -1));
            perCall.put("SELECT with 12 scalar look-ups (autocommit)", measure(c, wide.toString(), 13));
            System.out.println();
            System.out.println("==== PostgreSQL round trip (one connection, " + CALLS + " calls each; CPU ms per call) ====");
            perCall.forEach((what, ms) -> System.out.printf(Locale.ROOT, "  %-46s  PostgreSQL %.3f  this JVM %.3f  wall %.3f%n",
                    what, ms[0], ms[1], ms[2]));
            System.out.println("=============================================");
            assertThat(perCall).hasSize(3);
        }
    }

    /** CPU per call: PostgreSQL's, this JVM's, and the wall time; {@code params} text parameters, -1 for the row id. */
    private static double[] measure(Connection c, String sql, int params) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int warm = 0; warm < 2_000; warm++) call(ps, params, -warm - 1);
            CpuAccount cpu = new CpuAccount();
            long start = System.nanoTime();
            cpu.begin();
            for (int i = 0; i < CALLS; i++) call(ps, params, i);
            Map<String, Double> used = cpu.end(CALLS);
            double wall = (System.nanoTime() - start) / 1e6 / CALLS;
            double postgres = used.entrySet().stream().filter(e -> e.getKey().startsWith("PostgreSQL"))
                    .mapToDouble(Map.Entry::getValue).sum();
            double jvm = used.entrySet().stream().filter(e -> !e.getKey().startsWith("PostgreSQL"))
                    .mapToDouble(Map.Entry::getValue).sum();
            return new double[] {postgres, jvm, wall};
        }
    }

    private static void call(PreparedStatement ps, int params, long id) throws Exception {
        if (params < 0) {
            ps.setLong(1, id);
            ps.executeUpdate();
            return;
        }
        for (int p = 1; p <= params; p++) ps.setString(p, "key-" + p);
        try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
        }
    }
}
