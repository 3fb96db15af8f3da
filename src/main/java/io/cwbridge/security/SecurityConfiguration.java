package io.cwbridge.security;

import io.cwbridge.config.BundleProperties;
import io.cwbridge.config.DataDirectoryLock;
import io.cwbridge.secrets.SecretCipher;
import java.io.IOException;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Provides the {@link SecretCipher} from the configured master key, or a generated one kept in the data folder. */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    static final String KEY_FILE = "master.key";

    @Bean
    SecretCipher secretCipher(SecurityProperties security, BundleProperties bundle,
            ObjectProvider<DataDirectoryLock> dataDirectory) throws IOException {
        // With the embedded database the data folder is taken first: a second start on a folder
        // in use is refused before the key file is looked at.
        dataDirectory.getIfAvailable();
        String encoded = security.masterKey();
        if (encoded == null || encoded.isBlank()) {
            if (!security.generateMasterKey()) {
                throw new IllegalStateException(
                        "cwbridge.security.master-key is required (base64 of 32 random bytes)");
            }
            encoded = KeyFiles.loadOrCreate(bundle.dataDir().resolve(KEY_FILE), "a master key for secrets at rest");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cwbridge.security.master-key is not valid base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("cwbridge.security.master-key must decode to 32 bytes");
        }
        return new SecretCipher(new SecretKeySpec(raw, "AES"));
    }
}
