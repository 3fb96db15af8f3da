package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code finance/agreementrecap}: one recap per agreement (OpenAPI schema AgreementRecap, in
 * openapi_get_filtered.json), worked out from the agreement, its invoices and its adjustments on
 * every read, so it can never disagree with them. The schema types lastInvoiceAmount and the dates
 * as strings; the sandbox writes them as ConnectWise writes its other dates and amounts.
 */
final class AgreementRecaps {

    private AgreementRecaps() {}

    static List<StoredRecord> all(RecordView view) {
        List<StoredRecord> invoices = view.all(Resource.INVOICE);
        return view.all(Resource.AGREEMENT).stream().map(a -> recap(view, a, invoices)).toList();
    }

    static Optional<StoredRecord> find(RecordView view, int agreementId) {
        return view.find(Resource.AGREEMENT, agreementId).map(a -> recap(view, a, view.all(Resource.INVOICE)));
    }

    private static StoredRecord recap(RecordView view, StoredRecord agreement, List<StoredRecord> invoices) {
        ObjectNode doc = SandboxJson.object();
        doc.put("id", agreement.id());
        BigDecimal adjustments = view.children(Resource.ADJUSTMENT, agreement.id()).stream()
                .map(a -> ComputedFields.decimal(a.doc(), "amount")).reduce(BigDecimal.ZERO, BigDecimal::add);
        // Assumption: adjustmentAmount is the sum of the agreement's adjustments.
        doc.put("adjustmentAmount", adjustments.setScale(2, java.math.RoundingMode.HALF_UP));
        doc.set("agreementStatus", agreement.doc().get("agreementStatus"));
        doc.set("name", agreement.doc().get("name"));
        doc.set("companyName", agreement.doc().path("company").get("name"));
        invoices.stream()
                .filter(i -> i.doc().path("agreement").path("id").asInt(-1) == agreement.id())
                .max(Comparator.comparing((StoredRecord i) -> i.doc().path("date").asText()).thenComparing(StoredRecord::id))
                .ifPresent(last -> {
                    doc.put("lastInvoiceAmount", last.doc().path("total").decimalValue().toPlainString());
                    doc.set("lastInvoiceDate", last.doc().get("date"));
                    doc.set("lastInvoiceNumber", last.doc().get("invoiceNumber"));
                });
        doc.set("nextInvoiceDate", agreement.doc().get("nextInvoiceDate"));
        return new StoredRecord(Resource.AGREEMENT_RECAP, agreement.id(), null,
                SandboxJson.canonical(RecordShape.ordered(Resource.AGREEMENT_RECAP, doc)), null);
    }
}
