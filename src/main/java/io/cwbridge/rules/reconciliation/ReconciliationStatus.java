package io.cwbridge.rules.reconciliation;

/** R32: the states of one subscription's reconciliation for one billing month. */
public enum ReconciliationStatus {
    /** An invoice (reseller, customer or both) is missing; checked again daily inside the window. */
    PENDING,
    /** Both invoices are there but the ConnectWise values could not be read; checked again. */
    FAILED_REVIEW,
    /** Invoices and ConnectWise differ in price, cost or quantity; waits for accept or reject. */
    PENDING_REVIEW,
    /** ConnectWise matches the invoices, or the delta was accepted and posted. */
    RECONCILED,
    /** A user rejected the discrepancy; nothing was posted. */
    REJECTED,
    /** The accepted delta could not be posted to ConnectWise (the reason says why). */
    FAILED;

    /** The daily run looks again only at these; the others wait for a user or are done. */
    public boolean checkedAgainDaily() {
        return this == PENDING || this == FAILED_REVIEW;
    }
}
