package io.cwbridge.sandbox;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;

/**
 * Brings what an earlier sandbox stored to this one's model, at every start; a no-op (nothing
 * written) once done, so restarts still answer byte for byte. The first sandbox kept
 * {@code invoiced_through} per addition; now an agreement holds it and its additions' invoiced
 * state follows from its nextInvoiceDate (SPEC R27 v2). Each such agreement is invoiced through the
 * latest of its additions' days, writing the finance/invoices record the old model lacked, and the
 * server-computed fields (nextInvoiceDate, billedQuantity, prorate amounts) are derived again.
 */
final class StateUpgrade {

    private StateUpgrade() {}

    static void run(RecordStore store, Clock clock) {
        store.write(batch -> {
            Map<Integer, LocalDate> invoicedThrough = new TreeMap<>();
            for (StoredRecord addition : batch.all(Resource.ADDITION)) {
                if (addition.invoicedThrough() != null) {
                    invoicedThrough.merge(addition.parentId(), addition.invoicedThrough(), (a, b) -> a.isAfter(b) ? a : b);
                }
                StoredRecord agreement = batch.find(Resource.AGREEMENT, addition.parentId()).orElse(null);
                if (agreement == null) {
                    continue;
                }
                StoredRecord upgraded = new StoredRecord(Resource.ADDITION, addition.id(), addition.parentId(),
                        ComputedFields.derive(Resource.ADDITION, addition.id(), agreement, addition.doc(), null), null);
                if (!upgraded.equals(addition)) {
                    batch.put(upgraded);
                }
            }
            for (StoredRecord agreement : batch.all(Resource.AGREEMENT)) {
                StoredRecord upgraded = new StoredRecord(Resource.AGREEMENT, agreement.id(), null,
                        ComputedFields.derive(Resource.AGREEMENT, agreement.id(), null, agreement.doc(), agreement.invoicedThrough()),
                        agreement.invoicedThrough());
                if (!upgraded.equals(agreement)) {
                    batch.put(upgraded);
                }
            }
            invoicedThrough.forEach((agreementId, through) -> batch.find(Resource.AGREEMENT, agreementId)
                    .map(AgreementBilling::new)
                    .filter(billing -> billing.nextInvoiceDate().filter(n -> !through.isBefore(n)).isPresent())
                    .ifPresent(billing -> InvoiceLedger.invoice(batch, agreementId, through, clock.instant())));
            return null;
        });
    }
}
