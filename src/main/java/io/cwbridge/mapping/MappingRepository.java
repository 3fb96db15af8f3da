package io.cwbridge.mapping;

import io.cwbridge.sync.SubscriptionMappingRepository;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The partner's mappings (SPEC 3) in tables customer_mapping, product_mapping and
 * subscription_mapping. A save replaces the item's mapping and stamps mapped_at. subscription_mapping
 * is written by its one owner, {@link SubscriptionMappingRepository} (the sync writes it too).
 */
@Repository
public class MappingRepository {

    private final NamedParameterJdbcTemplate jdbc;
    private final SubscriptionMappingRepository subscriptionMappings;

    public MappingRepository(NamedParameterJdbcTemplate jdbc, SubscriptionMappingRepository subscriptionMappings) {
        this.jdbc = jdbc;
        this.subscriptionMappings = subscriptionMappings;
    }

    public Optional<CustomerMapping> customer(String partnerId, String customerId) {
        return jdbc.query("""
                SELECT company_id, mapped_at FROM customer_mapping WHERE partner_id = :partnerId AND customer_id = :customerId
                """, Map.of("partnerId", partnerId, "customerId", customerId),
                (rs, n) -> new CustomerMapping(partnerId, customerId, rs.getLong("company_id"),
                        rs.getTimestamp("mapped_at").toInstant(), null, null)).stream().findFirst();
    }

    CustomerMapping saveCustomer(String partnerId, String customerId, long companyId) {
        return jdbc.queryForObject("""
                INSERT INTO customer_mapping (partner_id, customer_id, company_id) VALUES (:partnerId, :customerId, :companyId)
                ON CONFLICT (partner_id, customer_id) DO UPDATE SET company_id = EXCLUDED.company_id, mapped_at = now()
                RETURNING company_id, mapped_at
                """, Map.of("partnerId", partnerId, "customerId", customerId, "companyId", companyId),
                (rs, n) -> new CustomerMapping(partnerId, customerId, rs.getLong("company_id"),
                        rs.getTimestamp("mapped_at").toInstant(), null, null));
    }

    boolean deleteCustomer(String partnerId, String customerId) {
        return jdbc.update("DELETE FROM customer_mapping WHERE partner_id = :partnerId AND customer_id = :customerId",
                Map.of("partnerId", partnerId, "customerId", customerId)) > 0;
    }

    public Optional<ProductMapping> product(String partnerId, String productId) {
        return jdbc.query("""
                SELECT catalog_item_id, mapped_at FROM product_mapping WHERE partner_id = :partnerId AND product_id = :productId
                """, Map.of("partnerId", partnerId, "productId", productId),
                (rs, n) -> new ProductMapping(partnerId, productId, rs.getLong("catalog_item_id"),
                        rs.getTimestamp("mapped_at").toInstant(), null, null)).stream().findFirst();
    }

    ProductMapping saveProduct(String partnerId, String productId, long catalogItemId) {
        return jdbc.queryForObject("""
                INSERT INTO product_mapping (partner_id, product_id, catalog_item_id) VALUES (:partnerId, :productId, :catalogItemId)
                ON CONFLICT (partner_id, product_id) DO UPDATE SET catalog_item_id = EXCLUDED.catalog_item_id, mapped_at = now()
                RETURNING catalog_item_id, mapped_at
                """, Map.of("partnerId", partnerId, "productId", productId, "catalogItemId", catalogItemId),
                (rs, n) -> new ProductMapping(partnerId, productId, rs.getLong("catalog_item_id"),
                        rs.getTimestamp("mapped_at").toInstant(), null, null));
    }

    boolean deleteProduct(String partnerId, String productId) {
        return jdbc.update("DELETE FROM product_mapping WHERE partner_id = :partnerId AND product_id = :productId",
                Map.of("partnerId", partnerId, "productId", productId)) > 0;
    }

    public Optional<SubscriptionMapping> subscription(String partnerId, String subscriptionId) {
        return jdbc.query("""
                SELECT agreement_id, from_date, mapped_at FROM subscription_mapping
                WHERE partner_id = :partnerId AND subscription_id = :subscriptionId
                """, Map.of("partnerId", partnerId, "subscriptionId", subscriptionId),
                (rs, n) -> new SubscriptionMapping(partnerId, subscriptionId, rs.getLong("agreement_id"),
                        rs.getObject("from_date") == null ? null : rs.getDate("from_date").toLocalDate(),
                        rs.getTimestamp("mapped_at").toInstant(), null)).stream().findFirst();
    }

    SubscriptionMapping saveSubscription(String partnerId, String subscriptionId, long agreementId, LocalDate fromDate) {
        SubscriptionMappingRepository.Saved saved = subscriptionMappings.save(partnerId, subscriptionId, agreementId, fromDate);
        return new SubscriptionMapping(partnerId, subscriptionId, saved.agreementId(), saved.fromDate(), saved.mappedAt(), null);
    }

    boolean deleteSubscription(String partnerId, String subscriptionId) {
        return subscriptionMappings.delete(partnerId, subscriptionId);
    }
}
