package io.cwbridge.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.catchup.CatchUpRepository;
import io.cwbridge.rules.CatchUp;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * R33 end to end through route notification-digests and a real SMTP server: the clock says
 * 2026-03-10T06:00Z, so the reconciliation digest covers 2026-03-09 (UTC).
 */
class NotificationDigestsMailTest extends DigestMailTestBase {

    @org.springframework.beans.factory.annotation.Autowired CatchUpRepository catchUps;

    private static String body(MimeMessage message) throws Exception {
        assertThat(message.getContentType()).startsWith("text/html");
        return (String) message.getContent();
    }

    private static MimeMessage only(List<MimeMessage> messages, DigestKind kind) {
        List<MimeMessage> matching = messages.stream().filter(m -> kind.subject().equals(subject(m))).toList();
        assertThat(matching).as(kind.subject()).hasSize(1);
        return matching.get(0);
    }

    @Test
    void bothDigestsReachEveryRecipientWithTheirRowsAndAreSentOncePerDay() throws Exception {
        String partner = partner("digest");
        String billing = "billing@" + domain(partner);
        String ops = "ops@" + domain(partner);
        notifications(partner, true, true, true, billing, ops);
        // Services: waiting for a mapping (latest event names the customer), failed after a sync, failed and
        // then a later task synced (R31: the failed change is still missing, so it stays listed), failed and
        // dismissed, not tried yet, in step.
        task(partner, "sub-unmapped", "Old Name", "E3", "2026-03-01T10:00:00Z", "SYNCED", null);
        task(partner, "sub-unmapped", "<script>alert('x')</script> & Sons", "Microsoft 365 E3", "2026-03-05T10:00:00Z",
                "NEEDS_MAPPING", "customer cust-sub-unmapped is not mapped");
        task(partner, "sub-failed", "Chairs Unlimited", "Visio Plan 2", "2026-03-02T10:00:00Z", "SYNCED", null);
        task(partner, "sub-failed", "Chairs Unlimited", "Visio Plan 2", "2026-03-03T10:00:00Z", "FAILED", "ConnectWise: 400 bad quantity");
        task(partner, "sub-recovered", "Dunco Fruit Supply", "E1", "2026-03-02T10:00:00Z", "FAILED", "ConnectWise: 400");
        task(partner, "sub-recovered", "Dunco Fruit Supply", "E1", "2026-03-04T10:00:00Z", "SYNCED", null);
        task(partner, "sub-dismissed", "Dunco Fruit Supply", "E3", "2026-03-02T10:00:00Z", "DISMISSED", "applied by hand");
        task(partner, "sub-dismissed", "Dunco Fruit Supply", "E3", "2026-03-04T10:00:00Z", "SYNCED", null);
        task(partner, "sub-pending", "Sofas R Us", "E5", "2026-03-09T10:00:00Z", "PENDING", null);
        task(partner, "sub-synced", "ACME INC", "E5", "2026-03-09T10:00:00Z", "SYNCED", null);
        // Reconciliation changes around 2026-03-09: only that day's count, the last status of the day wins.
        statusChange(partner, "sub-r1", "2026-02-01", "SYNCED", "2026-03-09T00:00:00Z");
        statusChange(partner, "sub-r2", "2026-02-01", "PENDING", "2026-03-09T10:00:00Z");
        statusChange(partner, "sub-r2", "2026-02-01", "DISCREPANCY", "2026-03-09T23:59:59Z");
        statusChange(partner, "sub-before", "2026-02-01", "SYNCED", "2026-03-08T23:59:59Z");
        statusChange(partner, "sub-today", "2026-02-01", "SYNCED", "2026-03-10T00:00:00Z");

        runDigests();

        for (String recipient : List.of(billing, ops)) {
            List<MimeMessage> inbox = inbox(recipient);
            assertThat(inbox).hasSize(2);
            for (MimeMessage message : inbox) {
                assertThat(Arrays.stream(message.getRecipients(Message.RecipientType.TO)).map(Object::toString))
                        .containsExactlyInAnyOrder(billing, ops);
                assertThat(message.getFrom()[0].toString()).isEqualTo("cwbridge@bundle.example");
            }
            String services = body(only(inbox, DigestKind.SERVICE_MAPPING));
            assertThat(services)
                    .contains("<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Sons</td><td>Microsoft 365 E3</td>"
                            + "<td>sub-unmapped</td><td>Unmapped</td><td>customer cust-sub-unmapped is not mapped</td>")
                    .contains("<td>Chairs Unlimited</td><td>Visio Plan 2</td><td>sub-failed</td><td>Failed</td>"
                            + "<td>ConnectWise: 400 bad quantity</td>")
                    .contains("<td>Dunco Fruit Supply</td><td>E1</td><td>sub-recovered</td><td>Failed</td><td>ConnectWise: 400</td>")
                    .doesNotContain("<script>").doesNotContain("Old Name")
                    .doesNotContain("sub-dismissed").doesNotContain("sub-pending").doesNotContain("sub-synced");
            String reconciliation = body(only(inbox, DigestKind.BILLING_RECONCILIATION));
            assertThat(reconciliation)
                    .contains("<td>sub-r1</td><td>2026-02</td><td>SYNCED</td>")
                    .contains("<td>sub-r2</td><td>2026-02</td><td>DISCREPANCY</td>")
                    .doesNotContain(">PENDING<").doesNotContain("sub-before").doesNotContain("sub-today")
                    .contains("changed on 2026-03-09 (UTC)");
        }
        assertThat(jdbc.queryForList("SELECT digest, digest_day::text AS day, status, row_count FROM notification_digest "
                + "WHERE partner_id = ? ORDER BY digest", partner)).containsExactly(
                Map.of("digest", "BILLING_RECONCILIATION", "day", "2026-03-10", "status", "SENT", "row_count", 2),
                Map.of("digest", "SERVICE_MAPPING", "day", "2026-03-10", "status", "SENT", "row_count", 3));

        // The trigger fires again the same day (or on a second instance), with news since: nothing new is sent.
        task(partner, "sub-new-failure", "ACME INC", "E5", "2026-03-10T05:00:00Z", "FAILED", "ConnectWise: 400");
        statusChange(partner, "sub-r3", "2026-02-01", "SYNCED", "2026-03-09T12:00:00Z");
        runDigests();
        runDigests();

        assertThat(inbox(billing)).hasSize(2);
        assertThat(inbox(ops)).hasSize(2);
    }

