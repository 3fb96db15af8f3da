package io.cwbridge.catchup;

import io.cwbridge.rules.AdditionLine;
import io.cwbridge.rules.LineKey;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * R27: a catch-up line as kept in {@code invoiced_catch_up.lines}: licences of days ConnectWise had
 * already invoiced, billed (or credited) by the catch-up amount instead of an addition. Never sent
 * to ConnectWise; given back to the rules with the subscription's lines, so later plans and month
 * rolls see what those days were meant to bill.
 */
public record CaughtUpLine(LineKey key, Long catalogItemId, BigDecimal quantity, BigDecimal unitPrice, BigDecimal unitCost,
                           LocalDate effectiveDate, LocalDate cancelledDate, String description, String invoiceDescription) {

    static CaughtUpLine of(AdditionLine line) {
        return new CaughtUpLine(line.key(), line.catalogItemId(), line.quantity(), line.unitPrice(), line.unitCost(),
                line.effectiveDate(), line.cancelledDate(), line.description(), line.invoiceDescription());
    }

    /** The line as the rules know it: no addition, invoiced ({@link AdditionLine#caughtUp()}). */
    public AdditionLine toLine() {
        return new AdditionLine(null, key, catalogItemId, quantity, unitPrice, unitCost, effectiveDate, cancelledDate, true,
                description, invoiceDescription);
    }
}
