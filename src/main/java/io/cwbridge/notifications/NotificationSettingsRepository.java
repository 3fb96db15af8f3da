package io.cwbridge.notifications;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** Notification preferences per partner in table {@code notification_settings} (R33). */
@Repository
public class NotificationSettingsRepository {

    private static final TypeReference<List<String>> ADDRESSES = new TypeReference<>() {};

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public NotificationSettingsRepository(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** The partner's preferences; the defaults (off) when none are stored. */
    public NotificationSettings find(String partnerId) {
        List<NotificationSettings> stored = jdbc.query("""
                SELECT enabled, recipients::text AS recipients, service_mapping_digest, reconciliation_digest,
                       account_name, errors_and_action, all_tasks
                FROM notification_settings WHERE partner_id = :p""", Map.of("p", partnerId),
                (rs, i) -> row(rs, rs.getBoolean("enabled")));
        return stored.isEmpty() ? NotificationSettings.defaults() : stored.get(0);
    }

    /** Partners with notifications on, with their preferences (the digest run's list). */
    public Map<String, NotificationSettings> enabled() {
        Map<String, NotificationSettings> partners = new java.util.TreeMap<>();
        jdbc.query("""
                SELECT s.partner_id, s.recipients::text AS recipients, s.service_mapping_digest, s.reconciliation_digest,
                       s.account_name, s.errors_and_action, s.all_tasks
                FROM notification_settings s JOIN partner_connection p ON p.partner_id = s.partner_id
                WHERE s.enabled""", Map.of(), rs -> {
            partners.put(rs.getString("partner_id"), row(rs, true));
        });
        return partners;
    }

    private NotificationSettings row(java.sql.ResultSet rs, boolean enabled) throws java.sql.SQLException {
        return new NotificationSettings(enabled, read(rs.getString("recipients")), rs.getBoolean("service_mapping_digest"),
                rs.getBoolean("reconciliation_digest"), rs.getString("account_name"), rs.getBoolean("errors_and_action"),
                rs.getBoolean("all_tasks"));
    }

    public void save(String partnerId, NotificationSettings settings) {
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("p", partnerId);
        values.put("enabled", settings.enabled());
        values.put("recipients", write(settings.recipients()));
        values.put("serviceMapping", settings.serviceMappingDigest());
        values.put("reconciliation", settings.billingReconciliationDigest());
        values.put("accountName", settings.accountName());
        values.put("errorsAndAction", settings.notifyErrorsAndActionNeeded());
        values.put("allTasks", settings.notifyAllTasks());
        jdbc.update("""
                INSERT INTO notification_settings (partner_id, enabled, recipients, service_mapping_digest, reconciliation_digest,
                                                   account_name, errors_and_action, all_tasks)
                VALUES (:p, :enabled, CAST(:recipients AS jsonb), :serviceMapping, :reconciliation, :accountName, :errorsAndAction,
                        :allTasks)
                ON CONFLICT (partner_id) DO UPDATE SET enabled = EXCLUDED.enabled, recipients = EXCLUDED.recipients,
                    service_mapping_digest = EXCLUDED.service_mapping_digest,
                    reconciliation_digest = EXCLUDED.reconciliation_digest, account_name = EXCLUDED.account_name,
                    errors_and_action = EXCLUDED.errors_and_action, all_tasks = EXCLUDED.all_tasks, updated_at = now()""",
                values);
    }

    private List<String> read(String json) {
        try {
            return mapper.readValue(json, ADDRESSES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored recipients are not a JSON list", e);
        }
    }

    String write(List<String> addresses) {
        try {
            return mapper.writeValueAsString(addresses);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("recipients cannot be written as JSON", e);
        }
    }
}
