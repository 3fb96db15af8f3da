package io.cwbridge.tasks.store;

import io.cwbridge.rules.LineOverride;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A task's override (R31, issue 15) as the API shows it: the values a person set, why, who and when.
 * Null values are left to the partner's rules.
 */
public record TaskOverride(LocalDate effectiveDate, LocalDate cancelledDate, String description, BigDecimal quantity,
                           BigDecimal unitPrice, BigDecimal unitCost, String billCustomer, Boolean taxableFlag,
                           String priceSource, String reason, String by, OffsetDateTime at) {

    /** The values for the rules. */
    public LineOverride values() {
        return new LineOverride(effectiveDate, cancelledDate, description, quantity, unitPrice, unitCost, billCustomer,
                taxableFlag, priceSource == null ? null : io.cwbridge.rules.SyncRules.PriceSource.valueOf(priceSource));
    }

    /** "quantity=7, unitPrice=9.50" for the history. */
    public static String describe(LineOverride o) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        if (o.effectiveDate() != null) parts.add("effectiveDate=" + o.effectiveDate());
        if (o.cancelledDate() != null) parts.add("cancelledDate=" + o.cancelledDate());
        if (o.description() != null) parts.add("description=\"" + o.description() + "\"");
        if (o.quantity() != null) parts.add("quantity=" + o.quantity().toPlainString());
        if (o.unitPrice() != null) parts.add("unitPrice=" + o.unitPrice().toPlainString());
        if (o.unitCost() != null) parts.add("unitCost=" + o.unitCost().toPlainString());
        if (o.billCustomer() != null) parts.add("billCustomer=" + o.billCustomer());
        if (o.taxableFlag() != null) parts.add("taxableFlag=" + o.taxableFlag());
        if (o.priceSource() != null) parts.add("priceSource=" + o.priceSource());
        return String.join(", ", parts);
    }
}
