package io.cwbridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.syncrules.CompanyField;
import io.cwbridge.syncrules.PartnerSyncRules;
import io.cwbridge.syncrules.ProductField;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ConnectWise company and catalog item the bundle creates for an unmapped customer or
 * product (R1, R2), built from the marketplace's own fields. Optional fields follow the
 * partner's "fields pushed" rules (SPEC §4); the fields ConnectWise requires are always sent.
 * Text is cut to ConnectWise's maximum lengths, which it would otherwise refuse.
 */
final class NewRecords {

    static final int IDENTIFIER_LENGTH = 25;

    private NewRecords() {}

    /** Identifier of a created company: the customer's name without non-alphanumerics, at most 25 characters. */
    static String companyIdentifier(JsonNode customer) {
        String identifier = cut(text(customer, "name").replaceAll("[^A-Za-z0-9]", ""), IDENTIFIER_LENGTH);
        // A name of only other characters (e.g. not Latin) still needs a stable, unique identifier.
        return identifier.isEmpty()
                ? cut("Customer" + text(customer, "id").replaceAll("[^A-Za-z0-9]", ""), IDENTIFIER_LENGTH)
                : identifier;
    }

    static Map<String, Object> company(JsonNode customer, PartnerSyncRules rules) {
        JsonNode address = customer.path("address");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("identifier", companyIdentifier(customer));
        body.put("name", cut(text(customer, "name"), 156));
        if (rules.pushes(CompanyField.ADDRESS)) {
            putText(body, "addressLine1", text(address, "line1"), 50);
            putText(body, "addressLine2", text(address, "line2"), 50);
        }
        if (rules.pushes(CompanyField.CITY)) putText(body, "city", text(address, "city"), 50);
        if (rules.pushes(CompanyField.STATE)) putText(body, "state", text(address, "state"), 50);
        if (rules.pushes(CompanyField.ZIP)) putText(body, "zip", text(address, "zip"), 12);
        if (rules.pushes(CompanyField.COUNTRY) && !text(address, "country").isBlank()) {
            body.put("country", Map.of("name", text(address, "country").trim()));
        }
        return body;
    }

    /** Identifier of a created catalog item: the mfg part number, else the product id, at most 25 characters. */
    static String catalogIdentifier(JsonNode product) {
        String mfgPartNumber = text(product, "mfgPartNumber").trim();
        return cut(mfgPartNumber.isEmpty() ? text(product, "id").trim() : mfgPartNumber, IDENTIFIER_LENGTH);
    }

    static Map<String, Object> catalogItem(EventSnapshots.ProductSnapshot snapshot, PartnerSyncRules rules) {
        return catalogItem(snapshot, rules, ProductDefaultRule.BUILT_IN);
    }

    /** R3: Category, Subcategory, Type and Class come from the product default rule that matched. */
    static Map<String, Object> catalogItem(EventSnapshots.ProductSnapshot snapshot, PartnerSyncRules rules,
                                           ProductDefaultRule defaults) {
        JsonNode product = snapshot.product();
        String title = text(product, "plan").isBlank() ? text(product, "name") : text(product, "plan");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("identifier", catalogIdentifier(product));
        body.put("description", cut(title, 60));
        body.put("customerDescription", cut(title, 6000));
        body.put("category", Map.of("name", defaults.category()));
        body.put("subcategory", Map.of("name", defaults.subcategory()));
        body.put("type", Map.of("name", defaults.type()));
        if (defaults.productClass() != null) body.put("productClass", defaults.productClass());
        if (rules.pushes(ProductField.MANUFACTURER) && !text(product, "provider").isBlank()) {
            body.put("manufacturer", Map.of("name", text(product, "provider")));
        }
        if (rules.pushes(ProductField.MFG_PART_NUMBER)) {
            putText(body, "manufacturerPartNumber", text(product, "mfgPartNumber"), 50);
        }
        if (rules.pushes(ProductField.PRICE) && snapshot.unitPrice().isNumber()) {
            body.put("price", snapshot.unitPrice().decimalValue());
        }
        if (rules.pushes(ProductField.COST) && snapshot.unitCost().isNumber()) {
            body.put("cost", snapshot.unitCost().decimalValue());
        }
        return body;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }

    private static void putText(Map<String, Object> body, String field, String value, int max) {
        if (!value.isBlank()) {
            body.put(field, cut(value.trim(), max));
        }
    }

    private static String cut(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
