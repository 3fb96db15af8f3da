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
        boolean includeSubscriptionInfo) {

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
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo);
    }

    public SyncRules withNegativeChange(NegativeChange value) {
        return new SyncRules(positiveChange, value, cancellation, priceSource, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo);
    }

    public SyncRules withCancellation(Cancellation value) {
        return new SyncRules(positiveChange, negativeChange, value, priceSource, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo);
    }

    public SyncRules withPriceSource(PriceSource value) {
        return new SyncRules(positiveChange, negativeChange, cancellation, value, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo);
    }

    public SyncRules withSyncUnitPrice(boolean value) {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, value, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo);
    }

    public SyncRules withSyncUnitCost(boolean value) {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, value,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo);
    }

    public SyncRules withInvoiceValues(InvoiceValues saas, InvoiceValues iaas) {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost,
                saas, iaas, iaasResourceDetailsInDescription, includeSubscriptionInfo);
    }

    public SyncRules withIaasResourceDetailsInDescription(boolean value) {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, value, includeSubscriptionInfo);
    }

    public SyncRules withIncludeSubscriptionInfo(boolean value) {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, value);
    }
}
