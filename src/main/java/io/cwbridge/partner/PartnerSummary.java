package io.cwbridge.partner;

/** A partner as {@code GET /api/v1/partners} lists it: never a key. {@code companyId} is null without a connection. */
public record PartnerSummary(String partnerId, String name, boolean connectionConfigured, String companyId) {}
