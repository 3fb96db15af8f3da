package io.cwbridge.mapping;

import io.cwbridge.mapping.WorkbenchRows.Page;
import io.cwbridge.partner.PartnerIds;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The console's mapping lists (issue 16): one page of customers, products or subscriptions, with the
 * same status rules as {@link MappingWorkbench} (SPEC 3), computed in PostgreSQL so a page of a
 * 10,000-subscription book reads its 25 rows (plus per-status counts) instead of every snapshot.
 * The latest snapshot of each subscription, event or import, describes it (as {@link KnownSubscriptions}).
 */
@Service
public class MappingPages {

    public static final int MAX_LIMIT = 100;

    private static final String KNOWN = """
            WITH known AS (
                SELECT DISTINCT ON (subscription_id) subscription_id, subscription, type, occurred_at
                FROM (
                    SELECT subscription_id, payload->'subscription' AS subscription, type, occurred_at, received_at, false AS imported
                    FROM subscription_event WHERE partner_id = :p AND payload->'subscription' IS NOT NULL
                      AND (CAST(:sub AS text) IS NULL OR subscription_id = CAST(:sub AS text))
                    UNION ALL
                    SELECT subscription_id, payload, 'IMPORT', imported_at, imported_at, true
                    FROM imported_subscription WHERE partner_id = :p
                      AND (CAST(:sub AS text) IS NULL OR subscription_id = CAST(:sub AS text))
                ) k
                ORDER BY subscription_id, imported, occurred_at DESC, received_at DESC
            )
            """;

    /** Per-status counts over every row, then the filter, the total of matches and the page. */
    private static final String PAGE = """
            , counted AS (
                SELECT r.*, count(*) FILTER (WHERE status = 'MAPPED') OVER () AS n_mapped,
                       count(*) FILTER (WHERE status = 'UNMAPPED') OVER () AS n_unmapped,
                       count(*) FILTER (WHERE status = 'FAILED') OVER () AS n_failed
                FROM item_rows r
            )
            SELECT c.*, count(*) OVER () AS n_total FROM counted c
            WHERE (CAST(:status AS text) IS NULL OR status = CAST(:status AS text))
              AND (CAST(:q AS text) IS NULL OR strpos(search, CAST(:q AS text)) > 0)
              AND (CAST(:only AS text) IS NULL OR id = CAST(:only AS text))
            ORDER BY sort, id
            LIMIT :limit OFFSET :offset
            """;

    private static final String CUSTOMERS = KNOWN + """
            , customers AS (
                SELECT DISTINCT ON (customer_id) customer_id, name, subscriptions FROM (
                    SELECT subscription->'customer'->>'id' AS customer_id, subscription->'customer'->>'name' AS name, occurred_at,
                           count(*) OVER (PARTITION BY subscription->'customer'->>'id') AS subscriptions
                    FROM known) c
                WHERE customer_id IS NOT NULL
                ORDER BY customer_id, occurred_at DESC
            ), mapped AS MATERIALIZED (
                -- lookups by primary key per row, not joins: a plan that stays fast whatever the statistics say
                SELECT c.*,
                       (SELECT m.company_id FROM customer_mapping m WHERE m.partner_id = :p AND m.customer_id = c.customer_id) AS target_id,
                       (SELECT f.reason FROM mapping_failure f
                        WHERE f.partner_id = :p AND f.kind = 'CUSTOMER' AND f.item_id = c.customer_id) AS failure
                FROM customers c
            ), item_rows AS (
                SELECT c.customer_id AS id, c.name, c.subscriptions, c.target_id,
                       CASE WHEN c.target_id IS NOT NULL THEN 'MAPPED' WHEN c.failure IS NOT NULL THEN 'FAILED' ELSE 'UNMAPPED' END AS status,
                       CASE WHEN c.target_id IS NULL THEN c.failure END AS reason,
                       lower(c.customer_id || ' ' || coalesce(c.name, '')) AS search,
                       lower(coalesce(c.name, c.customer_id)) AS sort
                FROM mapped c
            )
            """ + PAGE;

