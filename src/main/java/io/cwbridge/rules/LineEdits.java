package io.cwbridge.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.function.UnaryOperator;

/**
 * The ways a rule changes an existing line, each honouring R26: ConnectWise rejects edits of an
 * invoiced addition, so there the change goes on a new line (and the reason says so). The one edit
 * an invoiced line still takes is its end (its cancelled date: earlier, the "end-date" half of R26's
 * "end-date + new line"; later, a renewal R23).
 */
final class LineEdits {

    private LineEdits() {
    }

    /**
     * The line's quantity becomes {@code quantity} for its whole run (R11, R16, R18). Invoiced: a line
     * next to it with the difference, same role and dates (R26). {@code deleteWhenZero}: a
     * not-invoiced line whose quantity becomes 0 is deleted (R16 net zero).
     */
    static void setQuantity(PlanBuilder plan, AdditionLine line, BigDecimal quantity, boolean deleteWhenZero, String reason) {
        if (line.quantity().compareTo(quantity) == 0) {
            return;
        }
        if (!line.invoiced()) {
            if (deleteWhenZero && quantity.signum() == 0) {
                plan.delete(line, reason + "; net change 0, line deleted");
            } else {
                plan.update(line, l -> l.withQuantity(quantity), reason);
            }
            return;
        }
        BigDecimal difference = quantity.subtract(line.quantity());
        LineKey key = plan.nextKey(line.subscriptionId(), line.role(), line.effectiveDate());
        plan.create(copy(line, key, line.effectiveDate(), line.cancelledDate())
                        .withQuantity(difference)
                        .withDescription(LineDescriptions.adjustment(line.description(),
                                LineDescriptions.signed(difference) + " adjustment"), line.invoiceDescription()),
                "R26 addition " + ref(line) + " is invoiced: " + reason + " goes on a new line with "
                        + LineDescriptions.signed(difference));
    }

    /**
     * A −Q line of an upgrade (R19) or a cancellation (R21) nets {@code quantity} from its start, what the product's other
     * lines bill that day (R10). A line of invoiced days that a catch-up amount bills (R27) changes by a catch-up too, so
     * it is updated; any other as {@link #setQuantity} (R26: an invoiced one gets the difference on a line next to it).
     */
    static void setNettedQuantity(PlanBuilder plan, AdditionLine line, BigDecimal quantity, String reason) {
        if (!line.caughtUp()) {
            setQuantity(plan, line, quantity, false, reason);
        } else if (line.quantity().compareTo(quantity) != 0) {
            plan.update(line, l -> l.withQuantity(quantity), reason);
        }
    }

    /**
     * The line bills no later than {@code last}. A line that would end before it starts is
     * neutralised instead (see {@link #neutralize}).
     */
    static void endAt(PlanBuilder plan, AdditionLine line, LocalDate last, LineRole offsetRole, String reason) {
        if (last.isBefore(line.effectiveDate())) {
            neutralize(plan, line, offsetRole, reason);
            return;
        }
        if (line.cancelledDate() == null || line.cancelledDate().isAfter(last)) {
            plan.update(line, l -> l.withCancelledDate(last), reason);
        }
    }

    /**
     * The line must bill nothing at all: deleted when never invoiced (R22); else it is ended on its
     * first day and an offsetting line with the opposite quantity covers that day (R26). A licence line's offset takes the
     * terminating role ({@code offsetRole}: CANCELLATION, UPGRADE) so the month roll (R18) does not
     * mistake it for a base change still to absorb; other lines keep their role.
     */
    static void neutralize(PlanBuilder plan, AdditionLine line, LineRole offsetRole, String reason) {
        if (!line.invoiced()) {
            plan.delete(line, reason + " (R22 never invoiced: deleted)");
            return;
        }
        LineRole role = line.countsLicences() ? offsetRole : line.role();
        // end it on its first day (an earlier end is the one edit it takes), then offset that day
        AdditionLine ended = line.cancelledDate() != null && line.cancelledDate().equals(line.effectiveDate()) ? line
                : plan.update(line, l -> l.withCancelledDate(l.effectiveDate()), reason + ": ends on its first day");
        LineKey key = plan.nextKey(line.subscriptionId(), role, line.effectiveDate());
        BigDecimal offset = line.quantity().negate();
        plan.create(copy(ended, key, ended.effectiveDate(), ended.cancelledDate())
                        .withQuantity(offset)
                        .withDescription(LineDescriptions.adjustment(line.description(), "reversal"), line.invoiceDescription()),
                "R26 addition " + ref(line) + " is invoiced: " + reason + " by an offsetting line " + LineDescriptions.signed(offset));
    }

    /**
     * From {@code from} on the line continues with {@code change} applied: it ends the day before and
     * a new line (same role) runs from {@code from} to the old end (R17 price change, R18 month roll,
     * R26). Requires effectiveDate &lt; from ≤ end.
     */
    static AdditionLine split(PlanBuilder plan, AdditionLine line, LocalDate from, UnaryOperator<AdditionLine> change,
            String reason) {
        if (!line.effectiveDate().isBefore(from) || (line.cancelledDate() != null && from.isAfter(line.cancelledDate()))) {
            throw new IllegalArgumentException("cannot split " + line.key() + " at " + from);
        }
        LocalDate end = line.cancelledDate();
        plan.update(line, l -> l.withCancelledDate(from.minusDays(1)), reason + ": " + ref(line) + " ends " + from.minusDays(1));
        LineKey key = plan.nextKey(line.subscriptionId(), line.role(), from);
        String why = (line.invoiced() ? "R26 addition " + ref(line) + " is invoiced: " : "") + reason + ": continues from " + from;
        return plan.create(change.apply(copy(line, key, from, end)), why);
    }

    /**
     * The line runs to {@code newEnd} (null = open): its cancelled date moves, invoiced or not (R23 v2:
     * the same line, never a second one; ConnectWise takes a new end date on an invoiced addition).
     * Where the old end lies inside an invoiced period of an agreement that cannot bill it there,
     * {@link PlanBuilder} turns the move into a line from the next invoice date (R27).
     */
    static void extendTo(PlanBuilder plan, AdditionLine line, LocalDate newEnd, String reason) {
        if (line.cancelledDate() == null || !EffectiveDates.endsAfter(newEnd, line.cancelledDate())) {
            return;
        }
        plan.update(line, l -> l.withCancelledDate(newEnd), reason);
    }

    /** A new (not yet created) line with the values of {@code line}. */
    static AdditionLine copy(AdditionLine line, LineKey key, LocalDate effective, LocalDate cancelled) {
        return new AdditionLine(null, key, line.catalogItemId(), line.quantity(), line.unitPrice(), line.unitCost(),
                effective, cancelled, false, line.description(), line.invoiceDescription());
    }

    static String ref(AdditionLine line) {
        return line.additionId() == null ? line.key().toString() : "#" + line.additionId();
    }
}
