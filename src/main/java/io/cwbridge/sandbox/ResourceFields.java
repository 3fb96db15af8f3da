package io.cwbridge.sandbox;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties of Company, CatalogItem, Agreement, Addition, Agreement.Adjustment, Invoice and
 * AgreementRecap, in the order of ConnectWise's OpenAPI schemas (2026.4), with types, enums and max
 * lengths taken from it (Invoice and AgreementRecap: the properties the sandbox fills, plus those a
 * query may name). Kept in code because
 * the sandbox ships without the spec file; the contract test checks the answers against the spec.
 * {@code ref:x} marks references the sandbox resolves against its own records; {@code ro} marks
 * fields the server computes.
 */
final class ResourceFields {

    static final Map<String, FieldSpec> COMPANY = parse("""
            id int ro; identifier text:156; name text:156; status ref; addressLine1 text:50; addressLine2 text:50;
            city text:50; state text:50; zip text:12; country ref; phoneNumber text:30; faxNumber text:30;
            website text:255; territory ref; market ref; accountNumber text; defaultContact ref; dateAcquired date;
            sicCode ref; parentCompany ref:company; annualRevenue number; creditLimit number; additionalDebt number;
            numberOfEmployees int; yearEstablished int; revenueYear int; ownershipType ref; timeZoneSetup ref;
            leadSource text:50; leadFlag bool; unsubscribeFlag bool; calendar ref; userDefinedField1 text:50;
            userDefinedField2 text:50; userDefinedField3 text:50; userDefinedField4 text:50; userDefinedField5 text:50;
            userDefinedField6 text:50; userDefinedField7 text:50; userDefinedField8 text:50; userDefinedField9 text:50;
            userDefinedField10 text:50; vendorIdentifier text; taxIdentifier text; taxCode ref; billingTerms ref;
            invoiceTemplate ref; pricingSchedule ref; companyEntityType ref; billToCompany ref:company; billingSite ref;
            billingContact ref; invoiceDeliveryMethod ref; emailTemplate ref; invoiceToEmailAddress text;
            invoiceCCEmailAddress text; deletedFlag bool; dateDeleted date; deletedBy text; mobileGuid text;
            facebookUrl text; twitterUrl text; linkedInUrl text; currency ref; territoryManager ref;
            resellerIdentifier text; isVendorFlag bool; types array; site ref; integratorTags array; _info info ro;
            customFields array""");

    static final Map<String, FieldSpec> CATALOG = parse("""
            id int ro; identifier text:75; description text:60; inactiveFlag bool; subcategory ref; type ref;
            productClass enum:Agreement|Bundle|Inventory|NonInventory|Service; serializedFlag bool;
            serializedCostFlag bool; phaseProductFlag bool; unitOfMeasure ref; minStockLevel int; price number;
            cost number; priceAttribute enum:FixedFee|NotToExceed|OverrideRate|TimeAndMaterials; taxableFlag bool;
            dropShipFlag bool; specialOrderFlag bool; customerDescription text:6000; manufacturer ref;
            manufacturerPartNumber text:50; vendor ref:company; vendorSku text:50; notes text; integrationXRef text:50;
            sla ref; entityType ref; recurringFlag bool; recurringRevenue number; recurringCost number;
            recurringOneTimeFlag bool; recurringBillCycle ref; recurringCycleType enum:ContractYear|CalendarYear;
            calculatedPriceFlag bool; calculatedCostFlag bool; category ref; calculatedPrice number;
            calculatedCost number; billableOption enum:Billable|DoNotBill|NoCharge|NoDefault; connectWiseID text;
            agreementType ref; markupPercentage number; markupFlag bool; autoUpdateUnitCostFlag bool;
            autoUpdateUnitPriceFlag bool; _info info ro; customFields array""");

