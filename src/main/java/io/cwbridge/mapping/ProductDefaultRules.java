package io.cwbridge.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.partner.PartnerIds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/** A partner's product default rules (R3) in table product_default_rule. */
@Service
public class ProductDefaultRules {

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final KnownSubscriptions known;

    ProductDefaultRules(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper, KnownSubscriptions known) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.known = known;
    }

    /** Custom rules in priority order, then the default rule (stored or built-in). */
    public List<ProductDefaultRule> all(String partnerId) {
        PartnerIds.check(partnerId);
        List<ProductDefaultRule> rules = new ArrayList<>(jdbc.query("""
                SELECT * FROM product_default_rule WHERE partner_id = :p ORDER BY default_rule, priority, rule_id
                """, Map.of("p", partnerId), rowMapper()));
        if (rules.stream().noneMatch(ProductDefaultRule::defaultRule)) rules.add(ProductDefaultRule.BUILT_IN);
        return rules;
    }

    /** R3: the rule that decides the attributes of a new catalog item for this product. */
    public ProductDefaultRule choose(String partnerId, Map<String, String> product) {
        return ProductDefaultRule.choose(all(partnerId), product);
    }

    public ProductDefaultRule create(String partnerId, ProductDefaultRuleRequest r) {
        PartnerIds.check(partnerId);
        return jdbc.queryForObject("""
                INSERT INTO product_default_rule (partner_id, name, priority, default_rule, conditions, category, subcategory, item_type, product_class)
                VALUES (:p, :name, :priority, false, :conditions::jsonb, :category, :subcategory, :type, :productClass)
                RETURNING *
                """, params(partnerId, r), rowMapper());
    }

    public ProductDefaultRule update(String partnerId, long ruleId, ProductDefaultRuleRequest r) {
        PartnerIds.check(partnerId);
        Map<String, Object> params = params(partnerId, r);
        params.put("id", ruleId);
        return jdbc.query("""
                UPDATE product_default_rule SET name = :name, priority = :priority, conditions = :conditions::jsonb,
                    category = :category, subcategory = :subcategory, item_type = :type, product_class = :productClass,
                    updated_at = now()
                WHERE partner_id = :p AND rule_id = :id AND NOT default_rule RETURNING *
                """, params, rowMapper()).stream().findFirst()
                .orElseThrow(() -> ApiProblems.notFound("Partner " + partnerId + " has no product default rule " + ruleId + "."));
    }

    /** Replaces the default rule (its conditions are ignored: it applies when no custom rule matches). */
    public ProductDefaultRule updateDefault(String partnerId, ProductDefaultRuleRequest r) {
        PartnerIds.check(partnerId);
        Map<String, Object> params = params(partnerId, r);
        params.put("conditions", "[]");
        jdbc.update("DELETE FROM product_default_rule WHERE partner_id = :p AND default_rule", params);
        return jdbc.queryForObject("""
                INSERT INTO product_default_rule (partner_id, name, priority, default_rule, conditions, category, subcategory, item_type, product_class)
                VALUES (:p, :name, 2147483647, true, :conditions::jsonb, :category, :subcategory, :type, :productClass)
                RETURNING *
                """, params, rowMapper());
    }

    public void delete(String partnerId, long ruleId) {
        PartnerIds.check(partnerId);
        if (jdbc.update("DELETE FROM product_default_rule WHERE partner_id = :p AND rule_id = :id AND NOT default_rule",
                Map.of("p", partnerId, "id", ruleId)) == 0) {
            throw ApiProblems.notFound("Partner " + partnerId + " has no product default rule " + ruleId + ".");
        }
    }

    /** The known products this rule decides (it is their first match, or the default with no match); ruleId null = default. */
    public List<String> productsOf(String partnerId, Long ruleId) {
        List<ProductDefaultRule> rules = all(partnerId);
        Optional<ProductDefaultRule> rule = rules.stream()
                .filter(r -> ruleId == null ? r.defaultRule() : ruleId.equals(r.ruleId())).findFirst();
        if (rule.isEmpty()) throw ApiProblems.notFound("Partner " + partnerId + " has no product default rule " + ruleId + ".");
        Map<String, Map<String, String>> products = new java.util.TreeMap<>();
        known.all(partnerId).forEach(k -> {
            if (k.productId() != null) products.putIfAbsent(k.productId(), k.productFields());
        });
        return products.entrySet().stream()
                .filter(e -> ProductDefaultRule.choose(rules, e.getValue()) == rule.get())
                .map(Map.Entry::getKey).toList();
    }

    private Map<String, Object> params(String partnerId, ProductDefaultRuleRequest r) {
        Map<String, Object> params = new HashMap<>();
        params.put("p", partnerId);
        params.put("name", r.name());
        params.put("priority", r.priority() == null ? 100 : r.priority());
        try {
            params.put("conditions", mapper.writeValueAsString(r.conditions() == null ? List.of() : r.conditions()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        params.put("category", r.category());
        params.put("subcategory", r.subcategory());
        params.put("type", r.type());
        params.put("productClass", r.productClass());
        return params;
    }

    private RowMapper<ProductDefaultRule> rowMapper() {
        return (rs, n) -> {
            try {
                return new ProductDefaultRule(rs.getLong("rule_id"), rs.getString("name"), rs.getInt("priority"),
                        rs.getBoolean("default_rule"), mapper.readValue(rs.getString("conditions"),
                        new TypeReference<List<ProductDefaultRule.Condition>>() { }),
                        rs.getString("category"), rs.getString("subcategory"), rs.getString("item_type"),
                        rs.getString("product_class"));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("product_default_rule.conditions is not JSON", e);
            }
        };
    }
}
