package io.cwbridge.notifications;

import static org.assertj.core.api.Assertions.assertThat;

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
