package io.cwbridge.reconciliation;

import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.rules.reconciliation.InvoiceType;
import java.math.BigDecimal;
import java.time.YearMonth;

/**
 * One invoice line (R32): a reseller (cost) or customer (price) invoice's total for one
 * subscription and billing month. Natural key: partner, subscription, billing period, invoice type.
 */
public record InvoiceLine(String partnerId, InvoiceType invoiceType, String invoiceNumber, String subscriptionId,
                          int providerId, SubscriptionKind kind, YearMonth billingPeriod, BigDecimal quantity,
                          BigDecimal amount, String currency) {}
