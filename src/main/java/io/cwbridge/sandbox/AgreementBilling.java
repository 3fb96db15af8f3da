package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;

/**
 * What an agreement says about billing: its billing start, how far it has been invoiced, its next
 * invoice date N and whether it prorates. Days before N are invoiced: ConnectWise's refusal asks for a
 * start date "on or after the Next Invoice Date" (the message quoted by Gozynta, https://help.gozynta.com/support/solutions/articles/44001077153-period-has-already-been-invoiced-),
 * so an addition that starts before N has been (at least partly) invoiced.
 */
record AgreementBilling(StoredRecord agreement) {

    /** billStartDate, else startDate (the validator fills the first from the second on create). */
    Optional<LocalDate> billingStart() {
        return day(agreement.doc(), "billStartDate").or(() -> day(agreement.doc(), "startDate"));
    }

    /** The last day an invoice has covered; empty before the first invoice. */
    Optional<LocalDate> invoicedThrough() {
        return Optional.ofNullable(agreement.invoicedThrough());
    }

    /**
     * OpenAPI Agreement {@code nextInvoiceDate}, computed by the server. Assumption (no public text gives
     * the computation): the billing start before any invoice, the day after the last invoiced day after one.
     * A real tenant invoices whole cycles, so N is a period's first day there; the admin endpoint can invoice
     * through any day, which tests use for mid-period N values a tenant does not have.
     */
    Optional<LocalDate> nextInvoiceDate() {
        return invoicedThrough().map(t -> t.plusDays(1)).or(this::billingStart);
    }

    /**
     * connectwise README: "With the agreement's prorateFlag on, ConnectWise prorates a mid-period
     * addition itself". Assumption: invoiceProratedAdditionsFlag is carried as written but changes
     * none of the sandbox's rules; prorateFlag alone decides.
     */
    boolean prorates() {
        return agreement.doc().path("prorateFlag").asBoolean(false);
    }

    /**
     * An addition is invoiced when it starts before N. Assumption: an addition without an
     * effectiveDate starts at the agreement's billing start.
     */
    boolean invoiced(JsonNode addition) {
        Optional<LocalDate> next = nextInvoiceDate();
        Optional<LocalDate> effective = day(addition, "effectiveDate").or(this::billingStart);
        return next.isPresent() && effective.isPresent() && effective.get().isBefore(next.get());
    }

    BillingPeriod period(LocalDate day) {
        String cycle = agreement.doc().path("billingCycle").path("name").asText("").toLowerCase(Locale.ROOT);
        Optional<LocalDate> start = billingStart();
        if ((cycle.contains("year") || cycle.contains("annual")) && start.isPresent()) {
            return BillingPeriod.yearOf(day, start.get());
        }
        return BillingPeriod.monthOf(day);
    }

    static Optional<LocalDate> day(JsonNode doc, String field) {
        return SandboxDates.day(doc.path(field).asText(null));
    }
}
