package io.cwbridge.rules;

import io.cwbridge.events.Subscription;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * R6 cut-over: a hand-made addition stops billing where the agreement has invoiced it, and the
 * bundle's own base line takes over from the next day, so each day is billed by exactly one of them.
 *
 * <p>The cut day is the agreement's next invoice date N (the days before it are invoiced, R22),
 * but never before the hand-made addition's effective date E:
 * <ul>
 * <li>E &lt; N (it was invoiced): the hand-made addition is cancelled N − 1, the base line starts N.</li>
 * <li>E ≥ N, or N unknown (never invoiced, R22): it is deleted, and the base line starts E, so the
 *     same days bill as before, now on the bundle's line (our decision: the days before E were not
 *     billed by it, and starting earlier would re-bill days the agreement may have invoiced).</li>
 * <li>It already ends before the cut day: it is left as it is.</li>
 * </ul>
 * The base line starts on the cut day, or on the subscription's start when that is later (R25: never billed before the
 * subscription exists); the hand-made addition still ends the day before the cut day.
 * The base line is the sales order's (R25): the subscription's current licences, its unit price and
 * cost as the rules let through (R17), cancelled at the subscription's end date.
 */
public final class CutoverRule {

    private CutoverRule() {}

    /** What happens to the hand-made addition. */
    public enum HandMade { END, DELETE, KEEP }

    /**
     * @param cutOn         the first day the bundle's base line bills: the cut day (N, or E when never invoiced), or
     *                      the subscription's start when later
     * @param handMade      what is done to the hand-made addition
     * @param handMadeEnds  its new cancelled date (the cut day − 1) with END, else null
     * @param base          the base line to write (catalog item and description are the caller's)
     */
    public record Plan(LocalDate cutOn, HandMade handMade, LocalDate handMadeEnds, LineFields base) {}

    /**
     * @param nextInvoiceDate   the agreement's N (null: it says none, never invoiced)
     * @param handMadeEffective E, the hand-made addition's effective date
     * @param handMadeCancelled its cancelled date, or null
     * @throws IllegalArgumentException when the subscription has no licences or ends before the cut day
     */
    public static Plan plan(LocalDate nextInvoiceDate, LocalDate handMadeEffective, LocalDate handMadeCancelled,
                            Subscription s, SyncRules rules, Long catalogItemId, String description) {
        boolean invoiced = nextInvoiceDate != null && handMadeEffective.isBefore(nextInvoiceDate);
        LocalDate cutDay = invoiced ? nextInvoiceDate : handMadeEffective;
        // R6 x R25: the base line never bills before the subscription exists (probe 47 F4: 1-4 April billed, 9.60)
        LocalDate cutOn = s.startDate() != null && s.startDate().isAfter(cutDay) ? s.startDate() : cutDay;
        if (s.quantity() == null || s.quantity() <= 0) {
            throw new IllegalArgumentException("subscription " + s.id() + " has no licences to bill");
        }
        if (s.endDate() != null && s.endDate().isBefore(cutOn)) {
            throw new IllegalArgumentException("subscription " + s.id() + " ends on " + s.endDate()
                    + ", before the cut-over day " + cutOn + ": there is nothing left for the bundle to bill");
        }
        HandMade action;
        LocalDate ends = null;
        if (!invoiced) {
            action = HandMade.DELETE;
        } else if (handMadeCancelled != null && handMadeCancelled.isBefore(cutDay)) {
            action = HandMade.KEEP;
        } else {
            action = HandMade.END;
            ends = cutDay.minusDays(1);
        }
        LinePricing.Amounts amounts = new LinePricing(rules, s.kind()).base(s.unitPrice(), s.unitCost());
        LineFields base = new LineFields(catalogItemId, BigDecimal.valueOf(s.quantity()), amounts.unitPrice(), amounts.unitCost(),
                cutOn, s.endDate(), false, description, null, null);
        return new Plan(cutOn, action, ends, base);
    }
}
