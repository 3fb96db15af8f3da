package io.cwbridge.connectwise.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A ConnectWise reference to a record the MSP defines ({@code {id, name}}: agreement type, billing cycle, category, …). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Reference(long id, String name) {}
