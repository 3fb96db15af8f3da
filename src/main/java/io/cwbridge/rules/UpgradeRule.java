package io.cwbridge.rules;

import io.cwbridge.events.EventAction;
import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.events.UpgradeTo;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/** Full (R19) and partial (R20) upgrades. */
final class UpgradeRule {

    private UpgradeRule() {
    }

    /**
     * R19 full upgrade, "a new subscription plus the cancellation of the old one": the old lines end
     * at EOM(c), a −Q line of the old product nets them from c, and the new product's base line runs
     * from c to the subscription end (dated also when it auto-renews, as any R25 base line). Our decisions:
     * the guides only describe the upgrade after the purchase date; one on the purchase date is handled
     * the same way. Q is the licences the old lines bill on c; the new line takes upgradeTo.quantity
     * (Q when absent). Old lines that would only start after c (a pending R15 decrease) are removed, but not the −Q
     * line of a cancellation dated after c that was synced first (R21): it keeps the old product at zero from its day,
     * and the upgrade's own lines end the day before it.
     */
    static void full(PlanBuilder plan, SubscriptionEvent event, MappingContext mapping, SyncRules rules) {
        Subscription sub = event.subscription();
        UpgradeTo upgrade = Events.upgradeTo(event);
        long newCatalog = Events.upgradeCatalog(mapping);
        LocalDate c = event.changeDate();
        BaseLines bases = BaseLines.current(plan.view(), sub.id(), c, mapping.catalogItemId());
        LocalDate day = EffectiveDates.latest(EffectiveDates.latest(c, mapping.billingStart(sub.startDate() != null ? sub.startDate() : c)),
                bases.isEmpty() ? null : BaseLines.firstDay(plan.view(), sub.id(), bases.catalogItemId()));
        String newSubscription = upgrade.subscriptionId() != null ? upgrade.subscriptionId() : sub.id();
        boolean done = !plan.view().where(l -> l.role() == LineRole.BASE && l.subscriptionId().equals(newSubscription)
                && l.catalogItemId() != null && l.catalogItemId() == newCatalog && l.effectiveDate().equals(day)).isEmpty();
        if (done) {
            plan.note("R19 upgrade of " + sub.id() + " on " + day + " is already in ConnectWise");
            return;
        }
        String why = "R19 full upgrade to " + LineDescriptions.productName(upgrade.product()) + " on " + day;
        SubscriptionLines old = plan.view().forSubscription(sub.id());
        BigDecimal licences = old.quantityOn(day);
        // R19 × R21 × R10 (probe 57 P57-2): the −Q line of a cancellation synced before this upgrade (dated after it) is
        // the subscription's cancellation, not a pending change of the old product: it stays and keeps netting the old
        // lines from its day (CancelledSubscription then ends this upgrade's lines the day before it)
        for (AdditionLine line : old.where(l -> l.countsLicences() && l.effectiveDate().isAfter(day)
                && l.role() != LineRole.CANCELLATION)) {
            LineEdits.neutralize(plan, line, LineRole.UPGRADE, why + ": old product line starting after the upgrade removed");
        }
        LocalDate endOfMonth = EffectiveDates.endOfMonth(day);
        for (AdditionLine line : plan.view().forSubscription(sub.id()).where(l -> l.countsLicences() && l.activeOn(day)
                && l.runsAfter(endOfMonth))) {
            LineEdits.endAt(plan, line, endOfMonth, LineRole.UPGRADE, why + ": old line cancelled " + endOfMonth);
        }
        NettingLines.net(plan, sub, day, LineRole.UPGRADE, mapping, rules,
                (catalog, netted) -> LineDescriptions.upgradedAway(sub.product(), sub.id(), netted, upgrade.product(), day,
                        rules.includeSubscriptionInfo()), why + ": old product");

        int quantity = upgrade.quantity() != null ? upgrade.quantity()
                : licences.signum() > 0 ? licences.intValue() : Events.quantity(sub);
        // R25 (v2): the new product's base line is dated at the subscription end, also when it auto-renews
        LocalDate end = upgrade.endDate() != null ? upgrade.endDate() : sub.endDate();
        createNewBase(plan, sub, upgrade, newSubscription, newCatalog, quantity, day, end, rules,
                why + ": new product line +" + quantity + " effective " + day
                        + (end == null ? ", open (no end date)" : ", cancelled " + end));
    }

