package io.cwbridge.reconciliation.rules;

/** R32: which invoice a PENDING reconciliation is waiting for. */
public enum MissingInvoice {
    RESELLER,
    CUSTOMER,
    BOTH
}
