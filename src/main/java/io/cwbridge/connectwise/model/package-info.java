/**
 * The ConnectWise Manage records the bundle reads, as values: only the fields it uses, with the
 * names and types of the official OpenAPI document (version 2026.4; {@code /work/shared/connectwise}).
 * Money is {@link java.math.BigDecimal} (its value, not its scale: callers set money's scale); date-times (UTC midnight)
 * are {@link java.time.LocalDate}s ({@link ConnectWiseDate}). Unknown fields are ignored, so a
 * newer model version still reads. Parsed once, by {@code connectwise/ConnectWiseResources}.
 */
package io.cwbridge.connectwise.model;
