package io.cwbridge.rules.reconciliation;

import io.cwbridge.events.BillingCycle;
import io.cwbridge.rules.Proration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

/**
 * R32 × R5: how ConnectWise bills a subscription's lines, as its agreement says — by calendar month (MONTHLY), or once a
 * year for the agreement year counted from {@code yearlyAnchor} (YEARLY: the yearly agreement's billing start, R5 the
 * first of the subscription's start month; {@link Proration#billingPeriod}). A yearly line bills once for each agreement
 * year it is active in: its days in that year / the year's days, in the month its billing of that year begins (the
 * year's first month, or the month the line starts in when it starts later in the year). In the other months of the year
 * it bills nothing.
 *
 * @param nextInvoiceDate the agreement's next invoice date N (R22/R27: the days before it are invoiced), null when unknown
 */
public record BillingTerms(BillingCycle cycle, LocalDate yearlyAnchor, LocalDate nextInvoiceDate) {

    /** Calendar months, nothing known of N: what the reconciliation assumed before it read the agreement. */
    public static final BillingTerms MONTHLY = new BillingTerms(BillingCycle.MONTHLY, null, null);

    public BillingTerms {
        cycle = cycle == null ? BillingCycle.MONTHLY : cycle;
    }

    public static BillingTerms monthly(LocalDate nextInvoiceDate) {
        return new BillingTerms(BillingCycle.MONTHLY, null, nextInvoiceDate);
    }

    public static BillingTerms yearly(LocalDate yearlyAnchor, LocalDate nextInvoiceDate) {
        return new BillingTerms(BillingCycle.YEARLY, yearlyAnchor, nextInvoiceDate);
    }

    /** Yearly with a known anchor (without one ConnectWise's year cannot be placed: calendar months, as Proration does). */
    public boolean yearly() {
        return cycle == BillingCycle.YEARLY && yearlyAnchor != null;
    }

    /** The billing period containing {@code day}: its calendar month, or its agreement year. */
    public Proration.Period periodOf(LocalDate day) {
        return Proration.billingPeriod(day, yearly() ? BillingCycle.YEARLY : BillingCycle.MONTHLY, yearlyAnchor);
    }

    /** What one line bills in a month: its active days of the billing period, of how many. */
    public record Share(long activeDays, long periodDays) {}

    /**
     * The share of its billing period(s) {@code line} bills in {@code month}: monthly its active days of the month; yearly
     * its active days of each agreement year whose billing of the line begins in the month (none in the other months).
     */
    public List<Share> billedIn(PsaLine line, YearMonth month) {
        List<Share> shares = new ArrayList<>();
        for (Proration.Period p : periodsBilledIn(line, month)) shares.add(new Share(line.activeDays(p.start(), p.end()), p.days()));
        return shares;
    }

    /**
     * R34 × R5: the billing periods whose share {@code line} bills in {@code month} ({@link #billedIn}, same order): monthly
     * the month itself when the line is active in it; yearly each agreement year whose billing of the line begins in the
     * month and that it is active in. The three-way check weighs a line's days of those periods.
     */
    public List<Proration.Period> periodsBilledIn(PsaLine line, YearMonth month) {
        List<Proration.Period> periods = new ArrayList<>();
        if (!yearly()) {
            if (line.activeDays(month) > 0) periods.add(new Proration.Period(month.atDay(1), month.atEndOfMonth()));
            return periods;
        }
        for (Proration.Period p : yearsOf(month)) {
            LocalDate begins = line.effectiveDate() == null || line.effectiveDate().isBefore(p.start()) ? p.start() : line.effectiveDate();
            if (YearMonth.from(begins).equals(month) && line.activeDays(p.start(), p.end()) > 0) periods.add(p);
        }
        return periods;
    }

    /** The agreement year(s) {@code month} has days of (two when a year ends inside it); the month itself when monthly. */
    public List<Proration.Period> yearsOf(YearMonth month) {
        if (!yearly()) return List.of(new Proration.Period(month.atDay(1), month.atEndOfMonth()));
        Proration.Period first = periodOf(month.atDay(1));
        Proration.Period last = periodOf(month.atEndOfMonth());
        return first.equals(last) ? List.of(first) : List.of(first, last);
    }

    /** Whether ConnectWise has invoiced (some of) the line: it starts before N (R22, R26, R27). */
    public boolean invoiced(PsaLine line) {
        return nextInvoiceDate != null && (line.effectiveDate() == null || line.effectiveDate().isBefore(nextInvoiceDate));
    }
}
