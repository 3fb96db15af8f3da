package io.cwbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The marketplace product / plan (maps to a ConnectWise catalog item, R2).
 *
 * @param provider      manufacturer, e.g. "Microsoft CSP"
 * @param providerId    provider id of the billing cutover table (R32), optional
 * @param name          product name
 * @param plan          plan name
 * @param mfgPartNumber mfg part number / vendor SKU, the catalog match key
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Product(String id, String provider, Integer providerId, String name, String plan,
        String mfgPartNumber, String description) {
}
