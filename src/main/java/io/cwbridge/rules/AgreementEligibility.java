package io.cwbridge.rules;

import io.cwbridge.events.BillingCycle;
import io.cwbridge.events.Subscription;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * R5: which of the company's agreements may take a subscription's additions. The agreement must be
 * live (not cancelled or expired), bill on the subscription's cycle and in its currency; a yearly
 * subscription goes only on an agreement that starts on the first of its start month, so the
 * agreement's yearly invoice covers the subscription's year.
 */
public final class AgreementEligibility {

    /**
     * The agreement's fields R5 reads, as ConnectWise's {@code finance/agreements} gives them.
     *
     * @param status       {@code agreementStatus} (null: ConnectWise's default, Active)
     * @param billingCycle {@code billingCycle.name}, e.g. "Monthly" (blank: not said, any cycle)
     * @param currencyCode {@code currency.currencyCode} (blank: not said, any currency)
     * @param startDate    {@code startDate} (null: not said)
     */
    public record AgreementTerms(String status, String billingCycle, String currencyCode, LocalDate startDate) {}

    /**
     * R5: the billing cycle names that bill a subscription's cycle, matched whole (case and surrounding blanks aside),
     * never as a part of a name: "Semi-Annual" is not yearly, "Bi-Monthly" not monthly. ConnectWise's billing cycle
     * recurrences are Weekly, Bi-Weekly, Monthly, Bi-Monthly, Quarterly, Semi-Annual, Yearly and Not Recurring, plus
     * One Time on the agreement (Billing Cycle setup table, https://betterinvoice.io/docs/connectwise/setup-tables/billing-cycle;
     * the agreement only gives the record's name, /work/shared/connectwise/README.md "billingCycle (a reference to a
     * record the MSP defines, e.g. Monthly / Yearly)"). "Annual" and "Annually" are taken as yearly, the usual names of
     * a yearly record.
     */
    static final Set<String> MONTHLY_NAMES = Set.of("monthly");
    static final Set<String> YEARLY_NAMES = Set.of("yearly", "annual", "annually");
    /** The other cycles ConnectWise knows, none of which bills a monthly or yearly subscription's periods. */
    static final Set<String> OTHER_NAMES = Set.of("weekly", "bi-weekly", "bi-monthly", "quarterly", "semi-annual",
            "not recurring", "one time");

    private AgreementEligibility() {}

    /** R5: why a (non-blank) billing cycle name cannot bill the subscription's cycle, or empty when it can. */
    static Optional<String> cycleRefusal(String cycleName, BillingCycle subscriptionCycle) {
        String name = cycleName.trim().toLowerCase(Locale.ROOT);
        boolean yearly = subscriptionCycle == BillingCycle.YEARLY;
        if ((yearly ? YEARLY_NAMES : MONTHLY_NAMES).contains(name)) {
            return Optional.empty();
        }
        if (MONTHLY_NAMES.contains(name) || YEARLY_NAMES.contains(name) || OTHER_NAMES.contains(name)) {
            return Optional.of("R5: billing cycle differs (agreement " + cycleName + ", subscription " + subscriptionCycle + ")");
        }
        List<String> wanted = yearly ? List.of("Yearly", "Annual", "Annually") : List.of("Monthly");
        return Optional.of("R5: billing cycle \"" + cycleName + "\" is not one R5 knows: a " + (yearly ? "yearly" : "monthly")
                + " subscription needs an agreement billed " + wanted.get(0)
                + (wanted.size() > 1 ? " (or " + String.join(", ", wanted.subList(1, wanted.size())) + ")" : ""));
    }

    /** R5: why the agreement cannot take the subscription, or empty when it can. */
    public static Optional<String> ineligibility(AgreementTerms agreement, Subscription s) {
        String status = agreement.status() == null || agreement.status().isBlank() ? "Active" : agreement.status();
        if (status.equalsIgnoreCase("Cancelled") || status.equalsIgnoreCase("Expired")) {
            return Optional.of("R5: the agreement is " + status.toLowerCase(Locale.ROOT));
        }
        String cycleName = agreement.billingCycle() == null ? "" : agreement.billingCycle();
        boolean yearly = s.billingCycle() == BillingCycle.YEARLY;
        if (!cycleName.isBlank()) {
            Optional<String> cycle = cycleRefusal(cycleName, yearly ? BillingCycle.YEARLY : BillingCycle.MONTHLY);
            if (cycle.isPresent()) {
                return cycle;
            }
        }
        String currency = agreement.currencyCode() == null ? "" : agreement.currencyCode();
        if (!currency.isEmpty() && s.currency() != null && !currency.equalsIgnoreCase(s.currency())) {
            return Optional.of("R5: currency differs (agreement " + currency + ", subscription " + s.currency() + ")");
        }
        if (yearly) {
            LocalDate wanted = s.startDate() == null ? null : s.startDate().withDayOfMonth(1);
            if (agreement.startDate() == null || !agreement.startDate().equals(wanted)) {
                return Optional.of("R5: a yearly subscription needs an agreement starting on " + wanted
                        + ", this one starts on " + agreement.startDate());
            }
        }
        return Optional.empty();
    }
}
