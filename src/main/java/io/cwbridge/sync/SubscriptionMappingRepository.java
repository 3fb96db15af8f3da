package io.cwbridge.sync;

import java.sql.Date;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The one writer of table {@code subscription_mapping} (a subscription's agreement, SPEC 3): the
 * mapping API ({@code mapping/MappingRepository}) and the sync's R4 default ({@link MappingResolver})
 * both write through it. In {@code sync} because the sync writes it too and mapping depends on sync,
 * never the reverse.
 */
@Repository
public class SubscriptionMappingRepository {

    /** A saved mapping as the database holds it. */
    public record Saved(long agreementId, LocalDate fromDate, Instant mappedAt) {}

    private final NamedParameterJdbcTemplate jdbc;

    public SubscriptionMappingRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Maps the subscription to the agreement from {@code fromDate} (null: none), replacing its mapping; stamps mapped_at. */
    public Saved save(String partnerId, String subscriptionId, long agreementId, LocalDate fromDate) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("partnerId", partnerId)
                .addValue("subscriptionId", subscriptionId)
                .addValue("agreementId", agreementId)
                .addValue("fromDate", fromDate == null ? null : Date.valueOf(fromDate), Types.DATE);
        return jdbc.queryForObject("""
                INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id, from_date)
                VALUES (:partnerId, :subscriptionId, :agreementId, :fromDate)
                ON CONFLICT (partner_id, subscription_id) DO UPDATE
                    SET agreement_id = EXCLUDED.agreement_id, from_date = EXCLUDED.from_date, mapped_at = now()
                RETURNING agreement_id, from_date, mapped_at
                """, params,
                (rs, n) -> new Saved(rs.getLong("agreement_id"),
                        rs.getObject("from_date") == null ? null : rs.getDate("from_date").toLocalDate(),
                        rs.getTimestamp("mapped_at").toInstant()));
    }

    /** R4: maps the subscription to the agreement unless it is mapped already (a default never replaces a choice). */
    public void mapIfUnmapped(String partnerId, String subscriptionId, long agreementId) {
        jdbc.update("INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id) VALUES (:p, :s, :a) ON CONFLICT DO NOTHING",
                Map.of("p", partnerId, "s", subscriptionId, "a", agreementId));
    }

    /** Removes the subscription's mapping; true when there was one. */
    public boolean delete(String partnerId, String subscriptionId) {
        return jdbc.update("DELETE FROM subscription_mapping WHERE partner_id = :partnerId AND subscription_id = :subscriptionId",
                Map.of("partnerId", partnerId, "subscriptionId", subscriptionId)) > 0;
    }
}
