package io.cwbridge.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.BundleTestBase;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * View {@code latest_subscription_event} (V23, issue 18): the one definition of a subscription's
 * latest event, and a plan that reads only the subscription asked for.
 */
class LatestSubscriptionEventTest extends BundleTestBase {

    @Autowired JdbcTemplate jdbc;

    private void event(String id, String partner, String subscription, String occurredAt, String receivedAt) {
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source, received_at)
                VALUES (?, ?, ?, 'SALES_ORDER', 'CHANGE', CAST(? AS timestamptz), '{}'::jsonb, 'TEST', CAST(? AS timestamptz))""",
                id, partner, subscription, occurredAt, receivedAt);
    }

    @Test
    void latestByDateOfChangeThenByReceipt() {
        String p = "latest-" + UUID.randomUUID().toString().substring(0, 8);
        event(p + "-a", p, "s1", "2024-03-01T10:00:00Z", "2024-03-01T13:00:00Z"); // received last, changed first
        event(p + "-b", p, "s1", "2024-03-01T12:00:00Z", "2024-03-01T12:00:01Z");
        event(p + "-c", p, "s1", "2024-03-01T12:00:00Z", "2024-03-01T12:00:02Z"); // same change moment, received later
        event(p + "-d", p, "s2", "2024-02-01T00:00:00Z", "2024-02-01T00:00:00Z");

        List<Map<String, Object>> latest = jdbc.queryForList(
                "SELECT subscription_id, event_id FROM latest_subscription_event WHERE partner_id = ? ORDER BY subscription_id", p);

        assertThat(latest).containsExactly(Map.of("subscription_id", "s1", "event_id", p + "-c"),
                Map.of("subscription_id", "s2", "event_id", p + "-d"));
    }

    @Test
    void oneSubscriptionIsReadThroughTheIndex() {
        // Seq scans off so the planner shows whether the filter reaches the table below the DISTINCT ON.
        List<String> plan = jdbc.execute((ConnectionCallback<List<String>>) connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET enable_seqscan = off");
                List<String> lines = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery(
                        "EXPLAIN SELECT * FROM latest_subscription_event WHERE partner_id = 'p' AND subscription_id = 's'")) {
                    while (rs.next()) lines.add(rs.getString(1));
                } finally {
                    statement.execute("RESET enable_seqscan");
                }
                return lines;
            }
        });

        assertThat(String.join("\n", plan)).contains("subscription_event_latest").contains("partner_id")
                .contains("subscription_id");
    }
}
