package io.cwbridge.connectwise.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.math.BigDecimal;

/**
 * OpenAPI {@code CatalogItem} ({@code procurement/catalog}), the fields the bundle reads: R2 matches
 * a product's mfg part number to {@code manufacturerPartNumber} or {@code vendorSku}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CatalogItem(
        long id,
        String identifier,
        String description,
        boolean inactiveFlag,
        Reference subcategory,
        Reference type,
        Reference category,
        String productClass,
        BigDecimal price,
        BigDecimal cost,
        String customerDescription,
        Reference manufacturer,
        String manufacturerPartNumber,
        String vendorSku) {}