    /**
     * R19 × R10: a licence change dated before a full upgrade that was already synced (it arrived late) changes the old
     * product only until the upgrade: from the upgrade's day u the old product bills nothing (its −Q line nets the
     * base), so the change's new lines of the old product end on u − 1, and one that would start on or after u is not
     * created. A change on the purchase date (R11) changes the base for its whole run, so the upgrade's −Q line is set
     * to net what the old product's lines then bill on u. Changes dated on or after u are the new product's and are
     * left as their rule planned them.
     */
    static void endByTheUpgrade(PlanBuilder plan, SubscriptionEvent event) {
        EventAction action = event.action();
        if (action == EventAction.FULL_UPGRADE || action == EventAction.CANCEL || action == EventAction.USAGE) return;
        String id = event.subscription().id();
        LocalDate c = event.changeDate();
        for (AdditionLine upgrade : plan.view().forSubscription(id).ofRole(LineRole.UPGRADE)) {
            LocalDate u = upgrade.effectiveDate();
            Long oldProduct = upgrade.catalogItemId();
            if (!c.isBefore(u) || oldProduct == null) continue;
            LocalDate cap = u.minusDays(1);
            plan.endCreatedBy(line -> line.subscriptionId().equals(id) && line.role() == LineRole.DELTA
                            && oldProduct.equals(line.catalogItemId()), cap,
                    "R19: subscription " + id + " was upgraded on " + u + ": no line of the old product starts after it",
                    "R19, R10: ends " + cap + ", as the old product does with the upgrade on " + u);
            // R11 changes the base for its whole run, the upgrade's month too: the −Q line then nets the new count
            if (upgrade.quantity().signum() < 0 && upgrade.activeOn(u)) {
                BigDecimal left = plan.view().forSubscription(id).where(l -> l.countsLicences()
                        && oldProduct.equals(l.catalogItemId()) && l.activeOn(u)).stream()
                        .map(AdditionLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
                if (left.signum() != 0) {
                    BigDecimal nets = upgrade.quantity().subtract(left);
                    String why = "R19, R11: the old product's other lines bill " + nets.negate().toPlainString() + " on " + u
                            + ", so the upgrade's line nets " + nets.toPlainString();
                    LineEdits.setNettedQuantity(plan, upgrade, nets, why);
                }
            }
        }
    }

    /**
     * R20 partial upgrade: a decrease of the old subscription by its own rule (R14/R15, or R11 on the
     * purchase date) plus a sales order for the new subscription on the same agreement, effective c, at
     * the new subscription's price. The event's subscription.quantity is the old subscription's count
     * after the move; upgradeTo.quantity the licences of the new one.
     */
    static void partial(PlanBuilder plan, SubscriptionEvent event, MappingContext mapping, SyncRules rules) {
        Subscription sub = event.subscription();
        UpgradeTo upgrade = Events.upgradeTo(event);
        if (upgrade.subscriptionId() == null || upgrade.subscriptionId().equals(sub.id())) {
            throw new IllegalArgumentException("PARTIAL_UPGRADE needs upgradeTo.subscriptionId of the new subscription");
        }
        long newCatalog = Events.upgradeCatalog(mapping);
        QuantityChangeRule.apply(plan, event, Events.quantity(sub), mapping, rules, "R20 partial upgrade, old subscription: ");

        LocalDate day = EffectiveDates.latest(event.changeDate(), mapping.agreementStartDate());
        List<AdditionLine> existing = plan.view().where(l -> l.role() == LineRole.BASE
                && l.subscriptionId().equals(upgrade.subscriptionId()));
        if (!existing.isEmpty()) {
            plan.note("R20 new subscription " + upgrade.subscriptionId() + " already has its base line");
            return;
        }
        int quantity = upgrade.quantity() != null ? upgrade.quantity()
                : sub.previousQuantity() != null ? sub.previousQuantity() - Events.quantity(sub) : 0;
        if (quantity <= 0) {
            throw new IllegalArgumentException("PARTIAL_UPGRADE needs upgradeTo.quantity");
        }
        LocalDate end = upgrade.endDate() != null ? upgrade.endDate() : sub.endDate();
        createNewBase(plan, sub, upgrade, upgrade.subscriptionId(), newCatalog, quantity, day, end, rules,
                "R20 partial upgrade: sales order for subscription " + upgrade.subscriptionId() + " on the same agreement, +"
                        + quantity + " effective " + day + (end == null ? ", open (no end date)" : ", cancelled " + end));
    }

    private static void createNewBase(PlanBuilder plan, Subscription sub, UpgradeTo upgrade, String subscriptionId, long catalog,
            int quantity, LocalDate day, LocalDate end, SyncRules rules, String reason) {
        LinePricing pricing = new LinePricing(rules, sub.kind());
        BigDecimal licences = sub.isIaas() ? BigDecimal.ONE : BigDecimal.valueOf(quantity);
        LinePricing.Amounts amounts = sub.isIaas() ? pricing.base(BigDecimal.ZERO, BigDecimal.ZERO)
                : pricing.base(upgrade.unitPrice(), upgrade.unitCost());
        if (end != null && end.isBefore(day)) {
            plan.note(reason + ": subscription " + subscriptionId + " ends " + end + " before " + day + ", nothing to bill");
            return;
        }
        LocalDate cancelled = end;
        LineKey key = plan.nextKey(subscriptionId, LineRole.BASE, day);
        plan.create(new AdditionLine(null, key, catalog, licences, amounts.unitPrice(), amounts.unitCost(), day, cancelled, false,
                LineDescriptions.subscription(upgrade.product(), subscriptionId, licences, rules.includeSubscriptionInfo()), null),
                reason);
    }
}
