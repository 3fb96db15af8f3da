package io.cwbridge.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param masterKey          base64 of a 256-bit AES key that encrypts partner secrets at rest
 * @param generateMasterKey  when no master key is configured, generate one and keep it in the data
 *                           folder (embedded default; off in prod, where the key must be supplied)
 * @param allowedOrigins     origins besides the bundle's own (e.g. {@code https://console.example.com})
 *                           whose pages may send state-changing requests (POST, PUT, PATCH, DELETE);
 *                           empty by default: only pages served by the bundle itself may
 */
@ConfigurationProperties(prefix = "cwbridge.security")
public record SecurityProperties(String masterKey, @DefaultValue("true") boolean generateMasterKey,
        @DefaultValue List<String> allowedOrigins) {

    public SecurityProperties {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }

    @Override
    public String toString() {
        return "SecurityProperties[masterKey=****, generateMasterKey=" + generateMasterKey + ", allowedOrigins=" + allowedOrigins + "]";
    }
}
