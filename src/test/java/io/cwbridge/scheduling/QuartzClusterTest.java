package io.cwbridge.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.BundleApplication;
import io.cwbridge.testsupport.SharedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two bundle instances on one PostgreSQL share the Quartz JDBC job store (clustered): each tick of
 * route scheduled-sync-tick runs once, on one of them, and the other takes over when one stops firing.
 * The tick is every second here (cwbridge.scheduling.cron) to keep the test short.
 */
class QuartzClusterTest {

    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    @AfterEach
    void close() {
        if (second != null) second.close();
        if (first != null) first.close();
    }

    /** Arguments, as on a command line, so they win over application.yaml. */
    private static ConfigurableApplicationContext start(Path dataDir, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--server.port=0", "--cwbridge.data-dir=" + dataDir,
                "--cwbridge.scheduling.cron=* * * * * ?",
                // Spring's LocalDataSourceJobStore registers its data source in Quartz's JVM-wide DBConnectionManager by
                // scheduler name: under the bundle's own name, a shared test context's scheduler of this JVM could take
                // this cluster's DataSource (or these nodes its) and fire the cluster's ticks into another database
                "--spring.quartz.scheduler-name=cw-quartz-cluster-test",
                // an idle scheduler looks for due triggers every second, not every 30 s, so the take-over is quick
                "--spring.quartz.properties.org.quartz.scheduler.idleWaitTime=1000",
                // two bundles in one JVM: without JMX their MBeans (and Camel management names) cannot clash
                "--camel.main.jmx-enabled=false", "--spring.jmx.enabled=false"));
        for (String e : extra) args.add("--" + e);
        return new SpringApplicationBuilder(BundleApplication.class).profiles("test").run(args.toArray(String[]::new));
    }

    @Test
    void eachTickRunsOnceAcrossTwoInstancesAndTheSecondTakesOver() throws Exception {
        // One database for both instances, on the test JVM's one PostgreSQL.
        String url = SharedPostgres.newDatabase("quartz_cluster");
        first = start(Files.createTempDirectory("cwbridge-node-a"), "cwbridge.embedded-db.enabled=false",
                "spring.datasource.url=" + url, "spring.datasource.username=" + SharedPostgres.USER);
        DataSource firstDb = first.getBean(DataSource.class);
        second = start(Files.createTempDirectory("cwbridge-node-b"), "cwbridge.embedded-db.enabled=false",
                "spring.datasource.url=" + url, "spring.datasource.username=" + SharedPostgres.USER);
        JdbcTemplate jdbc = new JdbcTemplate(firstDb);
        String a = first.getBean(ScheduledSync.class).instanceId();
        String b = second.getBean(ScheduledSync.class).instanceId();

        // Both schedulers checked in to the one job store, and the trigger is stored there.
        awaitCount(jdbc, "SELECT count(*) FROM qrtz_scheduler_state", 2);
        assertThat(jdbc.queryForObject("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'scheduled-sync'", String.class)).isEqualTo("* * * * * ?");
        awaitCount(jdbc, "SELECT count(DISTINCT fire_time) FROM scheduled_sync_tick", 4);
        assertThat(twice(jdbc)).isEmpty();

        // The first instance leaves the cluster (its database must stay: the second uses the first's embedded one).
        first.getBean(org.quartz.Scheduler.class).standby();
        long before = jdbc.queryForObject("SELECT count(*) FROM scheduled_sync_tick WHERE instance_id = ?", Long.class, b);
        awaitCount(jdbc, "SELECT count(*) FROM scheduled_sync_tick WHERE instance_id = '" + b + "'", before + 3);
        assertThat(twice(jdbc)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scheduled_sync_tick WHERE instance_id IN (?, ?)", Long.class, a, b))
                .isEqualTo(jdbc.queryForObject("SELECT count(*) FROM scheduled_sync_tick", Long.class));
    }

    private static List<Map<String, Object>> twice(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT fire_time, count(*) FROM scheduled_sync_tick GROUP BY fire_time HAVING count(*) > 1");
    }

    private static void awaitCount(JdbcTemplate jdbc, String sql, long atLeast) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 45_000; // generous: a loaded 2-core CI machine starts the second scheduler late
        long count = 0;
        while (System.currentTimeMillis() < deadline) {
            count = jdbc.queryForObject(sql, Long.class);
            if (count >= atLeast) return;
            Thread.sleep(200);
        }
        throw new AssertionError(sql + " gave " + count + ", expected at least " + atLeast);
    }
}
