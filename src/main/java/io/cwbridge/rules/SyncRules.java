package io.cwbridge.rules;

import io.cwbridge.events.SubscriptionKind;
import java.util.Objects;

/**
 * A partner's global sync rules (SPEC §4) as far as the addition rules read them.
 *
 * @param positiveChange                    effective date of a licence increase (R12/R13)
 * @param negativeChange                    effective date of a licence decrease (R14/R15)
 * @param cancellation                      how a cancellation ends the lines (R21)
 * @param priceSource                       where unit price / cost come from (R17)
 * @param syncUnitPrice                     push unit prices at all
 * @param syncUnitCost                      push unit costs at all
 * @param saasInvoiceValues                 SaaS lines carry price and cost, or cost only
 * @param iaasInvoiceValues                 IaaS lines carry price and cost, or cost only
 * @param iaasResourceDetailsInDescription  IaaS usage lines list the resource details (R24)
 * @param includeSubscriptionInfo           descriptions name product, plan, mfg part number,
 *                                          subscription id and licences (R25)
 * @param proration                         who prorates lines starting mid-period (R17, R17a)
 * @param invoicedCatchUp                   what becomes of the part of a change that falls into an
 *                                          invoiced period (R27)
 */
public record SyncRules(
        PositiveChange positiveChange,
        NegativeChange negativeChange,
        Cancellation cancellation,
        PriceSource priceSource,
        boolean syncUnitPrice,
        boolean syncUnitCost,
        InvoiceValues saasInvoiceValues,
        InvoiceValues iaasInvoiceValues,
        boolean iaasResourceDetailsInDescription,
        boolean includeSubscriptionInfo,
        ProrationRule proration,
        InvoicedCatchUp invoicedCatchUp) {

    /**
     * Proration (v2): CONNECTWISE — the agreement's own Prorate setting decides, the bundle never
     * prorates (R17); MARKETPLACE — on an agreement that does not prorate, the bundle writes the
     * line's prorated price and cost (R17a).
     */
    public enum ProrationRule { CONNECTWISE, MARKETPLACE }

    /** Invoiced catch-up (v2, R27): listed for a person, or posted as an agreement adjustment. */
    public enum InvoicedCatchUp { REVIEW, ADJUSTMENT }

    /** The v1 rules; proration CONNECTWISE and catch-up REVIEW (the §4 defaults). */
    public SyncRules(PositiveChange positiveChange, NegativeChange negativeChange, Cancellation cancellation,
            PriceSource priceSource, boolean syncUnitPrice, boolean syncUnitCost, InvoiceValues saasInvoiceValues,
            InvoiceValues iaasInvoiceValues, boolean iaasResourceDetailsInDescription, boolean includeSubscriptionInfo) {
        this(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost, saasInvoiceValues,
                iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo, ProrationRule.CONNECTWISE,
                InvoicedCatchUp.REVIEW);
    }

    /** Effective date of a positive quantity change. */
    public enum PositiveChange { ACTUAL_DATE, FIRST_OF_CURRENT_MONTH }

    /** Effective date of a negative quantity change. */
    public enum NegativeChange { ACTUAL_DATE, FIRST_OF_NEXT_MONTH }

    /** Service cancellation. */
    public enum Cancellation { CANCEL_PER_CANCELLATION_DATE, LAST_DAY_OF_MONTH }

    /** Price source. */
    public enum PriceSource { MARKETPLACE, CONNECTWISE_CATALOG }

    /** Invoice values pushed for a kind of subscription. */
    public enum InvoiceValues { PRICE_AND_COST, COST_ONLY }

    public SyncRules {
        Objects.requireNonNull(positiveChange, "positiveChange");
        Objects.requireNonNull(negativeChange, "negativeChange");
        Objects.requireNonNull(cancellation, "cancellation");
        Objects.requireNonNull(priceSource, "priceSource");
        Objects.requireNonNull(saasInvoiceValues, "saasInvoiceValues");
        Objects.requireNonNull(iaasInvoiceValues, "iaasInvoiceValues");
        proration = proration == null ? ProrationRule.CONNECTWISE : proration;
        invoicedCatchUp = invoicedCatchUp == null ? InvoicedCatchUp.REVIEW : invoicedCatchUp;
    }

    /**
     * The defaults of SPEC §4. "Include subscription information" is not in the §4 table; it is on
     * by default so that every line names its subscription (the delivery finds a created line again
     * by its description).
     */
    public static SyncRules defaults() {
        return new SyncRules(PositiveChange.ACTUAL_DATE, NegativeChange.ACTUAL_DATE,
                Cancellation.CANCEL_PER_CANCELLATION_DATE, PriceSource.MARKETPLACE, true, true,
                InvoiceValues.PRICE_AND_COST, InvoiceValues.PRICE_AND_COST, true, true);
    }

    public InvoiceValues invoiceValues(SubscriptionKind kind) {
        return kind == SubscriptionKind.IAAS ? iaasInvoiceValues : saasInvoiceValues;
    }

    public SyncRules withPositiveChange(PositiveChange value) {
        return new SyncRules(value, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo, proration, invoicedCatchUp);
    }

    public SyncRules withNegativeChange(NegativeChange value) {
        return new SyncRules(positiveChange, value, cancellation, priceSource, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo, proration, invoicedCatchUp);
    }

    public SyncRules withCancellation(Cancellation value) {
        return new SyncRules(positiveChange, negativeChange, value, priceSource, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo, proration, invoicedCatchUp);
    }

    public SyncRules withPriceSource(PriceSource value) {
        return new SyncRules(positiveChange, negativeChange, cancellation, value, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo, proration, invoicedCatchUp);
    }

    public SyncRules withSyncUnitPrice(boolean value) {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, value, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo, proration, invoicedCatchUp);
    }

    public SyncRules withSyncUnitCost(boolean value) {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, value,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo, proration, invoicedCatchUp);
    }

    public SyncRules withInvoiceValues(InvoiceValues saas, InvoiceValues iaas) {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost,
                saas, iaas, iaasResourceDetailsInDescription, includeSubscriptionInfo, proration, invoicedCatchUp);
    }

    public SyncRules withIaasResourceDetailsInDescription(boolean value) {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, value, includeSubscriptionInfo, proration, invoicedCatchUp);
    }

    public SyncRules withIncludeSubscriptionInfo(boolean value) {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, value, proration, invoicedCatchUp);
    }

    public SyncRules withProration(ProrationRule value) {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo, value,
                invoicedCatchUp);
    }

    public SyncRules withInvoicedCatchUp(InvoicedCatchUp value) {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo, proration,
                value);
    }
}
