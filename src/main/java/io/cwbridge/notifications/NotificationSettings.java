package io.cwbridge.notifications;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A partner's notification preferences (R33, seeds 000 and 001).
 *
 * @param enabled                     master switch, off by default
 * @param recipients                  e-mail addresses the digests go to (at least one when enabled)
 * @param serviceMappingDigest        send "Action Needed for Service Mapping in ConnectWise"
 * @param billingReconciliationDigest send "Billing Reconciliation Status Synced in ConnectWise"
 * @param accountName                 the name the digests greet ("Hello {CompanyName}"); null: the partner id
 * @param notifyErrorsAndActionNeeded seed 001 "Notify me about errors and when my action is needed" (on by
 *                                    default): the service mapping digest and, with task sync MANUAL, the
 *                                    approval mail (R35)
 * @param notifyAllTasks              seed 001 "Notify me about all created and synchronized tasks" (off by
 *                                    default): adds a digest of the tasks created and synced each day
 */
@Schema(description = "Notification preferences of a partner (R33)")
public record NotificationSettings(
        @Schema(description = "Master switch; off by default") boolean enabled,
        @Schema(description = "E-mail addresses the daily digests go to", example = "[\"billing@msp.example\"]") List<String> recipients,
        @Schema(description = "Send the daily 'Action Needed for Service Mapping' digest (when enabled)") boolean serviceMappingDigest,
        @Schema(description = "Send the daily 'Billing Reconciliation Status Synced' digest (when enabled)") boolean billingReconciliationDigest,
        @Schema(description = "The partner's account name the digests greet; null greets the partner id", example = "Chairs MSP Inc.",
                nullable = true) String accountName,
        @Schema(description = "Notify me about errors and when my action is needed (seed 001; on by default): the service "
                + "mapping digest and, with task sync MANUAL, the daily 'Approval Needed' mail with approve links (R35)")
        boolean notifyErrorsAndActionNeeded,
        @Schema(description = "Notify me about all created and synchronized tasks (seed 001; off by default): a daily "
                + "'Tasks Created and Synchronized' digest") boolean notifyAllTasks) {

    public static final int MAX_ACCOUNT_NAME = 200;

    public NotificationSettings {
        recipients = List.copyOf(recipients);
        accountName = accountName == null || accountName.isBlank() ? null : accountName.strip();
    }

    /** The seed 000 fields only; seed 001's choices at their defaults, no account name. */
    public NotificationSettings(boolean enabled, List<String> recipients, boolean serviceMappingDigest,
            boolean billingReconciliationDigest) {
        this(enabled, recipients, serviceMappingDigest, billingReconciliationDigest, null, true, false);
    }

    /** What a partner that never saved preferences has: notifications off, nobody to mail. */
    public static NotificationSettings defaults() {
        return new NotificationSettings(false, List.of(), true, true);
    }

    /** Who the digests greet: the account name, else the partner id. */
    public String greeting(String partnerId) {
        return accountName == null ? partnerId : accountName;
    }

    public boolean sends(DigestKind kind) {
        if (!enabled || recipients.isEmpty()) {
            return false;
        }
        return switch (kind) {
            case SERVICE_MAPPING -> serviceMappingDigest && notifyErrorsAndActionNeeded;
            case BILLING_RECONCILIATION -> billingReconciliationDigest;
            case TASK_APPROVAL -> notifyErrorsAndActionNeeded;
            case TASK_ACTIVITY -> notifyAllTasks;
        };
    }
}
