package io.cwbridge.rules.reconciliation;

import java.math.BigDecimal;

/**
 * The outcome of one reconciliation check: the status, the invoice side, the PSA side (null when
 * not read) and the deltas an accept would post (invoice minus PSA).
 */
public record Decision(ReconciliationStatus status, MissingInvoice missing, String reason,
                       BigDecimal invoiceQuantity, BigDecimal invoiceCost, BigDecimal invoicePrice,
                       PsaValues psa, BigDecimal deltaCost, BigDecimal deltaPrice) {}
