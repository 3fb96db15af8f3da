package io.cwbridge.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.approval.ApprovalSection;
import io.cwbridge.catchup.CatchUpView;
import io.cwbridge.mail.DigestTable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** R33: the digest bodies are readable tables and never carry markup from the data. */
class DigestHtmlTest {

    @Test
    void subjectsNameTheConnector() {
        assertThat(DigestKind.SERVICE_MAPPING.subject()).isEqualTo("Action Needed for Service Mapping in ConnectWise");
        assertThat(DigestKind.BILLING_RECONCILIATION.subject()).isEqualTo("Billing Reconciliation Status Synced in ConnectWise");
        assertThat(DigestKind.TASK_APPROVAL.subject()).isEqualTo("Approval Needed for Tasks in ConnectWise");
        assertThat(DigestKind.TASK_ACTIVITY.subject()).isEqualTo("Tasks Created and Synchronized in ConnectWise");
    }

    @Test
    void serviceMappingSplitsUnmappedAndFailedAndEscapesEveryValue() {
        String html = DigestHtml.serviceMapping("acme", List.of(
                new ServiceMappingRow("<script>alert(1)</script>", "E1 \"Plan\" & more", "sub-1", ServiceMappingRow.UNMAPPED,
                        "customer <cust-1> is not mapped"),
                new ServiceMappingRow(null, null, "sub-2", ServiceMappingRow.FAILED, "ConnectWise: 400 'bad'")));

        assertThat(html).doesNotContain("<script>").doesNotContain("<cust-1>")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("E1 &quot;Plan&quot; &amp; more")
                .contains("ConnectWise: 400 &#39;bad&#39;")
                .contains("<th align=\"left\">Customer</th><th align=\"left\">Plan</th><th align=\"left\">Subscription ID</th>"
                        + "<th align=\"left\">Status</th>");
        assertThat(html.indexOf("Unmapped subscriptions (1)")).isPositive()
                .isLessThan(html.indexOf("sub-1")).isLessThan(html.indexOf("Subscriptions with sync failures (1)"));
        assertThat(html.indexOf("Subscriptions with sync failures (1)")).isLessThan(html.indexOf("sub-2"));
        assertThat(html).contains("<td>-</td><td>-</td><td>sub-2</td><td>Failed</td>");
    }

    @Test
    void onlyTheTablesWithRowsAreShown() {
        String html = DigestHtml.serviceMapping("acme",
                List.of(new ServiceMappingRow("Acme", "E3", "sub-1", ServiceMappingRow.FAILED, "boom")));
        assertThat(html).doesNotContain("Unmapped subscriptions").contains("Subscriptions with sync failures (1)");
    }

    @Test
    void catchUpsToReviewAreListedAfterTheServices() {
        CatchUpView credit = new CatchUpView(1, "acme", "sub-<9>", 77, 5L, null, 3L, LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 31),
                LocalDate.of(2024, 3, 20), LocalDate.of(2024, 3, 31), new BigDecimal("-120"), 31, new BigDecimal("22.00"),
                new BigDecimal("18.70"), new BigDecimal("-85.16"), new BigDecimal("-72.39"), "USD", "R27 cancellation", "d",
                CatchUpView.LISTED, null, LocalDate.of(2024, 5, 1), null, null, null);
        CatchUpView failed = new CatchUpView(2, "acme", "sub-2", 77, 6L, null, 3L, LocalDate.of(2024, 4, 1), LocalDate.of(2024, 4, 30),
                LocalDate.of(2024, 4, 1), LocalDate.of(2024, 4, 30), new BigDecimal("-300"), 30, new BigDecimal("22.00"),
                new BigDecimal("18.70"), new BigDecimal("-220.00"), new BigDecimal("-187.00"), "USD", "R27 cancellation", "d",
                CatchUpView.FAILED, null, LocalDate.of(2024, 5, 1), "ConnectWise: 400 amount is invalid", null, null);

        String html = DigestHtml.serviceMapping("acme",
                List.of(new ServiceMappingRow("Acme", "E3", "sub-1", ServiceMappingRow.FAILED, "boom")), List.of(credit, failed));

