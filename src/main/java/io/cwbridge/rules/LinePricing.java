package io.cwbridge.rules;

import io.cwbridge.events.BillingCycle;
import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionKind;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Which unit price / unit cost a line carries under the partner's rules (SPEC §4, R17, R24).
 *
 * <ul>
 * <li>Licence lines: the subscription's unit price and cost (R17), whatever the price source: with
 *     CONNECTWISE_CATALOG the planner hands the rules the catalog item's price and cost as the subscription's
 *     (sync/CatalogPrices), so the line carries them and R17a / R27 amounts are computed from them.</li>
 * <li>Amount lines (usage R24, setup R25): the catalog cannot know these amounts, so they are sent
 *     whatever the price source (our decision).</li>
 * <li>"Sync unit price / cost" off drops that field. Invoice values COST_ONLY (per SaaS / IaaS) drops the price of
 *     what the invoice (billing order) brings: the usage lines (R24) and the reconciliation's charges (R32); licence
 *     lines keep the subscription's unit price (seed 000: the setting is "Invoice/Billing", generating invoices with
 *     the partner's cost only; the customer's unit price of a subscription is the "Customer Unit Price" rule's).</li>
 * </ul>
 */
final class LinePricing {

    private final SyncRules rules;
    private final SubscriptionKind kind;

    LinePricing(SyncRules rules, SubscriptionKind kind) {
        this.rules = rules;
        this.kind = kind == null ? SubscriptionKind.SAAS : kind;
    }

    boolean pushesLicencePrice() {
        return rules.syncUnitPrice();
    }

    boolean pushesLicenceCost() {
        return rules.syncUnitCost();
    }

    boolean pushesAmountPrice() {
        return rules.syncUnitPrice() && rules.invoiceValues(kind) == SyncRules.InvoiceValues.PRICE_AND_COST;
    }

    boolean pushesAmountCost() {
        return rules.syncUnitCost();
    }

    /** Full unit price / cost of a base line. */
    Amounts base(BigDecimal unitPrice, BigDecimal unitCost) {
        return new Amounts(pushesLicencePrice() ? unitPrice : null, pushesLicenceCost() ? unitCost : null);
    }

    /**
     * A delta / netting line: R17 (v2) it carries the subscription's unit price and cost as they are,
     * whatever its effective date. Proration of its first period is ConnectWise's (the agreement's
     * Prorate setting), or written beside the unit price as prorate amounts (R17a, see
     * {@link PlanBuilder}); the unit price itself is never prorated.
     */
    Amounts unprorated(BigDecimal unitPrice, BigDecimal unitCost) {
        return base(unitPrice, unitCost);
    }

    Amounts amounts(BigDecimal price, BigDecimal cost) {
        return new Amounts(pushesAmountPrice() ? price : null, pushesAmountCost() ? cost : null);
    }

    static BillingCycle cycleOf(Subscription subscription) {
        return subscription == null || subscription.billingCycle() == null ? BillingCycle.MONTHLY : subscription.billingCycle();
    }

    /** The yearly agreement's start (R5) or, unknown, the first of the subscription's start month. */
    static LocalDate yearlyAnchor(Subscription subscription, MappingContext mapping) {
        if (mapping != null && mapping.agreementStartDate() != null) {
            return mapping.agreementStartDate();
        }
        return subscription == null || subscription.startDate() == null ? null
                : EffectiveDates.firstOfMonth(subscription.startDate());
    }

    /** Unit price and unit cost a line carries; null = not sent. */
    record Amounts(BigDecimal unitPrice, BigDecimal unitCost) {
    }
}
