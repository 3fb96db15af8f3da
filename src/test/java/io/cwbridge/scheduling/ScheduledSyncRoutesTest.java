package io.cwbridge.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.globalsync.GlobalSyncReport;
import io.cwbridge.globalsync.TimersTestBase;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The timer routes: scheduled-sync-tick (Quartz, stored in the JDBC job store), scheduled-sync (who is
 * due at the clock's instant, 2024-04-01T00:00Z: the daily tick), partner-auto-sync (R31 then R30)
 * and global-sync. The logic routes are called directly, as the timer would.
 */
class ScheduledSyncRoutesTest extends TimersTestBase {

    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;

    /** A NEEDS_MAPPING task whose mapping then appears without the mapping API (so nothing retries it but the timer). */
    long taskWaitingForAMappingThatNowExists() throws Exception {
        long task = submit(event("new", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "99999"));
        assertThat(awaitStatus(task, "NEEDS_MAPPING", "SYNCED", "FAILED")).isEqualTo("NEEDS_MAPPING");
        jdbc.update("INSERT INTO customer_mapping (partner_id, customer_id, company_id) VALUES (?, '99999', ?)", partner, company);
        return task;
    }

    /** Real ticks of this context (every 5 minutes, fixed clock = a daily tick) must not pick up earlier tests' partners. */
    @org.junit.jupiter.api.AfterEach
    void automaticSyncOff() {
        putSyncRules(Map.of("automaticSync", false));
    }

    String status(long task) {
        return jdbc.queryForObject("SELECT status FROM sync_task WHERE task_id = ?", String.class, task);
    }

    long runs(String trigger) {
        return jdbc.queryForObject("SELECT count(*) FROM global_sync_run WHERE partner_id = ? AND trigger = ?", Long.class, partner,
                trigger);
    }

    @Test
    void scheduledSyncTickIsACronTriggerEveryFiveMinutesUtcStoredInTheQuartzTables() throws Exception {
        assertThat(camel.getRoute("scheduled-sync-tick")).isNotNull();
        QuartzEndpoint endpoint = (QuartzEndpoint) camel.getRoute("scheduled-sync-tick").getEndpoint();
        assertThat(endpoint.getCron()).isEqualTo("0 0/5 * * * ?");
        assertThat(endpoint.getComponent().getScheduler().getMetaData()).satisfies(meta -> {
            assertThat(meta.isJobStoreClustered()).isTrue();
            assertThat(meta.getJobStoreClass().getName()).isEqualTo("org.springframework.scheduling.quartz.LocalDataSourceJobStore");
        });
        assertThat(jdbc.queryForMap("SELECT cron_expression, time_zone_id FROM qrtz_cron_triggers WHERE trigger_name = 'scheduled-sync'"))
                .containsEntry("cron_expression", "0 0/5 * * * ?").containsEntry("time_zone_id", "UTC");
        assertThat(jdbc.queryForObject("SELECT job_class_name FROM qrtz_job_details WHERE job_name = 'scheduled-sync'", String.class))
                .isEqualTo("org.apache.camel.component.quartz.StatefulCamelJob");
    }

    @Test
    void scheduledSyncRunsDuePartnersOnlyAndLogsTheTick() throws Exception {
        long task = taskWaitingForAMappingThatNowExists();
        long ticks = jdbc.queryForObject("SELECT count(*) FROM scheduled_sync_tick", Long.class);

        assertThat(camel.getRoute("scheduled-sync").getEndpoint().getEndpointUri()).isEqualTo("direct://scheduled-sync");
        // automatic sync off (the default): the tick leaves the partner alone
        producer.sendBody("direct:scheduled-sync", null);
        assertThat(status(task)).isEqualTo("NEEDS_MAPPING");
        assertThat(runs("SCHEDULED")).isZero();

        putSyncRules(Map.of("automaticSync", true, "syncPeriod", "DAILY"));
        producer.sendBody("direct:scheduled-sync", null);

        assertThat(status(task)).isEqualTo("SYNCED"); // R31
        assertThat(runs("SCHEDULED")).isEqualTo(1); // R30 at the 00:00 UTC tick
        assertThat(additions()).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scheduled_sync_tick", Long.class)).isEqualTo(ticks + 2);
        assertThat(jdbc.queryForObject("SELECT clock_instant::text FROM scheduled_sync_tick ORDER BY tick_id DESC LIMIT 1", String.class))
                .startsWith("2024-04-01 00:00:00");
    }

    @Test
    void partnerAutoSyncRetriesTasksAndRunsTheGlobalSyncOnlyWhenDue() throws Exception {
        long task = taskWaitingForAMappingThatNowExists();
        assertThat(camel.getRoute("partner-auto-sync").getEndpoint().getEndpointUri()).isEqualTo("direct://partner-auto-sync");

        producer.sendBody("direct:partner-auto-sync", new DuePartner(partner, true, false));

        assertThat(status(task)).isEqualTo("SYNCED");
        assertThat(runs("SCHEDULED")).isZero();

        producer.sendBody("direct:partner-auto-sync", new DuePartner(partner, true, true));
        assertThat(runs("SCHEDULED")).isEqualTo(1);
    }

    @Test
    void globalSyncRouteAnswersTheRunReport() {
        assertThat(camel.getRoute("global-sync").getEndpoint().getEndpointUri()).isEqualTo("direct://global-sync");
        GlobalSyncReport report = producer.requestBodyAndHeader("direct:global-sync", null, "partnerId", partner,
                GlobalSyncReport.class);

        assertThat(report.partnerId()).isEqualTo(partner);
        assertThat(report.trigger()).isEqualTo("ON_DEMAND"); // no trigger header: a run on demand
        assertThat(report.status()).isEqualTo("COMPLETED");
        // no events yet: nothing to compare, nothing read or written
        assertThat(report.lookedAt()).isEqualTo(new GlobalSyncReport.Counts(0, 0, 0));
        assertThat(report.calls()).isEqualTo(new GlobalSyncReport.Calls(0, 0));
        assertThat(report.changes()).isEqualTo(List.of());
    }
}
