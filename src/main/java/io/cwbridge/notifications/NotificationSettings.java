package io.cwbridge.notifications;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A partner's notification preferences (R33).
 *
 * @param enabled                     master switch, off by default
 * @param recipients                  e-mail addresses the digests go to (at least one when enabled)
 * @param serviceMappingDigest        send "Action Needed for Service Mapping in ConnectWise"
 * @param billingReconciliationDigest send "Billing Reconciliation Status Synced in ConnectWise"
 */
@Schema(description = "Notification preferences of a partner (R33)")
public record NotificationSettings(
        @Schema(description = "Master switch; off by default") boolean enabled,
        @Schema(description = "E-mail addresses the daily digests go to", example = "[\"billing@msp.example\"]") List<String> recipients,
        @Schema(description = "Send the daily 'Action Needed for Service Mapping' digest (when enabled)") boolean serviceMappingDigest,
        @Schema(description = "Send the daily 'Billing Reconciliation Status Synced' digest (when enabled)") boolean billingReconciliationDigest) {

    public NotificationSettings {
        recipients = List.copyOf(recipients);
    }

    /** What a partner that never saved preferences has: notifications off, nobody to mail. */
    public static NotificationSettings defaults() {
        return new NotificationSettings(false, List.of(), true, true);
    }

    public boolean sends(DigestKind kind) {
        if (!enabled || recipients.isEmpty()) {
            return false;
        }
        return switch (kind) {
            case SERVICE_MAPPING -> serviceMappingDigest;
            case BILLING_RECONCILIATION -> billingReconciliationDigest;
        };
    }
}
