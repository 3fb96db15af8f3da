package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.SUB;
import static io.cwbridge.rules.Fixtures.base;
import static io.cwbridge.rules.Fixtures.date;
import static io.cwbridge.rules.Fixtures.delta;
import static io.cwbridge.rules.Fixtures.lines;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.rules.RenewalWatch.RenewalDue;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** R30: subscriptions whose base line ends within 7 days while the marketplace says they renew. */
class RenewalWatchTest {

    private static final LocalDate ENDS = date("2025-02-13");

    private static Optional<RenewalDue> check(SubscriptionLines lines, boolean autoRenew, boolean active, LocalDate today) {
        return RenewalWatch.check(SUB, lines, autoRenew, active, ENDS, today);
    }

    @Test
    void r30ListedFromSevenDaysBeforeTheEndThroughTheLastDayNeverBeforeOrAfter() {
        SubscriptionLines lines = lines(base(1, 10, "2024-02-14", "2025-02-13"));
        for (LocalDate today = date("2025-01-01"); !today.isAfter(date("2025-03-01")); today = today.plusDays(1)) {
            long left = ENDS.toEpochDay() - today.toEpochDay();
            Optional<RenewalDue> due = check(lines, true, true, today);
            assertThat(due.isPresent()).as("today %s", today).isEqualTo(left >= 0 && left <= RenewalWatch.DAYS_AHEAD);
            due.ifPresent(d -> {
                assertThat(d.baseLineEnds()).isEqualTo(ENDS);
                assertThat(d.daysLeft()).isEqualTo(left);
                assertThat(d.marketplaceEnd()).isEqualTo(ENDS);
            });
        }
    }

    @Test
    void r30OnlyWhenTheMarketplaceSaysItRenews() {
        SubscriptionLines lines = lines(base(1, 10, "2024-02-14", "2025-02-13"));
        LocalDate today = date("2025-02-10");
        assertThat(check(lines, true, true, today)).isPresent();
        assertThat(check(lines, false, true, today)).as("auto-renew off: the line ends as it should (R23)").isEmpty();
        assertThat(check(lines, true, false, today)).as("not active").isEmpty();
        assertThat(check(lines, false, false, today)).isEmpty();
    }

    @Test
    void r30AnOpenOrAlreadyRenewedBaseLineIsNotListed() {
        LocalDate today = date("2025-02-10");
        assertThat(check(lines(base(1, 10, "2024-02-14", null)), true, true, today)).isEmpty();
        // R23 moved the line's end: it runs another year.
        assertThat(check(lines(base(1, 10, "2024-02-14", "2026-02-13")), true, true, today)).isEmpty();
        assertThat(check(SubscriptionLines.none(), true, true, today)).isEmpty();
    }

    @Test
    void r30DeltaLinesDoNotCountOnlyTheBaseLineDoes() {
        LocalDate today = date("2025-02-10");
        SubscriptionLines lines = lines(base(1, 10, "2024-02-14", "2026-02-13"), delta(2, 2, "2025-02-01", "2025-02-13"));
        assertThat(check(lines, true, true, today)).isEmpty();
        SubscriptionLines ending = lines(base(1, 10, "2024-02-14", "2025-02-13"), delta(2, 2, "2025-02-01", "2025-02-28"));
        assertThat(check(ending, true, true, today)).map(RenewalDue::baseLineEnds).contains(ENDS);
    }

    @Test
    void r30TheLatestEndingBaseLineDecides() {
        LocalDate today = date("2025-02-10");
        // R25 dated base lines: an earlier base line ended, the current one runs to the end.
        SubscriptionLines lines = lines(base(1, 10, "2024-02-14", "2024-03-31"), base(2, 12, "2024-04-01", "2025-02-13"));
        assertThat(check(lines, true, true, today)).map(RenewalDue::daysLeft).contains(3L);
        assertThat(check(lines(base(1, 10, "2024-02-14", "2025-02-09")), true, true, today))
                .as("ended yesterday: no longer 'ends within 7 days'").isEmpty();
    }

    /**
     * A black-box probe (stop 32) found a subscription upgraded into a new one (R19) listed: its base line ends at the
     * upgrade's month end because the upgrade ended it, not because a renewal is missing.
     */
    @Test
    void r30R19ASubscriptionUpgradedAwayIsNotListedTheUpgradedOneIs() {
        SubscriptionLines sold = lines(base(1, 10, "2024-02-14", "2025-02-13"));
        SubscriptionLines intoANewOne = sold.apply(Fixtures.plan(Fixtures.fullUpgrade("2024-03-10", 10, "sub-new"), sold, Fixtures.rules()));
        assertThat(check(intoANewOne, true, true, date("2024-03-25"))).as("upgraded into sub-new").isEmpty();
        // the same subscription upgraded in place: the new product's line is its base, and its end is watched
        SubscriptionLines inPlace = sold.apply(Fixtures.plan(Fixtures.fullUpgrade("2024-03-10", 10, SUB), sold, Fixtures.rules()));
        assertThat(check(inPlace, true, true, date("2024-03-25"))).isEmpty();
        assertThat(check(inPlace, true, true, date("2025-02-10"))).map(RenewalDue::baseLineEnds).contains(ENDS);
        // both products mapped to one catalog item: the new product's line runs past the −Q line's end and is still watched
        MappingContext oneItem = new MappingContext(Fixtures.AGREEMENT, date("2024-02-01"), Fixtures.CATALOG, Fixtures.CATALOG, null);
        SubscriptionLines sameItem = sold.apply(AdditionRules.plan(Fixtures.fullUpgrade("2024-03-10", 10, SUB), sold, oneItem,
                Fixtures.rules()));
        assertThat(check(sameItem, true, true, date("2025-02-10"))).map(RenewalDue::baseLineEnds).contains(ENDS);
    }
}
