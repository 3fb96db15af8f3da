package io.cwbridge.partner;

import java.util.List;

/**
 * Answer of the connection test (SPEC 7): success, or one generic message that echoes no secret. {@code missingPermissions}:
 * the levels ConnectWise refused (403); {@code uncheckedPermissions}: the levels whose probe got no answer that tells
 * (ConnectWise failed, throttled or could not be reached): never reported as granted, so the test is not ok.
 */
public record ConnectionTestResult(boolean ok, String message, List<String> missingPermissions, List<String> uncheckedPermissions) {

    public ConnectionTestResult {
        missingPermissions = missingPermissions == null ? List.of() : List.copyOf(missingPermissions);
        uncheckedPermissions = uncheckedPermissions == null ? List.of() : List.copyOf(uncheckedPermissions);
    }

    public ConnectionTestResult(boolean ok, String message, List<String> missingPermissions) {
        this(ok, message, missingPermissions, List.of());
    }
}
