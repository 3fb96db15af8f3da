package io.cwbridge.notifications;

/** The two daily digests of R33; {@code {PSAConnector}} is always ConnectWise in this bundle. */
public enum DigestKind {
    SERVICE_MAPPING("Action Needed for Service Mapping in " + DigestKind.PSA_CONNECTOR),
    BILLING_RECONCILIATION("Billing Reconciliation Status Synced in " + DigestKind.PSA_CONNECTOR);

    public static final String PSA_CONNECTOR = "ConnectWise";

    private final String subject;

    DigestKind(String subject) {
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }
}