    @Test
    void catchUpsOfInvoicedPeriodsLeftForReviewAreActionNeeded() throws Exception {
        String partner = partner("catchup");
        String recipient = "billing@" + domain(partner);
        notifications(partner, true, true, false, recipient);
        // Every service is in step; one task left a credit for review (R27 REVIEW), another one's was posted.
        task(partner, "sub-late", "ACME INC", "E5", "2026-03-09T10:00:00Z", "SYNCED", null);
        task(partner, "sub-posted", "ACME INC", "E3", "2026-03-09T11:00:00Z", "SYNCED", null);
        CatchUpRepository.Owner owner = new CatchUpRepository.Owner(partner, "sub-late", 7, "USD", LocalDate.parse("2026-03-01"));
        catchUps.recordForTask(taskOf(partner, "sub-late"), owner, List.of(credit("sub-late", "-42.58")));
        catchUps.recordForTask(taskOf(partner, "sub-posted"), new CatchUpRepository.Owner(partner, "sub-posted", 7, "USD",
                LocalDate.parse("2026-03-01")), List.of(credit("sub-posted", "-11.11")));
        long posted = jdbc.queryForObject("SELECT catch_up_id FROM invoiced_catch_up WHERE partner_id = ? AND subscription_id = 'sub-posted'",
                Long.class, partner);
        catchUps.posted(posted, 99);

        runDigests();

        String services = body(only(inbox(recipient), DigestKind.SERVICE_MAPPING));
        assertThat(services).contains("Invoiced catch-ups to review (1)")
                .contains("<td>sub-late</td><td>7</td><td>2026-02-01 to 2026-02-28</td>")
                .contains("<td>-42.58 USD</td>").contains("<td>LISTED</td>")
                .doesNotContain("sub-posted").doesNotContain("Subscriptions with sync failures");
        assertThat(jdbc.queryForObject("SELECT row_count FROM notification_digest WHERE partner_id = ?", Integer.class, partner))
                .isEqualTo(1);
    }

    private long taskOf(String partner, String subscriptionId) {
        return jdbc.queryForObject("SELECT task_id FROM sync_task WHERE partner_id = ? AND subscription_id = ?", Long.class,
                partner, subscriptionId);
    }

    private static CatchUp credit(String subscriptionId, String amount) {
        return new CatchUp(subscriptionId, 3L, LocalDate.parse("2026-02-01"), LocalDate.parse("2026-02-28"),
                LocalDate.parse("2026-02-20"), LocalDate.parse("2026-02-28"), new BigDecimal("-54"), 28, new BigDecimal("22.00"),
                new BigDecimal("18.70"), new BigDecimal(amount), null, "R27 cancellation in an invoiced period", List.of());
    }

