package io.cwbridge.rules;

import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Licence increases and decreases (R11–R17).
 *
 * <ul>
 * <li>The change Δ is the event's quantity − previousQuantity: events may be synced out of order
 *     (parked, NEEDS_MAPPING) and each must add its own change; a repeated eventId never reaches the
 *     rules (SPEC §2). Only without previousQuantity is Δ taken against the licences the lines
 *     already stand for ({@link KnownLicences}); a mismatch is noted on the task (our decision).</li>
 * <li>R11: c ≤ start + 1 day → the base line's quantity changes; dates and unit price stay.</li>
 * <li>R12–R15: otherwise a delta line ±Δ from the effective date the partner's rule gives, to the end
 *     of that month (and never after the subscription's last billed day).</li>
 * <li>R16: a delta line with the same effective date (and product) is updated to the net delta; one
 *     whose net becomes 0 is deleted when not invoiced (our decision: a zero line bills nothing and
 *     only clutters the agreement; R10 holds either way).</li>
 * <li>R17 (v2): the delta line carries the event's unit price/cost (else the base's) unprorated
 *     under MARKETPLACE, nothing under CONNECTWISE_CATALOG; its first period's proration is
 *     ConnectWise's or the R17a prorate amounts.</li>
 * <li>Delta lines use the base line's catalog item, so R18 absorbs them into the right base.</li>
 * </ul>
 */
final class QuantityChangeRule {

    private QuantityChangeRule() {
    }

    static void apply(PlanBuilder plan, SubscriptionEvent event, int newQuantity, MappingContext mapping, SyncRules rules,
            String prefix) {
        Subscription sub = event.subscription();
        LocalDate c = event.changeDate();
        if (sub.isIaas()) {
            plan.note(prefix + "R24 IaaS lines always have quantity 1: licence change to " + newQuantity + " not synced");
            return;
        }
        SubscriptionLines view = plan.view();
        BaseLines bases = BaseLines.current(view, sub.id(), c, mapping.catalogItemId());
        if (bases.isEmpty()) {
            Integer before = sub.previousQuantity();
            if (before != null && before >= 0 && before != newQuantity && !EffectiveDates.onPurchaseDate(c, sub.startDate())) {
                // R10: the licences before c are the event's previousQuantity, not its new count (a missed sale, onboarding)
                plan.note(prefix + "no base line known for subscription " + sub.id() + ": created from the event with the "
                        + before + " licences it had before the change (R25), then the change from " + c);
                // no base when the subscription ended before it may bill (then nothing is left to change either)
                if (SalesOrderRule.createBase(plan, event, mapping, rules, before, prefix + "R25 catch-up") != null) {
                    apply(plan, event, newQuantity, mapping, rules, prefix);
                }
                return;
            }
            plan.note(prefix + "no base line known for subscription " + sub.id() + ": created from the event (R25)");
            SalesOrderRule.createBase(plan, event, mapping, rules, newQuantity, prefix + "R25 catch-up");
            return;
        }
        BigDecimal known = KnownLicences.after(plan, view, sub.id(), c);
        BigDecimal target = BigDecimal.valueOf(newQuantity);
        BigDecimal delta;
        if (sub.previousQuantity() != null) {
            delta = target.subtract(BigDecimal.valueOf(sub.previousQuantity()));
            if (known.compareTo(BigDecimal.valueOf(sub.previousQuantity())) != 0) {
                plan.note(prefix + "event says " + sub.previousQuantity() + " licences before the change, ConnectWise lines stand for "
                        + known.toPlainString() + " (a change not yet effective or not synced); the event's change "
                        + LineDescriptions.signed(delta) + " is applied");
            }
        } else {
            delta = target.subtract(known);
        }
        if (delta.signum() == 0) {
            plan.note(prefix + "no licence change (" + newQuantity + " licences)");
            return;
        }
        // never before the agreement / mapping / subscription start (R13), nor before the product's first base line
        LocalDate billingStart = EffectiveDates.latest(mapping.billingStart(sub.startDate() != null ? sub.startDate() : c),
                BaseLines.firstDay(view, sub.id(), bases.catalogItemId()));
        if (EffectiveDates.onPurchaseDate(c, sub.startDate())) {
            changeBase(plan, view, sub.id(), bases, delta, c, prefix);
            return;
        }
        addDelta(plan, event, bases, delta, target, billingStart, mapping, rules, prefix);
    }

