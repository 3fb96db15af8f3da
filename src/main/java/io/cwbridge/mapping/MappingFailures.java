package io.cwbridge.mapping;

import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** The last failed attempt to map an item (table mapping_failure); it shows as FAILED with the reason until mapped. */
@Component
class MappingFailures {

    private final NamedParameterJdbcTemplate jdbc;

    MappingFailures(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void record(String partnerId, String kind, String itemId, String reason) {
        jdbc.update("""
                INSERT INTO mapping_failure (partner_id, kind, item_id, reason) VALUES (:p, :k, :i, :r)
                ON CONFLICT (partner_id, kind, item_id) DO UPDATE SET reason = EXCLUDED.reason, failed_at = now()
                """, Map.of("p", partnerId, "k", kind, "i", itemId, "r", reason == null ? "failed" : reason));
    }

    void clear(String partnerId, String kind, String itemId) {
        jdbc.update("DELETE FROM mapping_failure WHERE partner_id = :p AND kind = :k AND item_id = :i",
                Map.of("p", partnerId, "k", kind, "i", itemId));
    }

    /** item id → reason, for one kind. */
    Map<String, String> all(String partnerId, String kind) {
        Map<String, String> reasons = new HashMap<>();
        jdbc.query("SELECT item_id, reason FROM mapping_failure WHERE partner_id = :p AND kind = :k",
                Map.of("p", partnerId, "k", kind), rs -> {
                    reasons.put(rs.getString("item_id"), rs.getString("reason"));
                });
        return reasons;
    }
}
