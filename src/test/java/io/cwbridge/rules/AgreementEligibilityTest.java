package io.cwbridge.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.BillingCycle;
import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.rules.AgreementEligibility.AgreementTerms;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** R5: every combination of the agreement fields R5 reads against monthly and yearly subscriptions. */
class AgreementEligibilityTest {

    static final LocalDate START = LocalDate.of(2024, 2, 14);

    static Subscription subscription(BillingCycle cycle, String currency) {
        return new Subscription("sub-r5", null, null, SubscriptionKind.SAAS, 5, null, new BigDecimal("22.00"),
                new BigDecimal("18.70"), currency, cycle, null, START, START.plusYears(1).minusDays(1), true, "ACTIVE", null);
    }

    @Test
    void r5EveryCombinationOfStatusCycleCurrencyAndStart() {
        List<String> statuses = Arrays.asList(null, "", "Active", "Cancelled", "EXPIRED", "Inactive");
        List<String> cycles = Arrays.asList("", "Monthly", "monthly", "Yearly", "YEARLY", "Annual", "Quarterly", "Semi-Annual",
                "Bi-Monthly", "Every 3 months", "Weekly", "One Time", "Contract year");
        List<String> currencies = Arrays.asList("", "USD", "usd", "EUR");
        List<LocalDate> starts = Arrays.asList(null, LocalDate.of(2024, 2, 1), LocalDate.of(2024, 1, 1), START);
        int checked = 0;
        for (BillingCycle cycle : BillingCycle.values()) {
            Subscription s = subscription(cycle, "USD");
            boolean yearly = cycle == BillingCycle.YEARLY;
            for (String status : statuses) for (String name : cycles) for (String currency : currencies) for (LocalDate start : starts) {
                Optional<String> refused = AgreementEligibility.ineligibility(new AgreementTerms(status, name, currency, start), s);
                List<String> expected = new ArrayList<>();
                if ("Cancelled".equalsIgnoreCase(status) || "Expired".equalsIgnoreCase(status)) expected.add("R5: the agreement is ");
                else if (!name.isEmpty() && (yearly ? !(name.equalsIgnoreCase("Yearly") || name.equals("Annual")) : !name.equalsIgnoreCase("Monthly")))
                    expected.add(name.equals("Every 3 months") || name.equals("Contract year") ? "R5: billing cycle \"" : "R5: billing cycle differs");
                else if (currency.equals("EUR")) expected.add("R5: currency differs (agreement EUR, subscription USD)");
                else if (yearly && !LocalDate.of(2024, 2, 1).equals(start))
                    expected.add("R5: a yearly subscription needs an agreement starting on 2024-02-01");
                if (expected.isEmpty()) {
                    assertThat(refused).as("%s %s %s %s %s", cycle, status, name, currency, start).isEmpty();
                } else {
                    assertThat(refused).as("%s %s %s %s %s", cycle, status, name, currency, start).isPresent();
                    assertThat(refused.get()).startsWith(expected.get(0));
                }
                checked++;
            }
        }
        assertThat(checked).isEqualTo(BillingCycle.values().length * statuses.size() * cycles.size() * currencies.size() * starts.size());
    }

    @Test
    void r5TheRefusalNamesBothSides() {
        Subscription yearly = subscription(BillingCycle.YEARLY, "USD");
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Cancelled", "Yearly", "USD", null), yearly))
                .contains("R5: the agreement is cancelled");
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Active", "Monthly", "USD", null), yearly))
                .contains("R5: billing cycle differs (agreement Monthly, subscription YEARLY)");
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Active", "Yearly", "USD", LocalDate.of(2024, 1, 1)), yearly))
                .contains("R5: a yearly subscription needs an agreement starting on 2024-02-01, this one starts on 2024-01-01");
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Active", "Yearly", "USD", LocalDate.of(2024, 2, 1)), yearly))
                .isEmpty();
    }

    @Test
    void r5ASubscriptionWithoutCurrencyOrStartDate() {
        Subscription noCurrency = subscription(BillingCycle.MONTHLY, null);
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Active", "Monthly", "EUR", null), noCurrency)).isEmpty();
        Subscription yearlyNoStart = new Subscription("sub-r5", null, null, SubscriptionKind.SAAS, 5, null, BigDecimal.ONE,
                BigDecimal.ONE, "USD", BillingCycle.YEARLY, null, null, null, true, "ACTIVE", null);
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Active", "Yearly", "USD", LocalDate.of(2024, 2, 1)), yearlyNoStart))
                .contains("R5: a yearly subscription needs an agreement starting on null, this one starts on 2024-02-01");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R5: a cycle name is matched exactly: Semi-Annual is not yearly, Bi-Monthly is not monthly, an unknown name is not eligible")
    void r5TheBillingCycleNameIsMatchedExactlyNotAsASubstring() {
        Subscription yearly = subscription(BillingCycle.YEARLY, "USD");
        Subscription monthly = subscription(BillingCycle.MONTHLY, "USD");
        LocalDate feb = LocalDate.of(2024, 2, 1);
        // a semi-annual agreement invoices the yearly price twice a year: 264.00 over-billed per licence and year
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Active", "Semi-Annual", "USD", feb), yearly))
                .contains("R5: billing cycle differs (agreement Semi-Annual, subscription YEARLY)");
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Active", "Bi-Monthly", "USD", null), monthly))
                .contains("R5: billing cycle differs (agreement Bi-Monthly, subscription MONTHLY)");
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Active", "Bi-Weekly", "USD", null), monthly))
                .contains("R5: billing cycle differs (agreement Bi-Weekly, subscription MONTHLY)");
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Active", "Every 3 months", "USD", null), monthly))
                .contains("R5: billing cycle \"Every 3 months\" is not one R5 knows: a monthly subscription needs an agreement"
                        + " billed Monthly");
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Active", "Yearly plan", "USD", feb), yearly))
                .contains("R5: billing cycle \"Yearly plan\" is not one R5 knows: a yearly subscription needs an agreement"
                        + " billed Yearly (or Annual, Annually)");
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Active", " monthly ", "USD", null), monthly)).isEmpty();
        assertThat(AgreementEligibility.ineligibility(new AgreementTerms("Active", "Annually", "USD", feb), yearly)).isEmpty();
    }
}
