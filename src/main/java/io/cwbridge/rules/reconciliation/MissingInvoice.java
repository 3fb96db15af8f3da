package io.cwbridge.rules.reconciliation;

/** R32: which invoice a PENDING reconciliation is waiting for. */
public enum MissingInvoice {
    RESELLER,
    CUSTOMER,
    BOTH
}
