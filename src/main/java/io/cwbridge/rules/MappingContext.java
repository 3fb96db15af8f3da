package io.cwbridge.rules;

import java.time.LocalDate;

/**
 * What the enrichment step knows about where the subscription goes (R4).
 *
 * @param agreementId           the mapped agreement
 * @param agreementStartDate    the agreement's (billing) start date; ConnectWise refuses effective
 *                              dates before it (R13); null when unknown
 * @param catalogItemId         catalog item of the event's product (R2); null = not mapped
 * @param upgradeCatalogItemId  catalog item of an upgrade's new product; null = not mapped
 * @param fromDate              the subscription mapping's optional "from date" (R25)
 * @param billing               how the agreement invoices (R22, R27); never null
 * @param cancelledFrom         the day the subscription's synced cancellation took effect (R21's c), null when none was
 *                              synced: an event that arrives after it bills nothing from then on ({@link CancelledSubscription})
 * @param adoptedAdditionId     the existing addition a person adopted as the subscription's base line (R6), null when none:
 *                              the sales order then brings that hand-made line in step with the subscription ({@link SalesOrderRule})
 * @param unsyncedPrices        R17 x SPEC 4 "sync unit price / cost" off (probe 45 F3, probe 48 P48-3): per catalog item, the
 *                              catalog's price (cost) a new licence line carries for the field the bundle does not sync,
 *                              sent explicitly rather than left for ConnectWise to default (null fields: synced); empty
 *                              when both are synced or unknown
 */
public record MappingContext(long agreementId, LocalDate agreementStartDate, Long catalogItemId,
        Long upgradeCatalogItemId, LocalDate fromDate, AgreementBilling billing, LocalDate cancelledFrom, Long adoptedAdditionId,
        java.util.Map<Long, MonthRoll.CurrentPrice> unsyncedPrices) {

    public MappingContext {
        billing = billing == null ? AgreementBilling.unknown() : billing;
        unsyncedPrices = unsyncedPrices == null ? java.util.Map.of() : java.util.Map.copyOf(unsyncedPrices);
    }

    /** Without catalog prices for unsynced fields. */
    public MappingContext(long agreementId, LocalDate agreementStartDate, Long catalogItemId, Long upgradeCatalogItemId,
            LocalDate fromDate, AgreementBilling billing, LocalDate cancelledFrom, Long adoptedAdditionId) {
        this(agreementId, agreementStartDate, catalogItemId, upgradeCatalogItemId, fromDate, billing, cancelledFrom, adoptedAdditionId,
                null);
    }

    /** Without an adopted addition. */
    public MappingContext(long agreementId, LocalDate agreementStartDate, Long catalogItemId, Long upgradeCatalogItemId,
            LocalDate fromDate, AgreementBilling billing, LocalDate cancelledFrom) {
        this(agreementId, agreementStartDate, catalogItemId, upgradeCatalogItemId, fromDate, billing, cancelledFrom, null);
    }

    /** Of a subscription not cancelled. */
    public MappingContext(long agreementId, LocalDate agreementStartDate, Long catalogItemId, Long upgradeCatalogItemId,
            LocalDate fromDate, AgreementBilling billing) {
        this(agreementId, agreementStartDate, catalogItemId, upgradeCatalogItemId, fromDate, billing, null);
    }

    /** Without invoicing information (nothing counts as invoiced). */
    public MappingContext(long agreementId, LocalDate agreementStartDate, Long catalogItemId, Long upgradeCatalogItemId,
            LocalDate fromDate) {
        this(agreementId, agreementStartDate, catalogItemId, upgradeCatalogItemId, fromDate, AgreementBilling.unknown());
    }

    public static MappingContext of(long agreementId, LocalDate agreementStartDate, long catalogItemId) {
        return new MappingContext(agreementId, agreementStartDate, catalogItemId, null, null);
    }

    public MappingContext withUpgradeCatalogItemId(Long value) {
        return new MappingContext(agreementId, agreementStartDate, catalogItemId, value, fromDate, billing, cancelledFrom, adoptedAdditionId, unsyncedPrices);
    }

    public MappingContext withFromDate(LocalDate value) {
        return new MappingContext(agreementId, agreementStartDate, catalogItemId, upgradeCatalogItemId, value, billing, cancelledFrom, adoptedAdditionId, unsyncedPrices);
    }

    public MappingContext withCatalogItemId(Long value) {
        return new MappingContext(agreementId, agreementStartDate, value, upgradeCatalogItemId, fromDate, billing, cancelledFrom, adoptedAdditionId, unsyncedPrices);
    }

    public MappingContext withCancelledFrom(LocalDate value) {
        return new MappingContext(agreementId, agreementStartDate, catalogItemId, upgradeCatalogItemId, fromDate, billing, value, adoptedAdditionId, unsyncedPrices);
    }

    public MappingContext withBilling(AgreementBilling value) {
        return new MappingContext(agreementId, agreementStartDate, catalogItemId, upgradeCatalogItemId, fromDate, value, cancelledFrom, adoptedAdditionId, unsyncedPrices);
    }

    public MappingContext withAdoptedAdditionId(Long value) {
        return new MappingContext(agreementId, agreementStartDate, catalogItemId, upgradeCatalogItemId, fromDate, billing, cancelledFrom, value, unsyncedPrices);
    }

    public MappingContext withUnsyncedPrices(java.util.Map<Long, MonthRoll.CurrentPrice> value) {
        return new MappingContext(agreementId, agreementStartDate, catalogItemId, upgradeCatalogItemId, fromDate, billing, cancelledFrom,
                adoptedAdditionId, value);
    }

    /**
     * First day the subscription may bill on this agreement: the latest of the subscription start,
     * the mapping's from date and the agreement start (R13, R25).
     */
    public LocalDate billingStart(LocalDate subscriptionStart) {
        LocalDate result = subscriptionStart;
        result = EffectiveDates.latest(result, fromDate);
        result = EffectiveDates.latest(result, agreementStartDate);
        return result;
    }
}
