package io.cwbridge.rules;

import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;

/** The date arithmetic of SPEC §5 (c = date of the change, EOM/FOM = last/first day of a month). */
public final class EffectiveDates {

    private EffectiveDates() {
    }

    /** EOM(x). */
    public static LocalDate endOfMonth(LocalDate x) {
        return x.with(TemporalAdjusters.lastDayOfMonth());
    }

    /** FOM(x). */
    public static LocalDate firstOfMonth(LocalDate x) {
        return x.withDayOfMonth(1);
    }

    /** FOM(x + 1 month); Dec → Jan of the next year. */
    public static LocalDate firstOfNextMonth(LocalDate x) {
        return firstOfMonth(x).plusMonths(1);
    }

    /**
     * R11: a change on the purchase date, i.e. c ≤ start + 1 day (the guides' "after the 2nd day of
     * the start date" is where delta lines begin).
     */
    public static boolean onPurchaseDate(LocalDate c, LocalDate subscriptionStart) {
        return subscriptionStart != null && !c.isAfter(subscriptionStart.plusDays(1));
    }

    /**
     * Effective date of an increase after the purchase date: R12 ACTUAL_DATE → c; R13
     * FIRST_OF_CURRENT_MONTH → FOM(c). Either is raised to {@code billingStart} (R13: ConnectWise
     * refuses effective dates before the agreement's billing start; we also never bill before the
     * subscription or its mapping's from date).
     */
    public static LocalDate increase(LocalDate c, SyncRules.PositiveChange rule, LocalDate billingStart) {
        LocalDate effective = rule == SyncRules.PositiveChange.FIRST_OF_CURRENT_MONTH ? firstOfMonth(c) : c;
        return latest(effective, billingStart);
    }

    /**
     * Effective date of a decrease after the purchase date: R14 ACTUAL_DATE → c; R15
     * FIRST_OF_NEXT_MONTH → FOM(c + 1 month). Raised to {@code billingStart} like increases.
     */
    public static LocalDate decrease(LocalDate c, SyncRules.NegativeChange rule, LocalDate billingStart) {
        LocalDate effective = rule == SyncRules.NegativeChange.FIRST_OF_NEXT_MONTH ? firstOfNextMonth(c) : c;
        return latest(effective, billingStart);
    }

    /** A delta line runs to the end of its effective date's month (R12–R15: EOM(c), or EOM(c + 1 month) for R15). */
    public static LocalDate deltaEnd(LocalDate effective) {
        return endOfMonth(effective);
    }

    /** The later of two dates; a null one is ignored. */
    public static LocalDate latest(LocalDate a, LocalDate b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }

    /** The earlier of two end dates where null means open (no end). */
    public static LocalDate earliestEnd(LocalDate a, LocalDate b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isBefore(b) ? a : b;
    }

    /** Whether end a is after end b, null meaning open (never ends). */
    public static boolean endsAfter(LocalDate a, LocalDate b) {
        if (a == null) {
            return b != null;
        }
        return b != null && a.isAfter(b);
    }
}
