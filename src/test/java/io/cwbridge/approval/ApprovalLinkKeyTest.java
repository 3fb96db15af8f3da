package io.cwbridge.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cwbridge.config.BundleProperties;
import io.cwbridge.security.SecurityProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R35: where the approve links' HMAC key comes from, and that a generated one outlives a restart. */
class ApprovalLinkKeyTest {

    @TempDir Path dataDir;

    private ApprovalLinkKey key(String configured, boolean mayGenerate) throws Exception {
        return new ApprovalLinkKey(new ApprovalLinkProperties("", configured, Duration.ofHours(72)),
                new SecurityProperties(null, mayGenerate, List.of()), new BundleProperties(dataDir, null));
    }

    @Test
    void aGeneratedKeyIsKeptInTheDataFolderSoLinksSurviveARestart() throws Exception {
        byte[] first = key("", true).sign("link").orElseThrow();
        assertThat(Files.exists(dataDir.resolve(ApprovalLinkKey.KEY_FILE))).isTrue();
        assertThat(key("", true).sign("link").orElseThrow()).isEqualTo(first);
        assertThat(key("", true).sign("other link").orElseThrow()).isNotEqualTo(first);
    }

    @Test
    void aConfiguredKeyIsUsedAndNothingIsWritten() throws Exception {
        String configured = Base64.getEncoder().encodeToString(new byte[32]);
        byte[] signed = key(configured, true).sign("link").orElseThrow();
        assertThat(signed).hasSize(32);
        assertThat(key(configured, false).sign("link").orElseThrow()).isEqualTo(signed);
        assertThat(Files.exists(dataDir.resolve(ApprovalLinkKey.KEY_FILE))).isFalse();
    }

    @Test
    void whereKeysMayNotBeGeneratedThereAreNoLinksWithoutOne() throws Exception {
        ApprovalLinkKey none = key("", false);
        assertThat(none.present()).isFalse();
        assertThat(none.sign("link")).isEmpty();
        assertThat(Files.exists(dataDir.resolve(ApprovalLinkKey.KEY_FILE))).isFalse();
    }

    @Test
    void aBadKeyStopsTheStartWithoutShowingIt() {
        assertThatThrownBy(() -> key("not base64 !!", true)).hasMessage("cwbridge.notifications.approval-link-key is not valid base64");
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> key(shortKey, true)).hasMessageNotContaining(shortKey)
                .hasMessage("cwbridge.notifications.approval-link-key must decode to at least 32 bytes");
        assertThat(new ApprovalLinkProperties("", shortKey, Duration.ofHours(1)).toString()).doesNotContain(shortKey);
    }
}
