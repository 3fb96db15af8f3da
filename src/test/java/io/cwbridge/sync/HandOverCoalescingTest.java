package io.cwbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.BundleTestBase;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Route subscription-sync runs one hand-over per subscription at a time on an instance (issue 14): a hand-over that comes
 * while another runs the subscription does not wait for the advisory lock, it has the running one look once more.
 */
class HandOverCoalescingTest extends BundleTestBase {

    @Autowired SubscriptionSync sync;
    @Autowired CamelContext camel;

    @Test
    void aHandOverDuringARunMakesThatRunLookOnceMoreInsteadOfWaiting() {
        assertThat(sync.claimRun("coalesce", "sub-1")).isTrue();
        // Another subscription is not held back.
        assertThat(sync.claimRun("coalesce", "sub-2")).isTrue();
        // Two more hand-overs of sub-1 while it runs: neither runs, and the run looks once more (once for both).
        assertThat(sync.claimRun("coalesce", "sub-1")).isFalse();
        assertThat(sync.claimRun("coalesce", "sub-1")).isFalse();
        assertThat(sync.runAgain("coalesce", "sub-1")).isTrue();
        assertThat(sync.runAgain("coalesce", "sub-1")).isFalse();
        // The run is over: the next hand-over runs it.
        sync.releaseRun("coalesce", "sub-1");
        assertThat(sync.claimRun("coalesce", "sub-1")).isTrue();
        assertThat(sync.runAgain("coalesce", "sub-1")).isFalse();
        sync.releaseRun("coalesce", "sub-1");
        assertThat(sync.runAgain("coalesce", "sub-2")).isFalse();
        sync.releaseRun("coalesce", "sub-2");
    }

    @Test
    void aHandOverDuringARunIsQueuedAgainWhenTheRunIsReleasedBeforeItLookedOnceMore() throws Exception {
        NotifyBuilder requeued = new NotifyBuilder(camel).fromRoute("subscription-sync")
                .filter(e -> "requeue".equals(e.getVariable("partnerId", String.class))).whenDone(1).create();
        // A run holds sub-1; a hand-over comes during it; the run then fails before it could look once more (runAgain is
        // not reached), and route subscription-sync's doFinally releases the claim.
        assertThat(sync.claimRun("requeue", "sub-1")).isTrue();
        assertThat(sync.claimRun("requeue", "sub-1")).isFalse();
        sync.releaseRun("requeue", "sub-1");

        // The hand-over is not lost: it is queued again and route subscription-sync runs it (no open task: it ends at once).
        assertThat(requeued.matches(30, TimeUnit.SECONDS)).as("sub-1 handed over again and run").isTrue();
        assertThat(sync.claimRun("requeue", "sub-1")).as("that run is over, its claim released").isTrue();
        sync.releaseRun("requeue", "sub-1");
    }

    @Test
    void aRunReleasedWithoutAHandOverDuringItQueuesNothing() {
        NotifyBuilder requeued = new NotifyBuilder(camel).fromRoute("subscription-sync")
                .filter(e -> "no-requeue".equals(e.getVariable("partnerId", String.class))).whenDone(1).create();
        assertThat(sync.claimRun("no-requeue", "sub-1")).isTrue();
        sync.releaseRun("no-requeue", "sub-1");

        assertThat(requeued.matches(1, TimeUnit.SECONDS)).as("nothing handed over").isFalse();
    }
}
