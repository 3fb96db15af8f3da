package io.cwbridge.rules;

import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * PRICE_CHANGE (R17: the unit price stays unless the event changes it). The new unit price / cost
 * applies from c: a base line that started before c ends on c − 1 and continues at the new price
 * from c (days already billed keep their price); on the purchase date, or for a base line starting
 * on or after c, the line is updated in place. Invoiced lines are never edited (R26): the new price
 * starts on a new line. Delta lines that only start after c take the new (prorated) price; running
 * delta lines keep theirs until they end (our decisions). The −Q line of an upgrade (R19) or cancellation (R21) after c
 * takes the new price as well, so it still nets the base in money. Nothing happens with price source
 * CONNECTWISE_CATALOG or with price and cost sync off.
 */
final class PriceChangeRule {

    private PriceChangeRule() {
    }

    static void apply(PlanBuilder plan, SubscriptionEvent event, MappingContext mapping, SyncRules rules) {
        Subscription sub = event.subscription();
        LocalDate c = event.changeDate();
        LinePricing pricing = new LinePricing(rules, sub.kind());
        boolean catalog = rules.priceSource() == SyncRules.PriceSource.CONNECTWISE_CATALOG;
        if (sub.isIaas() || catalog || (!pricing.pushesLicencePrice() && !pricing.pushesLicenceCost())) {
            plan.note("R17 price change not pushed: " + (sub.isIaas() ? "IaaS prices come from the usage invoice (R24)"
                    : "prices come from the ConnectWise catalog or price/cost sync is off"));
            return;
        }
        BaseLines bases = BaseLines.current(plan.view(), sub.id(), c, mapping.catalogItemId());
        if (bases.isEmpty()) {
            plan.note("R17 price change: no base line known for subscription " + sub.id());
            return;
        }
        LinePricing.Amounts full = pricing.base(sub.unitPrice(), sub.unitCost());
        String why = "R17 price change " + c + ":" + describe(full);
        boolean purchaseDate = EffectiveDates.onPurchaseDate(c, sub.startDate());
        boolean changed = false;
        // R17 × R19/R21: a price change dated before a synced upgrade or cancellation (it arrived late) reprices the base up
        // to its end; the −Q line from the upgrade or cancellation day nets it, so it takes the same price, or the days
        // after it would bill the difference
        List<AdditionLine> lines = new java.util.ArrayList<>(bases.lines());
        lines.addAll(plan.view().where(l -> (l.role() == LineRole.UPGRADE || l.role() == LineRole.CANCELLATION)
                && l.subscriptionId().equals(sub.id()) && Objects.equals(l.catalogItemId(), bases.catalogItemId())
                && l.quantity().signum() < 0 && l.effectiveDate().isAfter(c)));
        for (AdditionLine line : lines) {
            if (!(line.activeOn(c) || line.effectiveDate().isAfter(c)) || !differs(line, full)) {
                continue;
            }
            changed = true;
            if (purchaseDate || !line.effectiveDate().isBefore(c)) {
                if (!line.invoiced()) {
                    plan.update(line, l -> priced(l, full), why);
                } else if (line.cancelledDate() == null || line.cancelledDate().isAfter(line.effectiveDate())) {
                    LineEdits.split(plan, line, line.effectiveDate().plusDays(1), l -> priced(l, full),
                            why + " (the line's first day is invoiced at the old price)");
                } else {
                    plan.note(why + ": one-day line " + LineEdits.ref(line) + " is invoiced, price left as is (R26)");
                }
            } else {
                LineEdits.split(plan, line, c, l -> priced(l, full), why);
            }
        }
        List<AdditionLine> pending = plan.view().where(l -> l.role() == LineRole.DELTA && l.subscriptionId().equals(sub.id())
                && Objects.equals(l.catalogItemId(), bases.catalogItemId()) && l.effectiveDate().isAfter(c) && !l.invoiced());
        for (AdditionLine delta : pending) {
            if (differs(delta, full)) {
                changed = true;
                plan.update(delta, l -> priced(l, full), why + " (the delta line of " + delta.effectiveDate() + ")");
            }
        }
        if (!changed) {
            plan.note("R17 price change " + c + ": the lines already carry these prices");
        }
    }

    private static boolean differs(AdditionLine line, LinePricing.Amounts amounts) {
        return (amounts.unitPrice() != null && !LineFields.sameAmount(line.unitPrice(), amounts.unitPrice()))
                || (amounts.unitCost() != null && !LineFields.sameAmount(line.unitCost(), amounts.unitCost()));
    }

    private static AdditionLine priced(AdditionLine line, LinePricing.Amounts amounts) {
        return line.withPrices(amounts.unitPrice() != null ? amounts.unitPrice() : line.unitPrice(),
                amounts.unitCost() != null ? amounts.unitCost() : line.unitCost());
    }

    private static String describe(LinePricing.Amounts amounts) {
        return (amounts.unitPrice() == null ? "" : " unit price " + amounts.unitPrice().toPlainString())
                + (amounts.unitCost() == null ? "" : " unit cost " + amounts.unitCost().toPlainString());
    }
}
