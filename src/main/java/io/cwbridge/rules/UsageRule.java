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
        LocalDate effective = EffectiveDates.latest(usage.periodStart(),
                mapping.billingStart(sub.startDate() != null ? sub.startDate() : usage.periodStart()));
        LocalDate end = usage.periodEnd() == null || usage.periodEnd().isBefore(effective) ? effective : usage.periodEnd();
        List<String> details = sub.isIaas() && rules.iaasResourceDetailsInDescription() ? usage.resourceDetails() : List.of();
        String description = LineDescriptions.usage(sub.product(), sub.id(), usage.periodStart(), usage.periodEnd(), details,
                rules.includeSubscriptionInfo());
        String invoiceDescription = details.isEmpty() ? null : String.join("\n", details);
        String why = "R24 usage " + usage.periodStart() + " to " + usage.periodEnd() + ": overuse price "
                + text(usage.overusedAmount()) + " x " + text(usage.overusePrice()) + " = " + text(price) + ", overuse cost "
                + text(usage.overusedAmount()) + " x " + text(usage.overuseCost()) + " = " + text(cost);

        // A usage line is its period's by its key (R27 may have moved an invoiced period's line to N, where the usage of
        // the period N starts has a line of its own)
        List<AdditionLine> existing = plan.view().where(l -> l.role() == LineRole.USAGE && l.subscriptionId().equals(sub.id())
                && l.key().effectiveDate().equals(effective));
        if (existing.isEmpty()) {
            plan.create(new AdditionLine(null, plan.nextKey(sub.id(), LineRole.USAGE, effective), catalog, BigDecimal.ONE,
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
            plan.update(line, l -> l.withPrices(newPrice, newCost).withDescription(description, invoiceDescription),
                    why + " (corrected usage)");
            return;
        }
        BigDecimal priceDifference = amounts.unitPrice() == null ? null : amounts.unitPrice().subtract(billedPrice);
        BigDecimal costDifference = amounts.unitCost() == null ? null : amounts.unitCost().subtract(billedCost);
        plan.create(new AdditionLine(null, plan.nextKey(sub.id(), LineRole.USAGE, effective), catalog, BigDecimal.ONE,
                        priceDifference, costDifference, effective, end, false,
                        LineDescriptions.adjustment(description, "usage correction"), invoiceDescription),
                "R26 usage line of " + effective + " is invoiced: " + why + ", the difference goes on a new line");
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
