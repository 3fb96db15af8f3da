package io.cwbridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * ConnectWise's API-member authentication: {@code Authorization: Basic
 * base64("{companyId}+{publicKey}:{privateKey}")} and a {@code clientId} header. Refusal messages
 * say what is wrong in general terms and never repeat what was sent.
 */
final class SandboxAuth {

    private final boolean configured;
    private final byte[] expectedCredentials;
    private final byte[] expectedClientId;

    SandboxAuth(SandboxProperties properties) {
        // Without all four settings nothing is accepted, rather than keys like "null+null:null".
        this.configured = Stream.of(properties.companyId(), properties.publicKey(), properties.privateKey(),
                properties.clientId()).allMatch(v -> v != null && !v.isBlank());
        String credentials = properties.companyId() + "+" + properties.publicKey() + ":" + properties.privateKey();
        this.expectedCredentials = credentials.getBytes(StandardCharsets.UTF_8);
        this.expectedClientId = String.valueOf(properties.clientId()).getBytes(StandardCharsets.UTF_8);
    }

    /** Why the call is refused, or empty when the headers are right. */
    Optional<String> refusal(String authorization, String clientId) {
        if (!configured) {
            return Optional.of("The sandbox has no API member configured (cw-sandbox.company-id, public-key, private-key, client-id).");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.of("Authentication is required: send Basic credentials of an API member.");
        }
        byte[] credentials;
        try {
            credentials = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return Optional.of("The Authorization header could not be read.");
        }
        // Compare in constant time, so timing tells nothing about how much of a key was right.
        if (!MessageDigest.isEqual(credentials, expectedCredentials)) {
            return Optional.of("The company, public key or private key is not valid.");
        }
        if (clientId == null || clientId.isBlank()) {
            return Optional.of("A clientId header is required.");
        }
        if (!MessageDigest.isEqual(clientId.trim().getBytes(StandardCharsets.UTF_8), expectedClientId)) {
            return Optional.of("The clientId is not valid.");
        }
        return Optional.empty();
    }
}
