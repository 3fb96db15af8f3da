package io.cwbridge.rules.reconciliation;

import io.cwbridge.events.SubscriptionKind;
import java.math.BigDecimal;

/**
 * R32: the status of a subscription's reconciliation for a billing month.
 * <ul>
 *   <li>an invoice missing → PENDING (which one); before its invoice an IaaS subscription shows
 *       cost and price 0 and quantity 1;</li>
 *   <li>both invoices, ConnectWise unreadable → FAILED_REVIEW;</li>
 *   <li>cost, price and quantity equal → RECONCILED; any difference → PENDING_REVIEW.</li>
 * </ul>
 * The cost is the reseller invoice's amount, the price the customer invoice's amount, the
 * quantity the customer invoice's (1 for IaaS).
 */
public final class ReconciliationRules {

    private ReconciliationRules() {}

    /**
     * @param psa       ConnectWise values, or null when they could not be read
     * @param psaError  why they could not be read (used when {@code psa} is null)
     */
    public static Decision decide(SubscriptionKind kind, InvoiceTotals reseller, InvoiceTotals customer,
                                  PsaValues psa, String psaError) {
        BigDecimal invoiceCost = reseller == null ? Money.ZERO : Money.of(reseller.amount());
        BigDecimal invoicePrice = customer == null ? Money.ZERO : Money.of(customer.amount());
        BigDecimal invoiceQuantity = kind == SubscriptionKind.IAAS ? BigDecimal.ONE
                : customer == null ? null : customer.quantity();
        MissingInvoice missing = reseller == null && customer == null ? MissingInvoice.BOTH
                : reseller == null ? MissingInvoice.RESELLER
                : customer == null ? MissingInvoice.CUSTOMER : null;
        if (missing != null) {
            return new Decision(ReconciliationStatus.PENDING, missing, reason(missing), invoiceQuantity, invoiceCost,
                    invoicePrice, psa, null, null);
        }
        if (psa == null) {
            return new Decision(ReconciliationStatus.FAILED_REVIEW, null,
                    "ConnectWise values could not be read: " + (psaError == null ? "unknown error" : psaError),
                    invoiceQuantity, invoiceCost, invoicePrice, null, null, null);
        }
        BigDecimal deltaCost = delta(invoiceCost, psa.cost());
        BigDecimal deltaPrice = delta(invoicePrice, psa.price());
        boolean sameQuantity = sameQuantity(invoiceQuantity, psa);
        boolean match = sameQuantity && deltaCost.signum() == 0 && deltaPrice.signum() == 0;
        String reason = match ? null : discrepancy(sameQuantity, deltaCost, deltaPrice);
        return new Decision(match ? ReconciliationStatus.RECONCILED : ReconciliationStatus.PENDING_REVIEW, null, reason,
                invoiceQuantity, invoiceCost, invoicePrice, psa, deltaCost, deltaPrice);
    }

    /**
     * R32 × §2/R5 (currency is the subscription's and its agreement's): the invoices' currencies against the
     * subscription's; empty when they agree (or nothing is known), else why the month cannot be compared — an amount in
     * EUR is no difference to a USD line, and nothing may be written to ConnectWise from it.
     *
     * @param invoiceCurrencies the currency of each invoice in (by its type)
     * @param subscriptionCurrency the subscription's currency (its latest event's), null when unknown
     */
    public static java.util.Optional<String> otherCurrency(java.util.Map<InvoiceType, String> invoiceCurrencies,
                                                           String subscriptionCurrency) {
        java.util.Set<String> invoiced = new java.util.TreeSet<>();
        invoiceCurrencies.values().stream().filter(c -> c != null && !c.isBlank()).map(c -> c.trim().toUpperCase(java.util.Locale.ROOT))
                .forEach(invoiced::add);
        String own = subscriptionCurrency == null || subscriptionCurrency.isBlank() ? null
                : subscriptionCurrency.trim().toUpperCase(java.util.Locale.ROOT);
        if (invoiced.size() > 1) {
            return java.util.Optional.of("Invoices in different currencies (" + describe(invoiceCurrencies)
                    + "): the month cannot be compared; nothing is written to ConnectWise. Correct the invoice lines");
        }
        if (own != null && invoiced.size() == 1 && !invoiced.contains(own)) {
            return java.util.Optional.of("Invoice in " + invoiced.iterator().next() + ", the subscription and ConnectWise bill " + own
                    + ": the amounts cannot be compared; nothing is written to ConnectWise. Send the invoice lines in " + own);
        }
        return java.util.Optional.empty();
    }

    private static String describe(java.util.Map<InvoiceType, String> currencies) {
        return currencies.entrySet().stream().map(e -> e.getKey().name().toLowerCase(java.util.Locale.ROOT) + " " + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** FAILED_REVIEW for a reason of the invoices' own (e.g. {@link #otherCurrency}): no PSA side, no delta. */
    public static Decision notComparable(SubscriptionKind kind, InvoiceTotals reseller, InvoiceTotals customer, String reason) {
        BigDecimal invoiceCost = reseller == null ? Money.ZERO : Money.of(reseller.amount());
        BigDecimal invoicePrice = customer == null ? Money.ZERO : Money.of(customer.amount());
        BigDecimal invoiceQuantity = kind == SubscriptionKind.IAAS ? BigDecimal.ONE : customer == null ? null : customer.quantity();
        return new Decision(ReconciliationStatus.FAILED_REVIEW, null, reason, invoiceQuantity, invoiceCost, invoicePrice, null, null, null);
    }

    /**
     * R32 v2: the invoice's quantity matches ConnectWise when it equals the licence-months
     * ConnectWise bills (days-weighted, compared at scale 2 HALF_UP), or the licences active on
     * the month's last day (the platform's quantity of the period). Usage lines never count.
     */
    public static boolean sameQuantity(BigDecimal invoiceQuantity, PsaValues psa) {
        BigDecimal q = invoiceQuantity.setScale(Money.SCALE, Money.ROUNDING);
        return q.compareTo(psa.quantity().setScale(Money.SCALE, Money.ROUNDING)) == 0
                || (psa.endQuantity() != null && q.compareTo(psa.endQuantity().setScale(Money.SCALE, Money.ROUNDING)) == 0);
    }

    /** What an accept posts: invoice minus ConnectWise, scale 2 HALF_UP. */
    public static BigDecimal delta(BigDecimal invoice, BigDecimal psa) {
        return Money.of(invoice).subtract(Money.of(psa)).setScale(Money.SCALE, Money.ROUNDING);
    }

    private static String reason(MissingInvoice missing) {
        return switch (missing) {
            case RESELLER -> "Missing reseller invoice";
            case CUSTOMER -> "Missing customer invoice";
            case BOTH -> "Missing reseller and customer invoices";
        };
    }

    private static String discrepancy(boolean sameQuantity, BigDecimal deltaCost, BigDecimal deltaPrice) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (!sameQuantity) parts.add("quantity");
        if (deltaCost.signum() != 0) parts.add("cost " + deltaCost.toPlainString());
        if (deltaPrice.signum() != 0) parts.add("price " + deltaPrice.toPlainString());
        return "Discrepancy: " + String.join(", ", parts);
    }
}
