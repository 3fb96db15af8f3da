package io.cwbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.notifications.DigestKind;
import io.cwbridge.notifications.DigestMail;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SettableClock;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import io.cwbridge.testsupport.TestSmtp;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Route slices of routes/notification-digests.yaml (R33) on the shared context: a {@link MockEndpoint}
 * woven at the end of notification-digests and of notification-digest-send (AdviceWith by route id; the
 * mocks only record, so every other test of the context runs the same routes). Asserts each branch: the
 * split over the digests due today (one send per digest), the send's doTry (mailed through the shared
 * SMTP server and recorded SENT) and its doCatch (a recipient the mail library refuses: recorded FAILED,
 * and the run goes on). The partners' digests are their tasks waiting for a mapping (Service Mapping).
 */
class NotificationDigestsRouteSliceTest extends BundleTestBase {

    private static final String RUN = "mock:notification-digests";
    private static final String SEND = "mock:notification-digest-send";

    @LocalServerPort int port;
    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;
    @Autowired JdbcTemplate jdbc;
    @Autowired SettableClock clock;

    @BeforeEach
    void watchTheBranches() throws Exception {
        if (camel.hasEndpoint(RUN) == null) {
            AdviceWith.adviceWith(camel, "notification-digests", a -> a.weaveAddLast().to(RUN));
            AdviceWith.adviceWith(camel, "notification-digest-send", a -> a.weaveAddLast().to(SEND));
        }
        // a day of its own: no other test's digests are claimed for it
        clock.setInstant("2026-05-05T06:00:00Z");
    }

    @Test
    void theRunSplitsOverTodaysDigestsMailsEachAndRecordsAFailedSendWithoutStoppingTheRun() {
        Tenant mailed = waitingForAMapping("digm");
        Tenant refused = waitingForAMapping("digf");
        String recipient = "billing@" + mailed.partner() + ".example";
        Tenant.ok200(mailed.bundle().put().uri("/api/v1/partners/{p}/notifications", mailed.partner())
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("enabled", true, "recipients", List.of(recipient),
                        "serviceMappingDigest", true, "billingReconciliationDigest", false))
                .retrieve().toEntity(String.class));
        // a recipient the mail library refuses, stored behind the API's back (the API would refuse it)
        jdbc.update("INSERT INTO notification_settings (partner_id, enabled, recipients, reconciliation_digest) "
                + "VALUES (?, TRUE, CAST(? AS jsonb), FALSE)", refused.partner(), "[\"not an address@@\"]");
        int runsBefore = received(RUN).size();

        Exchange run = producer.send("direct:notification-digests", e -> e.getIn().setBody(null));

        assertThat(run.getException()).isNull();
        assertThat(received(RUN)).hasSize(runsBefore + 1);
        // split: one send per digest due, each reaching the end of the send route
        assertThat(sends(mailed)).extracting(e -> digest(e).kind()).containsExactly(DigestKind.SERVICE_MAPPING);
        assertThat(sends(refused)).extracting(e -> digest(e).kind()).containsExactly(DigestKind.SERVICE_MAPPING);

        // doTry: mailed and recorded SENT
        Exchange sent = sends(mailed).get(0);
        assertThat(sent.getProperty(Exchange.EXCEPTION_CAUGHT)).isNull();
        assertThat(digest(sent).recipients()).containsExactly(recipient);
        assertThat(mails(mailed)).extracting(NotificationDigestsRouteSliceTest::subject)
                .containsExactly(DigestKind.SERVICE_MAPPING.subject());
        assertThat(status(mailed)).isEqualTo("SENT");

        // doCatch: the failure is caught, recorded FAILED with its reason, and the exchange ends without it
        Exchange failed = sends(refused).get(0);
        assertThat(failed.getException()).isNull();
        assertThat(failed.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)).isNotNull();
        assertThat(status(refused)).isEqualTo("FAILED");
        assertThat(jdbc.queryForObject("SELECT reason FROM notification_digest WHERE partner_id = ?", String.class, refused.partner()))
                .isNotBlank().doesNotContain(TestSmtp.PASSWORD);
    }

    /** A connected partner, nothing mapped, with one task NEEDS_MAPPING. */
    private Tenant waitingForAMapping(String prefix) {
        Tenant tenant = Tenant.connected(prefix, port);
        long task = tenant.submit(TestEvents.event(tenant.partner(), "sale-" + tenant.partner(), "sub-1", "SALES_ORDER", "NEW",
                "2026-05-04T09:00:00Z", 5, null));
        tenant.awaitTask(task, "NEEDS_MAPPING");
        return tenant;
    }

    private List<Exchange> received(String mock) {
        return camel.getEndpoint(mock, MockEndpoint.class).getReceivedExchanges();
    }

    /** The sends of the partner's digests that reached the end of notification-digest-send. */
    private List<Exchange> sends(Tenant tenant) {
        return received(SEND).stream().filter(e -> tenant.partner().equals(digest(e).partnerId())).toList();
    }

    private static DigestMail digest(Exchange exchange) {
        return exchange.getProperty("digest", DigestMail.class);
    }

    private String status(Tenant tenant) {
        return jdbc.queryForObject("SELECT status FROM notification_digest WHERE partner_id = ?", String.class, tenant.partner());
    }

    private static List<MimeMessage> mails(Tenant tenant) {
        return List.of(TestSmtp.server().getReceivedMessagesForDomain(tenant.partner() + ".example"));
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
