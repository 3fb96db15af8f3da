package io.cwbridge.rules;

import io.cwbridge.events.EventAction;
import io.cwbridge.events.SubscriptionEvent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;

/**
 * R21 × R10: an event that arrives after the subscription's cancellation was synced (a change dated before the
 * cancellation, the sale itself, a renewal) must not bring the cancelled subscription back. Nothing bills from the
 * cancellation's day x on ({@link MappingContext#cancelledFrom}), so:
 * <ul>
 *   <li>an event dated on or after x plans nothing (usage keeps its period: it is billed);</li>
 *   <li>a change of a subscription left without licence lines (R22 deleted its never-invoiced lines) plans nothing;</li>
 *   <li>otherwise the event's rule plans as usual, and then the licence lines it creates end by the cancellation
 *       (CANCEL_PER_CANCELLATION_DATE: the day before x, and after the month roll due before x the cancellation's −Q
 *       line nets what the product's other lines still bill on x, an R11 change of the base included;
 *       LAST_DAY_OF_MONTH: the end of x's month), a line that would start after that is not created, and a line whose
 *       end the rule moved (a renewal, R23) ends no later than that or than it did.</li>
 * </ul>
 */
final class CancelledSubscription {

    private CancelledSubscription() {
    }

    /** The plan when the event changes nothing because the subscription was cancelled; empty when its rule runs. */
    static Optional<AdditionPlan> skipped(SubscriptionEvent event, SubscriptionLines lines, MappingContext mapping) {
        LocalDate x = mapping.cancelledFrom();
        EventAction action = event.action();
        if (x == null || action == EventAction.CANCEL || action == EventAction.USAGE) return Optional.empty();
        String id = event.subscription().id();
        LocalDate c = event.changeDate();
        if (!c.isBefore(x)) {
            return Optional.of(AdditionPlan.empty("R21: subscription " + id + " was cancelled from " + x + ": a " + action + " dated " + c
                    + " bills nothing"));
        }
        // R19 × R22 × R10: a full upgrade to another subscription dated before x still starts that (not cancelled) one
        boolean startsAnother = action == EventAction.FULL_UPGRADE && event.upgradeTo() != null
                && event.upgradeTo().subscriptionId() != null && !event.upgradeTo().subscriptionId().equals(id);
        if (action != EventAction.NEW && !startsAnother && lines.forSubscription(id).licenceLines().isEmpty()) {
            return Optional.of(AdditionPlan.empty("R21, R22: subscription " + id + " was cancelled from " + x
                    + " and has no licence lines left: the " + action + " dated " + c + " bills nothing"));
        }
        return Optional.empty();
    }

    /** After the event's rule: its new licence lines end by the cancellation, and the −Q line nets the licences on x. */
    static void endByTheCancellation(PlanBuilder plan, SubscriptionEvent event, MappingContext mapping, SyncRules rules) {
        LocalDate x = mapping.cancelledFrom();
        if (x == null || event.action() == EventAction.CANCEL || event.action() == EventAction.USAGE) return;
        String id = event.subscription().id();
        boolean perDate = rules.cancellation() == SyncRules.Cancellation.CANCEL_PER_CANCELLATION_DATE;
        // per cancellation date nothing new bills from x (not even under the −Q line: it carries the old price and
        // product); last day of month: the licences bill to the end of x's month
        LocalDate cap = perDate ? x.minusDays(1) : EffectiveDates.endOfMonth(x);
        plan.endCreatedBy(line -> line.subscriptionId().equals(id) && line.countsLicences(), cap,
                "R21: subscription " + id + " was cancelled from " + x + ": no line starts after it",
                "R21: ends " + cap + ", as the subscription's cancellation from " + x);
        // a renewal (R23) dated before x moved the base's end: it bills up to the cancellation, not the renewed term
        plan.limitExtendedEnds(id, cap, "R21: not past " + cap + ", the subscription's cancellation from " + x);
        if (!perDate) return;
        // R18 first: a change of an earlier month is absorbed by the base before x, as the cancellation's own rule does
        MonthRoll.roll(plan, x, id);
        for (AdditionLine cancellation : plan.view().forSubscription(id).ofRole(LineRole.CANCELLATION)) {
            if (!cancellation.activeOn(x)) continue;
            // R10 per product: the −Q line nets what the product's other lines bill on x
            BigDecimal others = plan.view().forSubscription(id).licenceLines().stream()
                    .filter(l -> !l.key().equals(cancellation.key()) && l.activeOn(x)
                            && java.util.Objects.equals(l.catalogItemId(), cancellation.catalogItemId()))
                    .map(AdditionLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            LineEdits.setNettedQuantity(plan, cancellation, others.negate(),
                    "R21, R10: the cancellation's line nets the " + others.toPlainString() + " licences the lines bill on " + x);
        }
    }
}
