package io.cwbridge.partner;

import java.util.List;

/** Answer of the connection test (SPEC 7): success, or one generic message that echoes no secret. */
public record ConnectionTestResult(boolean ok, String message, List<String> missingPermissions) {}
