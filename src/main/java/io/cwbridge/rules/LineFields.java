package io.cwbridge.rules;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * The addition fields an operation writes; the same set as
 * {@code io.cwbridge.connectwise.AdditionFields}, so the mapping is 1:1. A null field is left as it
 * is on an update ({@code taxableFlag} null: ConnectWise's default); {@code clearCancelledDate} reopens a line. {@code billCustomer} null means
 * ConnectWise's "Billable". {@code proratePrice}/{@code prorateCost} are written only under proration
 * MARKETPLACE on an agreement that does not prorate (R17a); otherwise ConnectWise computes them.
 */
public record LineFields(
        Long catalogItemId,
        BigDecimal quantity,
        BigDecimal unitPrice,
        BigDecimal unitCost,
        LocalDate effectiveDate,
        LocalDate cancelledDate,
        boolean clearCancelledDate,
        String description,
        String invoiceDescription,
        String billCustomer,
        BigDecimal proratePrice,
        BigDecimal prorateCost,
        Boolean taxableFlag) {

    /** Without a taxable flag: ConnectWise's default (issue 15: only a task override sets it). */
    public LineFields(Long catalogItemId, BigDecimal quantity, BigDecimal unitPrice, BigDecimal unitCost,
            LocalDate effectiveDate, LocalDate cancelledDate, boolean clearCancelledDate, String description,
            String invoiceDescription, String billCustomer, BigDecimal proratePrice, BigDecimal prorateCost) {
        this(catalogItemId, quantity, unitPrice, unitCost, effectiveDate, cancelledDate, clearCancelledDate, description,
                invoiceDescription, billCustomer, proratePrice, prorateCost, null);
    }

    /** Without prorate amounts (ConnectWise's own, R17). */
    public LineFields(Long catalogItemId, BigDecimal quantity, BigDecimal unitPrice, BigDecimal unitCost,
            LocalDate effectiveDate, LocalDate cancelledDate, boolean clearCancelledDate, String description,
            String invoiceDescription, String billCustomer) {
        this(catalogItemId, quantity, unitPrice, unitCost, effectiveDate, cancelledDate, clearCancelledDate, description,
                invoiceDescription, billCustomer, null, null);
    }

    /** The same fields with the R17a prorate amounts to write. */
    public LineFields withProrate(BigDecimal price, BigDecimal cost) {
        return new LineFields(catalogItemId, quantity, unitPrice, unitCost, effectiveDate, cancelledDate, clearCancelledDate,
                description, invoiceDescription, billCustomer, price, cost, taxableFlag);
    }

    public LineFields {
        if (clearCancelledDate && cancelledDate != null) {
            throw new IllegalArgumentException("clearCancelledDate with a cancelledDate");
        }
    }

    /** Every field of a line to create. */
    static LineFields of(AdditionLine line) {
        return new LineFields(line.catalogItemId(), line.quantity(), line.unitPrice(), line.unitCost(),
                line.effectiveDate(), line.cancelledDate(), false, line.description(), line.invoiceDescription(), null);
    }

    /** Only what differs between {@code before} and {@code after}; null when nothing does. */
    static LineFields diff(AdditionLine before, AdditionLine after) {
        Long catalog = java.util.Objects.equals(before.catalogItemId(), after.catalogItemId()) ? null : after.catalogItemId();
        BigDecimal quantity = sameAmount(before.quantity(), after.quantity()) ? null : after.quantity();
        BigDecimal price = sameAmount(before.unitPrice(), after.unitPrice()) ? null : after.unitPrice();
        BigDecimal cost = sameAmount(before.unitCost(), after.unitCost()) ? null : after.unitCost();
        LocalDate effective = before.effectiveDate().equals(after.effectiveDate()) ? null : after.effectiveDate();
        boolean cancelChanged = !java.util.Objects.equals(before.cancelledDate(), after.cancelledDate());
        LocalDate cancelled = cancelChanged ? after.cancelledDate() : null;
        boolean clear = cancelChanged && after.cancelledDate() == null;
        String description = java.util.Objects.equals(before.description(), after.description()) ? null : after.description();
        String invoiceDescription = java.util.Objects.equals(before.invoiceDescription(), after.invoiceDescription())
                ? null : after.invoiceDescription();
        LineFields fields = new LineFields(catalog, quantity, price, cost, effective, cancelled, clear, description,
                invoiceDescription, null);
        return fields.isEmpty() ? null : fields;
    }

    static boolean sameAmount(BigDecimal a, BigDecimal b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.compareTo(b) == 0;
    }

    /** Nothing to write. */
    public boolean isEmpty() {
        return catalogItemId == null && quantity == null && unitPrice == null && unitCost == null && effectiveDate == null
                && cancelledDate == null && !clearCancelledDate && description == null && invoiceDescription == null
                && billCustomer == null && proratePrice == null && prorateCost == null && taxableFlag == null;
    }
}
