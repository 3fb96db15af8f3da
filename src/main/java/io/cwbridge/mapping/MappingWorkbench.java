package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import io.cwbridge.tasks.store.TaskStatus;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.events.Subscription;
import io.cwbridge.mapping.KnownSubscriptions.Known;
import io.cwbridge.mapping.WorkbenchRows.CustomerRow;
import io.cwbridge.mapping.WorkbenchRows.Page;
import io.cwbridge.mapping.WorkbenchRows.ProductRow;
import io.cwbridge.mapping.WorkbenchRows.SubscriptionRow;
import io.cwbridge.mapping.WorkbenchRows.Summary;
import io.cwbridge.partner.PartnerIds;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * The workbench lists and summary (SPEC 3): every customer, product and subscription the partner's
 * events and imports name, with its mapping status, link and last sync. Built in memory from a
 * handful of queries per partner: a partner's book is thousands of rows, not millions.
 */
@Service
public class MappingWorkbench {

    static final int MAX_LIMIT = 500;

    private final KnownSubscriptions known;
    private final MappingFailures failures;
    private final NamedParameterJdbcTemplate jdbc;
    private final io.cwbridge.catchup.CatchUpRepository catchUps;

    MappingWorkbench(KnownSubscriptions known, MappingFailures failures, NamedParameterJdbcTemplate jdbc,
            io.cwbridge.catchup.CatchUpRepository catchUps) {
        this.known = known;
        this.failures = failures;
        this.jdbc = jdbc;
        this.catchUps = catchUps;
    }

    public Page<CustomerRow> customers(String partnerId, MappingStatus status, String q, int limit, int offset) {
        return page(snapshot(partnerId).customers(), status, q, limit, offset, CustomerRow::status,
                r -> r.customerId() + " " + r.name());
    }

    public Page<ProductRow> products(String partnerId, MappingStatus status, String q, int limit, int offset) {
        return page(snapshot(partnerId).products(), status, q, limit, offset, ProductRow::status,
                r -> r.productId() + " " + r.name() + " " + r.plan() + " " + r.mfgPartNumber());
    }

    public Page<SubscriptionRow> subscriptions(String partnerId, MappingStatus status, String q, int limit, int offset) {
        return page(snapshot(partnerId).subscriptions(), status, q, limit, offset, SubscriptionRow::status,
                r -> r.subscriptionId() + " " + r.customerName() + " " + r.productName() + " " + r.customerId());
    }

    public Summary summary(String partnerId) {
        Snapshot s = snapshot(partnerId);
        Map<String, BigDecimal> byCurrency = new TreeMap<>();
        BigDecimal total = BigDecimal.ZERO.setScale(2, RoundingMode.HALF_UP);
        long unmappedSubscriptions = 0;
        for (SubscriptionRow r : s.subscriptions()) {
            if (r.agreementId() != null) continue;
            unmappedSubscriptions++;
            if (r.cancelled() || r.value() == null) continue;
            total = total.add(r.value());
            byCurrency.merge(r.currency() == null ? "" : r.currency(), r.value(), BigDecimal::add);
        }
        return new Summary(counts(s.customers(), CustomerRow::status), counts(s.products(), ProductRow::status),
                counts(s.subscriptions(), SubscriptionRow::status),
                s.customers().stream().filter(r -> r.companyId() == null).count(),
                s.products().stream().filter(r -> r.catalogItemId() == null).count(),
                unmappedSubscriptions, total, byCurrency, catchUps.summary(partnerId));
    }

    /** quantity × unit price, scale 2 (SPEC 3 unsynchronised revenue). */
    static BigDecimal value(Subscription s) {
        if (s.quantity() == null || s.unitPrice() == null) return null;
        return s.unitPrice().multiply(BigDecimal.valueOf(s.quantity())).setScale(2, RoundingMode.HALF_UP);
    }

    /** The three lists, and the known subscriptions they were built from (for auto-map, which needs them too). */
    record Snapshot(List<CustomerRow> customers, List<ProductRow> products, List<SubscriptionRow> subscriptions, List<Known> known) {}