        assertThat(html.indexOf("Subscriptions with sync failures (1)")).isLessThan(html.indexOf("Invoiced catch-ups to review (2)"));
        assertThat(html).contains("<td>sub-&lt;9&gt;</td><td>77</td><td>2024-03-01 to 2024-03-31</td><td>2024-03-20 to 2024-03-31</td>"
                        + "<td>-120</td><td>-85.16 USD</td><td>-72.39</td><td>LISTED</td><td>R27 cancellation</td>")
                .contains("<td>FAILED</td><td>ConnectWise: 400 amount is invalid</td>");
        assertThat(DigestHtml.serviceMapping("acme", List.of(), List.of(credit))).doesNotContain("Unmapped subscriptions")
                .contains("Invoiced catch-ups to review (1)");
    }

    @Test
    void reconciliationListsSubscriptionPeriodAndNewStatus() {
        String html = DigestHtml.reconciliation("acme", LocalDate.of(2026, 3, 9),
                List.of(new ReconciliationRow("sub-<1>", LocalDate.of(2026, 2, 1), "SYNCED")));
        assertThat(html).contains("changed on 2026-03-09 (UTC)")
                .contains("<td>sub-&lt;1&gt;</td><td>2026-02</td><td>SYNCED</td>");
    }

    @Test
    void longTablesAreCut() {
        List<ReconciliationRow> rows = IntStream.range(0, DigestTable.MAX_ROWS_PER_TABLE + 3)
                .mapToObj(i -> new ReconciliationRow("sub-" + i, LocalDate.of(2026, 3, 1), "SYNCED")).toList();
        String html = DigestHtml.reconciliation("acme", LocalDate.of(2026, 3, 9), rows);
        assertThat(html).contains("… and 3 more.").contains("sub-499<").doesNotContain("sub-500<");
    }

    @Test
    void partnerIdInTheGreetingIsEscapedToo() {
        assertThat(DigestHtml.reconciliation("a<b", LocalDate.of(2026, 3, 9), List.of())).contains("Hello a&lt;b,");
    }

    @Test
    void aCustomerNamedLikeMarkupAppearsAsText() {
        String html = DigestHtml.serviceMapping("Chairs MSP", List.of(new ServiceMappingRow("<img src=x onerror=alert(1)>", "E3",
                "sub-1", ServiceMappingRow.UNMAPPED, "no agreement mapped")));
        assertThat(html).doesNotContain("<img").contains("<td>&lt;img src=x onerror=alert(1)&gt;</td><td>E3</td><td>sub-1</td>")
                .contains("Hello Chairs MSP,");
    }

    @Test
    void approvalMailShowsEachPlanBeforeAndAfterWithItsLinkAndOneForAll() {
        DigestTable plan = new DigestTable(null, List.of("Operation", "Line", "Field", "Before", "After"), List.of(
                List.of("UPDATE #7 (R12 increase +2)", "base", "quantity", "5", "7"),
                List.of("UPDATE #7 (R12 increase +2)", "base", "description", "-", "<img src=x onerror=alert(1)>")), 2);
        DigestTable catchUps = new DigestTable("Catch-up amounts of invoiced periods", List.of("Subscription ID", "Amount"),
                List.of(List.of("sub-1", "-42.58 USD")), 1);
        String html = DigestHtml.approval("Chairs MSP", "acme", List.of(
                new ApprovalSection(12, "Task 12: subscription sub-1 of <b>Chairs</b>", plan, catchUps, List.of("note <i>"), null,
                        "http://localhost:8080/mail/approvals/abc.def?x=\"><script>"),
                new ApprovalSection(13, "Task 13: subscription sub-2 of Dunco", null, null, List.of(), "A mapping is missing",
                        "http://localhost:8080/mail/approvals/ghi.jkl")),
                "http://localhost:8080/mail/approvals/all.sig", "2026-03-13 06:00", 0);

        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>Approval Needed for Tasks in ConnectWise</title>")
                .contains("Hello Chairs MSP,")
                .contains("<h3>Task 12: subscription sub-1 of &lt;b&gt;Chairs&lt;/b&gt;</h3>")
                .contains("<tr><th align=\"left\">Operation</th><th align=\"left\">Line</th><th align=\"left\">Field</th>"
                        + "<th align=\"left\">Before</th><th align=\"left\">After</th></tr>")
                .contains("<td>UPDATE #7 (R12 increase +2)</td><td>base</td><td>quantity</td><td>5</td><td>7</td>")
                .contains("<td>&lt;img src=x onerror=alert(1)&gt;</td>").doesNotContain("<img")
                .contains("Catch-up amounts of invoiced periods (1)").contains("<td>-42.58 USD</td>")
                .contains("<li>note &lt;i&gt;</li>")
                .contains("<a href=\"http://localhost:8080/mail/approvals/abc.def?x=&quot;&gt;&lt;script&gt;\">Approve task 12</a>")
                .doesNotContain("<script>")
                .contains("<p>A mapping is missing</p>")
                .contains("<a href=\"http://localhost:8080/mail/approvals/ghi.jkl\">Approve task 13</a>")
                .contains("<a href=\"http://localhost:8080/mail/approvals/all.sig\">Approve all listed tasks (2)</a>")
                .contains("expires at 2026-03-13 06:00 (UTC)");
        assertThat(html.indexOf("Approve task 12")).isLessThan(html.indexOf("Task 13:"));
    }

    @Test
    void approvalMailWithoutAKeyHasNoLinks() {
        String html = DigestHtml.approval("acme", "acme", List.of(new ApprovalSection(12, "Task 12", null, null, List.of(),
                "Nothing to send", null)), null, "2026-03-13 06:00", 3);
        assertThat(html).doesNotContain("<a ").contains("approval-link-key is not configured").contains("… and 3 more tasks wait");
    }

    @Test
    void taskActivityListsCreatedAndSyncedTasks() {
        java.time.OffsetDateTime at = java.time.OffsetDateTime.parse("2026-03-09T10:00:00Z");
        String html = DigestHtml.taskActivity("Chairs MSP", LocalDate.of(2026, 3, 9),
                List.of(new TaskActivityRow(5, "<b>ACME</b>", "sub-1", "SALES_ORDER", "NEW", "AWAITING_APPROVAL", at)),
                List.of(new TaskActivityRow(4, null, "sub-2", "CHANGE_ORDER", "LICENSE_INCREASE", "SYNCED", at)));
        assertThat(html).contains("<title>Tasks Created and Synchronized in ConnectWise</title>").contains("on 2026-03-09 (UTC)")
                .contains("Tasks created (1)").contains("Tasks synchronized (1)")
                .contains("<td>5</td><td>&lt;b&gt;ACME&lt;/b&gt;</td><td>sub-1</td><td>SALES_ORDER NEW</td><td>AWAITING_APPROVAL</td>")
                .contains("<td>4</td><td>-</td><td>sub-2</td><td>CHANGE_ORDER LICENSE_INCREASE</td><td>SYNCED</td>");
    }
}
