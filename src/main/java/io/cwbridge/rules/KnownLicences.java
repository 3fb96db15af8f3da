package io.cwbridge.rules;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The licence count the lines already stand for once every known change has taken effect and been
 * rolled into the base (R18): the quantity on the latest effective date (or c), with the month roll
 * played forward virtually. A change event's delta is its new quantity minus this, so ConnectWise
 * converges on the marketplace's count and a replayed event changes nothing.
 */
final class KnownLicences {

    private KnownLicences() {
    }

    static BigDecimal after(PlanBuilder context, SubscriptionLines view, String subscriptionId, LocalDate c) {
        SubscriptionLines lines = view.forSubscription(subscriptionId);
        LocalDate horizon = c;
        for (AdditionLine line : lines.licenceLines()) {
            horizon = EffectiveDates.latest(horizon, line.effectiveDate());
        }
        // R19, R21: a full upgrade or a cancellation after c (the change arrived late) ends what the lines stand for: they
        // are counted on the day before it, where the old product still bills (on the day itself they bill nothing)
        for (AdditionLine line : lines.where(l -> (l.role() == LineRole.UPGRADE || l.role() == LineRole.CANCELLATION)
                && l.quantity().signum() < 0 && l.effectiveDate().isAfter(c))) {
            horizon = EffectiveDates.earliestEnd(horizon, line.effectiveDate().minusDays(1));
        }
        PlanBuilder projection = context.projection(lines.all());
        MonthRoll.roll(projection, horizon.plusDays(1));
        return projection.view().quantityOn(horizon);
    }

    /** The licences the lines bill on {@code day} once the month rolls before it have been done. */
    static BigDecimal on(PlanBuilder context, SubscriptionLines view, String subscriptionId, LocalDate day) {
        PlanBuilder projection = context.projection(view.forSubscription(subscriptionId).all());
        MonthRoll.roll(projection, day.plusDays(1));
        return projection.view().quantityOn(day);
    }
}
