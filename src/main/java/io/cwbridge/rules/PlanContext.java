package io.cwbridge.rules;

import io.cwbridge.events.BillingCycle;
import io.cwbridge.events.Subscription;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * What a plan needs to know beyond the lines: how the agreement invoices (R22, R27), the billing
 * periods and currency of the subscription (R17a, R27 amounts), and the partner's proration rule.
 *
 * @param fallbackPrice unit price for catch-up amounts when the lines carry none (price source
 *                      CONNECTWISE_CATALOG): the subscription's
 */
record PlanContext(AgreementBilling billing, BillingCycle cycle, LocalDate yearlyAnchor, String currency,
        SyncRules.ProrationRule proration, BigDecimal fallbackPrice, BigDecimal fallbackCost) {

    static final PlanContext NONE = new PlanContext(AgreementBilling.unknown(), BillingCycle.MONTHLY, null, null,
            SyncRules.ProrationRule.CONNECTWISE, null, null);

    PlanContext {
        billing = billing == null ? AgreementBilling.unknown() : billing;
        cycle = cycle == null ? BillingCycle.MONTHLY : cycle;
        proration = proration == null ? SyncRules.ProrationRule.CONNECTWISE : proration;
    }

    static PlanContext of(Subscription sub, MappingContext mapping, SyncRules rules) {
        return new PlanContext(mapping.billing(), LinePricing.cycleOf(sub), LinePricing.yearlyAnchor(sub, mapping),
                sub == null ? null : sub.currency(), rules.proration(), sub == null ? null : sub.unitPrice(),
                sub == null ? null : sub.unitCost());
    }

    static PlanContext of(AgreementBilling billing) {
        return new PlanContext(billing, BillingCycle.MONTHLY, billing == null ? null : billing.billStartDate(), null,
                SyncRules.ProrationRule.CONNECTWISE, null, null);
    }

    /** The next invoice date N when R27 keeps lines out of invoiced periods; null when it does not apply. */
    LocalDate clampsBefore() {
        return billing.nextInvoiceDate() == null || billing.keepsDates() ? null : billing.nextInvoiceDate();
    }

    Proration.Period period(LocalDate day) {
        return Proration.billingPeriod(day, cycle, yearlyAnchor);
    }

    /** R17a: the bundle writes prorate amounts (MARKETPLACE, on an agreement that does not prorate). */
    boolean writesProrate() {
        return proration == SyncRules.ProrationRule.MARKETPLACE && !billing.prorates();
    }
}
