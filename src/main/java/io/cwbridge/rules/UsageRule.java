package io.cwbridge.rules;

import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.events.Usage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * R24 billing order (usage): one line per usage period, quantity 1, unit price = overused amount ×
 * overuse price, unit cost = overused amount × overuse cost (rounded as {@link Proration} says).
 * With the IaaS description flag the description lists the resource details (and so does the
 * invoice description). Our decisions: SaaS overuse is a quantity-1 line too, so a usage line never
 * counts as licences (R10); the amounts are sent whatever the price source (the catalog cannot know
 * them), subject to price/cost sync and COST_ONLY; a repeated period is updated (or, once invoiced,
 * completed by a difference line, R26) instead of added twice.
 */
final class UsageRule {

    private UsageRule() {
    }

    static void apply(PlanBuilder plan, SubscriptionEvent event, MappingContext mapping, SyncRules rules) {
        Subscription sub = event.subscription();
        Usage usage = Events.usage(event);
        if (usage.periodStart() == null) {
            throw new IllegalArgumentException("USAGE needs usage.periodStart");
        }
        String currency = sub.currency();
        BigDecimal price = Proration.overuse(usage.overusedAmount(), usage.overusePrice(), currency);
        BigDecimal cost = Proration.overuse(usage.overusedAmount(), usage.overuseCost(), currency);
        LinePricing.Amounts amounts = new LinePricing(rules, sub.kind()).amounts(price, cost);

        BaseLines bases = BaseLines.current(plan.view(), sub.id(), usage.periodStart(), mapping.catalogItemId());
        Long catalog = mapping.catalogItemId() != null ? mapping.catalogItemId() : bases.catalogItemId();
        if (catalog == null) {
            Events.catalog(mapping);
        }
        // the usage's key: its period's start, never before the subscription could bill on the agreement (R13)
        LocalDate keyDate = EffectiveDates.latest(usage.periodStart(),
                mapping.billingStart(sub.startDate() != null ? sub.startDate() : usage.periodStart()));
        Proration.Period billed = billedIn(plan.context(), keyDate, mapping.agreementStartDate());
        LocalDate effective = billed.start();
        LocalDate end = billed.end();
        List<String> details = sub.isIaas() && rules.iaasResourceDetailsInDescription() ? usage.resourceDetails() : List.of();
        String description = LineDescriptions.usage(sub.product(), sub.id(), usage.periodStart(), usage.periodEnd(), details,
                rules.includeSubscriptionInfo());
        String invoiceDescription = details.isEmpty() ? null : String.join("\n", details);
        String why = "R24 usage " + usage.periodStart() + " to " + usage.periodEnd() + ": overuse price "
                + text(usage.overusedAmount()) + " x " + text(usage.overusePrice()) + " = " + text(price) + ", overuse cost "
                + text(usage.overusedAmount()) + " x " + text(usage.overuseCost()) + " = " + text(cost)
                + ", billed whole in the billing period " + effective + " to " + end
                + (billed.start().isAfter(plan.context().period(keyDate).end())
                        ? " (R27 the agreement has invoiced the days before " + plan.context().clampsBefore() + ")" : "");

        // A usage line is its period's by its key (R27 may have moved an invoiced period's line to N, where the usage of
        // the period N starts has a line of its own)
        List<AdditionLine> existing = plan.view().where(l -> l.role() == LineRole.USAGE && l.subscriptionId().equals(sub.id())
                && l.key().effectiveDate().equals(keyDate));
        if (existing.isEmpty()) {
            plan.create(new AdditionLine(null, plan.nextKey(sub.id(), LineRole.USAGE, keyDate), catalog, BigDecimal.ONE,
                    amounts.unitPrice(), amounts.unitCost(), effective, end, false, description, invoiceDescription), why);
            return;
        }
        BigDecimal billedPrice = sum(existing, true);
        BigDecimal billedCost = sum(existing, false);
        boolean samePrice = amounts.unitPrice() == null || billedPrice.compareTo(amounts.unitPrice()) == 0;
        boolean sameCost = amounts.unitCost() == null || billedCost.compareTo(amounts.unitCost()) == 0;
        if (samePrice && sameCost) {
            plan.note("R24 usage " + usage.periodStart() + " to " + usage.periodEnd() + " is already in ConnectWise");
            return;
        }
        Optional<AdditionLine> editable = existing.stream().filter(l -> !l.invoiced()).reduce((a, b) -> b);
        if (editable.isPresent()) {
            AdditionLine line = editable.get();
            BigDecimal newPrice = amounts.unitPrice() == null ? line.unitPrice()
                    : amounts.unitPrice().subtract(billedPrice.subtract(orZero(line.unitPrice())));
            BigDecimal newCost = amounts.unitCost() == null ? line.unitCost()
                    : amounts.unitCost().subtract(billedCost.subtract(orZero(line.unitCost())));
            // dated over its billing period too (a line an earlier version dated over the usage period is re-dated)
            plan.update(line, l -> new AdditionLine(l.additionId(), l.key(), l.catalogItemId(), l.quantity(), newPrice, newCost,
                    effective, end, l.invoiced(), description, invoiceDescription), why + " (corrected usage)");
            return;
        }
        BigDecimal priceDifference = amounts.unitPrice() == null ? null : amounts.unitPrice().subtract(billedPrice);
        BigDecimal costDifference = amounts.unitCost() == null ? null : amounts.unitCost().subtract(billedCost);
        plan.create(new AdditionLine(null, plan.nextKey(sub.id(), LineRole.USAGE, keyDate), catalog, BigDecimal.ONE,
                        priceDifference, costDifference, effective, end, false,
                        LineDescriptions.adjustment(description, "usage correction"), invoiceDescription),
                "R26 usage line of " + keyDate + " is invoiced: " + why + ", the difference goes on a new line");
    }

    /**
     * R24 x R17 x R27 (probe 57 P57-4): the billing period a usage amount bills in, whole. ConnectWise bills an addition by
     * its active days in a period when the agreement prorates (connectwise README: "prorates a mid-period addition
     * itself"), so a usage line dated over its usage period (04-08 to 04-09) bills 2/30 of its amount; dated over the whole
     * billing period it bills its amount once on any agreement (without proration a line inside one period is a one-time
     * charge). The period is that of the usage's start; where R27 keeps lines out of invoiced periods and that period starts
     * before N, the first period starting on or after N (N's own on a real tenant, which invoices whole periods). Never
     * before the agreement's billing start (R13: ConnectWise refuses it).
     */
    static Proration.Period billedIn(PlanContext context, LocalDate keyDate, LocalDate agreementStart) {
        Proration.Period period = context.period(keyDate);
        LocalDate n = context.clampsBefore();
        if (n != null && EffectiveDates.latest(period.start(), agreementStart).isBefore(n)) {
            period = context.period(n);
            if (period.start().isBefore(n)) {
                period = context.period(period.end().plusDays(1));
            }
        }
        LocalDate start = EffectiveDates.latest(period.start(), agreementStart);
        return start.isAfter(period.end()) ? new Proration.Period(start, start) : new Proration.Period(start, period.end());
    }

    private static BigDecimal sum(List<AdditionLine> lines, boolean price) {
        return lines.stream().map(l -> orZero(price ? l.unitPrice() : l.unitCost())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }

    private static String text(BigDecimal value) {
        return value == null ? "-" : value.toPlainString();
    }
}
