package io.cwbridge.globalsync;

import io.cwbridge.syncrules.CompanyField;
import io.cwbridge.syncrules.PartnerSyncRules;
import io.cwbridge.syncrules.ProductField;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Owns table {@code mapping_sync_fields} (V18): per mapped customer or product, the fields the global
 * sync (R30) does not push for it (seed 000's checkboxes). The partner's rules are the upper bound: what
 * is pushed = the rules' company (product) fields minus what is switched off here, so a field the rules
 * leave off is never pushed and one they add later is pushed until switched off.
 */
@Repository
public class MappingSyncFields {

    static final String CUSTOMER = "CUSTOMER";
    static final String PRODUCT = "PRODUCT";

    private final NamedParameterJdbcTemplate jdbc;

    public MappingSyncFields(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Company fields pushed for a company its customers share: the rules' minus what any of them switched off. */
    public Set<CompanyField> companyFields(String partnerId, Collection<String> customerIds, PartnerSyncRules rules) {
        Set<CompanyField> fields = rules.companyFields().isEmpty() ? EnumSet.noneOf(CompanyField.class)
                : EnumSet.copyOf(rules.companyFields());
        off(partnerId, CUSTOMER, customerIds).forEach(name -> CompanyField.fromJson(name).ifPresent(fields::remove));
        return fields;
    }

    /** Catalog item fields pushed for the product: the rules' minus what it switched off. */
    public Set<ProductField> productFields(String partnerId, String productId, PartnerSyncRules rules) {
        Set<ProductField> fields = rules.productFields().isEmpty() ? EnumSet.noneOf(ProductField.class)
                : EnumSet.copyOf(rules.productFields());
        off(partnerId, PRODUCT, List.of(productId)).forEach(name -> ProductField.fromJson(name).ifPresent(fields::remove));
        return fields;
    }

    /** The fields (JSON names) switched off for one item. */
    List<String> off(String partnerId, String kind, String itemId) {
        return off(partnerId, kind, List.of(itemId));
    }

    private List<String> off(String partnerId, String kind, Collection<String> itemIds) {
        if (itemIds.isEmpty()) return List.of();
        return jdbc.query("SELECT fields_off FROM mapping_sync_fields WHERE partner_id = :p AND item_kind = :k AND item_id IN (:ids)",
                Map.of("p", partnerId, "k", kind, "ids", itemIds),
                (rs, n) -> Arrays.asList((String[]) rs.getArray(1).getArray())).stream().flatMap(List::stream).distinct().toList();
    }

    /** Replaces what is switched off for one item; none off removes its row (it follows the rules again). */
    void save(String partnerId, String kind, String itemId, List<String> fieldsOff, String by) {
        Map<String, Object> p = new HashMap<>(Map.of("p", partnerId, "k", kind, "i", itemId, "by", by));
        if (fieldsOff.isEmpty()) {
            jdbc.update("DELETE FROM mapping_sync_fields WHERE partner_id = :p AND item_kind = :k AND item_id = :i", p);
            return;
        }
        p.put("off", String.join(",", fieldsOff));
        jdbc.update("""
                INSERT INTO mapping_sync_fields (partner_id, item_kind, item_id, fields_off, updated_by, updated_at)
                VALUES (:p, :k, :i, string_to_array(:off, ','), :by, now())
                ON CONFLICT (partner_id, item_kind, item_id) DO UPDATE
                SET fields_off = EXCLUDED.fields_off, updated_by = EXCLUDED.updated_by, updated_at = now()""", p);
    }
}
