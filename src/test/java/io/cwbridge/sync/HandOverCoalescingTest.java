package io.cwbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.BundleTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Route subscription-sync runs one hand-over per subscription at a time on an instance (issue 14): a hand-over that comes
 * while another runs the subscription does not wait for the advisory lock, it has the running one look once more.
 */
class HandOverCoalescingTest extends BundleTestBase {

    @Autowired SubscriptionSync sync;

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
}
