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

    private static io.cwbridge.connectwise.model.AgreementAddition addition(long id, String cancelled) {
        return new io.cwbridge.connectwise.model.AgreementAddition(id, null, null, null, null, null, null, null,
                cancelled == null ? null : java.time.LocalDate.parse(cancelled), false, null, null, null, "typed by hand", null,
                null, null, null, null, null);
    }

    @Test
    void theHoldOffersAdoptionForAnActiveAdditionAndAFromDateForOneThatEndedR6R25() {
        java.time.LocalDate today = java.time.LocalDate.parse("2024-03-25");
        String active = MappingResolver.handMadeHold("sub-1", 42, java.util.List.of(addition(7, null)), today);
        assertThat(active).contains("adopt one of [7]").contains("\"additionId\"").doesNotContain("fromDate");
        // ended before today: adoption would refuse it, so the from date after its end is the way out
        String ended = MappingResolver.handMadeHold("sub-1", 42, java.util.List.of(addition(8, "2024-02-29")), today);
        assertThat(ended).doesNotContain("adopt one of").contains("8 ended 2024-02-29").contains("\"fromDate\":\"2024-03-01\"");
        String both = MappingResolver.handMadeHold("sub-1", 42, java.util.List.of(addition(7, "2024-03-25"), addition(8, "2024-02-29")), today);
        assertThat(both).contains("adopt one of [7]").contains("8 ended 2024-02-29").contains("R6");
    }
}
