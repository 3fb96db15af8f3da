package io.cwbridge.rules;

import io.cwbridge.events.BillingCycle;
import io.cwbridge.events.Subscription;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;

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

    private AgreementEligibility() {}

    /** R5: why the agreement cannot take the subscription, or empty when it can. */
    public static Optional<String> ineligibility(AgreementTerms agreement, Subscription s) {
        String status = agreement.status() == null || agreement.status().isBlank() ? "Active" : agreement.status();
        if (status.equalsIgnoreCase("Cancelled") || status.equalsIgnoreCase("Expired")) {
            return Optional.of("R5: the agreement is " + status.toLowerCase(Locale.ROOT));
        }
        String cycleName = agreement.billingCycle() == null ? "" : agreement.billingCycle();
        String cycle = cycleName.toLowerCase(Locale.ROOT);
        boolean yearly = s.billingCycle() == BillingCycle.YEARLY;
        if (!cycle.isEmpty() && (yearly ? !(cycle.contains("year") || cycle.contains("annual")) : !cycle.contains("month"))) {
            return Optional.of("R5: billing cycle differs (agreement " + cycleName + ", subscription " + s.billingCycle() + ")");
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