    @Test
    void aDayWithoutNewsSendsNothing() throws Exception {
        String partner = partner("quiet");
        String recipient = "billing@" + domain(partner);
        notifications(partner, true, true, true, recipient);
        task(partner, "sub-1", "ACME INC", "E5", "2026-03-09T10:00:00Z", "SYNCED", null);
        task(partner, "sub-2", "ACME INC", "E3", "2026-03-09T11:00:00Z", "PENDING", null);
        statusChange(partner, "sub-1", "2026-02-01", "SYNCED", "2026-03-08T12:00:00Z");
        statusChange(partner, "sub-1", "2026-03-01", "SYNCED", "2026-03-10T05:00:00Z");

        runDigests();

        assertThat(inbox(recipient)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM notification_digest WHERE partner_id = ?", Integer.class, partner))
                .isZero();
    }

    @Test
    void nothingForAPartnerWithNotificationsOff() throws Exception {
        String off = partner("off");
        String never = partner("never");
        notifications(off, false, true, true, "billing@" + domain(off));
        for (String partner : List.of(off, never)) {
            task(partner, "sub-1", "ACME INC", "E5", "2026-03-09T10:00:00Z", "NEEDS_MAPPING", "product prod-1 is not mapped");
            statusChange(partner, "sub-1", "2026-02-01", "SYNCED", "2026-03-09T12:00:00Z");
        }

        runDigests();

        assertThat(inbox("billing@" + domain(off))).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM notification_digest WHERE partner_id IN (?, ?)",
                Integer.class, off, never)).isZero();
    }

    @Test
    void aDigestSwitchedOffIsNotSent() throws Exception {
        String partner = partner("onlymapping");
        String recipient = "billing@" + domain(partner);
        notifications(partner, true, true, false, recipient);
        task(partner, "sub-1", "ACME INC", "E5", "2026-03-09T10:00:00Z", "NEEDS_MAPPING", "product prod-1 is not mapped");
        statusChange(partner, "sub-1", "2026-02-01", "SYNCED", "2026-03-09T12:00:00Z");

        runDigests();

        assertThat(inbox(recipient)).extracting(DigestMailTestBase::subject)
                .containsExactly(DigestKind.SERVICE_MAPPING.subject());
    }

    @Test
    void aFailedSendIsRecordedAndALaterRunOfTheDaySendsIt() throws Exception {
        String partner = partner("retry");
        String recipient = "billing@" + domain(partner);
        // A recipient the mail library refuses, stored behind the API's back, makes the send fail.
        jdbc.update("INSERT INTO notification_settings (partner_id, enabled, recipients, reconciliation_digest) "
                + "VALUES (?, TRUE, CAST(? AS jsonb), FALSE)", partner, "[\"not an address@@\"]");
        task(partner, "sub-1", "ACME INC", "E5", "2026-03-09T10:00:00Z", "FAILED", "ConnectWise: 400");

        runDigests();

        Map<String, Object> failed = jdbc.queryForMap(
                "SELECT status, attempts, reason FROM notification_digest WHERE partner_id = ?", partner);
        assertThat(failed.get("status")).isEqualTo("FAILED");
        assertThat((String) failed.get("reason")).isNotBlank().doesNotContain("S3cret-Mail-Pass");

        notifications(partner, true, true, false, recipient);
        runDigests();

        assertThat(inbox(recipient)).extracting(DigestMailTestBase::subject).containsExactly(DigestKind.SERVICE_MAPPING.subject());
        assertThat(jdbc.queryForMap("SELECT status, attempts FROM notification_digest WHERE partner_id = ?", partner))
                .isEqualTo(Map.of("status", "SENT", "attempts", 2));
    }

    @Test
    void aClaimLeftBehindByACrashIsTakenOverButARecentOneIsLeftToItsSender() throws Exception {
        String crashed = partner("crashed");
        String sending = partner("sending");
        for (String partner : List.of(crashed, sending)) {
            notifications(partner, true, true, false, "billing@" + domain(partner));
            task(partner, "sub-1", "ACME INC", "E5", "2026-03-09T10:00:00Z", "FAILED", "ConnectWise: 400");
        }
        // The service-mapping digest of the day was claimed an hour ago by an instance that died before sending,
        // and a moment ago by one that is sending it right now.
        String claim = "INSERT INTO notification_digest (partner_id, digest, digest_day, status, recipients, row_count, claimed_at) "
                + "VALUES (?, 'SERVICE_MAPPING', DATE '2026-03-10', 'SENDING', '[]', 1, now() - CAST(? AS interval))";
        jdbc.update(claim, crashed, "1 hour");
        jdbc.update(claim, sending, "5 seconds");

        runDigests();

        assertThat(inbox("billing@" + domain(crashed))).extracting(DigestMailTestBase::subject)
                .containsExactly(DigestKind.SERVICE_MAPPING.subject());
        assertThat(jdbc.queryForMap("SELECT status, attempts FROM notification_digest WHERE partner_id = ?", crashed))
                .isEqualTo(Map.of("status", "SENT", "attempts", 2));
        assertThat(inbox("billing@" + domain(sending))).isEmpty();
        assertThat(jdbc.queryForObject("SELECT status FROM notification_digest WHERE partner_id = ?", String.class, sending))
                .isEqualTo("SENDING");
    }

    @Test
    void theDigestGreetsTheAccountNameAndListsUnmappedSubscriptionsWithoutAWaitingTask() throws Exception {
        String partner = partner("greet");
        String recipient = "billing@" + domain(partner);
        settings.save(partner, new NotificationSettings(true, List.of(recipient), true, false, "Chairs MSP Inc.", true, false));
        // Imported, never synced, no agreement mapped: unmapped although no task waits (R33, seed 000's Mapped Services).
        jdbc.update("INSERT INTO imported_subscription (partner_id, subscription_id, payload, imported_at) VALUES (?, 'sub-imported', "
                + "CAST(? AS jsonb), now())", partner, "{\"id\":\"sub-imported\",\"customer\":{\"id\":\"c-9\",\"name\":\"Sofas R Us\"},"
                + "\"product\":{\"id\":\"p-9\",\"name\":\"Visio\",\"plan\":\"Visio Plan 2\"}}");
        // Its only task was dismissed and it has no agreement: unmapped too.
        task(partner, "sub-dismissed-only", "ACME INC", "E5", "2026-03-08T10:00:00Z", "DISMISSED", "not ours");
        // Still waiting to sync or for approval: not settled, not listed.
        task(partner, "sub-pending", "ACME INC", "E3", "2026-03-09T10:00:00Z", "PENDING", null);
        task(partner, "sub-waiting", "ACME INC", "E3", "2026-03-09T10:00:00Z", "AWAITING_APPROVAL", "approve");
        // Synced: mapped, not listed.
        task(partner, "sub-synced", "ACME INC", "E1", "2026-03-09T10:00:00Z", "SYNCED", null);

        runDigests();

        String services = body(only(inbox(recipient), DigestKind.SERVICE_MAPPING));
        assertThat(services).contains("<p>Hello Chairs MSP Inc.,</p>").contains("Unmapped subscriptions (2)")
                .contains("<td>ACME INC</td><td>E5</td><td>sub-dismissed-only</td><td>Unmapped</td><td>no agreement mapped</td>")
                .contains("<td>Sofas R Us</td><td>Visio Plan 2</td><td>sub-imported</td><td>Unmapped</td><td>no agreement mapped</td>")
                .doesNotContain("sub-pending").doesNotContain("sub-waiting").doesNotContain("sub-synced");
    }

    @Test
    void allCreatedAndSynchronizedTasksOnlyWhenAskedForAndErrorsCanBeSwitchedOff() throws Exception {
        String partner = partner("alltasks");
        String recipient = "billing@" + domain(partner);
        // seed 001: all tasks on, errors and action needed off.
        settings.save(partner, new NotificationSettings(true, List.of(recipient), true, false, null, false, true));
        task(partner, "sub-new", "ACME INC", "E5", "2026-03-09T10:00:00Z", "SYNCED", null);
        task(partner, "sub-old", "Chairs Unlimited", "E3", "2026-03-01T10:00:00Z", "SYNCED", null);
        task(partner, "sub-broken", "Dunco", "E1", "2026-03-09T11:00:00Z", "FAILED", "ConnectWise: 400");
        jdbc.update("UPDATE sync_task SET created_at = occurred_at, synced_at = CASE WHEN status = 'SYNCED' THEN occurred_at "
                + "+ interval '1 minute' END WHERE partner_id = ?", partner);
        // sub-old's task was created long before but synced on the digest's day.
        jdbc.update("UPDATE sync_task SET synced_at = TIMESTAMPTZ '2026-03-09T12:00:00Z' WHERE partner_id = ? AND subscription_id = 'sub-old'",
                partner);

        runDigests();

        List<MimeMessage> inbox = inbox(recipient);
        assertThat(inbox).extracting(DigestMailTestBase::subject).containsExactly(DigestKind.TASK_ACTIVITY.subject());
        String activity = body(inbox.get(0));
        assertThat(activity).contains("on 2026-03-09 (UTC)").contains("Tasks created (2)").contains("Tasks synchronized (2)")
                .contains("<td>ACME INC</td><td>sub-new</td><td>CHANGE_ORDER QUANTITY_CHANGE</td><td>SYNCED</td>")
                .contains("<td>Dunco</td><td>sub-broken</td><td>CHANGE_ORDER QUANTITY_CHANGE</td><td>FAILED</td>")
                .contains("<td>Chairs Unlimited</td><td>sub-old</td>");
        assertThat(activity.indexOf("sub-old")).isGreaterThan(activity.indexOf("Tasks synchronized"));
    }
}
