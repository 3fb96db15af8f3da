package io.cwbridge.globalsync;

import io.cwbridge.connectwise.AdditionFields;
import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.rules.AdditionLine;
import io.cwbridge.rules.AgreementBilling;
import io.cwbridge.rules.LineRole;
import io.cwbridge.rules.Proration;
import io.cwbridge.events.BillingCycle;
import io.cwbridge.rules.SyncRules;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;

/**
 * R30 for additions besides the month roll: the base line billing today carries the subscription's
 * current unit price and cost (the latest synced event's, as its task's override set them: MonthRollSync.Truth; under price
 * source CONNECTWISE_CATALOG the catalog item's current ones), as the rules priced it (R17, R25: full price, "sync unit
 * price / cost" on, invoice values). Only where ConnectWise differs, and
 * never on an invoiced line (ConnectWise refuses the edit, R26): one whose first day lies before the
 * agreement's next invoice date (R22 v2). Pure.
 */
public final class AdditionPrices {

    private AdditionPrices() {}

    /** @return the fields to patch on {@code line}, or empty when it already holds them or may not be touched */
    public static Optional<AdditionFields> patch(AdditionLine line, Long catalogItemId, BigDecimal unitPrice, BigDecimal unitCost,
            SubscriptionKind kind, SyncRules rules, LocalDate today) {
        return patch(line, catalogItemId, unitPrice, unitCost, kind, rules, today, AgreementBilling.unknown());
    }

    /** The same on an agreement that invoices as {@code billing} says: no patch on a line it has invoiced. */
    public static Optional<AdditionFields> patch(AdditionLine line, Long catalogItemId, BigDecimal unitPrice, BigDecimal unitCost,
            SubscriptionKind kind, SyncRules rules, LocalDate today, AgreementBilling billing) {
        return patch(line, catalogItemId, unitPrice, unitCost, kind, rules, today, billing, BillingCycle.MONTHLY, null);
    }

    /**
     * The same for a subscription billed by {@code cycle} in {@code currency}: under proration MARKETPLACE on an agreement that
     * does not prorate, a repriced line active for part of its first period gets its R17a amounts at the new price in the same
     * PATCH. Under price source CONNECTWISE_CATALOG {@code unitPrice} / {@code unitCost} are the catalog item's current ones
     * (MonthRollSync.catalogPriced; probe 45 F4: the base kept 30.00 after the catalog said 32.00).
     */
    public static Optional<AdditionFields> patch(AdditionLine line, Long catalogItemId, BigDecimal unitPrice, BigDecimal unitCost,
            SubscriptionKind kind, SyncRules rules, LocalDate today, AgreementBilling billing, BillingCycle cycle, String currency) {
        if (line.role() != LineRole.BASE || line.invoiced() || billing.invoiced(line.effectiveDate()) || !line.activeOn(today) || catalogItemId == null
                || !catalogItemId.equals(line.catalogItemId())) {
            return Optional.empty();
        }
        SubscriptionKind k = kind == null ? SubscriptionKind.SAAS : kind;
        // a base line is a licence line: its price follows "sync unit price" (COST_ONLY is the invoices', LinePricing)
        boolean pushPrice = rules.syncUnitPrice();
        BigDecimal price = pushPrice && differs(unitPrice, line.unitPrice()) ? unitPrice : null;
        BigDecimal cost = rules.syncUnitCost() && differs(unitCost, line.unitCost()) ? unitCost : null;
        if (price == null && cost == null) {
            return Optional.empty();
        }
        Proration.Written prorate = Proration.written(rules.proration(), billing.prorates(), cycle, billing.billStartDate(), currency,
                line.effectiveDate(), line.cancelledDate(), price != null ? price : line.unitPrice(), cost != null ? cost : line.unitCost());
        return Optional.of(new AdditionFields(null, null, price, cost, null, null, false, null, null, null,
                prorate == null ? null : prorate.price(), prorate == null ? null : prorate.cost()));
    }

    /**
     * R30 x R31: the unit price (or cost) the base line should carry: the latest synced event's, or the override a person set
     * on that event's task where the task wrote the base line with it. A person's decision on a task is not undone by the
     * global sync; a later event (a new decision point) brings the marketplace's value again.
     *
     * @param override the override's value where it applies to the base line, else null
     */
    public static BigDecimal truth(BigDecimal eventValue, BigDecimal override) {
        return override != null ? override : eventValue;
    }

    /**
     * R30 x R32 v2: the unit cost the base line should carry. A final reseller cost the billing reconciliation wrote from the
     * partner's statement of a period is newer than the marketplace's cost in any event of that period or before it, so the
     * global sync keeps it instead of setting the event's back; an event after the period's end carries the newer cost.
     *
     * @param finalCost the subscription's latest final cost written to ConnectWise, or null; {@code finalPeriodEnd} its period's last day
     */
    public static BigDecimal unitCost(BigDecimal eventCost, LocalDate eventDay, BigDecimal finalCost, LocalDate finalPeriodEnd) {
        return finalCostApplies(eventDay, finalCost, finalPeriodEnd) ? finalCost : eventCost;
    }

    /** Whether {@link #unitCost} takes the final reseller cost rather than the event's. */
    public static boolean finalCostApplies(LocalDate eventDay, BigDecimal finalCost, LocalDate finalPeriodEnd) {
        return finalCost != null && finalPeriodEnd != null && (eventDay == null || !eventDay.isAfter(finalPeriodEnd));
    }

    private static boolean differs(BigDecimal truth, BigDecimal held) {
        return truth != null && (held == null || truth.compareTo(held) != 0);
    }
}
