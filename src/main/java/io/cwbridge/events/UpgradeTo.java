package io.cwbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The new product of a full or partial upgrade (R19, R20).
 *
 * @param subscriptionId the subscription that carries the new product (may equal the old one)
 * @param quantity       licences on the new product
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpgradeTo(String subscriptionId, Product product, Integer quantity, BigDecimal unitPrice,
        BigDecimal unitCost, LocalDate endDate) {
}
