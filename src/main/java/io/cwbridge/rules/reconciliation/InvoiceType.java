package io.cwbridge.rules.reconciliation;

/** R32: the reseller invoice carries the cost, the customer invoice the price and quantity. */
public enum InvoiceType {
    RESELLER,
    CUSTOMER
}
