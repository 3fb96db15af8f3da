package io.cwbridge.approval;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Approve links in the approval mail (R35), {@code cwbridge.notifications.*}.
 *
 * @param baseUrl         where the recipients reach the bundle, e.g. {@code https://cwbridge.msp.example}; blank:
 *                        {@code http://localhost:<the server's port>}
 * @param approvalLinkKey secret (base64 of at least 32 random bytes) the links are signed with (HMAC-SHA256);
 *                        blank: a generated key kept in the data folder (embedded default), or, where keys may not be
 *                        generated (prod), no links at all. Never logged; {@link #toString()} leaves it out
 * @param approvalLinkTtl how long a link works after the mail was made
 */
@ConfigurationProperties(prefix = "cwbridge.notifications")
public record ApprovalLinkProperties(
        @DefaultValue("") String baseUrl,
        @DefaultValue("") String approvalLinkKey,
        @DefaultValue("72h") Duration approvalLinkTtl) {

    @Override
    public String toString() {
        return "ApprovalLinkProperties[baseUrl=" + baseUrl + ", approvalLinkKey="
                + (approvalLinkKey == null || approvalLinkKey.isBlank() ? "" : "****") + ", approvalLinkTtl=" + approvalLinkTtl + "]";
    }
}
