package io.cwbridge.syncrules;

import io.cwbridge.rules.SyncRules;
import io.cwbridge.rules.SyncRules.Cancellation;
import io.cwbridge.rules.SyncRules.InvoiceValues;
import io.cwbridge.rules.SyncRules.InvoicedCatchUp;
import io.cwbridge.rules.SyncRules.NegativeChange;
import io.cwbridge.rules.SyncRules.PositiveChange;
import io.cwbridge.rules.SyncRules.PriceSource;
import io.cwbridge.rules.SyncRules.ProrationRule;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * A partner's "Global Sync Rules" (SPEC §4), exactly as {@code GET/PUT /api/v1/partners/{p}/sync-rules}
 * shows them and as table {@code sync_rules} stores them. The enums are the addition rules' own
 * ({@link SyncRules}), so the API cannot offer an option the rules do not know.
 *
 * <p>The field sets are kept in a fixed order without duplicates, so equal rules always look the same.
 */
@Schema(description = "A partner's global sync rules (SPEC §4)")
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(value = "globalSync", allowGetters = true)
public record PartnerSyncRules(
        @Schema(description = "Effective date of a licence increase (R12/R13)", example = "ACTUAL_DATE")
        PositiveChange positiveChange,
        @Schema(description = "Effective date of a licence decrease (R14/R15)", example = "ACTUAL_DATE")
        NegativeChange negativeChange,
        @Schema(description = "How a cancellation ends the lines (R21)", example = "CANCEL_PER_CANCELLATION_DATE")
        Cancellation cancellation,
        @Schema(description = "Where unit price and cost come from (R17)", example = "MARKETPLACE")
        PriceSource priceSource,
        @Schema(description = "Push unit prices", example = "true")
        boolean syncUnitPrice,
        @Schema(description = "Push unit costs", example = "true")
        boolean syncUnitCost,
        @Schema(description = "Values SaaS lines carry", example = "PRICE_AND_COST")
        InvoiceValues saasInvoiceValues,
        @Schema(description = "Values IaaS (usage) lines carry", example = "PRICE_AND_COST")
        InvoiceValues iaasInvoiceValues,
        @Schema(description = "IaaS usage lines list the resource details in their description (R24)", example = "true")
        boolean iaasResourceDetailsInDescription,
        @Schema(description = "Line descriptions name product, plan, mfg part number, subscription id and licences (R25)",
                example = "true")
        boolean includeSubscriptionInfo,
        @Schema(description = "Who prorates a line starting inside a billing period (R17, R17a): CONNECTWISE, the agreement's "
                + "own Prorate setting, the bundle never prorates; MARKETPLACE, on an agreement that does not prorate the "
                + "bundle writes the line's prorated price and cost", example = "CONNECTWISE")
        ProrationRule proration,
        @Schema(description = "What becomes of the part of a change that falls into an invoiced period (R27): REVIEW, "
                + "listed on the task, in the workbench and the daily digest; ADJUSTMENT, also posted as an agreement "
                + "adjustment", example = "REVIEW")
        InvoicedCatchUp invoicedCatchUp,
        @ArraySchema(schema = @Schema(allowableValues = {"name", "address", "city", "state", "zip", "country"}),
                uniqueItems = true, arraySchema = @Schema(description = "Company fields pushed to ConnectWise"))
        List<CompanyField> companyFields,
        @ArraySchema(schema = @Schema(allowableValues = {"manufacturer", "name", "price", "cost", "mfgPartNumber", "description"}),
                uniqueItems = true, arraySchema = @Schema(description = "Catalog item fields pushed to ConnectWise"))
        List<ProductField> productFields,
        @Schema(description = "The global sync (R30, SPEC §4 \"global sync\"): on, it runs daily at 00:00 UTC (and then also "
                + "retries the tasks left waiting with task sync IMMEDIATE); also accepted as globalSync", example = "false")
        boolean automaticSync,
        @Schema(description = "Legacy (v1), read only in effect: the period of taskSync, EVERY_5_MINUTES when taskSync is "
                + "EVERY_5_MINUTES, else DAILY. A PUT naming it without taskSync sets taskSync to it.", example = "DAILY",
                deprecated = true)
        SyncPeriod syncPeriod,
        @Schema(description = "When tasks go to ConnectWise (R31): IMMEDIATE when their event arrives; EVERY_5_MINUTES or DAILY "
                + "(00:00 UTC) at the timer's tick, waiting PENDING until then; MANUAL, each task waits as AWAITING_APPROVAL "
                + "until a person approves it", example = "IMMEDIATE")
        TaskSync taskSync) {

    public PartnerSyncRules {
        Objects.requireNonNull(positiveChange, "positiveChange");
        Objects.requireNonNull(negativeChange, "negativeChange");
        Objects.requireNonNull(cancellation, "cancellation");
        Objects.requireNonNull(priceSource, "priceSource");
        Objects.requireNonNull(saasInvoiceValues, "saasInvoiceValues");
        Objects.requireNonNull(iaasInvoiceValues, "iaasInvoiceValues");
        taskSync = taskSync == null ? TaskSync.IMMEDIATE : taskSync;
        // One concept: the legacy period is what taskSync says.
        syncPeriod = taskSync.period();
        proration = proration == null ? ProrationRule.CONNECTWISE : proration;
        invoicedCatchUp = invoicedCatchUp == null ? InvoicedCatchUp.REVIEW : invoicedCatchUp;
        companyFields = ordered(companyFields, CompanyField.class);
        productFields = ordered(productFields, ProductField.class);
    }

    /**
     * The rule set before task sync (v2): automatic sync on with a period reads as that period's task sync,
     * off as IMMEDIATE (what the bundle did then).
     */
    public PartnerSyncRules(PositiveChange positiveChange, NegativeChange negativeChange, Cancellation cancellation,
            PriceSource priceSource, boolean syncUnitPrice, boolean syncUnitCost, InvoiceValues saasInvoiceValues,
            InvoiceValues iaasInvoiceValues, boolean iaasResourceDetailsInDescription, boolean includeSubscriptionInfo,
            ProrationRule proration, InvoicedCatchUp invoicedCatchUp, List<CompanyField> companyFields,
            List<ProductField> productFields, boolean automaticSync, SyncPeriod syncPeriod) {
        this(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost, saasInvoiceValues,
                iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo, proration, invoicedCatchUp,
                companyFields, productFields, automaticSync, syncPeriod,
                automaticSync && syncPeriod != null ? TaskSync.of(syncPeriod) : TaskSync.IMMEDIATE);
    }

    /** SPEC §4 "global sync" (v2): the same rule as {@code automaticSync}. */
    @com.fasterxml.jackson.annotation.JsonProperty("globalSync")
    @Schema(description = "SPEC §4 global sync (v2): the same rule as automaticSync", example = "false")
    public boolean globalSync() {
        return automaticSync;
    }

    /** The v1 rule set; proration CONNECTWISE and invoiced catch-up REVIEW (the §4 defaults). */
    public PartnerSyncRules(PositiveChange positiveChange, NegativeChange negativeChange, Cancellation cancellation,
            PriceSource priceSource, boolean syncUnitPrice, boolean syncUnitCost, InvoiceValues saasInvoiceValues,
            InvoiceValues iaasInvoiceValues, boolean iaasResourceDetailsInDescription, boolean includeSubscriptionInfo,
            List<CompanyField> companyFields, List<ProductField> productFields, boolean automaticSync, SyncPeriod syncPeriod) {
        this(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost, saasInvoiceValues,
                iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo, ProrationRule.CONNECTWISE,
                InvoicedCatchUp.REVIEW, companyFields, productFields, automaticSync, syncPeriod);
    }

    /**
     * SPEC §4 defaults: the addition-rule defaults of {@link SyncRules#defaults()} (which also turn
     * "include subscription information" on), every company and product field pushed, automatic
     * sync off with a daily period, task sync IMMEDIATE; proration CONNECTWISE and invoiced catch-up REVIEW.
     */
    public static PartnerSyncRules defaults() {
        SyncRules rules = SyncRules.defaults();
        return new PartnerSyncRules(rules.positiveChange(), rules.negativeChange(), rules.cancellation(),
                rules.priceSource(), rules.syncUnitPrice(), rules.syncUnitCost(), rules.saasInvoiceValues(),
                rules.iaasInvoiceValues(), rules.iaasResourceDetailsInDescription(), rules.includeSubscriptionInfo(),
                rules.proration(), rules.invoicedCatchUp(), List.of(CompanyField.values()), List.of(ProductField.values()),
                false, SyncPeriod.DAILY, TaskSync.IMMEDIATE);
    }

    /** The part the addition rules (io.cwbridge.rules) read. */
    public SyncRules additionRules() {
        return new SyncRules(positiveChange, negativeChange, cancellation, priceSource, syncUnitPrice, syncUnitCost,
                saasInvoiceValues, iaasInvoiceValues, iaasResourceDetailsInDescription, includeSubscriptionInfo, proration,
                invoicedCatchUp);
    }

    public boolean pushes(CompanyField field) {
        return companyFields.contains(field);
    }

    public boolean pushes(ProductField field) {
        return productFields.contains(field);
    }

    private static <E extends Enum<E>> List<E> ordered(Collection<E> values, Class<E> type) {
        EnumSet<E> set = EnumSet.noneOf(type);
        if (values != null) {
            values.stream().filter(Objects::nonNull).forEach(set::add);
        }
        return List.copyOf(set);
    }
}
