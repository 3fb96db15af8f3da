package io.cwbridge.rules;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * R30 (SPEC §6, global sync): a subscription whose base line ends within {@value #DAYS_AHEAD} days
 * while the marketplace says it renews (auto-renew on, still active) is listed, because its renewal
 * event (R23, which moves that line's end) may be missing. Pure: the date that matters is
 * {@code today}, given by the caller.
 */
public final class RenewalWatch {

    /** How far ahead the global sync looks (SPEC §6: "within 7 days"). */
    public static final int DAYS_AHEAD = 7;

    private RenewalWatch() {
    }

    /**
     * One subscription to look at: its base line ends on {@code baseLineEnds}, in {@code daysLeft}
     * days; {@code marketplaceEnd} is the end date of its latest event (later than the line's end when
     * a renewal was announced but never reached ConnectWise).
     */
    public record RenewalDue(String subscriptionId, LocalDate baseLineEnds, long daysLeft, LocalDate marketplaceEnd) {
        public RenewalDue {
            Objects.requireNonNull(subscriptionId, "subscriptionId");
            Objects.requireNonNull(baseLineEnds, "baseLineEnds");
        }
    }

    /**
     * @param lines          the subscription's lines (caught-up lines of R27 are not ConnectWise's and are ignored)
     * @param autoRenew      the latest event's {@code autoRenew}
     * @param active         the latest event's status is ACTIVE (and it is not a cancellation)
     * @param marketplaceEnd the latest event's {@code endDate}, may be null
     */
    public static Optional<RenewalDue> check(String subscriptionId, SubscriptionLines lines, boolean autoRenew, boolean active,
            LocalDate marketplaceEnd, LocalDate today) {
        Objects.requireNonNull(lines, "lines");
        Objects.requireNonNull(today, "today");
        if (!autoRenew || !active) return Optional.empty();
        // The base line is BASE, or after a full upgrade (R19) the new product's line, which runs to the subscription end.
        // The old product of a full upgrade is not watched: its lines end with the upgrade's −Q line (UPGRADE, negative),
        // because of the upgrade, not for a missing renewal (a subscription upgraded into another has nothing left here).
        SubscriptionLines own = lines.forSubscription(subscriptionId);
        java.util.Map<Long, LocalDate> upgradedAway = new java.util.HashMap<>();
        own.where(l -> !l.caughtUp() && l.role() == LineRole.UPGRADE && l.quantity().signum() < 0 && l.cancelledDate() != null)
                .forEach(l -> upgradedAway.merge(l.catalogItemId(), l.cancelledDate(), (a, b) -> a.isAfter(b) ? a : b));
        List<AdditionLine> base = own.where(l -> !l.caughtUp() && (l.role() == LineRole.BASE || l.role() == LineRole.UPGRADE)
                && l.quantity().signum() > 0 && !endsWithTheUpgrade(l, upgradedAway) && l.runsAfter(today.minusDays(1)));
        if (base.isEmpty() || base.stream().anyMatch(l -> l.cancelledDate() == null)) return Optional.empty();
        LocalDate ends = base.stream().map(AdditionLine::cancelledDate).max(Comparator.naturalOrder()).orElseThrow();
        long daysLeft = ChronoUnit.DAYS.between(today, ends);
        if (daysLeft > DAYS_AHEAD) return Optional.empty();
        return Optional.of(new RenewalDue(subscriptionId, ends, daysLeft, marketplaceEnd));
    }

    /** The line is of a product a full upgrade took away and ends no later than the upgrade's −Q line does. */
    private static boolean endsWithTheUpgrade(AdditionLine line, java.util.Map<Long, LocalDate> upgradedAway) {
        LocalDate upgradeEnds = upgradedAway.get(line.catalogItemId());
        return upgradeEnds != null && line.cancelledDate() != null && !line.cancelledDate().isAfter(upgradeEnds);
    }
}
