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
            // a repeated sales order (or one for a subscription already synced) does nothing
            plan.note("R25 subscription " + sub.id() + " already has its base line " + LineEdits.ref(existing.get(0)));
            return;
        }
        AdditionLine base = createBase(plan, event, mapping, rules, Events.quantity(sub), "R25 sales order");
        if (base != null) {
            addSetupLine(plan, event, mapping, rules, base);
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