    /**
     * R11: the purchase-date change goes on the base line itself. When the base is already more than
     * one line (a renewal continuation, an R26 line), the lines may overlap in time (an R26 line
     * extended by a renewal next to the invoiced line's continuation): every day the base covers
     * takes the change exactly once. Walking the stretches from the earliest (the longest first
     * where several start together), a stretch that starts past what is covered takes the change on
     * its line; one that starts inside it and runs on gets a line with the change for the rest.
     */
    private static void changeBase(PlanBuilder plan, SubscriptionLines view, String subscriptionId, BaseLines bases,
            BigDecimal delta, LocalDate c, String prefix) {
        record Span(LocalDate from, LocalDate to) {
            LocalDate last() {
                return to == null ? LocalDate.MAX : to;
            }
        }
        java.util.Map<Span, List<AdditionLine>> spans = new java.util.TreeMap<>(Comparator.comparing(Span::from)
                .thenComparing(Span::last, Comparator.reverseOrder()));
        view.where(l -> l.role() == LineRole.BASE && l.subscriptionId().equals(subscriptionId)
                        && java.util.Objects.equals(l.catalogItemId(), bases.catalogItemId()))
                .forEach(l -> spans.computeIfAbsent(new Span(l.effectiveDate(), l.cancelledDate()), s -> new ArrayList<>()).add(l));
        LocalDate covered = null; // last day that has taken the change
        for (java.util.Map.Entry<Span, List<AdditionLine>> entry : spans.entrySet()) {
            Span span = entry.getKey();
            if (covered != null && !span.last().isAfter(covered)) {
                continue;
            }
            AdditionLine base = new BaseLines(bases.catalogItemId(), entry.getValue()).target(span.from());
            BigDecimal quantity = base.quantity().add(delta);
            String reason = prefix + "R11 " + direction(delta) + " " + LineDescriptions.signed(delta) + " on the purchase date " + c
                    + ": base quantity " + base.quantity().toPlainString() + " -> " + quantity.toPlainString();
            if (covered != null && !span.from().isAfter(covered)) {
                LocalDate from = covered.plusDays(1);
                plan.create(LineEdits.copy(base, plan.nextKey(subscriptionId, LineRole.BASE, from), from, span.to())
                                .withQuantity(delta)
                                .withDescription(LineDescriptions.adjustment(base.description(),
                                        LineDescriptions.signed(delta) + " adjustment"), base.invoiceDescription()),
                        reason + ": from " + from + " (the days before took it on another line) on a new line with "
                                + LineDescriptions.signed(delta));
            } else if (base.invoiced()) {
                LineEdits.setQuantity(plan, base, quantity, false, reason);
            } else {
                plan.update(base, l -> l.withQuantity(quantity)
                        .withDescription(LineDescriptions.withLicences(l.description(), quantity), l.invoiceDescription()), reason);
            }
            covered = span.last();
        }
    }

