package io.cwbridge.connectwise.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * OpenAPI {@code Addition} ({@code finance/agreements/{parentId}/additions}), the fields the bundle
 * reads. Amounts keep ConnectWise's value, not its scale (22 for 22.00): callers that show or
 * compare money set its scale. {@code billedQuantity} is ConnectWise's quantity less included and
 * says nothing about invoicing (R22 v2 reads the agreement's next invoice date).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AgreementAddition(
        long id,
        ItemReference product,
        BigDecimal quantity,
        BigDecimal lessIncluded,
        BigDecimal unitPrice,
        BigDecimal unitCost,
        String billCustomer,
        @JsonDeserialize(using = ConnectWiseDate.class) LocalDate effectiveDate,
        @JsonDeserialize(using = ConnectWiseDate.class) LocalDate cancelledDate,
        boolean taxableFlag,
        String serialNumber,
        String invoiceDescription,
        Long agreementId,
        String description,
        BigDecimal billedQuantity,
        String uom,
        BigDecimal extPrice,
        String agreementStatus,
        BigDecimal proratePrice,
        BigDecimal prorateCost) {

    /** The catalog item the addition bills ({@code product/id}), or null. */
    public Long catalogItemId() {
        return product == null ? null : product.id();
    }
}
