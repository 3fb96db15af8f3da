package io.cwbridge.rules;

import java.time.LocalDate;

/**
 * How the agreement invoices, as ConnectWise's {@code finance/agreements/{id}} tells it: the rules
 * judge "invoiced" from it (R22, R26) and keep changes out of invoiced periods (R27).
 *
 * @param billStartDate                 the agreement's billing start (null when unknown)
 * @param nextInvoiceDate               N: the days before it are invoiced (R22, R27); null when the
 *                                      agreement does not say (treated as never invoiced)
 * @param prorateFlag                   ConnectWise prorates mid-period additions itself (R17)
 * @param invoiceProratedAdditionsFlag  ConnectWise invoices prorated additions of invoiced periods
 *                                      on its next invoice (R27)
 */
public record AgreementBilling(LocalDate billStartDate, LocalDate nextInvoiceDate, boolean prorateFlag,
        boolean invoiceProratedAdditionsFlag) {

    private static final AgreementBilling UNKNOWN = new AgreementBilling(null, null, false, false);

    /** Nothing known of the agreement's invoicing: nothing counts as invoiced, nothing is clamped. */
    public static AgreementBilling unknown() {
        return UNKNOWN;
    }

    /** R22: ConnectWise has invoiced day d (d lies before the next invoice date). */
    public boolean invoiced(LocalDate day) {
        return nextInvoiceDate != null && day.isBefore(nextInvoiceDate);
    }

    /**
     * R27: lines keep the dates the rules give even inside invoiced periods, because ConnectWise
     * prorates and invoices the difference itself on its next invoice.
     */
    public boolean keepsDates() {
        return prorateFlag && invoiceProratedAdditionsFlag;
    }

    /** R17a: the bundle may write prorate amounts only where ConnectWise does not prorate. */
    public boolean prorates() {
        return prorateFlag;
    }
}