    static final Map<String, FieldSpec> AGREEMENT = parse("""
            id int ro; name text:100; type ref; company ref:company; contact ref; site ref;
            subContractCompany ref:company; subContractContact ref; parentAgreement ref:agreement; customerPO text:50;
            location ref; department ref; restrictLocationFlag bool; restrictDepartmentFlag bool; startDate date;
            endDate date; noEndingDateFlag bool; opportunity ref; cancelledFlag bool; dateCancelled date;
            reasonCancelled text:100; sla ref; workOrder text:20; internalNotes text;
            applicationUnits enum:Amount|Hours|Incidents; applicationLimit number;
            applicationCycle enum:Contract2Weeks|Contract4Weeks|ContractYear|CalendarMonth|CalendarQuarter|CalendarWeek|ContractQuarter|CalendarYear;
            applicationUnlimitedFlag bool; oneTimeFlag bool; coverAgreementTime bool; coverAgreementProduct bool;
            coverAgreementExpense bool; coverSalesTax bool; carryOverUnused bool; allowOverruns bool; expiredDays int;
            limit int; expireWhenZero bool; chargeToFirm bool; employeeCompRate enum:Actual|Hourly;
            employeeCompNotExceed enum:Billing|Amount|Percent; compHourlyRate number; compLimitAmount number;
            billingCycle ref; billOneTimeFlag bool; billingTerms ref; invoicingCycle enum:ContractYear|CalendarYear;
            billToCompany ref:company; billToContact ref; billToSite ref; billAmount number; taxable bool;
            prorateFirstBill number; billStartDate date; taxCode ref; restrictDownPayment bool; prorateFlag bool;
            invoiceProratedAdditionsFlag bool; invoiceDescription text; topComment bool; bottomComment bool;
            workRole ref; workType ref; projectType ref; invoiceTemplate ref;
            billTime enum:Billable|DoNotBill|NoCharge|NoDefault; billExpenses enum:Billable|DoNotBill|NoCharge|NoDefault;
            billProducts enum:Billable|DoNotBill|NoCharge|NoDefault; billableTimeInvoice bool;
            billableExpenseInvoice bool; billableProductInvoice bool; currency ref;
            periodType enum:Current|Future|Both|Undefined; autoInvoiceFlag bool; billZeroAmountFlag bool;
            nextInvoiceDate text ro; companyLocation ref; shipToCompany ref:company; shipToContact ref; shipToSite ref;
            agreementStatus enum:Active|Cancelled|Expired|Inactive; _info info ro; customFields array""");

    static final Map<String, FieldSpec> ADDITION = parse("""
            id int ro; product ref:catalog; quantity number; lessIncluded number; unitPrice number; unitCost number;
            billCustomer enum:Billable|DoNotBill|NoCharge; effectiveDate date; cancelledDate date; taxableFlag bool;
            serialNumber text:50; invoiceDescription text:6000; purchaseItemFlag bool; specialOrderFlag bool;
            agreementId int ro; description text; billedQuantity number ro; uom text; extPrice number ro;
            extCost number ro; sequenceNumber number; margin number ro; prorateCost number; proratePrice number;
            extendedProrateCost number ro; extendedProratePrice number ro; prorateCurrentPeriodFlag bool;
            opportunity ref; agreementStatus enum:Active|Cancelled|Expired|Inactive; invoiceGrouping ref;
            _info info ro; customFields array""");

    static final Map<String, FieldSpec> ADJUSTMENT = parse("""
            id int ro; amount number; description text:1000; effectiveDate date; agreementId int ro; _info info ro;
            customFields array""");

    static final Map<String, FieldSpec> INVOICE = parse("""
            id int ro; invoiceNumber text:15; type enum:Agreement|CreditMemo|DownPayment|Miscellaneous|Progress|Standard|Consolidated;
            status ref; company ref:company; billToCompany ref:company; applyToType enum:All|Agreement|Project|ProjectPhase|SalesOrder|Ticket;
            applyToId int; reference text:50; date date; currency ref; dueDate date; agreementAmount number;
            subtotal number; total number; salesTax number; balance number; agreement ref:agreement; _info info ro;
            customFields array""");

    static final Map<String, FieldSpec> AGREEMENT_RECAP = parse("""
            id int ro; adjustmentAmount number ro; agreementStatus text ro; name text ro; companyName text ro;
            lastInvoiceAmount text ro; lastInvoiceDate text ro; lastInvoiceNumber text ro; nextInvoiceDate text ro""");

    // Contact and AgreementType: the leading properties of their schemas, enough for the reads the bundle makes.
    static final Map<String, FieldSpec> CONTACT = parse("""
            id int ro; firstName text; lastName text; company ref:company; site ref; addressLine1 text;
            addressLine2 text; city text; state text; zip text; country ref; inactiveFlag bool; title text;
            _info info ro; customFields array""");

    static final Map<String, FieldSpec> AGREEMENT_TYPE = parse("""
            id int ro; name text; defaultFlag bool; inactiveFlag bool; prePaymentFlag bool; billingCycle ref;
            _info info ro""");

    private ResourceFields() {}

    private static Map<String, FieldSpec> parse(String spec) {
        Map<String, FieldSpec> fields = new LinkedHashMap<>();
        Arrays.stream(spec.split(";")).map(String::trim).filter(s -> !s.isEmpty())
                .map(FieldSpec::parse).forEach(f -> fields.put(f.name(), f));
        return Collections.unmodifiableMap(fields);
    }
}