    Snapshot snapshot(String partnerId) {
        PartnerIds.check(partnerId);
        List<Known> subs = known.all(partnerId);
        Map<String, Object> p = Map.of("p", partnerId);
        Map<String, Object[]> customerMaps = new HashMap<>();
        jdbc.query("SELECT customer_id, company_id, mapped_at FROM customer_mapping WHERE partner_id = :p", p,
                rs -> { customerMaps.put(rs.getString(1), new Object[] {rs.getLong(2), instant(rs.getTimestamp(3))}); });
        Map<String, Object[]> productMaps = new HashMap<>();
        jdbc.query("SELECT product_id, catalog_item_id, mapped_at FROM product_mapping WHERE partner_id = :p", p,
                rs -> { productMaps.put(rs.getString(1), new Object[] {rs.getLong(2), instant(rs.getTimestamp(3))}); });
        Map<String, Object[]> subscriptionMaps = new HashMap<>();
        jdbc.query("SELECT subscription_id, agreement_id, from_date, mapped_at FROM subscription_mapping WHERE partner_id = :p", p,
                rs -> {
                    subscriptionMaps.put(rs.getString(1), new Object[] {rs.getLong(2),
                            rs.getDate(3) == null ? null : rs.getDate(3).toLocalDate(), instant(rs.getTimestamp(4))});
                });
        Map<String, Object[]> tasks = new HashMap<>();
        jdbc.query("""
                SELECT DISTINCT ON (subscription_id) subscription_id, status, reason,
                       max(synced_at) OVER (PARTITION BY subscription_id) AS last_sync
                FROM sync_task WHERE partner_id = :p
                -- R31: a FAILED task stays the subscription's status until it succeeds or is dismissed,
                -- whatever later tasks did (they do not apply the failed change)
                ORDER BY subscription_id, (status = 'FAILED') DESC, occurred_at DESC, task_id DESC
                """, p, rs -> {
                    tasks.put(rs.getString(1), new Object[] {rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4))});
                });
        Map<String, List<Long>> additions = new HashMap<>();
        jdbc.query("SELECT subscription_id, addition_id FROM subscription_line WHERE partner_id = :p ORDER BY addition_id", p,
                rs -> { additions.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2)); });
        Map<String, String> customerFailures = failures.all(partnerId, MappingChanged.CUSTOMER);
        Map<String, String> productFailures = failures.all(partnerId, MappingChanged.PRODUCT);
        Map<String, String> subscriptionFailures = failures.all(partnerId, MappingChanged.SUBSCRIPTION);

        List<SubscriptionRow> subscriptionRows = new ArrayList<>();
        // Latest snapshot per customer / product: the freshest name and fields.
        Map<String, Known> latestCustomer = new LinkedHashMap<>();
        Map<String, Known> latestProduct = new LinkedHashMap<>();
        Map<String, Instant> customerSync = new HashMap<>();
        Map<String, Instant> productSync = new HashMap<>();
        Map<String, Integer> customerSubs = new HashMap<>();
        Map<String, Integer> productSubs = new HashMap<>();
        for (Known k : subs) {
            Subscription s = k.subscription();
            Object[] m = subscriptionMaps.get(k.subscriptionId());
            Object[] t = tasks.get(k.subscriptionId());
            String taskStatus = t == null ? null : (String) t[0];
            Instant lastSync = t == null ? null : (Instant) t[2];
            MappingStatus status;
            String reason = null;
            if (m != null) {
                status = TaskStatus.FAILED.is(taskStatus) ? MappingStatus.FAILED : MappingStatus.MAPPED;
                if (status == MappingStatus.FAILED) reason = (String) t[1];
            } else if (subscriptionFailures.containsKey(k.subscriptionId())) {
                status = MappingStatus.FAILED;
                reason = subscriptionFailures.get(k.subscriptionId());
            } else {
                status = MappingStatus.UNMAPPED;
                if (TaskStatus.NEEDS_MAPPING.is(taskStatus)) reason = (String) t[1];
            }
            if (k.unreadable()) {
                // Reported on its own row; the other rows and the totals are unaffected.
                status = MappingStatus.FAILED;
                reason = k.snapshotProblem();
            }
            subscriptionRows.add(new SubscriptionRow(k.subscriptionId(), k.customerId(),
                    s.customer() == null ? null : s.customer().name(), k.productId(),
                    s.product() == null ? null : title(s.product().plan(), s.product().name()),
                    s.quantity(), s.unitPrice(), value(s), s.currency(),
                    s.billingCycle() == null ? null : s.billingCycle().name(), s.startDate(), k.cancelled(), status, reason,
                    m == null ? null : (Long) m[0], m == null ? null : (LocalDate) m[1],
                    additions.getOrDefault(k.subscriptionId(), List.of()), m == null ? null : (Instant) m[2], lastSync, taskStatus));
            if (k.customerId() != null) {
                latest(latestCustomer, k.customerId(), k);
                customerSync.merge(k.customerId(), orMin(lastSync), MappingWorkbench::later);
                customerSubs.merge(k.customerId(), 1, Integer::sum);
            }
            if (k.productId() != null) {
                latest(latestProduct, k.productId(), k);
                productSync.merge(k.productId(), orMin(lastSync), MappingWorkbench::later);
                productSubs.merge(k.productId(), 1, Integer::sum);
            }
        }
        List<CustomerRow> customerRows = new ArrayList<>();
        latestCustomer.forEach((id, k) -> {
            Object[] m = customerMaps.get(id);
            MappingStatus status = m != null ? MappingStatus.MAPPED
                    : customerFailures.containsKey(id) ? MappingStatus.FAILED : MappingStatus.UNMAPPED;
            customerRows.add(new CustomerRow(id, k.subscription().customer().name(), status,
                    status == MappingStatus.FAILED ? customerFailures.get(id) : null, m == null ? null : (Long) m[0],
                    m == null ? null : (Instant) m[1], nullIfMin(customerSync.get(id)), customerSubs.get(id)));
        });
        List<ProductRow> productRows = new ArrayList<>();
        latestProduct.forEach((id, k) -> {
            Object[] m = productMaps.get(id);
            MappingStatus status = m != null ? MappingStatus.MAPPED
                    : productFailures.containsKey(id) ? MappingStatus.FAILED : MappingStatus.UNMAPPED;
            var product = k.subscription().product();
            productRows.add(new ProductRow(id, product.name(), product.plan(), product.provider(), product.mfgPartNumber(),
                    status, status == MappingStatus.FAILED ? productFailures.get(id) : null, m == null ? null : (Long) m[0],
                    m == null ? null : (Instant) m[1], nullIfMin(productSync.get(id)), productSubs.get(id)));
        });
        // R19 / R20: a product subscriptions are upgraded to is a product to map too, before any event names it as theirs
        // (an upgrade to an unmapped product waits NEEDS_MAPPING on it)
        Map<String, java.util.Set<String>> upgradedTo = new LinkedHashMap<>();
        Map<String, String[]> upgradeProducts = new HashMap<>();
        jdbc.query("""
                SELECT e.subscription_id, u ->> 'id' AS id, u ->> 'name' AS name, u ->> 'plan' AS plan, u ->> 'provider' AS provider,
                       u ->> 'mfgPartNumber' AS mfg
                  FROM subscription_event e CROSS JOIN LATERAL (SELECT e.payload -> 'upgradeTo' -> 'product' AS u) up
                 WHERE e.partner_id = :p AND e.action IN ('FULL_UPGRADE', 'PARTIAL_UPGRADE') AND u ->> 'id' IS NOT NULL
                 ORDER BY e.occurred_at""", p, rs -> {
            String id = rs.getString("id");
            if (latestProduct.containsKey(id)) return;
            upgradedTo.computeIfAbsent(id, k -> new java.util.TreeSet<>()).add(rs.getString("subscription_id"));
            upgradeProducts.put(id, new String[] {rs.getString("name"), rs.getString("plan"), rs.getString("provider"), rs.getString("mfg")});
        });
        upgradedTo.forEach((id, subscriptions) -> {
            Object[] m = productMaps.get(id);
            MappingStatus status = m != null ? MappingStatus.MAPPED
                    : productFailures.containsKey(id) ? MappingStatus.FAILED : MappingStatus.UNMAPPED;
            String[] product = upgradeProducts.get(id);
            productRows.add(new ProductRow(id, product[0], product[1], product[2], product[3], status, status == MappingStatus.FAILED ? productFailures.get(id) : null,
                    m == null ? null : (Long) m[0], m == null ? null : (Instant) m[1], null, subscriptions.size()));
        });
        customerRows.sort(Comparator.comparing(r -> r.name() == null ? r.customerId() : r.name()));
        productRows.sort(Comparator.comparing(r -> title(r.plan(), r.name()) == null ? r.productId() : title(r.plan(), r.name())));
        subscriptionRows.sort(Comparator.comparing((SubscriptionRow r) -> String.valueOf(r.customerName()))
                .thenComparing(SubscriptionRow::subscriptionId));
        return new Snapshot(customerRows, productRows, subscriptionRows, subs);
    }

    private static void latest(Map<String, Known> latest, String id, Known k) {
        latest.merge(id, k, (a, b) -> b.occurredAt().isAfter(a.occurredAt()) ? b : a);
    }

    private static String title(String plan, String name) {
        return plan == null || plan.isBlank() ? name : plan;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Instant orMin(Instant i) {
        return i == null ? Instant.MIN : i;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant nullIfMin(Instant i) {
        return i == null || i.equals(Instant.MIN) ? null : i;
    }

    private static <T> Map<MappingStatus, Long> counts(List<T> rows, Function<T, MappingStatus> status) {
        Map<MappingStatus, Long> counts = new EnumMap<>(MappingStatus.class);
        for (MappingStatus s : MappingStatus.values()) counts.put(s, 0L);
        rows.forEach(r -> counts.merge(status.apply(r), 1L, Long::sum));
        return counts;
    }

    private static <T> Page<T> page(List<T> rows, MappingStatus status, String q, int limit, int offset,
                                    Function<T, MappingStatus> statusOf, Function<T, String> text) {
        if (limit < 1 || limit > MAX_LIMIT) throw ApiProblems.badRequest("limit", "must be 1-" + MAX_LIMIT);
        if (offset < 0) throw ApiProblems.badRequest("offset", "must be 0 or more");
        String needle = q == null || q.isBlank() ? null : q.toLowerCase(Locale.ROOT).trim();
        List<T> matching = rows.stream()
                .filter(r -> status == null || statusOf.apply(r) == status)
                .filter(r -> needle == null || text.apply(r).toLowerCase(Locale.ROOT).contains(needle))
                .toList();
        List<T> items = matching.stream().skip(offset).limit(limit).toList();
        return new Page<>(items, matching.size(), limit, offset, counts(rows, statusOf));
    }
}
