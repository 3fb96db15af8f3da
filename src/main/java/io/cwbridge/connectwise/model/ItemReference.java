package io.cwbridge.connectwise.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * OpenAPI {@code IvItemReference}: an addition's {@code product}, the catalog item it bills.
 * {@code id} is null when ConnectWise answered none.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ItemReference(Long id, String identifier) {}
