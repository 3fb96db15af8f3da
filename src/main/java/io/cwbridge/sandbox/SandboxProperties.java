package io.cwbridge.sandbox;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The local ConnectWise sandbox ({@code cw-sandbox.*}, SPEC 8.3): the one set of API keys it
 * accepts. Not secrets: the sandbox holds no real data and is off in the prod profile.
 */
@ConfigurationProperties(prefix = "cw-sandbox")
public record SandboxProperties(
        @DefaultValue("true") boolean enabled,
        String companyId,
        String publicKey,
        String privateKey,
        String clientId) {
}