    private static final String PRODUCTS = KNOWN + """
            , products AS (
                SELECT DISTINCT ON (product_id) product_id, name, plan, mfg, subscriptions FROM (
                    SELECT subscription->'product'->>'id' AS product_id, subscription->'product'->>'name' AS name,
                           subscription->'product'->>'plan' AS plan, subscription->'product'->>'mfgPartNumber' AS mfg, occurred_at,
                           count(*) OVER (PARTITION BY subscription->'product'->>'id') AS subscriptions
                    FROM known) x
                WHERE product_id IS NOT NULL
                ORDER BY product_id, occurred_at DESC
            ), mapped AS MATERIALIZED (
                SELECT x.*,
                       (SELECT m.catalog_item_id FROM product_mapping m WHERE m.partner_id = :p AND m.product_id = x.product_id) AS target_id,
                       (SELECT f.reason FROM mapping_failure f
                        WHERE f.partner_id = :p AND f.kind = 'PRODUCT' AND f.item_id = x.product_id) AS failure
                FROM products x
            ), item_rows AS (
                SELECT x.product_id AS id, x.name, x.plan, x.mfg, x.subscriptions, x.target_id,
                       CASE WHEN x.target_id IS NOT NULL THEN 'MAPPED' WHEN x.failure IS NOT NULL THEN 'FAILED' ELSE 'UNMAPPED' END AS status,
                       CASE WHEN x.target_id IS NULL THEN x.failure END AS reason,
                       lower(x.product_id || ' ' || coalesce(x.name, '') || ' ' || coalesce(x.plan, '') || ' ' || coalesce(x.mfg, '')) AS search,
                       lower(coalesce(nullif(x.plan, ''), x.name, x.product_id)) AS sort
                FROM mapped x
            )
            """ + PAGE;

    private static final String SUBSCRIPTIONS = KNOWN + """
            , fields AS (
                SELECT k.subscription_id,
                       k.subscription->'customer'->>'id' AS customer_id, k.subscription->'customer'->>'name' AS customer_name,
                       k.subscription->'product'->>'id' AS product_id, k.subscription->'product'->>'plan' AS plan,
                       k.subscription->'product'->>'name' AS product, k.subscription->>'quantity' AS quantity,
                       (k.type = 'CANCELLATION_ORDER' OR upper(coalesce(k.subscription->>'status', '')) = 'CANCELLED') AS cancelled
                FROM known k
            ), mapped AS MATERIALIZED (
                -- lookups by key per row, not joins: a plan that stays fast whatever the statistics say
                SELECT k.*,
                       (SELECT m.agreement_id FROM subscription_mapping m WHERE m.partner_id = :p AND m.subscription_id = k.subscription_id) AS target_id,
                       (SELECT m.company_id FROM customer_mapping m WHERE m.partner_id = :p AND m.customer_id = k.customer_id) AS company_id,
                       (SELECT m.catalog_item_id FROM product_mapping m WHERE m.partner_id = :p AND m.product_id = k.product_id) AS catalog_item_id,
                       (SELECT f.reason FROM mapping_failure f
                        WHERE f.partner_id = :p AND f.kind = 'SUBSCRIPTION' AND f.item_id = k.subscription_id) AS failure,
                       t.status AS task_status, t.reason AS task_reason
                FROM fields k
                -- R31: a FAILED task stays the subscription's status until it succeeds or is dismissed
                LEFT JOIN LATERAL (
                    SELECT status, reason FROM sync_task
                    WHERE partner_id = :p AND subscription_id = k.subscription_id
                    ORDER BY (status = 'FAILED') DESC, occurred_at DESC, task_id DESC LIMIT 1
                ) t ON true
            ), item_rows AS (
                SELECT k.subscription_id AS id, k.customer_id, k.customer_name, k.product_id,
                       coalesce(nullif(k.plan, ''), k.product) AS product_name, k.quantity, k.cancelled,
                       k.target_id, k.company_id, k.catalog_item_id, k.task_status,
                       CASE WHEN k.target_id IS NOT NULL THEN CASE WHEN k.task_status = 'FAILED' THEN 'FAILED' ELSE 'MAPPED' END
                            WHEN k.failure IS NOT NULL THEN 'FAILED' ELSE 'UNMAPPED' END AS status,
                       CASE WHEN k.target_id IS NOT NULL THEN CASE WHEN k.task_status = 'FAILED' THEN k.task_reason END
                            WHEN k.failure IS NOT NULL THEN k.failure
                            WHEN k.task_status = 'NEEDS_MAPPING' THEN k.task_reason END AS reason,
                       lower(k.subscription_id || ' ' || coalesce(k.customer_id, '') || ' ' || coalesce(k.customer_name, '') || ' '
                             || coalesce(k.plan, '') || ' ' || coalesce(k.product, '')) AS search,
                       lower(coalesce(k.customer_name, '')) AS sort
                FROM mapped k
            )
            """ + PAGE;

