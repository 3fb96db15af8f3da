package io.cwbridge.approval;

import io.cwbridge.config.BundleProperties;
import io.cwbridge.security.KeyFiles;
import io.cwbridge.security.SecurityProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The HMAC-SHA256 key of the approve links (R35). From {@code cwbridge.notifications.approval-link-key};
 * unset, the embedded default generates one into the data folder ({@value #KEY_FILE}) so links mailed
 * before a restart still work after it. Where secrets may not be generated ({@code prod}:
 * {@code cwbridge.security.generate-master-key=false}) the key must be configured: without it the
 * approval mail lists the plans but carries no links. The key is never logged.
 */
@Component
public class ApprovalLinkKey {

    private static final Logger log = LoggerFactory.getLogger(ApprovalLinkKey.class);
    static final String KEY_FILE = "approval-link.key";
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    public ApprovalLinkKey(ApprovalLinkProperties properties, SecurityProperties security, BundleProperties bundle) throws IOException {
        String encoded = properties.approvalLinkKey();
        if (encoded == null || encoded.isBlank()) {
            if (!security.generateMasterKey()) {
                log.warn("cwbridge.notifications.approval-link-key is not set: the approval mail (R35) carries no approve links");
                key = null;
                return;
            }
            encoded = KeyFiles.loadOrCreate(bundle.dataDir().resolve(KEY_FILE), "the approval link key");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cwbridge.notifications.approval-link-key is not valid base64");
        }
        if (raw.length < 32) {
            throw new IllegalStateException("cwbridge.notifications.approval-link-key must decode to at least 32 bytes");
        }
        key = new SecretKeySpec(raw, HMAC);
    }

    /** The signature of {@code data}, empty when no key is configured. */
    Optional<byte[]> sign(String data) {
        if (key == null) return Optional.empty();
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return Optional.of(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    boolean present() {
        return key != null;
    }
}
