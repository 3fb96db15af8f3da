package io.cwbridge.rules.reconciliation;

import java.math.BigDecimal;

/** One invoice's total for a subscription and billing month: quantity and amount (cost or price). */
public record InvoiceTotals(BigDecimal quantity, BigDecimal amount) {}
