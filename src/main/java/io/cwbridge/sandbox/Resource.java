package io.cwbridge.sandbox;

import java.util.List;
import java.util.Map;

/**
 * The ConnectWise record types the sandbox serves. Invoices and agreement recaps are the server's
 * to write: clients only read them (the OpenAPI file openapi_get_filtered.json has GET paths for
 * {@code finance/invoices} and {@code finance/agreementrecap}; Assumption: the sandbox offers no
 * writes of them, as the bundle needs none).
 */
enum Resource {

    COMPANY("company", "company/companies", "Company", "company", "company_href",
            ResourceFields.COMPANY, List.of("identifier", "name"), List.of("id", "identifier", "name")),
    CATALOG("catalog", "procurement/catalog", "CatalogItem", "catalogItem", "ivItem_href",
            ResourceFields.CATALOG, List.of("identifier", "description", "subcategory", "type", "customerDescription"),
            List.of("id", "identifier")),
    AGREEMENT("agreement", "finance/agreements", "Agreement", "agreement", "agreement_href",
            ResourceFields.AGREEMENT, List.of("name", "type", "company", "contact"), List.of("id", "name")),
    ADDITION("addition", "finance/agreements/{parentId}/additions", "Addition", "addition", "addition_href",
            ResourceFields.ADDITION, List.of("product", "billCustomer"), List.of("id")),
    // Schema Agreement.Adjustment (openapi_get_filtered.json); its writes follow the template of the other
    // resources (POST 201, PATCH 200, DELETE 204), an Assumption as the GET-only file has none. No field is
    // required, as the schema lists none.
    ADJUSTMENT("adjustment", "finance/agreements/{parentId}/adjustments", "Adjustment", "adjustment", "adjustment_href",
            ResourceFields.ADJUSTMENT, List.of(), List.of("id", "description")),
    // Schema Invoice (openapi_get_filtered.json); created by the admin invoice call only.
    INVOICE("invoice", "finance/invoices", "Invoice", "invoice", "invoice_href",
            ResourceFields.INVOICE, List.of("type", "company"), List.of("id", "invoiceNumber")),
    // Schema AgreementRecap (openapi_get_filtered.json): computed from an agreement and its invoices on
    // every read, never stored; its id is the agreement's (Assumption).
    AGREEMENT_RECAP("agreementRecap", "finance/agreementrecap", "AgreementRecap", "agreementRecap", "agreementRecap_href",
            ResourceFields.AGREEMENT_RECAP, List.of(), List.of("id", "name")),
    // Schema Contact (openapi_get_filtered.json, /company/contacts and /count): read only here, as the bundle
    // only reads them (the connection test's Contacts Inquire probe). Required fields are not declared in the spec.
    CONTACT("contact", "company/contacts", "Contact", "contact", "contact_href",
            ResourceFields.CONTACT, List.of(), List.of("id", "name")),
    // Schema AgreementType (openapi_get_filtered.json, /finance/agreements/types and /count): a setup table,
    // read only here (the connection test's Table Setup Inquire probe).
    AGREEMENT_TYPE("agreementType", "finance/agreements/types", "AgreementType", "agreementType", "type_href",
            ResourceFields.AGREEMENT_TYPE, List.of("name"), List.of("id", "name"));

    private final String key;
    private final String path;
    private final String displayName;
    private final String objectName;
    private final String hrefName;
    private final Map<String, FieldSpec> fields;
    private final List<String> required;
    private final List<String> referenceFields;

    Resource(String key, String path, String displayName, String objectName, String hrefName,
             Map<String, FieldSpec> fields, List<String> required, List<String> referenceFields) {
        this.key = key;
        this.path = path;
        this.displayName = displayName;
        this.objectName = objectName;
        this.hrefName = hrefName;
        this.fields = fields;
        this.required = required;
        this.referenceFields = referenceFields;
    }

    /** Name in storage, admin dumps and {@code ref:} field targets. */
    String key() {
        return key;
    }

    /** Collection path below {@code apis/3.0/}, as a template. */
    String path() {
        return path;
    }

    /** As in "Addition with id 12 was not found." */
    String displayName() {
        return displayName;
    }

    /** As in "addition object is invalid" and the errors' {@code resource}. */
    String objectName() {
        return objectName;
    }

    Map<String, FieldSpec> fields() {
        return fields;
    }

    List<String> required() {
        return required;
    }

    /** The fields a reference to a record of this type carries (besides {@code _info}). */
    List<String> referenceFields() {
        return referenceFields;
    }

    String hrefName() {
        return hrefName;
    }

    /** Relative link to one record, as in the {@code _info} of references. */
    String href(Integer parentId, int id) {
        return path.replace("{parentId}", String.valueOf(parentId)) + "/" + id;
    }

    /** Records that only exist under a parent record (additions and adjustments under an agreement). */
    boolean hasParent() {
        return this == ADDITION || this == ADJUSTMENT;
    }

    /** Which calls the API answers for this type; the others get ConnectWise's "endpoint does not exist". */
    boolean serves(ApiRoute.Action action) {
        return switch (this) {
            case INVOICE -> action == ApiRoute.Action.LIST || action == ApiRoute.Action.COUNT || action == ApiRoute.Action.GET;
            // openapi_get_filtered.json has /finance/agreementrecap/ and /{id}, but no /count.
            case AGREEMENT_RECAP -> action == ApiRoute.Action.LIST || action == ApiRoute.Action.GET;
            case CONTACT, AGREEMENT_TYPE ->
                    action == ApiRoute.Action.LIST || action == ApiRoute.Action.COUNT || action == ApiRoute.Action.GET;
            default -> action != ApiRoute.Action.SYSTEM_INFO;
        };
    }

    /** Computed on every read from other records rather than stored. */
    boolean isDerived() {
        return this == AGREEMENT_RECAP;
    }

    static Resource byKey(String key) {
        for (Resource r : values()) {
            if (r.key.equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown sandbox resource " + key);
    }
}
