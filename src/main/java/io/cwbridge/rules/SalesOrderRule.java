package io.cwbridge.rules;

import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * R25 sales order: the base line +Q from the subscription start (or the mapping's from date, never
 * before the agreement start), cancelled at the subscription end — v2: also when it auto-renews, so a
 * lost cancellation never bills for ever; the renewal (R23) moves that end — plus a setup line when
 * the subscription has a setup amount.
 */
final class SalesOrderRule {

    private SalesOrderRule() {
    }

    static void apply(PlanBuilder plan, SubscriptionEvent event, MappingContext mapping, SyncRules rules) {
        Subscription sub = event.subscription();
        List<AdditionLine> existing = plan.view().where(l -> l.role() == LineRole.BASE && l.subscriptionId().equals(sub.id()));
        if (!existing.isEmpty()) {
            java.util.Optional<AdditionLine> adopted = existing.stream()
                    .filter(l -> l.additionId() != null && l.additionId().equals(mapping.adoptedAdditionId())).findFirst();
            if (adopted.isPresent()) {
                adopted(plan, event, mapping, rules, adopted.get());
                return;
            }
            // a repeated sales order (or one for a subscription already synced) does nothing
            plan.note("R25 subscription " + sub.id() + " already has its base line " + LineEdits.ref(existing.get(0)));
            return;
        }
        AdditionLine base = createBase(plan, event, mapping, rules, Events.quantity(sub), "R25 sales order");
        if (base != null) {
            addSetupLine(plan, event, mapping, rules, base);
        }
    }

    /**
     * R6 x R25 x R10: the sale of a subscription whose base line is an adopted, hand-made addition. No second base line;
     * the hand-made one is brought in step with the subscription instead: it must carry the product's catalog item
     * (else the subscription waits for its mapping: it would bill another product), it ends with the subscription (R25
     * v2: a lost cancellation never bills for ever; a later or an earlier hand-typed end is moved to it, R10, unless a synced
     * cancellation, R21, decided it), and it bills the
     * subscription's licences from the sale's date of change on (R10: a different hand-typed count is corrected as a
     * licence change, R11-R15, with the partner's effective-date rules; invoiced days are left as billed).
     */
    private static void adopted(PlanBuilder plan, SubscriptionEvent event, MappingContext mapping, SyncRules rules,
            AdditionLine line) {
        Subscription sub = event.subscription();
        String why = "R6 adopted addition " + LineEdits.ref(line);
        if (mapping.catalogItemId() != null && !mapping.catalogItemId().equals(line.catalogItemId())) {
            throw new MappingRequiredException("additionId", why + " is catalog item " + line.catalogItemId() + ", but product "
                    + sub.product().id() + " is mapped to catalog item " + mapping.catalogItemId() + " (R2): adopt an addition"
                    + " of catalog item " + mapping.catalogItemId() + " (PUT …/subscriptions/" + sub.id()
                    + "/mapping {agreementId, additionId, \"replace\": true}) or map the product to catalog item " + line.catalogItemId());
        }
        plan.note(why + " is the base line of subscription " + sub.id() + " (R25: no second one)");
        LocalDate end = sub.endDate();
        // R25 v2 x R10: the base line is dated at the subscription's end: an open or later hand-typed end moves to it, and
        // so does an earlier one (probe 47 F10: 3 x 7.00 from July to February unbilled, 168.00), unless a synced
        // cancellation (R21) decided the end; the renewal (R23) moves it later
        LocalDate typed = line.cancelledDate();
        boolean earlier = typed != null && typed.isBefore(end == null ? typed : end) && mapping.cancelledFrom() == null;
        if (end != null && !end.isBefore(line.effectiveDate()) && (typed == null || typed.isAfter(end) || earlier)) {
            plan.update(line, l -> l.withCancelledDate(end), why + ": R25 cancelled at the subscription end " + end
                    + (typed == null ? " (it was open)" : typed.isAfter(end) ? " (it ran to " + typed + ")"
                            : " (it ended " + typed + ", before the subscription's end: R10 bills every day of the term)"));
        }
        if (sub.isIaas() || sub.quantity() == null) {
            return;
        }
        BigDecimal known = KnownLicences.after(plan, plan.view(), sub.id(), event.changeDate());
        if (known.compareTo(BigDecimal.valueOf(sub.quantity())) != 0) {
            QuantityChangeRule.apply(plan, event, sub.quantity(), mapping, rules, why + " bills " + known.toPlainString()
                    + " licences, the subscription " + sub.quantity() + " (R10): ");
        }
    }

