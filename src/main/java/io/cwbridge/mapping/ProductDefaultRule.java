package io.cwbridge.mapping;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A product default rule (R3): when every condition holds for a product, a catalog item created
 * for it gets these Category / Subcategory / Type / Class. Pure Java.
 *
 * @param ruleId       null for the built-in default
 * @param priority     lower runs first
 * @param defaultRule  the rule used when no custom rule matches (it has no conditions)
 * @param productClass ConnectWise productClass (Agreement, Bundle, Inventory, NonInventory, Service) or null
 */
public record ProductDefaultRule(Long ruleId, String name, int priority, boolean defaultRule, List<Condition> conditions,
                                 String category, String subcategory, String type, String productClass) {

    public ProductDefaultRule {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** The built-in default when a partner has stored none. */
    public static final ProductDefaultRule BUILT_IN = new ProductDefaultRule(null, "Default", Integer.MAX_VALUE, true,
            List.of(), "Cloud Services", "Cloud Licensing", "Subscription", null);

    /** Every condition must hold (an empty list matches every product). */
    public boolean matches(Map<String, String> product) {
        return conditions.stream().allMatch(c -> c.holds(product));
    }

    /**
     * One test on a product field, compared case-insensitively after trimming. Fields are the
     * product's event fields (provider, name, plan, mfgPartNumber, description, id, and any extra
     * one the platform sends, e.g. itemType); "publisher" is another name for provider.
     */
    public record Condition(String field, Operator operator, String value) {

        boolean holds(Map<String, String> product) {
            String key = "publisher".equalsIgnoreCase(field) ? "provider" : field;
            String actual = product.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(key))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            String a = actual == null ? "" : actual.trim().toLowerCase(Locale.ROOT);
            String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
            return switch (operator) {
                case EQUALS -> actual != null && a.equals(v);
                case NOT_EQUALS -> !a.equals(v);
                case CONTAINS -> actual != null && a.contains(v);
                case STARTS_WITH -> actual != null && a.startsWith(v);
            };
        }
    }

    public enum Operator { EQUALS, NOT_EQUALS, CONTAINS, STARTS_WITH }

    /** R3: custom rules in priority order (then id), first match wins, else the default rule. */
    public static ProductDefaultRule choose(List<ProductDefaultRule> rules, Map<String, String> product) {
        ProductDefaultRule fallback = BUILT_IN;
        ProductDefaultRule chosen = null;
        List<ProductDefaultRule> ordered = rules.stream()
                .sorted(java.util.Comparator.comparingInt(ProductDefaultRule::priority)
                        .thenComparing(r -> r.ruleId() == null ? Long.MAX_VALUE : r.ruleId()))
                .toList();
        for (ProductDefaultRule r : ordered) {
            if (r.defaultRule()) {
                fallback = r;
            } else if (chosen == null && r.matches(product)) {
                chosen = r;
            }
        }
        return chosen != null ? chosen : fallback;
    }
}