    /** R12–R16: a delta line (new, or the one already there for the effective date). */
    private static void addDelta(PlanBuilder plan, SubscriptionEvent event, BaseLines bases, BigDecimal delta, BigDecimal total,
            LocalDate billingStart, MappingContext mapping, SyncRules rules, String prefix) {
        Subscription sub = event.subscription();
        LocalDate c = event.changeDate();
        boolean increase = delta.signum() > 0;
        LocalDate effective = increase ? EffectiveDates.increase(c, rules.positiveChange(), billingStart)
                : EffectiveDates.decrease(c, rules.negativeChange(), billingStart);
        String ruleId = increase
                ? (rules.positiveChange() == SyncRules.PositiveChange.ACTUAL_DATE ? "R12" : "R13")
                : (rules.negativeChange() == SyncRules.NegativeChange.ACTUAL_DATE ? "R14" : "R15");
        String change = prefix + ruleId + " " + direction(delta) + " " + LineDescriptions.signed(delta) + " effective " + effective;
        LocalDate lastBilled = bases.end();
        if (lastBilled != null && effective.isAfter(lastBilled)) {
            plan.note(change + ": after the subscription's last billed day " + lastBilled + ", nothing to bill");
            return;
        }
        LocalDate end = EffectiveDates.earliestEnd(EffectiveDates.deltaEnd(effective), lastBilled);
        AdditionLine base = bases.target(effective.isBefore(billingStart) ? billingStart : effective);
        BigDecimal unitPrice = sub.unitPrice() != null ? sub.unitPrice() : base.unitPrice();
        BigDecimal unitCost = sub.unitCost() != null ? sub.unitCost() : base.unitCost();
        LinePricing.Amounts amounts = new LinePricing(rules, sub.kind()).unprorated(unitPrice, unitCost);

        List<AdditionLine> sameDate = plan.view().where(l -> l.role() == LineRole.DELTA && l.subscriptionId().equals(sub.id())
                && java.util.Objects.equals(l.catalogItemId(), bases.catalogItemId()) && l.effectiveDate().equals(effective));
        if (!sameDate.isEmpty()) {
            BigDecimal net = sameDate.stream().map(AdditionLine::quantity).reduce(delta, BigDecimal::add);
            String reason = "R16 " + change + ": the delta line of " + effective + " now nets " + LineDescriptions.signed(net);
            Optional<AdditionLine> editable = sameDate.stream().filter(l -> !l.invoiced()).reduce((a, b) -> b);
            if (editable.isPresent()) {
                AdditionLine line = editable.get();
                BigDecimal quantity = line.quantity().add(delta);
                if (quantity.signum() == 0) {
                    plan.delete(line, reason + "; net change 0, line deleted");
                } else {
                    plan.update(line, l -> l.withQuantity(quantity)
                            .withPrices(amounts.unitPrice() != null ? amounts.unitPrice() : l.unitPrice(),
                                    amounts.unitCost() != null ? amounts.unitCost() : l.unitCost())
                            .withDescription(LineDescriptions.delta(sub.product(), sub.id(), quantity, total, effective,
                                    rules.includeSubscriptionInfo()), l.invoiceDescription()), reason);
                }
                return;
            }
            LineKey key = plan.nextKey(sub.id(), LineRole.DELTA, effective);
            // to the end of the month like any delta line (the invoiced one may have been cut short, or caught up in part, R27)
            plan.create(deltaLine(key, bases.catalogItemId(), delta, amounts, effective, end, sub, total, rules),
                    "R26 the delta line of " + effective + " is invoiced: " + reason + ", the change goes on a new line");
            return;
        }
        LineKey key = plan.nextKey(sub.id(), LineRole.DELTA, effective);
        plan.create(deltaLine(key, bases.catalogItemId(), delta, amounts, effective, end, sub, total, rules),
                change + ", cancelled " + end);
    }

    private static AdditionLine deltaLine(LineKey key, Long catalog, BigDecimal quantity, LinePricing.Amounts amounts,
            LocalDate effective, LocalDate end, Subscription sub, BigDecimal total, SyncRules rules) {
        return new AdditionLine(null, key, catalog, quantity, amounts.unitPrice(), amounts.unitCost(), effective, end, false,
                LineDescriptions.delta(sub.product(), sub.id(), quantity, total, effective, rules.includeSubscriptionInfo()), null);
    }

    private static String direction(BigDecimal delta) {
        return delta.signum() > 0 ? "increase" : "decrease";
    }
}
