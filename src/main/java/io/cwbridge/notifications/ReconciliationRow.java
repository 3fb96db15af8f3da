package io.cwbridge.notifications;

import java.time.LocalDate;

/** One subscription of the "Billing Reconciliation Status Synced" digest: its new status for a billing period. */
public record ReconciliationRow(String subscriptionId, LocalDate periodStart, String status) {
}
