package io.cwbridge.globalsync;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.JsonPatchOperation;
import io.cwbridge.connectwise.model.CatalogItem;
import io.cwbridge.connectwise.model.Company;
import io.cwbridge.connectwise.model.CountryReference;
import io.cwbridge.connectwise.model.Reference;
import io.cwbridge.rules.SyncRules.PriceSource;
import io.cwbridge.syncrules.CompanyField;
import io.cwbridge.syncrules.PartnerSyncRules;
import io.cwbridge.syncrules.ProductField;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * R30 for companies and catalog items: which fields ConnectWise holds differently from the
 * marketplace's latest values, limited to the fields the partner's rules push (SPEC §4). Pure: the
 * caller reads both sides and sends the patch only when it is not empty, so unchanged data costs no
 * write. A value the marketplace does not give (blank, missing) is never pushed: the global sync
 * corrects, it does not erase. Field names and lengths follow the records the bundle creates (R1, R2).
 * The marketplace side is the event's JSON; the ConnectWise side its typed record.
 */
public final class FieldChanges {

    private FieldChanges() {}

    /** @param customer {@code subscription.customer} of the latest event; company as ConnectWise returns it */
    public static List<JsonPatchOperation> company(JsonNode customer, Company company, PartnerSyncRules rules) {
        return company(customer, company, java.util.Set.copyOf(rules.companyFields()));
    }

    /** @param pushed the fields pushed for this company: the partner's rules less what its customers switched off */
    public static List<JsonPatchOperation> company(JsonNode customer, Company company, java.util.Set<CompanyField> pushed) {
        java.util.function.Predicate<CompanyField> pushes = pushed::contains;
        JsonNode address = customer.path("address");
        List<JsonPatchOperation> ops = new ArrayList<>();
        if (pushes.test(CompanyField.NAME)) text(ops, "name", company.name(), text(customer, "name"), 156);
        if (pushes.test(CompanyField.ADDRESS)) {
            text(ops, "addressLine1", company.addressLine1(), text(address, "line1"), 50);
            text(ops, "addressLine2", company.addressLine2(), text(address, "line2"), 50);
        }
        if (pushes.test(CompanyField.CITY)) text(ops, "city", company.city(), text(address, "city"), 50);
        if (pushes.test(CompanyField.STATE)) text(ops, "state", company.state(), text(address, "state"), 50);
        if (pushes.test(CompanyField.ZIP)) text(ops, "zip", company.zip(), text(address, "zip"), 12);
        CountryReference country = company.country();
        if (pushes.test(CompanyField.COUNTRY)) reference(ops, "country", country == null ? null : country.name(), text(address, "country"));
        return ops;
    }

    /**
     * @param product the product of the latest event naming it, with that event's unit price and cost
     *                (null when absent); item the catalog item as ConnectWise returns it
     */
    public static List<JsonPatchOperation> catalogItem(JsonNode product, BigDecimal unitPrice, BigDecimal unitCost, CatalogItem item,
            PartnerSyncRules rules) {
        return catalogItem(product, unitPrice, unitCost, item, java.util.Set.copyOf(rules.productFields()), rules.priceSource());
    }

    /**
     * @param pushed the fields pushed for this product: the partner's rules less what it switched off
     * @param priceSource the partner's price source: under CONNECTWISE_CATALOG price and cost are never pushed
     *                    ({@link #pushedProductFields})
     */
    public static List<JsonPatchOperation> catalogItem(JsonNode product, BigDecimal unitPrice, BigDecimal unitCost, CatalogItem item,
            java.util.Set<ProductField> pushed, PriceSource priceSource) {
        java.util.Set<ProductField> fields = pushedProductFields(pushed, priceSource);
        java.util.function.Predicate<ProductField> pushes = fields::contains;
        List<JsonPatchOperation> ops = new ArrayList<>();
        if (pushes.test(ProductField.NAME)) {
            String title = text(product, "plan").isBlank() ? text(product, "name") : text(product, "plan");
            text(ops, "description", item.description(), title, 60);
        }
        if (pushes.test(ProductField.DESCRIPTION)) text(ops, "customerDescription", item.customerDescription(), text(product, "description"), 6000);
        Reference manufacturer = item.manufacturer();
        if (pushes.test(ProductField.MANUFACTURER)) {
            reference(ops, "manufacturer", manufacturer == null ? null : manufacturer.name(), text(product, "provider"));
        }
        if (pushes.test(ProductField.MFG_PART_NUMBER)) {
            text(ops, "manufacturerPartNumber", item.manufacturerPartNumber(), text(product, "mfgPartNumber"), 50);
        }
        if (pushes.test(ProductField.PRICE)) amount(ops, "price", item.price(), unitPrice);
        if (pushes.test(ProductField.COST)) amount(ops, "cost", item.cost(), unitCost);
        return ops;
    }

    /**
     * R17 x R30: under price source CONNECTWISE_CATALOG the catalog item is the price master (every line takes its
     * price and cost), so the global sync never replaces them with the marketplace's, whatever {@code productFields}
     * says; the other fields follow the rules. Probe 45 F1: pushed, a later sale of 3 licences billed 3 x 22.00 (the
     * event's) instead of 3 x 30.00 (the partner's ConnectWise price).
     */
    public static java.util.Set<ProductField> pushedProductFields(java.util.Collection<ProductField> fields, PriceSource priceSource) {
        java.util.Set<ProductField> pushed = fields.isEmpty() ? java.util.EnumSet.noneOf(ProductField.class) : java.util.EnumSet.copyOf(fields);
        if (priceSource == PriceSource.CONNECTWISE_CATALOG) {
            pushed.remove(ProductField.PRICE);
            pushed.remove(ProductField.COST);
        }
        return pushed;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText().trim() : "";
    }

    /** @param held the ConnectWise record's value of {@code field} (null: none) */
    private static void text(List<JsonPatchOperation> ops, String field, String held, String truth, int max) {
        if (truth.isBlank()) return;
        String wanted = truth.length() <= max ? truth : truth.substring(0, max);
        if (!wanted.equals(held == null ? "" : held.trim())) ops.add(JsonPatchOperation.replace(field, wanted));
    }

    /** ConnectWise references ({@code {"id":..,"name":..}}) are compared and set by name. */
    private static void reference(List<JsonPatchOperation> ops, String field, String heldName, String truthName) {
        if (truthName.isBlank()) return;
        if (!truthName.equals(heldName == null ? "" : heldName.trim())) ops.add(JsonPatchOperation.replace(field, Map.of("name", truthName)));
    }

    private static void amount(List<JsonPatchOperation> ops, String field, BigDecimal held, BigDecimal truth) {
        if (truth == null) return;
        if (held == null || held.compareTo(truth) != 0) ops.add(JsonPatchOperation.replace(field, truth));
    }

    /** A JSON number, or a number written as text; null when absent or blank. */
    static BigDecimal decimal(JsonNode n) {
        return n.isNumber() ? n.decimalValue() : n.isTextual() && !n.asText().isBlank() ? new BigDecimal(n.asText().trim()) : null;
    }
}
