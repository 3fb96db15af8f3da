package io.cwbridge.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.catchup.CatchUpView;
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
                .contains("<td>sub-&lt;1&gt;</td><td>from 2026-02-01</td><td>SYNCED</td>");
    }

    @Test
    void longTablesAreCut() {
        List<ReconciliationRow> rows = IntStream.range(0, DigestHtml.MAX_ROWS_PER_TABLE + 3)
                .mapToObj(i -> new ReconciliationRow("sub-" + i, LocalDate.of(2026, 3, 1), "SYNCED")).toList();
        String html = DigestHtml.reconciliation("acme", LocalDate.of(2026, 3, 9), rows);
        assertThat(html).contains("… and 3 more.").contains("sub-499<").doesNotContain("sub-500<");
    }

    @Test
    void partnerIdInTheGreetingIsEscapedToo() {
        assertThat(DigestHtml.reconciliation("a<b", LocalDate.of(2026, 3, 9), List.of())).contains("Hello a&lt;b,");
    }
}
