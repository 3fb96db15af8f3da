package io.cwbridge.rules;

import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import java.time.LocalDate;

/**
 * Cancellation (R21, R22). c is the cancellationDate, else the date of occurredAt.
 *
 * <ul>
 * <li>R21 CANCEL_PER_CANCELLATION_DATE: lines end at EOM(c) and a −Q line from c to EOM(c) nets
 *     them; nothing bills from c on. Lines that would only start on or after c are removed.</li>
 * <li>R21 LAST_DAY_OF_MONTH: lines end at EOM(c), no extra line; lines starting after EOM(c) are
 *     removed.</li>
 * <li>R22 (v2): a line is invoiced when the agreement has invoiced its first day (its effective date
 *     is before the agreement's next invoice date), never by its billedQuantity. When ConnectWise
 *     has invoiced no day of the subscription (no line, and not its billing start either: a late
 *     sale's days may have been billed as an R27 catch-up), its
 *     licence and setup lines are deleted instead of cancelled — nothing was billed and nothing
 *     will be. Once something was invoiced, lines still billing before the termination are cancelled
 *     as R21 says (deleting a not-yet-invoiced line there would drop days the customer used, against
 *     R10); lines with no day left to bill are deleted when never invoiced (R22), else offset (R26).
 *     Usage lines are left alone: consumption is billed regardless.</li>
 * </ul>
 */
final class CancellationRule {

    private CancellationRule() {
    }

    static void apply(PlanBuilder plan, SubscriptionEvent event, MappingContext mapping, SyncRules rules) {
        Subscription sub = event.subscription();
        LocalDate c = event.changeDate();
        SubscriptionLines lines = plan.view().forSubscription(sub.id());
        if (lines.isEmpty()) {
            plan.note("R21 subscription " + sub.id() + " has no lines in ConnectWise: nothing to cancel");
            return;
        }
        LocalDate billingStart = mapping.billingStart(sub.startDate() != null ? sub.startDate() : c);
        // ... nor any line of it (a catch-up's kept lines included) starts before the next invoice date: a subscription
        // whose lines all start from N (a full upgrade's new one, clamped to a cut-over's N) was never invoiced either
        boolean noneBefore = lines.all().stream().noneMatch(l -> mapping.billing().invoiced(l.effectiveDate()));
        if (!lines.anyInvoiced() && (!mapping.billing().invoiced(billingStart) || noneBefore)) {
            for (AdditionLine line : lines.where(l -> l.role() != LineRole.USAGE)) {
                plan.delete(line, "R22 cancellation " + c + ": never invoiced, deleted instead of cancelled");
            }
            return;
        }
        LocalDate endOfMonth = EffectiveDates.endOfMonth(c);
        if (rules.cancellation() == SyncRules.Cancellation.CANCEL_PER_CANCELLATION_DATE) {
            String why = "R21 cancellation per cancellation date " + c;
            // a −Q line of this same cancellation date is kept: a replay then finds nothing left to net
            for (AdditionLine line : lines.where(l -> l.countsLicences() && !l.effectiveDate().isBefore(c)
                    && !(l.role() == LineRole.CANCELLATION && l.effectiveDate().equals(c)))) {
                LineEdits.neutralize(plan, line, LineRole.CANCELLATION, why + ": line would bill only from " + line.effectiveDate());
            }
            for (AdditionLine line : plan.view().forSubscription(sub.id())
                    .where(l -> l.countsLicences() && l.activeOn(c) && l.runsAfter(endOfMonth))) {
                LineEdits.endAt(plan, line, endOfMonth, LineRole.CANCELLATION, why + ": line cancelled " + endOfMonth);
            }
            NettingLines.net(plan, sub, c, LineRole.CANCELLATION, mapping, rules,
                    (catalog, netted) -> LineDescriptions.cancellation(sub.product(), sub.id(), netted, c,
                            rules.includeSubscriptionInfo()), why);
        } else {
            String why = "R21 cancellation " + c + ", last day of the month";
            for (AdditionLine line : lines.where(l -> l.countsLicences() && l.effectiveDate().isAfter(endOfMonth))) {
                LineEdits.neutralize(plan, line, LineRole.CANCELLATION, why + ": line would bill only from " + line.effectiveDate());
            }
            for (AdditionLine line : plan.view().forSubscription(sub.id())
                    .where(l -> l.countsLicences() && l.runsAfter(endOfMonth))) {
                LineEdits.endAt(plan, line, endOfMonth, LineRole.CANCELLATION, why + ": line cancelled " + endOfMonth);
            }
        }
    }
}
