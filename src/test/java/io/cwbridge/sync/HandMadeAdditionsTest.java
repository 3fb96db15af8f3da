package io.cwbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** R6: which additions of the agreement the first event of a subscription takes for hand-made. */
class HandMadeAdditionsTest {

    @Test
    void aLineTheBundleWroteForAnotherSubscriptionIsThatSubscriptionsNotHandMade() {
        String other = "Microsoft 365 NCE - Microsoft 365 Business Premium | CFQ7TTC0LCHC:0002:P1 | Subscription sub-2 | 10 licences";
        assertThat(MappingResolver.namesAnotherSubscription(other, "sub-1")).isTrue();
        // its own line, or a description that names no subscription, may be this subscription's hand-made billing
        assertThat(MappingResolver.namesAnotherSubscription(other.replace("sub-2", "sub-1"), "sub-1")).isFalse();
        assertThat(MappingResolver.namesAnotherSubscription("Business Premium for Chairs (typed by hand)", "sub-1")).isFalse();
        assertThat(MappingResolver.namesAnotherSubscription("", "sub-1")).isFalse();
        assertThat(MappingResolver.namesAnotherSubscription("Subscription sub-2", "sub-1")).isTrue();
    }
}