    /** The base line of the event's subscription with {@code quantity} licences; null when nothing can be billed. */
    static AdditionLine createBase(PlanBuilder plan, SubscriptionEvent event, MappingContext mapping, SyncRules rules,
            int quantity, String why) {
        Subscription sub = event.subscription();
        // R25 (v2): always cancelled at the subscription end, also when it auto-renews (R23 moves the end)
        return createBase(plan, event, mapping, rules, quantity, sub.endDate(), why);
    }

    static AdditionLine createBase(PlanBuilder plan, SubscriptionEvent event, MappingContext mapping, SyncRules rules,
            int quantity, LocalDate cancelled, String why) {
        Subscription sub = event.subscription();
        long catalog = Events.catalog(mapping);
        LocalDate start = sub.startDate() != null ? sub.startDate() : event.changeDate();
        LocalDate effective = mapping.billingStart(start);
        if (cancelled != null && cancelled.isBefore(effective)) {
            plan.note(why + ": subscription " + sub.id() + " ends " + cancelled + " before its billing start " + effective
                    + ", nothing to bill");
            return null;
        }
        LinePricing pricing = new LinePricing(rules, sub.kind());
        // R24: an IaaS subscription is one line of quantity 1; price and cost are 0 until the usage invoice
        BigDecimal licences = sub.isIaas() ? BigDecimal.ONE : BigDecimal.valueOf(quantity);
        LinePricing.Amounts amounts = sub.isIaas() ? pricing.base(BigDecimal.ZERO, BigDecimal.ZERO)
                : pricing.base(sub.unitPrice(), sub.unitCost());
        LineKey key = plan.nextKey(sub.id(), LineRole.BASE, effective);
        AdditionLine line = new AdditionLine(null, key, catalog, licences, amounts.unitPrice(), amounts.unitCost(), effective,
                cancelled, false, LineDescriptions.subscription(sub.product(), sub.id(), licences, rules.includeSubscriptionInfo()),
                null);
        return plan.create(line, why + ": base line " + LineDescriptions.licences(licences) + " effective " + effective
                + (cancelled == null ? ", open (the subscription has no end date)" : ", cancelled " + cancelled));
    }

    /**
     * R25 setup amount: a one-time line (quantity 1, unit price = setup amount, cost 0) for the first
     * month only, so it is invoiced once with the first invoice (our decision: the catalog item's
     * cost must not land on a setup line, hence cost 0).
     */
    private static void addSetupLine(PlanBuilder plan, SubscriptionEvent event, MappingContext mapping, SyncRules rules,
            AdditionLine base) {
        Subscription sub = event.subscription();
        if (sub.setupAmount() == null || sub.setupAmount().signum() <= 0) {
            return;
        }
        LinePricing.Amounts amounts = new LinePricing(rules, sub.kind()).amounts(sub.setupAmount(), BigDecimal.ZERO);
        LocalDate effective = base.effectiveDate();
        LocalDate cancelled = EffectiveDates.earliestEnd(EffectiveDates.endOfMonth(effective), base.cancelledDate());
        LineKey key = plan.nextKey(sub.id(), LineRole.SETUP, effective);
        plan.create(new AdditionLine(null, key, base.catalogItemId(), BigDecimal.ONE, amounts.unitPrice(), amounts.unitCost(),
                effective, cancelled, false, LineDescriptions.setup(sub.product(), sub.id(), rules.includeSubscriptionInfo()), null),
                "R25 setup amount " + sub.setupAmount().toPlainString() + " billed once with the first invoice");
    }
}
