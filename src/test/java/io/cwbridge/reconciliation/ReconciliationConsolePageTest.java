package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.Chromium;
import io.cwbridge.testsupport.ConsoleBrowser;
import io.cwbridge.testsupport.ConsoleLogin;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.ResponseEntity;

/**
 * The console's reconciliation log (issue 16, R32) and the overview's revenue chart in headless
 * Chromium, on lines the daily run made from real invoices and sandbox additions: filter, accept a
 * selection (one line of it refused, in place), reject one, download the CSV; the chart's figures
 * against amounts worked out by hand. Screenshots to target/screenshots/. Skipped without Chromium.
 */
class ReconciliationConsolePageTest extends ReconciliationTestBase {

    // sets the fields below before each test (Chromium, the operator logged in), resets the shared browser after it
    @RegisterExtension final ConsoleBrowser console = ConsoleBrowser.operator(this::base);
    Chromium chromium;
    WebDriver browser;
    WebDriverWait wait;

    @Test
    void r32LogFiltersAcceptsASelectionRejectsOneAndDownloadsTheCsv() throws Exception {
        syncRules("{\"syncUnitCost\":false}");
        subscription("sub-1", 30, "SAAS", "10", "18.70", "22.00");
        subscription("sub-2", 30, "SAAS", "2", "5.00", "6.00");
        subscription("sub-3", 30, "SAAS", "3", "5.00", "6.00");
        subscription("sub-4", 30, "SAAS", "1", "5.00", "6.00");
        postInvoices("[" + invoice("sub-1", 30, "SAAS", "RESELLER", "2024-02", "10", "187.00") + ","
                + invoice("sub-1", 30, "SAAS", "CUSTOMER", "2024-02", "10", "220.00") + ","
                + invoice("sub-2", 30, "SAAS", "RESELLER", "2024-02", "2", "11.00") + ","
                + invoice("sub-2", 30, "SAAS", "CUSTOMER", "2024-02", "2", "13.00") + ","
                + invoice("sub-3", 30, "SAAS", "RESELLER", "2024-02", "3", "16.00") + ","
                + invoice("sub-3", 30, "SAAS", "CUSTOMER", "2024-02", "3", "19.00") + "]");
        runOn("2024-03-10"); // February: sub-1 RECONCILED, sub-2 and sub-3 PENDING_REVIEW, sub-4 PENDING (no invoice)
        assertThat(row("sub-2")).containsEntry("status", "PENDING_REVIEW");
        assertThat(row("sub-3")).containsEntry("status", "PENDING_REVIEW");

        // the overview counts the open lines and links to them
        browser.get(base() + "/partners/" + partner);
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#action-RECONCILIATION .count"))).getText())
                .isEqualTo("2");
        browser.findElement(By.id("action-RECONCILIATION")).click();
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Reconciliation · " + partner));
        wait.until(ExpectedConditions.textToBe(By.id("recon-total"), "2 line(s)"));
        assertThat(rowsShown()).containsExactly("sub-2 PENDING_REVIEW", "sub-3 PENDING_REVIEW");

        // the default filter is last month by the bundle's clock, as the API's
        browser.findElement(By.id("nav-reconciliation")).click();
        wait.until(ExpectedConditions.textToBe(By.id("recon-total"), "4 line(s)"));
        assertThat(browser.findElement(By.id("filter-from")).getAttribute("value")).isEqualTo("2024-02-01");
        assertThat(browser.findElement(By.id("filter-to")).getAttribute("value")).isEqualTo("2024-02-29");
        assertThat(rowsShown()).containsExactly("sub-1 RECONCILED", "sub-2 PENDING_REVIEW", "sub-3 PENDING_REVIEW", "sub-4 PENDING");
        new Select(browser.findElement(By.id("filter-status"))).selectByValue("PENDING_REVIEW");
        browser.findElement(By.id("filter-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("recon-total"), "2 line(s)"));
        new Select(browser.findElement(By.id("filter-status"))).selectByValue("");
        browser.findElement(By.id("filter-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("recon-total"), "4 line(s)"));
        chromium.screenshot("console-reconciliation");

        // accept a selection: sub-2 is posted, sub-4 (PENDING) is refused, each in its own row
        long id2 = id("sub-2"), id3 = id("sub-3"), id4 = id("sub-4");
        browser.findElement(By.id("select-" + id2)).click();
        browser.findElement(By.id("select-" + id4)).click();
        browser.findElement(By.id("accept-selected")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + id2 + "'] .outcome .recon-ok")));
        assertThat(text("tr[data-id='" + id2 + "'] .outcome")).isEqualTo("RECONCILED");
        assertThat(text("tr[data-id='" + id2 + "']")).contains("RECONCILED");
        assertThat(text("tr[data-id='" + id4 + "'] .outcome")).startsWith("409: only a PENDING_REVIEW or FAILED reconciliation can be accepted");
        assertThat(text("#error p")).isEqualTo("Accepted 1 of 2 line(s); the others say why next to them.");
        assertThat(row("sub-2")).containsEntry("status", "RECONCILED");
        assertThat(row("sub-4")).containsEntry("status", "PENDING");
        assertThat(operations("sub-2")).as("the accepted delta was posted to ConnectWise").isNotEmpty();
        chromium.screenshot("console-reconciliation-accepted");

        // reject one
        browser.findElement(By.id("select-" + id3)).click();
        browser.findElement(By.id("reject-selected")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + id3 + "'] .outcome .recon-ok")));
        assertThat(text("tr[data-id='" + id3 + "'] .outcome")).isEqualTo("REJECTED");
        assertThat(text("#result")).isEqualTo("Rejected 1 line(s).");
        assertThat(row("sub-3")).containsEntry("status", "REJECTED");

        // nothing ticked: the refusal names the field
        browser.findElement(By.id("accept-selected")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#error p"), "Nothing was decided."));
        assertThat(text("#error li code")).isEqualTo("ids");

        // the CSV for the current filter is the API's CSV for the same query, row for row
        new Select(browser.findElement(By.id("filter-status"))).selectByValue("RECONCILED");
        browser.findElement(By.id("filter-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("recon-total"), "2 line(s)"));
        String href = browser.findElement(By.id("download-csv")).getAttribute("href");
        ResponseEntity<String> csv = api.get().uri(java.net.URI.create(href)).header("Authorization", ConsoleLogin.operator()).retrieve().toEntity(String.class);
        assertThat(csv.getStatusCode().value()).isEqualTo(200);
        assertThat(csv.getHeaders().getContentType().toString()).startsWith("text/csv");
        ResponseEntity<String> fromApi = api.get()
                .uri("/api/v1/partners/{p}/reconciliation?from=2024-02-01&to=2024-02-29&status=RECONCILED", partner)
                .header("Accept", "text/csv").retrieve().toEntity(String.class);
        assertThat(csv.getBody()).isEqualTo(fromApi.getBody());
        List<List<String>> rows = ReconciliationLogTest.parseCsv(csv.getBody());
        assertThat(rows.get(0)).containsExactlyElementsOf(ReconciliationCsv.HEADER);
        int sub = ReconciliationCsv.HEADER.indexOf("subscriptionId"), status = ReconciliationCsv.HEADER.indexOf("status");
        assertThat(rows.subList(1, rows.size())).extracting(r -> r.get(sub) + " " + r.get(status))
                .containsExactly("sub-1 RECONCILED", "sub-2 RECONCILED");

        // a filter the API would refuse is shown field by field, never a 5xx
        browser.get(base() + "/partners/" + partner + "/reconciliation?from=2024-03-01&to=2024-02-01&status=SOON");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("filter-to-error")));
        assertThat(text("#filter-to-error")).isEqualTo("must not be before from");
        assertThat(text("#filter-status-error")).startsWith("must be one or more of");
        assertThat(text("#recon-total")).isEqualTo("0 line(s)");
        chromium.screenshot("console-reconciliation-bad-filter");

        // R34 for the month, with the API's CSV
        browser.findElement(By.id("nav-reconciliation")).click();
        wait.until(ExpectedConditions.textToBe(By.id("recon-total"), "4 line(s)"));
        wait.until(d -> {
            d.findElement(By.id("three-way-link")).click(); // a stale link (htmx swapping the body) is tried again
            return true;
        });
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("three-way-summary")));
        assertThat(browser.findElement(By.id("three-way-month")).getAttribute("value")).isEqualTo("2024-02");
        String threeWay = browser.findElement(By.id("three-way-csv")).getAttribute("href");
        ResponseEntity<String> threeWayCsv = api.get().uri(java.net.URI.create(threeWay)).header("Authorization", ConsoleLogin.operator()).retrieve().toEntity(String.class);
        ResponseEntity<String> threeWayApi = api.get().uri("/api/v1/partners/{p}/three-way?month=2024-02", partner)
                .header("Accept", "text/csv").retrieve().toEntity(String.class);
        assertThat(threeWayCsv.getStatusCode().value()).isEqualTo(200);
        assertThat(threeWayCsv.getBody()).isEqualTo(threeWayApi.getBody());
        assertThat(browser.findElements(By.cssSelector("#three-way-rows tr[data-kind]")))
                .hasSize(ReconciliationLogTest.parseCsv(threeWayApi.getBody()).size() - 1);
        chromium.screenshot("console-three-way");
    }

    /**
     * The overview's chart: billed (the sandbox's additions, days-weighted) against marketplace
     * (the events' licence-months × unit price), per month, for the twelve months to the clock's.
     * Jan 2024: 10 licences from the 14th (18 of 31 days) × 22.00 = 127.74 on both sides.
     * Mar 2024: the marketplace has 12 from the 1st (264.00); ConnectWise adds the 2 only from
     * the 10th: (10 × 31 + 2 × 22) × 22.00 / 31 = 251.23.
     */
    @Test
    void overviewChartsBilledAgainstMarketplaceRevenuePerMonth() {
        clock.set("2024-06-15");
        line("sub-r1", "BASE", "10", "18.70", "22.00", "2024-01-14", null);
        line("sub-r1", "DELTA", "2", "18.70", "22.00", "2024-03-10", null);
        marketplaceEvent("sub-r1-a", "SALES_ORDER", "NEW", "2024-01-14T09:00:00Z", 10);
        marketplaceEvent("sub-r1-b", "CHANGE_ORDER", "LICENCE_INCREASE", "2024-03-01T09:00:00Z", 12);

        browser.get(base() + "/partners/" + partner);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("revenue-table-USD")));
        List<String> months = browser.findElements(By.cssSelector("#revenue-table-USD tbody tr")).stream()
                .map(r -> r.getAttribute("data-month")).toList();
        assertThat(months).hasSize(12).startsWith("2023-07").endsWith("2024-06");
        assertThat(figures("2023-12")).containsExactly("0.00", "0.00");
        assertThat(figures("2024-01")).containsExactly("127.74", "127.74");
        assertThat(figures("2024-02")).containsExactly("220.00", "220.00");
        assertThat(figures("2024-03")).containsExactly("251.23", "264.00");
        assertThat(figures("2024-06")).containsExactly("264.00", "264.00");

        // the SVG draws the same figures: one bar each a month, March's billed lower than its marketplace
        assertThat(browser.findElements(By.cssSelector("#revenue-USD svg .rev-billed"))).hasSize(12);
        assertThat(browser.findElements(By.cssSelector("#revenue-USD svg .rev-marketplace"))).hasSize(12);
        WebElement march = browser.findElement(By.cssSelector("#revenue-USD svg g[data-month='2024-03']"));
        int billed = Integer.parseInt(march.findElement(By.className("rev-billed")).getAttribute("height"));
        int marketplace = Integer.parseInt(march.findElement(By.className("rev-marketplace")).getAttribute("height"));
        assertThat(billed).isPositive().isLessThan(marketplace);
        assertThat(march.findElement(By.cssSelector(".rev-billed title")).getAttribute("textContent")).isEqualTo("2024-03 billed 251.23");
        assertThat(text("#revenue-USD figcaption")).contains("Billed").contains("Marketplace").contains("Amounts in USD");
        assertThat(browser.findElements(By.id("revenue-loading"))).as("the chart replaced its placeholder").isEmpty();
        // without htmx the chart is a page of its own, with the same table
        ResponseEntity<String> page = api.get().uri("/partners/{p}/revenue", partner).header("Authorization", ConsoleLogin.operator()).retrieve().toEntity(String.class);
        assertThat(page.getStatusCode().value()).isEqualTo(200);
        assertThat(page.getBody()).contains("<title>Revenue · ConnectWise sync console</title>").contains("251.23").contains("127.74");
        assertThat(chromium.consoleMessages()).as("nothing refused by the Content-Security-Policy")
                .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy"));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
                browser.findElement(By.id("revenue-chart-title")));
        chromium.screenshot("console-overview-revenue");

        // ConnectWise refusing the bundle: billed is left out and says why, the marketplace figures stay
        connections.save(partner, sandbox.connection("not-the-key"));
        browser.get(base() + "/partners/" + partner);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("revenue-billed-unreadable")));
        assertThat(text("#revenue-billed-unreadable")).startsWith("Billed is not shown: ConnectWise could not be read (")
                .doesNotContain("not-the-key");
        assertThat(figures("2024-03")).containsExactly("—", "264.00");
        assertThat(browser.findElements(By.cssSelector("#revenue-USD svg .rev-billed"))).isEmpty();
    }

    /** A marketplace event of sub-r1 (USD, 22.00 a licence), as the intake stores it. */
    private void marketplaceEvent(String eventId, String type, String action, String occurredAt, int quantity) {
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (?, ?, 'sub-r1', ?, ?, CAST(? AS timestamptz), CAST(? AS jsonb), 'HTTP')""",
                partner + "-" + eventId, partner, type, action, occurredAt, """
                {"subscription":{"id":"sub-r1","kind":"SAAS","startDate":"2024-01-14","quantity":%d,"unitPrice":22.00,"unitCost":18.70,
                 "currency":"USD","customer":{"id":"65533","name":"Chairs Unlimited"},
                 "product":{"id":"PROD-1","providerId":30,"provider":"Microsoft CSP","plan":"Microsoft 365 Business Premium"}}}"""
                        .formatted(quantity));
    }

    private List<String> figures(String month) {
        WebElement row = browser.findElement(By.cssSelector("#revenue-table-USD tr[data-month='" + month + "']"));
        return List.of(row.findElement(By.className("billed")).getText(), row.findElement(By.className("marketplace")).getText());
    }

    private List<String> rowsShown() {
        return browser.findElements(By.cssSelector("#recon-list tbody tr[data-id]")).stream()
                .map(r -> r.getAttribute("data-subscription") + " " + r.getAttribute("data-status")).toList();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }
}
