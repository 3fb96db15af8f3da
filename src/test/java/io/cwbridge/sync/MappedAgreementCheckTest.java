package io.cwbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.CompanyReference;
import io.cwbridge.connectwise.model.CurrencyReference;
import io.cwbridge.connectwise.model.Reference;
import io.cwbridge.events.BillingCycle;
import io.cwbridge.events.Customer;
import io.cwbridge.events.EventAction;
import io.cwbridge.events.EventType;
import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * R4, R5: a subscription mapping saved before the bundle saw the subscription is checked at its sync
 * ({@link MappingResolver#mappedAgreementRefusal}): the agreement must be the customer's company's, and, for the
 * subscription's first lines (a sales order), eligible.
 */
class MappedAgreementCheckTest {

    private static final long CHAIRS = 1;
    private static final long CONTOSO = 2;

    @Test
    void anAgreementOfTheCustomersCompanyIsTaken() {
        assertThat(refusal(CHAIRS, "Monthly", "2024-01-01", EventType.SALES_ORDER, EventAction.NEW, BillingCycle.MONTHLY)).isEmpty();
    }

    @Test
    void anotherCompanysAgreementIsRefusedForTheSubscriptionsFirstLinesR4() {
        assertThat(refusal(CONTOSO, "Monthly", "2024-01-01", EventType.SALES_ORDER, EventAction.NEW, BillingCycle.MONTHLY))
                .hasValueSatisfying(reason -> assertThat(reason).contains("agreement 7 of company 2")
                        .contains("customer 65533 is mapped to company 1").contains("R4"));
        // later orders end or change the lines where they are, also after the customer was re-mapped elsewhere
        assertThat(refusal(CONTOSO, "Monthly", "2024-01-01", EventType.CANCELLATION_ORDER, EventAction.CANCEL, BillingCycle.MONTHLY)).isEmpty();
        assertThat(refusal(CONTOSO, "Monthly", "2024-01-01", EventType.CHANGE_ORDER, EventAction.LICENSE_INCREASE, BillingCycle.MONTHLY)).isEmpty();
    }

    @Test
    void anIneligibleAgreementIsRefusedForTheSubscriptionsFirstLinesR5() {
        // a monthly subscription on a yearly agreement
        assertThat(refusal(CHAIRS, "Yearly", "2024-01-01", EventType.SALES_ORDER, EventAction.NEW, BillingCycle.MONTHLY))
                .hasValueSatisfying(reason -> assertThat(reason).contains("not eligible").contains("R5: billing cycle differs"));
        // a yearly subscription started 2024-02-14 on a yearly agreement that starts on 1 January, not 1 February
        assertThat(refusal(CHAIRS, "Yearly", "2024-01-01", EventType.SALES_ORDER, EventAction.NEW, BillingCycle.YEARLY))
                .hasValueSatisfying(reason -> assertThat(reason).contains("2024-02-01"));
        assertThat(refusal(CHAIRS, "Yearly", "2024-02-01", EventType.SALES_ORDER, EventAction.NEW, BillingCycle.YEARLY)).isEmpty();
        // later orders stay on the agreement their lines are on
        assertThat(refusal(CHAIRS, "Yearly", "2024-01-01", EventType.CHANGE_ORDER, EventAction.LICENSE_INCREASE, BillingCycle.MONTHLY)).isEmpty();
    }

    /** Why an agreement of {@code company} ({@code cycle}, from {@code start}) may not take the event of Chairs' subscription. */
    private static java.util.Optional<String> refusal(long company, String cycle, String start, EventType type, EventAction action,
                                                      BillingCycle subscriptionCycle) {
        return MappingResolver.mappedAgreementRefusal(agreement(company, cycle, start), CHAIRS, event(type, action, subscriptionCycle));
    }

    private static Agreement agreement(long company, String cycle, String start) {
        return new Agreement(7, "Cloud", new Reference(1, "Cloud"), new CompanyReference(company, "C" + company, "Company " + company),
                LocalDate.parse(start), null, false, new Reference(1, cycle), null, false, false, "Amount",
                new CurrencyReference(1, "USD", "US Dollar"), LocalDate.parse("2024-03-01"), "Active");
    }

    private static SubscriptionEvent event(EventType type, EventAction action, BillingCycle cycle) {
        Subscription s = new Subscription("sub-1", new Customer("65533", "Chairs Unlimited", null), null, null, 10, null,
                new BigDecimal("22.00"), new BigDecimal("18.70"), "USD", cycle, null, LocalDate.parse("2024-02-14"),
                LocalDate.parse("2025-02-13"), true, "ACTIVE", null);
        return new SubscriptionEvent("e-1", "demo", type, action, Instant.parse("2024-02-14T09:00:00Z"), s, null, null, null);
    }
}
