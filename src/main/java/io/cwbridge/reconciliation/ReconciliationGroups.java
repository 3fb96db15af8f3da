package io.cwbridge.reconciliation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The log grouped as the console shows it (R32 v2): customer → provider → plan → the rows, each
 * group with its count and its summed delta cost and price. Rows keep the log's order.
 */
final class ReconciliationGroups {

    static final String UNKNOWN = "(unknown)";

    private ReconciliationGroups() {}

    static List<Map<String, Object>> group(List<ReconciliationView> rows) {
        Map<String, Map<String, Map<String, List<ReconciliationView>>>> tree = new LinkedHashMap<>();
        for (ReconciliationView r : rows) {
            tree.computeIfAbsent(name(r.customerName()), k -> new LinkedHashMap<>())
                    .computeIfAbsent(name(r.providerName()), k -> new LinkedHashMap<>())
                    .computeIfAbsent(name(r.planName()), k -> new ArrayList<>()).add(r);
        }
        List<Map<String, Object>> customers = new ArrayList<>();
        tree.forEach((customer, providers) -> {
            List<Map<String, Object>> providerGroups = new ArrayList<>();
            List<ReconciliationView> customerRows = new ArrayList<>();
            providers.forEach((provider, plans) -> {
                List<Map<String, Object>> planGroups = new ArrayList<>();
                List<ReconciliationView> providerRows = new ArrayList<>();
                plans.forEach((plan, items) -> {
                    Map<String, Object> g = totals("planName", plan, items);
                    g.put("items", items);
                    planGroups.add(g);
                    providerRows.addAll(items);
                });
                Map<String, Object> g = totals("providerName", provider, providerRows);
                g.put("plans", planGroups);
                providerGroups.add(g);
                customerRows.addAll(providerRows);
            });
            Map<String, Object> g = totals("customerName", customer, customerRows);
            g.put("providers", providerGroups);
            customers.add(g);
        });
        return customers;
    }

    private static Map<String, Object> totals(String key, String name, List<ReconciliationView> rows) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put(key, name);
        g.put("count", rows.size());
        g.put("deltaCost", sum(rows.stream().map(ReconciliationView::deltaCost).toList()));
        g.put("deltaPrice", sum(rows.stream().map(ReconciliationView::deltaPrice).toList()));
        return g;
    }

    private static BigDecimal sum(List<BigDecimal> values) {
        return values.stream().filter(Objects::nonNull).reduce(BigDecimal.ZERO.setScale(2), BigDecimal::add);
    }

    private static String name(String value) {
        return value == null || value.isBlank() ? UNKNOWN : value;
    }
}
