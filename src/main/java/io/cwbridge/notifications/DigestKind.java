package io.cwbridge.notifications;

/**
 * The daily digests: the two of R33 (seed 000), the tasks waiting for approval (R35, task sync MANUAL)
 * and seed 001's "all created and synchronized tasks"; {@code {PSAConnector}} is always ConnectWise here.
 */
public enum DigestKind {
    SERVICE_MAPPING("Action Needed for Service Mapping in " + DigestKind.PSA_CONNECTOR),
    BILLING_RECONCILIATION("Billing Reconciliation Status Synced in " + DigestKind.PSA_CONNECTOR),
    TASK_APPROVAL("Approval Needed for Tasks in " + DigestKind.PSA_CONNECTOR),
    TASK_ACTIVITY("Tasks Created and Synchronized in " + DigestKind.PSA_CONNECTOR);

    public static final String PSA_CONNECTOR = "ConnectWise";

    private final String subject;

    DigestKind(String subject) {
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
