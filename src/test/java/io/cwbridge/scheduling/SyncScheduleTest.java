package io.cwbridge.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.syncrules.PartnerSyncRules;
import io.cwbridge.syncrules.SyncPeriod;
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
}
