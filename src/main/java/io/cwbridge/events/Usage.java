package io.cwbridge.events;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * Usage of a billing order (R24): overuse price = overusedAmount × overusePrice, overuse cost =
 * overusedAmount × overuseCost.
 *
 * @param resourceDetails lines describing the billed resources; a single JSON string is accepted too
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Usage(
        LocalDate periodStart,
        LocalDate periodEnd,
        BigDecimal overusedAmount,
        BigDecimal overusePrice,
        BigDecimal overuseCost,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> resourceDetails) {

    public Usage {
        resourceDetails = resourceDetails == null ? List.of() : List.copyOf(resourceDetails);
    }
}
