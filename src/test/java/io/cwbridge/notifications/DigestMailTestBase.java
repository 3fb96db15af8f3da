package io.cwbridge.notifications;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SettableClock;
import io.cwbridge.testsupport.TestSmtp;
import jakarta.mail.internet.MimeMessage;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The digest tests' set-up, in the shared context (BundleTestBase): a real SMTP server (GreenMail, free port, a login user),
 * the bundle over real HTTP on a free port (the approve links of R35 are followed with an HTTP client,
 * the sandbox is reached over HTTP), the clock at {@link #NOW} before each test (a test may move it)
 * and the cron moved far away so only the tests run the digests.
 */
abstract class DigestMailTestBase extends BundleTestBase {

    static final Instant NOW = Instant.parse("2026-03-10T06:00:00Z");
    /** The shared SMTP server every test context sends to (BundleTestBase sets the mail host and port). */
    static final GreenMail SMTP = TestSmtp.server();

    @Autowired PartnerConnectionRepository connections;
    @Autowired NotificationSettingsRepository settings;
    @Autowired JdbcTemplate jdbc;
    @Autowired ProducerTemplate producer;
    @Autowired SettableClock clock;

    @BeforeEach
    void clockAtNow() {
        clock.setInstant(NOW.toString());
    }

    final ObjectMapper mapper = new ObjectMapper();

    /** A partner with a ConnectWise connection; {@link #domain} gives it its own mail domain. */
    String partner(String prefix) {
        String partner = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        connections.save(partner, new ConnectWiseConnection("http://localhost:1/cw-sandbox", "v4_6_release", "demo_msp",
                "pub", "priv", "client-1"));
        return partner;
    }

    static String domain(String partner) {
        return partner + ".example";
    }

    void notifications(String partner, boolean enabled, boolean serviceMapping, boolean reconciliation, String... recipients) {
        settings.save(partner, new NotificationSettings(enabled, List.of(recipients), serviceMapping, reconciliation));
    }

    /** An accepted event of the subscription and its task, as the pipeline leaves them. */
    void task(String partner, String subscriptionId, String customer, String plan, String occurredAt, String status, String reason)
            throws Exception {
        String eventId = UUID.randomUUID().toString();
        ObjectNode event = mapper.createObjectNode().put("eventId", eventId).put("partnerId", partner)
                .put("type", "CHANGE_ORDER").put("action", "QUANTITY_CHANGE").put("occurredAt", occurredAt);
        ObjectNode subscription = event.putObject("subscription").put("id", subscriptionId);
        subscription.putObject("customer").put("id", "cust-" + subscriptionId).put("name", customer);
        subscription.putObject("product").put("id", "prod-1").put("name", "Product of " + plan).put("plan", plan);
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (?, ?, ?, 'CHANGE_ORDER', 'QUANTITY_CHANGE', ?, CAST(? AS jsonb), 'API')""",
                eventId, partner, subscriptionId, Timestamp.from(Instant.parse(occurredAt)), event.toString());
        jdbc.update("""
                INSERT INTO sync_task (event_id, partner_id, subscription_id, type, action, occurred_at, status, reason)
                VALUES (?, ?, ?, 'CHANGE_ORDER', 'QUANTITY_CHANGE', ?, ?, ?)""",
                eventId, partner, subscriptionId, Timestamp.from(Instant.parse(occurredAt)), status, reason);
        if ("SYNCED".equals(status)) {
            // a synced subscription has its agreement mapped, as the sync leaves it
            jdbc.update("INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id) VALUES (?, ?, 1) "
                    + "ON CONFLICT DO NOTHING", partner, subscriptionId);
        }
    }

    /** A reconciliation status change, as the reconciliation (R32) records it. */
    void statusChange(String partner, String subscriptionId, String periodStart, String status, String changedAt) {
        jdbc.update("""
                INSERT INTO reconciliation_status_change (partner_id, subscription_id, period_start, status, changed_at)
                VALUES (?, ?, CAST(? AS date), ?, ?)""",
                partner, subscriptionId, periodStart, status, Timestamp.from(Instant.parse(changedAt)));
    }

    void runDigests() {
        producer.requestBody("direct:notification-digests", (Object) null);
    }

    /** The messages in {@code address}'s inbox (GreenMail keeps one copy per recipient). */
    static List<MimeMessage> inbox(String address) {
        try {
            var user = SMTP.getUserManager().getUserByEmail(address);
            if (user == null) {
                return List.of();
            }
            return SMTP.getManagers().getImapHostManager().getInbox(user).getMessages().stream()
                    .map(m -> m.getMimeMessage()).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
