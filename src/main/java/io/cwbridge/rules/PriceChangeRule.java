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
 * starts on a new line. Every other licence line of the subscription active on or after c is priced the same way
 * (R17 "every line carries the subscription's unit price", R10 at the price of the day; probe 57 P57-3): a running delta
 * line (R12–R15) ends c − 1 and continues with the same quantity at the new price from c to its old end; one dated c
 * (R16) or later is updated in place. The −Q line of an upgrade (R19) or cancellation (R21) running on or starting
 * after c takes the new price as well, so it still nets the base in money. Days of invoiced periods (R26/R27) become
 * catch-ups through {@link PlanBuilder}, as for the base. Nothing happens with price source CONNECTWISE_CATALOG or with
 * price and cost sync off.
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
        String change = "R17 price change " + c + ":" + describe(full);
        boolean purchaseDate = EffectiveDates.onPurchaseDate(c, sub.startDate());
        boolean changed = false;
        // R17 × R10 (probe 57 P57-3): every licence line billing on or after c carries the new price, not only the base:
        // a running delta line (R12–R15) is split at c like the base, one dated c (R16) or later is repriced in place.
        // R17 × R19/R21: a price change dated before a synced upgrade or cancellation (it arrived late), or after one whose
        // −Q line still runs, reprices the base up to its end; the −Q line nets it, so it takes the same price, or the
        // days after c would bill the difference
        List<AdditionLine> lines = new java.util.ArrayList<>(bases.lines());
        lines.addAll(plan.view().where(l -> !bases.lines().contains(l) && l.subscriptionId().equals(sub.id())
                && Objects.equals(l.catalogItemId(), bases.catalogItemId())
                && (l.role() == LineRole.DELTA
                        || ((l.role() == LineRole.UPGRADE || l.role() == LineRole.CANCELLATION) && l.quantity().signum() < 0))
                && (l.activeOn(c) || l.effectiveDate().isAfter(c))));
        for (AdditionLine line : lines) {
            if (!(line.activeOn(c) || line.effectiveDate().isAfter(c)) || !differs(line, full)) {
                continue;
            }
            changed = true;
            String why = line.role() == LineRole.DELTA ? change + " (the delta line of " + line.effectiveDate() + ")" : change;
            if (purchaseDate || !line.effectiveDate().isBefore(c)) {
                if (!line.invoiced()) {
                    plan.update(line, l -> priced(l, full), why);
                } else if (line.cancelledDate() == null || line.cancelledDate().isAfter(line.effectiveDate())) {
                    AdditionLine next = LineEdits.split(plan, line, line.effectiveDate().plusDays(1), l -> priced(l, full),
                            why + " (the line's first day is invoiced at the old price)");
                    if (line.role() == LineRole.DELTA) {
                        plan.keepsItsPrice(next); // R27: its invoiced days are caught up at the new price
                    }
                } else {
                    plan.note(why + ": one-day line " + LineEdits.ref(line) + " is invoiced, price left as is (R26)");
                }
            } else {
                AdditionLine next = LineEdits.split(plan, line, c, l -> priced(l, full), why);
                if (line.role() == LineRole.DELTA) {
                    plan.keepsItsPrice(next); // R27: its invoiced days are caught up at the new price
                }
            }
        }
        if (!changed) {
            plan.note(change + ": the lines already carry these prices");
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
