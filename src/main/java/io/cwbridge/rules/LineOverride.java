package io.cwbridge.rules;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * R31 (issue 15): the values a person sets for one task before it syncs (seed 001 "configure addition
 * parameters: dates, description, quantity, price, cost, bills and taxes, load prices from"), applied to
 * the lines the task writes by {@link LineOverrides}. A null value leaves the rules' value.
 *
 * @param quantity     licences of the task's line(s); a line with negative quantity (a decrease or credit
 *                     line) keeps its sign
 * @param billCustomer ConnectWise's {@code billCustomer}: Billable, DoNotBill or NoCharge
 * @param taxableFlag  ConnectWise's {@code taxableFlag}
 * @param priceSource  where the unit price and cost of the task's licence lines come from (SPEC §4)
 */
public record LineOverride(LocalDate effectiveDate, LocalDate cancelledDate, String description, BigDecimal quantity,
        BigDecimal unitPrice, BigDecimal unitCost, String billCustomer, Boolean taxableFlag, SyncRules.PriceSource priceSource) {

    /** ConnectWise's {@code billCustomer} values (finance/agreements/{id}/additions). */
    public static final java.util.List<String> BILL_CUSTOMER = java.util.List.of("Billable", "DoNotBill", "NoCharge");

    public boolean isEmpty() {
        return effectiveDate == null && cancelledDate == null && description == null && quantity == null && unitPrice == null
                && unitCost == null && billCustomer == null && taxableFlag == null && priceSource == null;
    }

    /** The names of the values set, in a fixed order (for history and reasons). */
    public java.util.List<String> names() {
        java.util.List<String> names = new java.util.ArrayList<>();
        if (effectiveDate != null) names.add("effectiveDate");
        if (cancelledDate != null) names.add("cancelledDate");
        if (description != null) names.add("description");
        if (quantity != null) names.add("quantity");
        if (unitPrice != null) names.add("unitPrice");
        if (unitCost != null) names.add("unitCost");
        if (billCustomer != null) names.add("billCustomer");
        if (taxableFlag != null) names.add("taxableFlag");
        if (priceSource != null) names.add("priceSource");
        return names;
    }
}
