package io.cwbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.globalsync.GlobalSyncReport;
import io.cwbridge.globalsync.TimersTestBase;
import io.cwbridge.scheduling.DuePartner;
import io.cwbridge.testsupport.Tenant;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Route slices of routes/scheduled-sync.yaml on the shared timer context: a {@link MockEndpoint} woven at
 * the end of partner-auto-sync, partner-task-sync and global-sync (AdviceWith by route id; the mocks only
 * record, so every other test of the context runs the same routes). Asserts each branch: the split of
 * scheduled-sync over the due partners, partner-auto-sync's two filters (task sync R31, global sync R30)
 * and its doCatch, which keeps one partner's failure from ending the tick. Only this test's partners are
 * counted. The clock is the daily 00:00 UTC tick of 2024-04-01 (TimersTestBase).
 */
class ScheduledSyncRouteSliceTest extends TimersTestBase {

    private static final List<String> WATCHED = List.of("partner-auto-sync", "partner-task-sync", "global-sync");

    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;

    private Tenant second;

    @BeforeEach
    void watchTheBranches() throws Exception {
        for (String route : WATCHED) {
            if (camel.hasEndpoint("mock:" + route) == null) {
                AdviceWith.adviceWith(camel, route, a -> a.weaveAddLast().to("mock:" + route));
            }
        }
    }

    /** The context's real ticks must not act on these partners later. */
    @AfterEach
    void automaticSyncOff() {
        putSyncRules(Map.of("automaticSync", false));
        if (second != null) second.syncRules(Map.of("automaticSync", false));
    }

    @Test
    void onlyTheTaskSyncBranchRunsWhenOnlyItIsDue() {
        Exchange done = producer.send("direct:partner-auto-sync", e -> e.getIn().setBody(new DuePartner(partner, true, false)));

        assertThat(done.getException()).isNull();
        assertThat(received("partner-task-sync", partner)).hasSize(1);
        assertThat(received("global-sync", partner)).isEmpty();
        assertThat(received("partner-auto-sync", partner)).hasSize(1);
    }

    @Test
    void onlyTheGlobalSyncBranchRunsWhenOnlyItIsDueAndItIsMarkedScheduled() {
        Exchange done = producer.send("direct:partner-auto-sync", e -> e.getIn().setBody(new DuePartner(partner, false, true)));

        assertThat(done.getException()).isNull();
        assertThat(received("partner-task-sync", partner)).isEmpty();
        assertThat(received("global-sync", partner)).singleElement().satisfies(e -> {
            assertThat(e.getIn().getHeader("globalSyncTrigger")).isEqualTo("SCHEDULED");
            GlobalSyncReport report = e.getIn().getBody(GlobalSyncReport.class);
            assertThat(report.partnerId()).isEqualTo(partner);
            assertThat(report.trigger()).isEqualTo("SCHEDULED");
            assertThat(report.status()).isEqualTo("COMPLETED");
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM global_sync_run WHERE partner_id = ? AND trigger = 'SCHEDULED'",
                Long.class, partner)).isEqualTo(1);
    }

    @Test
    void bothBranchesRunInOrderWhenBothAreDueAndNeitherWhenNoneIs() {
        producer.send("direct:partner-auto-sync", e -> e.getIn().setBody(new DuePartner(partner, false, false)));
        assertThat(received("partner-task-sync", partner)).isEmpty();
        assertThat(received("global-sync", partner)).isEmpty();
        assertThat(received("partner-auto-sync", partner)).hasSize(1);

        producer.send("direct:partner-auto-sync", e -> e.getIn().setBody(new DuePartner(partner, true, true)));
        Exchange task = single(received("partner-task-sync", partner));
        Exchange global = single(received("global-sync", partner));
        // R31 before R30: the task sync's end was recorded no later than the global sync's
        assertThat(task.getProperty(Exchange.RECEIVED_TIMESTAMP, java.util.Date.class))
                .isBeforeOrEqualTo(global.getProperty(Exchange.RECEIVED_TIMESTAMP, java.util.Date.class));
        assertThat(received("partner-auto-sync", partner)).hasSize(2);
    }

    @Test
    void aFailingPartnerIsCaughtAndLoggedAndTheRouteCompletes() {
        String unknown = "nobody-" + partner;
        Exchange done = producer.send("direct:partner-auto-sync", e -> e.getIn().setBody(new DuePartner(unknown, true, true)));

        // doCatch: the exchange ends without its exception, which is kept as the caught one
        assertThat(done.getException()).isNull();
        assertThat(done.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)).isNotNull()
                .hasStackTraceContaining("partner " + unknown + " has no ConnectWise connection");
        assertThat(received("partner-task-sync", unknown)).as("the task sync ran before the global sync failed").hasSize(1);
        assertThat(received("global-sync", unknown)).as("the global sync did not finish").isEmpty();
        assertThat(received("partner-auto-sync", unknown)).hasSize(1);
    }

    @Test
    void theTickSplitsOverEveryDuePartnerAndLeavesTheOthers() {
        second = Tenant.connected("p2", port);
        Tenant third = Tenant.connected("p3", port); // automatic sync off (the default): not due
        putSyncRules(Map.of("automaticSync", true, "syncPeriod", "DAILY"));
        second.syncRules(Map.of("automaticSync", true, "syncPeriod", "EVERY_5_MINUTES"));

        producer.sendBody("direct:scheduled-sync", null);

        assertThat(received("partner-auto-sync", partner)).singleElement().satisfies(e -> {
            assertThat(e.getIn().getHeader("taskSyncDue", Boolean.class)).isTrue();
            assertThat(e.getIn().getHeader("globalSyncDue", Boolean.class)).as("R30 at the 00:00 UTC tick").isTrue();
        });
        assertThat(received("partner-auto-sync", second.partner())).singleElement()
                .satisfies(e -> assertThat(e.getIn().getHeader("taskSyncDue", Boolean.class)).isTrue());
        assertThat(received("partner-task-sync", second.partner())).hasSize(1);
        assertThat(received("partner-auto-sync", third.partner())).isEmpty();
    }

    /** The exchanges of {@code partnerId} that reached the end of {@code route}. */
    private List<Exchange> received(String route, String partnerId) {
        return camel.getEndpoint("mock:" + route, MockEndpoint.class).getReceivedExchanges().stream()
                .filter(e -> partnerId.equals(e.getIn().getHeader("partnerId"))).toList();
    }

    private static Exchange single(List<Exchange> exchanges) {
        assertThat(exchanges).hasSize(1);
        return exchanges.get(0);
    }
}
