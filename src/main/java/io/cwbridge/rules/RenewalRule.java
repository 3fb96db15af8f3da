package io.cwbridge.rules;

import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import java.time.LocalDate;

/**
 * R23 renewal. Auto-renew on: the base line's cancellation date moves to the new end date (an open
 * base — R25 opens it for auto-renewing subscriptions — stays open: it already runs on). Auto-renew
 * off: the lines end at the existing end date (the event's endDate); lines that would start after it
 * are removed. Renewal prices come as PRICE_CHANGE events; a renewed term starts at the
 * subscription's current licence count (our decisions).
 */
final class RenewalRule {

    private RenewalRule() {
    }

    static void apply(PlanBuilder plan, SubscriptionEvent event, MappingContext mapping, SyncRules rules) {
        Subscription sub = event.subscription();
        LocalDate c = event.changeDate();
        LocalDate endDate = sub.endDate();
        if (endDate == null) {
            throw new IllegalArgumentException("RENEWAL needs subscription.endDate");
        }
        BaseLines bases = BaseLines.current(plan.view(), sub.id(), c, mapping.catalogItemId());
        if (bases.isEmpty()) {
            plan.note("no base line known for subscription " + sub.id() + ": created from the event (R25)");
            // the renewal says where the term ends (R23), so the line ends there
            SalesOrderRule.createBase(plan, event, mapping, rules, Events.quantity(sub), endDate, "R25 catch-up on renewal");
            return;
        }
        if (sub.renewsAutomatically()) {
            LocalDate end = bases.end();
            if (end == null) {
                plan.note("R23 auto-renew on: the base line is open and runs on through " + endDate);
                return;
            }
            if (!endDate.isAfter(end)) {
                plan.note("R23 auto-renew on: the base line already runs to " + end);
                return;
            }
            for (AdditionLine line : bases.lines()) {
                if (end.equals(line.cancelledDate())) {
                    LineEdits.extendTo(plan, line, endDate, "R23 renewal with auto-renew: cancellation date " + end + " -> " + endDate);
                }
            }
            // delta lines cut short by the old end run to their month end again
            for (AdditionLine delta : plan.view().where(l -> l.role() == LineRole.DELTA && l.subscriptionId().equals(sub.id())
                    && java.util.Objects.equals(l.catalogItemId(), bases.catalogItemId()) && end.equals(l.cancelledDate()) && EffectiveDates.deltaEnd(l.effectiveDate()).isAfter(end))) {
                LineEdits.extendTo(plan, delta, EffectiveDates.earliestEnd(EffectiveDates.deltaEnd(delta.effectiveDate()), endDate),
                        "R23 renewal with auto-renew: delta line runs to its month end again");
            }
            // a delta that ended with the old term had no base to roll into (R18); the moved end gives it one now
            MonthRoll.roll(plan, c);
            startRenewedTerm(plan, event, bases, end, endDate, mapping, rules);
            return;
        }
        String why = "R23 auto-renew off: ends at the existing end date " + endDate;
        SubscriptionLines lines = plan.view().forSubscription(sub.id());
        for (AdditionLine line : lines.where(l -> l.countsLicences() && l.effectiveDate().isAfter(endDate))) {
            LineEdits.neutralize(plan, line, LineRole.CANCELLATION, why + ": line would bill only from " + line.effectiveDate());
        }
        for (AdditionLine line : plan.view().forSubscription(sub.id()).where(l -> l.countsLicences() && l.runsAfter(endDate))) {
            LineEdits.endAt(plan, line, endDate, LineRole.CANCELLATION, why);
        }
    }

    /**
     * The renewed term bills the subscription's current licences (our decision): a change that had
     * nothing to bill because it took effect after the old end (an R15 decrease in the last month)
     * now starts with the new term, as a delta line from the day after the old end (R18 absorbs it).
     */
    private static void startRenewedTerm(PlanBuilder plan, SubscriptionEvent event, BaseLines bases, LocalDate oldEnd,
            LocalDate newEnd, MappingContext mapping, SyncRules rules) {
        Subscription sub = event.subscription();
        if (sub.quantity() == null || sub.isIaas()) {
            return;
        }
        LocalDate first = oldEnd.plusDays(1);
        java.math.BigDecimal billed = KnownLicences.on(plan, plan.view(), sub.id(), first);
        java.math.BigDecimal difference = java.math.BigDecimal.valueOf(sub.quantity()).subtract(billed);
        if (difference.signum() == 0) {
            return;
        }
        LocalDate last = EffectiveDates.earliestEnd(EffectiveDates.deltaEnd(first), newEnd);
        AdditionLine base = bases.target(oldEnd);
        LinePricing.Amounts amounts = new LinePricing(rules, sub.kind()).unprorated(
                sub.unitPrice() != null ? sub.unitPrice() : base.unitPrice(),
                sub.unitCost() != null ? sub.unitCost() : base.unitCost());
        LineKey key = plan.nextKey(sub.id(), LineRole.DELTA, first);
        plan.create(new AdditionLine(null, key, base.catalogItemId(), difference, amounts.unitPrice(), amounts.unitCost(), first,
                last, false, LineDescriptions.delta(sub.product(), sub.id(), difference, java.math.BigDecimal.valueOf(sub.quantity()),
                        first, rules.includeSubscriptionInfo()), null),
                "R23 renewal: the renewed term starts at " + sub.quantity() + " licences, " + LineDescriptions.signed(difference)
                        + " effective " + first + " (a change after the old end " + oldEnd + " had nothing to bill)");
    }
}
