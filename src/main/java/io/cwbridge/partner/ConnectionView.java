package io.cwbridge.partner;

import java.time.Instant;

/** A partner's connection as the API shows it: the keys only as "set", never their value. */
public record ConnectionView(
        String partnerId,
        String apiUrl,
        String codebase,
        String companyId,
        String clientId,
        boolean publicKeySet,
        boolean privateKeySet,
        Instant updatedAt,
        Instant lastTestedAt,
        Boolean lastTestOk) {}
