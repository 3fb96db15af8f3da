package io.cwbridge.notifications;

/**
 * One service (subscription) of the "Action Needed for Service Mapping" digest.
 *
 * @param customer customer name from the subscription's latest event (may be null)
 * @param plan     plan name (product name when the event has no plan)
 * @param status   {@link #UNMAPPED} or {@link #FAILED}
 * @param reason   what is missing, or why the sync failed
 */
public record ServiceMappingRow(String customer, String plan, String subscriptionId, String status, String reason) {
    public static final String UNMAPPED = "Unmapped";
    public static final String FAILED = "Failed";
}
