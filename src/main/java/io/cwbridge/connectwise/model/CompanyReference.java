package io.cwbridge.connectwise.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** OpenAPI {@code CompanyReference}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompanyReference(long id, String identifier, String name) {}
