package io.cwbridge.connectwise.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.LocalDate;

/**
 * OpenAPI {@code Agreement} ({@code finance/agreements}), the fields the bundle reads: R4/R5 judge
 * eligibility by {@code agreementStatus}, {@code billingCycle}, {@code currency} and
 * {@code startDate}; R22/R27 judge "invoiced" by {@code nextInvoiceDate} and the prorate flags.
 * Absent flags read as off.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Agreement(
        long id,
        String name,
        Reference type,
        CompanyReference company,
        @JsonDeserialize(using = ConnectWiseDate.class) LocalDate startDate,
        @JsonDeserialize(using = ConnectWiseDate.class) LocalDate endDate,
        boolean cancelledFlag,
        Reference billingCycle,
        @JsonDeserialize(using = ConnectWiseDate.class) LocalDate billStartDate,
        boolean prorateFlag,
        boolean invoiceProratedAdditionsFlag,
        String applicationUnits,
        CurrencyReference currency,
        @JsonDeserialize(using = ConnectWiseDate.class) LocalDate nextInvoiceDate,
        String agreementStatus) {

    /** When the agreement starts billing: its billing start date, else its start date. */
    public LocalDate billingStart() {
        return billStartDate != null ? billStartDate : startDate;
    }

    /** The billing cycle's name ("Monthly", "Yearly", … as the MSP named them), "" when none. */
    public String billingCycleName() {
        return billingCycle == null || billingCycle.name() == null ? "" : billingCycle.name();
    }

    /** The currency code, "" when none. */
    public String currencyCode() {
        return currency == null || currency.currencyCode() == null ? "" : currency.currencyCode();
    }
}
