package io.cwbridge.sandbox;

import java.util.List;
import java.util.Map;

/** The ConnectWise record types the sandbox serves. */
enum Resource {

    COMPANY("company", "company/companies", "Company", "company", "company_href",
            ResourceFields.COMPANY, List.of("identifier", "name"), List.of("id", "identifier", "name")),
    CATALOG("catalog", "procurement/catalog", "CatalogItem", "catalogItem", "ivItem_href",
            ResourceFields.CATALOG, List.of("identifier", "description", "subcategory", "type", "customerDescription"),
            List.of("id", "identifier")),
    AGREEMENT("agreement", "finance/agreements", "Agreement", "agreement", "agreement_href",
            ResourceFields.AGREEMENT, List.of("name", "type", "company", "contact"), List.of("id", "name")),
    ADDITION("addition", "finance/agreements/{parentId}/additions", "Addition", "addition", "addition_href",
            ResourceFields.ADDITION, List.of("product", "billCustomer"), List.of("id"));

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

    /** Records that only exist under a parent record (additions under an agreement). */
    boolean hasParent() {
        return this == ADDITION;
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
