package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Invoicing an agreement, and the edits ConnectWise then refuses. An addition's invoiced state is
 * its agreement's: the days before the agreement's nextInvoiceDate N are invoiced (ConnectWise's
 * refusal asks for a start "on or after the Next Invoice Date", https://help.gozynta.com/support/solutions/articles/44001077153-period-has-already-been-invoiced-), so
 * an addition starting before N is invoiced and its billed amounts and dates are history (connectwise
 * README, "Billed periods"). Ending it stays allowed, and so do text changes.
 */
final class InvoiceLedger {

    /** The fields an invoice has billed, which an invoiced addition therefore keeps. */
    static final List<String> BILLED_FIELDS = List.of("product", "quantity", "unitPrice", "unitCost", "effectiveDate");

    private final RecordStore store;
    private final Clock clock;

    InvoiceLedger(RecordStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    ObjectNode invoice(int agreementId, LocalDate through) {
        return store.write(batch -> invoice(batch, agreementId, through, clock.instant()));
    }

    /**
     * Invoices an agreement from its next invoice date through a day: writes a finance/invoices
     * record and moves the agreement's nextInvoiceDate to the day after. Invoicing through a day
     * before N (already invoiced, or before the billing start) is refused with a 400: it would bill
     * nothing, and a test that asks for it has most likely lost track of its agreement.
     */
    static ObjectNode invoice(RecordBatch batch, int agreementId, LocalDate through, Instant now) {
        StoredRecord agreement = batch.find(Resource.AGREEMENT, agreementId)
                .orElseThrow(() -> SandboxErrors.notFound(Resource.AGREEMENT, agreementId));
        AgreementBilling billing = new AgreementBilling(agreement);
        LocalDate from = billing.nextInvoiceDate().orElseThrow(() -> SandboxErrors.badRequest(
                "Agreement " + agreementId + " has no startDate or billStartDate to invoice from."));
        if (through.isBefore(from)) {
            throw SandboxErrors.badRequest(billing.invoicedThrough()
                    .map(t -> "Agreement " + agreementId + " is already invoiced through " + t + "; invoice through a later day.")
                    .orElse("Agreement " + agreementId + " bills from " + from + "; invoice through that day or later."));
        }
        List<StoredRecord> additions = batch.children(Resource.ADDITION, agreementId);
        BigDecimal additionsAmount = BigDecimal.ZERO;
        for (StoredRecord addition : additions) {
            additionsAmount = additionsAmount.add(billedAmount(addition.doc(), billing, from, through));
        }
        BigDecimal adjustmentsAmount = BigDecimal.ZERO;
        for (StoredRecord adjustment : batch.children(Resource.ADJUSTMENT, agreementId)) {
            Optional<LocalDate> effective = AgreementBilling.day(adjustment.doc(), "effectiveDate");
            // Assumption: an adjustment bills once, on the first invoice through its effective date (or the
            // first invoice after it was made, when it has none); the adjustment remembers that invoice's day.
            // No public source says an agreement adjustment is an invoice charge: BetterInvoice's ConnectWise pages
            // call the Adjustment tab "manual adjustments to agreement billing amounts" but count its entries in the
            // Application Recap (allowance: Starting + Adjustments + Used), https://betterinvoice.io/docs/connectwise/
            // agreements/agreement-tab. README "Sync rules" tells partners to check one on their tenant first.
            if (adjustment.invoicedThrough() == null && (effective.isEmpty() || !effective.get().isAfter(through))) {
                adjustmentsAmount = adjustmentsAmount.add(ComputedFields.decimal(adjustment.doc(), "amount"));
                batch.put(new StoredRecord(Resource.ADJUSTMENT, adjustment.id(), adjustment.parentId(), adjustment.doc(), through));
            }
        }
        int invoiceId = batch.nextId(Resource.INVOICE);
        ObjectNode invoice = invoiceDoc(invoiceId, agreement, from, through,
                additionsAmount.setScale(2, RoundingMode.HALF_UP), adjustmentsAmount.setScale(2, RoundingMode.HALF_UP), now);
        batch.put(new StoredRecord(Resource.INVOICE, invoiceId, null, invoice, null));
        StoredRecord invoiced = new StoredRecord(Resource.AGREEMENT, agreementId, null,
                ComputedFields.derive(Resource.AGREEMENT, agreementId, null, agreement.doc(), through), through);
        batch.put(invoiced);

        ObjectNode result = SandboxJson.object();
        result.put("agreementId", agreementId);
        result.put("through", through.toString());
        result.put("nextInvoiceDate", invoiced.doc().path("nextInvoiceDate").asText());
        result.set("invoice", invoice);
        ArrayNode covered = result.putArray("invoicedAdditions");
        AgreementBilling after = new AgreementBilling(invoiced);
        additions.stream().filter(a -> after.invoiced(a.doc())).forEach(a -> covered.add(a.id()));
        return result;
    }

    /**
     * Assumption (the amount formula): an addition bills billedQuantity × unitPrice for each day it is
     * active between the invoice's first and last day, each day worth 1 / (days in its billing
     * period); lines not Billable (DoNotBill, NoCharge) bill nothing; rounded to 2 decimals HALF_UP
     * on the sum. A test double's estimate, not ConnectWise's invoice arithmetic.
     */
    static BigDecimal billedAmount(JsonNode addition, AgreementBilling billing, LocalDate from, LocalDate through) {
        String billCustomer = addition.path("billCustomer").asText("Billable");
        Optional<LocalDate> effective = AgreementBilling.day(addition, "effectiveDate").or(billing::billingStart);
        if (!billCustomer.equals("Billable") || effective.isEmpty()) {
            return BigDecimal.ZERO;
        }
        LocalDate first = effective.get().isAfter(from) ? effective.get() : from;
        LocalDate last = AgreementBilling.day(addition, "cancelledDate").filter(c -> c.isBefore(through)).orElse(through);
        BigDecimal perDay = ComputedFields.decimal(addition, "billedQuantity").multiply(ComputedFields.decimal(addition, "unitPrice"));
        BigDecimal amount = BigDecimal.ZERO;
        for (BillingPeriod period = billing.period(first); !period.start().isAfter(last); period = billing.period(period.end())) {
            long days = period.overlap(first, last);
            amount = amount.add(perDay.multiply(BigDecimal.valueOf(days)).divide(BigDecimal.valueOf(period.days()), 10,
                    RoundingMode.HALF_UP));
        }
        return amount;
    }

    /** OpenAPI schema Invoice (openapi_get_filtered.json): an agreement invoice referencing its agreement and company. */
    private static ObjectNode invoiceDoc(int id, StoredRecord agreement, LocalDate from, LocalDate through,
                                         BigDecimal additionsAmount, BigDecimal adjustmentsAmount, Instant now) {
        ObjectNode doc = SandboxJson.object();
        doc.put("id", id);
        // Assumption: the sandbox numbers its invoices SBX-000001 (ConnectWise's numbering is the MSP's setting; max 15).
        doc.put("invoiceNumber", String.format("SBX-%06d", id));
        doc.put("type", "Agreement");
        doc.set("company", agreement.doc().get("company"));
        if (agreement.doc().has("billToCompany")) {
            doc.set("billToCompany", agreement.doc().get("billToCompany"));
        }
        doc.put("applyToType", "Agreement");
        doc.put("applyToId", agreement.id());
        doc.put("reference", "Period " + from + " to " + through);
        // Assumption: an agreement invoice is dated on the last day it bills, so the recap's lastInvoiceDate
        // plus one day is the agreement's nextInvoiceDate.
        doc.put("date", SandboxDates.format(through));
        if (agreement.doc().has("currency")) {
            doc.set("currency", agreement.doc().get("currency"));
        }
        BigDecimal total = additionsAmount.add(adjustmentsAmount);
        doc.put("agreementAmount", additionsAmount);
        doc.put("subtotal", total);
        doc.put("total", total);
        doc.put("salesTax", BigDecimal.ZERO.setScale(2));
        doc.put("balance", total);
        doc.set("agreement", RecordShape.reference(agreement));
        ObjectNode info = doc.putObject("_info");
        String stamp = SandboxDates.format(now);
        info.put("lastUpdated", stamp);
        info.put("updatedBy", ComputedFields.API_MEMBER);
        info.put("dateEntered", stamp);
        info.put("enteredBy", ComputedFields.API_MEMBER);
        return SandboxJson.canonical(RecordShape.ordered(Resource.INVOICE, doc));
    }

    /**
     * A new addition on an agreement that does not prorate may not start in an invoiced period:
     * ConnectWise would not bill it ("Since this period has already been invoiced there will not be
     * an invoice generated for additional products for this period…", connectwise README). On a
     * prorating agreement the line is accepted and its partial amount billed: "turn prorate on in the
     * agreement. Then it will also bill the partial amount … and allow adding something during a month
     * that has been invoiced", same result via API or UI (http://retroreddit.com/r/ConnectWise/comments/1lliou7).
     */
    static void checkCreate(ObjectNode addition, StoredRecord agreement) {
        AgreementBilling billing = new AgreementBilling(agreement);
        if (!billing.prorates() && billing.invoiced(addition)) {
            refuse("effectiveDate");
        }
    }

    /** Refuses an update that rewrites what an invoice billed, or that moves dates into an invoiced period. */
    static void checkEdit(StoredRecord existing, ObjectNode updated, StoredRecord agreement) {
        if (existing.resource() != Resource.ADDITION) {
            return;
        }
        AgreementBilling billing = new AgreementBilling(agreement);
        ValidationErrors errors = new ValidationErrors(Resource.ADDITION.objectName());
        if (!billing.invoiced(existing.doc())) {
            // Moving a line that has not been invoiced to before N: the same refusal as a new line there.
            if (!billing.prorates() && billing.invoiced(updated)) {
                errors.add("InvalidValue", "effectiveDate", SandboxErrors.INVOICED_PERIOD);
            }
            errors.throwIfAny();
            return;
        }
        for (String field : BILLED_FIELDS) {
            if (!sameValue(existing.doc().get(field), updated.get(field))) {
                errors.add("InvalidValue", field, SandboxErrors.INVOICED_PERIOD);
            }
        }
        // The cancelledDate may move later (a renewal) or earlier. Without proration an end inside an
        // invoiced period (before N - 1) would take back billed days: connectwise README, "ConnectWise
        // refuses changes into periods it has invoiced". Assumption (no public source found): a prorating
        // agreement accepts it and credits the difference on its next invoice, as it accepts new lines there.
        JsonNode after = updated.get("cancelledDate");
        if (!billing.prorates() && !sameValue(existing.doc().get("cancelledDate"), after) && after != null) {
            Optional<LocalDate> end = SandboxDates.day(after.asText());
            Optional<LocalDate> lastInvoiced = billing.nextInvoiceDate().map(n -> n.minusDays(1));
            if (end.isPresent() && lastInvoiced.isPresent() && end.get().isBefore(lastInvoiced.get())) {
                errors.add("InvalidValue", "cancelledDate", SandboxErrors.INVOICED_PERIOD);
            }
        }
        errors.throwIfAny();
    }

    static void checkDelete(StoredRecord existing, StoredRecord agreement) {
        if (existing.resource() == Resource.ADDITION && new AgreementBilling(agreement).invoiced(existing.doc())) {
            throw SandboxErrors.badRequest(SandboxErrors.INVOICED_PERIOD);
        }
    }

    private static void refuse(String field) {
        throw SandboxErrors.invalidObject(Resource.ADDITION.objectName(), "InvalidValue", field, SandboxErrors.INVOICED_PERIOD);
    }

    private static boolean sameValue(JsonNode a, JsonNode b) {
        boolean aAbsent = FieldPath.isAbsent(a);
        boolean bAbsent = FieldPath.isAbsent(b);
        if (aAbsent || bAbsent) {
            return aAbsent == bAbsent;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            return Objects.equals(a.path("id").asText(), b.path("id").asText());
        }
        return a.asText().equals(b.asText());
    }

    /** The admin dump: agreement id → last invoiced day, for the agreements invoiced so far. */
    static ObjectNode describe(List<StoredRecord> agreements) {
        ObjectNode invoiced = SandboxJson.object();
        agreements.stream().filter(a -> a.invoicedThrough() != null)
                .forEach(a -> invoiced.put(String.valueOf(a.id()), a.invoicedThrough().toString()));
        return invoiced;
    }
}
