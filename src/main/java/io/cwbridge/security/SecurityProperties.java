package io.cwbridge.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param masterKey          base64 of a 256-bit AES key that encrypts partner secrets at rest
 * @param generateMasterKey  when no master key is configured, generate one and keep it in the data
 *                           folder (embedded default; off in prod, where the key must be supplied)
 */
@ConfigurationProperties(prefix = "cwbridge.security")
public record SecurityProperties(String masterKey, @DefaultValue("true") boolean generateMasterKey) {}
