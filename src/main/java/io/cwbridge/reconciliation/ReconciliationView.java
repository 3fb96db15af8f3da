package io.cwbridge.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One line of the billing reconciliation log (R32), as the API and the CSV export show it.
 * {@code psaQuantity} is the licence-months ConnectWise bills for the month (days-weighted),
 * {@code usageQuantity} the quantity of its usage/setup lines (amounts, never licences);
 * {@code autoPostedAt} is set when the daily run posted the final charges by itself.
 */
public record ReconciliationView(
        long id, String partnerId, String subscriptionId, String billingPeriod, int providerId, String kind,
        String status, String missingInvoice, String reason,
        BigDecimal invoiceQuantity, BigDecimal psaQuantity,
        BigDecimal invoiceCost, BigDecimal psaCost, BigDecimal invoicePrice, BigDecimal psaPrice,
        BigDecimal deltaCost, BigDecimal deltaPrice,
        Long agreementId, Long additionId, Instant checkedAt, Instant updatedAt,
        String customerName, String providerName, String planName, BigDecimal usageQuantity, Instant autoPostedAt) {}
