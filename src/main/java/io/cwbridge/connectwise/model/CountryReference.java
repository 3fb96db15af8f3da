package io.cwbridge.connectwise.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** OpenAPI {@code CountryReference}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CountryReference(long id, String identifier, String name) {}
