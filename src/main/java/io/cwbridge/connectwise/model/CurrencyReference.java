package io.cwbridge.connectwise.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** OpenAPI {@code CurrencyReference}: R5 compares its {@code currencyCode} with the subscription's currency. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CurrencyReference(long id, String currencyCode, String name) {}
