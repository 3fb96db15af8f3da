package io.cwbridge.connectwise.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** OpenAPI {@code Company} ({@code company/companies}), the fields the bundle reads: R1 matches by {@code name}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Company(
        long id,
        String identifier,
        String name,
        Reference status,
        String addressLine1,
        String addressLine2,
        String city,
        String state,
        String zip,
        CountryReference country,
        boolean deletedFlag) {}