    public record CustomerItem(String customerId, String name, MappingStatus status, String reason, Long companyId,
                               int subscriptions) {}

    public record ProductItem(String productId, String name, String plan, String mfgPartNumber, MappingStatus status,
                              String reason, Long catalogItemId, int subscriptions) {

        /** The plan, else the product's name (as the catalog item is described, R2). */
        public String title() {
            return plan == null || plan.isBlank() ? name : plan;
        }
    }

    /** A line the bundle keeps for the subscription (subscription_line) and the addition that holds it. */
    public record Line(String lineKey, long agreementId, long additionId, String description) {}

    public record SubscriptionItem(String subscriptionId, String customerId, String customerName, String productId,
                                   String productName, String quantity, boolean cancelled, MappingStatus status, String reason,
                                   Long agreementId, Long companyId, Long catalogItemId, String lastTaskStatus,
                                   List<Line> lines) {

        SubscriptionItem withLines(List<Line> value) {
            return new SubscriptionItem(subscriptionId, customerId, customerName, productId, productName, quantity, cancelled,
                    status, reason, agreementId, companyId, catalogItemId, lastTaskStatus, value);
        }
    }

    private final NamedParameterJdbcTemplate jdbc;

    MappingPages(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Page<CustomerItem> customers(String partnerId, MappingStatus status, String q, int limit, int offset) {
        return page(CUSTOMERS, partnerId, status, q, limit, offset, null, this::customer);
    }

    public Page<ProductItem> products(String partnerId, MappingStatus status, String q, int limit, int offset) {
        return page(PRODUCTS, partnerId, status, q, limit, offset, null, this::product);
    }

    private CustomerItem customer(ResultSet rs, int n) throws SQLException {
        return new CustomerItem(rs.getString("id"), rs.getString("name"), MappingStatus.valueOf(rs.getString("status")),
                rs.getString("reason"), longOrNull(rs, "target_id"), rs.getInt("subscriptions"));
    }

    private ProductItem product(ResultSet rs, int n) throws SQLException {
        return new ProductItem(rs.getString("id"), rs.getString("name"), rs.getString("plan"), rs.getString("mfg"),
                MappingStatus.valueOf(rs.getString("status")), rs.getString("reason"), longOrNull(rs, "target_id"),
                rs.getInt("subscriptions"));
    }

    public Page<SubscriptionItem> subscriptions(String partnerId, MappingStatus status, String q, int limit, int offset) {
        return subscriptions(partnerId, status, q, limit, offset, null);
    }

    private Page<SubscriptionItem> subscriptions(String partnerId, MappingStatus status, String q, int limit, int offset,
                                                 String only) {
        Page<SubscriptionItem> page = page(SUBSCRIPTIONS, partnerId, status, q, limit, offset, only, (rs, n) -> new SubscriptionItem(
                rs.getString("id"), rs.getString("customer_id"), rs.getString("customer_name"), rs.getString("product_id"),
                rs.getString("product_name"), rs.getString("quantity"), rs.getBoolean("cancelled"),
                MappingStatus.valueOf(rs.getString("status")), rs.getString("reason"), longOrNull(rs, "target_id"),
                longOrNull(rs, "company_id"), longOrNull(rs, "catalog_item_id"), rs.getString("task_status"), List.of()));
        if (page.items().isEmpty()) return page;
        Map<String, List<Line>> lines = new HashMap<>();
        jdbc.query("""
                SELECT subscription_id, line_key, agreement_id, addition_id, description FROM subscription_line
                WHERE partner_id = :p AND subscription_id IN (:ids) ORDER BY addition_id
                """, Map.of("p", partnerId, "ids", page.items().stream().map(SubscriptionItem::subscriptionId).toList()), rs -> {
                    lines.computeIfAbsent(rs.getString("subscription_id"), k -> new ArrayList<>()).add(new Line(
                            rs.getString("line_key"), rs.getLong("agreement_id"), rs.getLong("addition_id"), rs.getString("description")));
                });
        return new Page<>(page.items().stream().map(i -> i.withLines(lines.getOrDefault(i.subscriptionId(), List.of()))).toList(),
                page.total(), page.limit(), page.offset(), page.counts());
    }

    /** One subscription as its row shows it, whatever the filter; null when no event or import names it. */
    public SubscriptionItem subscription(String partnerId, String subscriptionId) {
        return first(subscriptions(partnerId, null, null, 1, 0, subscriptionId));
    }

    public CustomerItem customer(String partnerId, String customerId) {
        return first(page(CUSTOMERS, partnerId, null, null, 1, 0, customerId, this::customer));
    }

    public ProductItem product(String partnerId, String productId) {
        return first(page(PRODUCTS, partnerId, null, null, 1, 0, productId, this::product));
    }

    private static <T> T first(Page<T> page) {
        return page.items().isEmpty() ? null : page.items().get(0);
    }

    private <T> Page<T> page(String sql, String partnerId, MappingStatus status, String q, int limit, int offset,
                             String only, RowMapper<T> row) {
        PartnerIds.check(partnerId);
        int size = Math.max(1, Math.min(limit, MAX_LIMIT));
        int from = Math.max(0, offset);
        Map<String, Object> params = new HashMap<>();
        params.put("p", partnerId);
        params.put("status", status == null ? null : status.name());
        params.put("q", q == null || q.isBlank() ? null : q.strip().toLowerCase(Locale.ROOT));
        params.put("limit", size);
        params.put("offset", from);
        params.put("only", only);
        // one subscription's row: only its own snapshots are read
        params.put("sub", sql == SUBSCRIPTIONS ? only : null);
        List<T> items = new ArrayList<>();
        long[] totals = new long[4];
        read(sql, params, row, items, totals);
        if (items.isEmpty() && from > 0) {
            // past the last page: the total of matches from the first one
            params.put("limit", 1);
            params.put("offset", 0);
            read(sql, params, (rs, n) -> null, new ArrayList<>(), totals);
        }
        if (totals[0] == 0 && (params.get("status") != null || params.get("q") != null)) {
            // nothing matches: the per-status counts of the whole list
            params.put("status", null);
            params.put("q", null);
            params.put("limit", 1);
            params.put("offset", 0);
            read(sql, params, (rs, n) -> null, new ArrayList<>(), totals);
            totals[0] = 0;
        }
        Map<MappingStatus, Long> counts = new EnumMap<>(MappingStatus.class);
        counts.put(MappingStatus.MAPPED, totals[1]);
        counts.put(MappingStatus.UNMAPPED, totals[2]);
        counts.put(MappingStatus.FAILED, totals[3]);
        return new Page<>(items, totals[0], size, from, counts);
    }

    private <T> void read(String sql, Map<String, Object> params, RowMapper<T> row, List<T> items, long[] totals) {
        jdbc.query(sql, params, rs -> {
            items.add(row.mapRow(rs, items.size()));
            totals[0] = rs.getLong("n_total");
            totals[1] = rs.getLong("n_mapped");
            totals[2] = rs.getLong("n_unmapped");
            totals[3] = rs.getLong("n_failed");
        });
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
