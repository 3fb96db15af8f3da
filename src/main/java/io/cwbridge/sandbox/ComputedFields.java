package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * What the server adds to every record it answers: the id, {@code _info}, an agreement's next
 * invoice date, and for additions the agreement id and the amounts ConnectWise derives. Amounts
 * are exact decimals.
 */
final class ComputedFields {

    /** The API member the sandbox's keys stand for, shown in {@code _info.updatedBy}. */
    static final String API_MEMBER = "SandboxApi";

    private ComputedFields() {}

    /**
     * @param parent          the agreement of an addition or adjustment, else null
     * @param previous        the record before this write, for its entry date; null on create
     * @param invoicedThrough an agreement's last invoiced day, else null
     */
    static ObjectNode complete(Resource resource, int id, StoredRecord parent, ObjectNode fields, StoredRecord previous,
                               LocalDate invoicedThrough, Instant now) {
        ObjectNode doc = fields.deepCopy();
        doc.put("id", id);
        ObjectNode info = doc.putObject("_info");
        String stamp = SandboxDates.format(now);
        info.put("lastUpdated", stamp);
        info.put("updatedBy", API_MEMBER);
        JsonNode before = previous == null ? null : previous.doc().get("_info");
        info.put("dateEntered", before != null && before.hasNonNull("dateEntered") ? before.get("dateEntered").asText() : stamp);
        info.put("enteredBy", before != null && before.hasNonNull("enteredBy") ? before.get("enteredBy").asText() : API_MEMBER);
        return derive(resource, id, parent, doc, invoicedThrough);
    }

    /**
     * The record with its server-computed fields worked out again from what it and its agreement
     * hold now, {@code _info} untouched: after an agreement changes or is invoiced.
     */
    static ObjectNode derive(Resource resource, int id, StoredRecord parent, ObjectNode stored, LocalDate invoicedThrough) {
        ObjectNode doc = stored.deepCopy();
        switch (resource) {
            case AGREEMENT -> {
                doc.remove("nextInvoiceDate");
                new AgreementBilling(new StoredRecord(resource, id, null, doc, invoicedThrough)).nextInvoiceDate()
                        .ifPresent(n -> doc.put("nextInvoiceDate", SandboxDates.format(n)));
            }
            case ADDITION -> addAmounts(doc, new AgreementBilling(parent));
            case ADJUSTMENT -> doc.put("agreementId", parent.id());
            default -> { }
        }
        return SandboxJson.canonical(RecordShape.ordered(resource, doc));
    }

    private static void addAmounts(ObjectNode doc, AgreementBilling agreement) {
        BigDecimal quantity = decimal(doc, "quantity");
        BigDecimal extPrice = quantity.multiply(decimal(doc, "unitPrice"));
        BigDecimal extCost = quantity.multiply(decimal(doc, "unitCost"));
        doc.put("agreementId", agreement.agreement().id());
        doc.put("extPrice", extPrice);
        doc.put("extCost", extCost);
        doc.put("margin", extPrice.subtract(extCost));
        // Assumption taken from SPEC R22 v2 (the connectwise README lists billedQuantity without defining it; no
        // public text found): billedQuantity is quantity less included, not a sign of invoicing; lessIncluded 0 when not given.
        doc.put("billedQuantity", quantity.subtract(decimal(doc, "lessIncluded")));
        if (agreement.prorates()) {
            // With prorateFlag on the server prorates (connectwise README); what a client wrote is ignored.
            doc.remove("proratePrice");
            doc.remove("prorateCost");
            prorate(doc, agreement);
        }
        // Assumption (SPEC 8.3 v2; no public source found): without prorateFlag the prorate amounts a client writes are
        // kept as written. What ConnectWise then bills is another matter: "If this option is NOT checked, when an item is
        // added mid-month, the item will only bill the full amount on the next invoice" (CEO Juice, https://support.ceojuice.com/
        // hc/en-us/articles/35868833724052-Syncing-Prorated-Agreements-from-ConnectWise-to-e-automate).
        doc.remove("extendedProratePrice");
        doc.remove("extendedProrateCost");
        if (doc.hasNonNull("proratePrice")) {
            doc.put("extendedProratePrice", decimal(doc, "proratePrice").multiply(quantity));
        }
        if (doc.hasNonNull("prorateCost")) {
            doc.put("extendedProrateCost", decimal(doc, "prorateCost").multiply(quantity));
        }
    }

    /**
     * Assumption (formula and rounding), after the connectwise README line "With the agreement's
     * prorateFlag on, ConnectWise prorates a mid-period addition itself": amount × (days in period −
     * day of the effective date in it + 1) / days in period, the effective day counting (15–31 March
     * = 17/31), 2 decimals HALF_UP. Nothing for an addition that starts on its period's first day.
     */
    private static void prorate(ObjectNode doc, AgreementBilling agreement) {
        Optional<LocalDate> effective = AgreementBilling.day(doc, "effectiveDate");
        if (effective.isEmpty()) {
            return;
        }
        BillingPeriod period = agreement.period(effective.get());
        if (period.startsOn(effective.get())) {
            return;
        }
        doc.put("proratePrice", share(decimal(doc, "unitPrice"), period.daysFrom(effective.get()), period.days()));
        doc.put("prorateCost", share(decimal(doc, "unitCost"), period.daysFrom(effective.get()), period.days()));
    }

    /** amount × days / of, 2 decimals HALF_UP. */
    static BigDecimal share(BigDecimal amount, long days, long of) {
        return amount.multiply(BigDecimal.valueOf(days)).divide(BigDecimal.valueOf(of), 2, RoundingMode.HALF_UP);
    }

    static BigDecimal decimal(JsonNode doc, String field) {
        JsonNode value = doc.get(field);
        return value != null && value.isNumber() ? value.decimalValue() : BigDecimal.ZERO;
    }
}
