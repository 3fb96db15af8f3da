package io.cwbridge.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.syncrules.PartnerSyncRules;
import io.cwbridge.syncrules.SyncPeriod;
import io.cwbridge.syncrules.TaskSync;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Who is due at a tick (SPEC §4, §6, R30, R31). */
class SyncScheduleTest {

    static PartnerSyncRules rules(boolean automatic, SyncPeriod period) {
        PartnerSyncRules d = PartnerSyncRules.defaults();
        return new PartnerSyncRules(d.positiveChange(), d.negativeChange(), d.cancellation(), d.priceSource(), d.syncUnitPrice(),
                d.syncUnitCost(), d.saasInvoiceValues(), d.iaasInvoiceValues(), d.iaasResourceDetailsInDescription(),
                d.includeSubscriptionInfo(), d.companyFields(), d.productFields(), automatic, period);
    }

    @Test
    void automaticSyncIsOffByDefaultSoNothingIsEverDue() {
        assertThat(SyncSchedule.due(PartnerSyncRules.defaults(), Instant.parse("2024-04-01T00:00:00Z")).any()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            // tick,                  period,          task auto-sync (R31), global sync (R30)
            "2024-04-01T00:00:00Z, DAILY,           true,  true",
            "2024-04-01T00:04:59Z, DAILY,           true,  true",
            "2024-04-01T00:05:00Z, DAILY,           false, false",
            "2024-04-01T12:00:00Z, DAILY,           false, false",
            "2024-04-01T23:55:00Z, DAILY,           false, false",
            "2024-04-01T00:00:00Z, EVERY_5_MINUTES, true,  true",
            "2024-04-01T00:05:00Z, EVERY_5_MINUTES, true,  false",
            "2024-04-01T13:35:00Z, EVERY_5_MINUTES, true,  false",
    })
    void dueWithAutomaticSyncOn(String tick, SyncPeriod period, boolean tasks, boolean global) {
        assertThat(SyncSchedule.due(rules(true, period), Instant.parse(tick))).isEqualTo(new SyncSchedule.Due(tasks, global));
        assertThat(SyncSchedule.due(rules(false, period), Instant.parse(tick)).any()).isFalse();
    }

    static PartnerSyncRules rules(boolean globalSync, TaskSync taskSync) {
        PartnerSyncRules d = PartnerSyncRules.defaults();
        return new PartnerSyncRules(d.positiveChange(), d.negativeChange(), d.cancellation(), d.priceSource(), d.syncUnitPrice(),
                d.syncUnitCost(), d.saasInvoiceValues(), d.iaasInvoiceValues(), d.iaasResourceDetailsInDescription(),
                d.includeSubscriptionInfo(), d.proration(), d.invoicedCatchUp(), d.companyFields(), d.productFields(), globalSync,
                taskSync.period(), taskSync);
    }

    @ParameterizedTest
    @CsvSource({
            // tick,                  task sync,       global sync on, task sync due (R31), global sync due (R30)
            "2024-04-01T00:00:00Z, EVERY_5_MINUTES, false, true,  false",
            "2024-04-01T13:35:00Z, EVERY_5_MINUTES, false, true,  false",
            "2024-04-01T00:00:00Z, DAILY,           false, true,  false",
            "2024-04-01T13:35:00Z, DAILY,           true,  false, false",
            "2024-04-01T00:00:00Z, MANUAL,          true,  false, true",
            "2024-04-01T00:05:00Z, MANUAL,          true,  false, false",
            "2024-04-01T00:00:00Z, IMMEDIATE,       false, false, false",
            "2024-04-01T00:00:00Z, IMMEDIATE,       true,  true,  true",
            "2024-04-01T13:35:00Z, IMMEDIATE,       true,  false, false",
    })
    void taskSyncDecidesTheTasksAndGlobalSyncItself(String tick, TaskSync taskSync, boolean globalSync, boolean tasks,
                                                     boolean global) {
        assertThat(SyncSchedule.due(rules(globalSync, taskSync), Instant.parse(tick))).isEqualTo(new SyncSchedule.Due(tasks, global));
    }
}
