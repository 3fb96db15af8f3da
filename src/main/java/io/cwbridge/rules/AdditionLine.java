package io.cwbridge.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A known agreement addition of a subscription, as read from ConnectWise and the pipeline's own
 * record of which line it is.
 *
 * @param additionId    ConnectWise addition id; null only for a line planned but not yet created
 * @param key           which subscription line it is (role, effective date, revision)
 * @param catalogItemId the addition's product
 * @param effectiveDate first day the line bills
 * @param cancelledDate last day the line bills; null = open
 * @param invoiced      ConnectWise has billed it (billedQuantity &gt; 0): it rejects edits (R26)
 */
public record AdditionLine(
        Long additionId,
        LineKey key,
        Long catalogItemId,
        BigDecimal quantity,
        BigDecimal unitPrice,
        BigDecimal unitCost,
        LocalDate effectiveDate,
        LocalDate cancelledDate,
        boolean invoiced,
        String description,
        String invoiceDescription) {

    public AdditionLine {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(effectiveDate, "effectiveDate");
        if (cancelledDate != null && cancelledDate.isBefore(effectiveDate)) {
            throw new IllegalArgumentException("line " + key + " cancelled " + cancelledDate + " before its effective date "
                    + effectiveDate);
        }
    }

    public LineRole role() {
        return key.role();
    }

    public String subscriptionId() {
        return key.subscriptionId();
    }

    /** Active on d: effectiveDate ≤ d ≤ cancelledDate (no cancelledDate = open). */
    public boolean activeOn(LocalDate d) {
        return !d.isBefore(effectiveDate) && (cancelledDate == null || !d.isAfter(cancelledDate));
    }

    /** Still bills on some day after d. */
    public boolean runsAfter(LocalDate d) {
        return cancelledDate == null || cancelledDate.isAfter(d);
    }

    public boolean countsLicences() {
        return key.role().countsLicences();
    }

    /**
     * R27: a catch-up line — licences of days ConnectWise had already invoiced, billed (or credited)
     * by a catch-up amount instead of an addition. It has no addition id and is invoiced; it counts
     * for R10 like any line of its role, so later rules see what the invoiced days were meant to
     * bill, and it is never sent to ConnectWise.
     */
    public boolean caughtUp() {
        return additionId == null && invoiced;
    }

    AdditionLine withQuantity(BigDecimal value) {
        return new AdditionLine(additionId, key, catalogItemId, value, unitPrice, unitCost, effectiveDate, cancelledDate,
                invoiced, description, invoiceDescription);
    }

    AdditionLine withCancelledDate(LocalDate value) {
        return new AdditionLine(additionId, key, catalogItemId, quantity, unitPrice, unitCost, effectiveDate, value,
                invoiced, description, invoiceDescription);
    }

    AdditionLine withPrices(BigDecimal price, BigDecimal cost) {
        return new AdditionLine(additionId, key, catalogItemId, quantity, price, cost, effectiveDate, cancelledDate,
                invoiced, description, invoiceDescription);
    }

    AdditionLine withDescription(String value, String invoiceValue) {
        return new AdditionLine(additionId, key, catalogItemId, quantity, unitPrice, unitCost, effectiveDate,
                cancelledDate, invoiced, value, invoiceValue);
    }

    AdditionLine withAdditionId(Long value) {
        return new AdditionLine(value, key, catalogItemId, quantity, unitPrice, unitCost, effectiveDate, cancelledDate,
                invoiced, description, invoiceDescription);
    }

    /** The same line marked as billed by ConnectWise (tests and simulations). */
    public AdditionLine asInvoiced() {
        return new AdditionLine(additionId, key, catalogItemId, quantity, unitPrice, unitCost, effectiveDate,
                cancelledDate, true, description, invoiceDescription);
    }
}
