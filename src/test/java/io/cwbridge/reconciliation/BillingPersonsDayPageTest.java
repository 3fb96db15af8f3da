package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.testsupport.Chromium;
import io.cwbridge.testsupport.ConsoleLogin;
import io.cwbridge.testsupport.TaskAwait;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.ResponseEntity;

/**
 * Issue 16's billing person's day in headless Chromium, logged in through the form as the demo partner's
 * user ({@code demo}, partner {@code demo}; not the operator): map the customer from its candidates, adopt a
 * hand-made addition (R6), approve a waiting task (task sync MANUAL), retry a task ConnectWise refused, accept
 * a reconciliation line the daily run made (R32), download the CSV through the session's link; then another
 * partner's overview, task and CSV are refused. Every result is checked in the sandbox or the API too.
 * Screenshots to target/screenshots/day-*.png. Skipped without Chromium.
 *
 * <p>The reconciliation context (its settable clock drives the daily run); {@code demo} gets this test's
 * sandbox connection and loses it again afterwards, so nothing of the context's ticks acts on it later.
 */
class BillingPersonsDayPageTest extends ReconciliationTestBase {

    static final String DEMO = ConsoleLogin.DEMO_PARTNER;

    Chromium chromium;
    WebDriver browser;
    WebDriverWait wait;
    /** The base's fresh partner: someone else's data, for the refusals. */
    String other;
    long otherTask;

    @BeforeEach
    void demoPartnersDay() throws Exception {
        other = partner;
        otherTask = postEvent(event("other", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 1, "", "sub-other", "2024-02-14"));
        // the demo user's partner on this test's sandbox, without what an earlier run may have left
        partner = DEMO;
        cleanDemo();
        jdbc.update("INSERT INTO partner (partner_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING", DEMO, DEMO);
        connections.save(DEMO, cw);
        clock.set("2024-03-01");
        ResponseEntity<String> rules = put("/api/v1/partners/" + DEMO + "/sync-rules", "{\"taskSync\":\"MANUAL\",\"syncUnitCost\":false}");
        assertThat(rules.getStatusCode().value()).as(rules.getBody()).isEqualTo(200);
        assertThat(put("/api/v1/partners/" + DEMO + "/products/CFQ7TTC0LCHC:0002/mapping", "{\"catalogItemId\":" + catalogItem + "}")
                .getStatusCode().value()).isEqualTo(200);

        chromium = Chromium.start();
        browser = chromium.browser();
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class); // htmx swaps rows after each action
    }

    @AfterEach
    void demoUnconnectedAgain() throws Exception {
        try {
            if (chromium != null) chromium.close();
        } finally {
            cleanDemo();
            connections.remove(DEMO);
        }
    }

    /** What the context's daily run and ticks would act on for demo (the sandbox is reset by every test). */
    private void cleanDemo() {
        jdbc.update("DELETE FROM subscription_line WHERE partner_id = ?", DEMO);
        jdbc.update("DELETE FROM invoice_line WHERE partner_id = ?", DEMO);
        jdbc.update("DELETE FROM subscription_mapping WHERE partner_id = ?", DEMO);
        jdbc.update("DELETE FROM customer_mapping WHERE partner_id = ?", DEMO);
        jdbc.update("DELETE FROM sync_rules WHERE partner_id = ?", DEMO);
    }

    @Test
    void aPartnerUserMapsAdoptsApprovesRetriesAcceptsDownloadsAndIsRefusedAnotherPartner() throws Exception {
        // the marketplace told of a subscription whose licences someone typed into ConnectWise by hand
        String adopted = event("adopt", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, "", "sub-adopt", "2024-02-14");
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (?, ?, 'sub-adopt', 'SALES_ORDER', 'NEW', '2024-02-14T09:00:00Z'::timestamptz, ?::jsonb, 'HTTP')""",
                DEMO + "-adopt", DEMO, adopted);
        long hand = client.create(cw, "finance/agreements/" + agreement + "/additions", Map.of("product", Map.of("id", catalogItem),
                "quantity", 5, "unitPrice", 22.00, "unitCost", 18.70, "billCustomer", "Billable",
                "effectiveDate", "2024-02-14T00:00:00Z", "description", "typed by hand"), null).path("id").asLong();

        // log in as the partner's user: its overview, its partner only
        browser.get(base() + "/");
        wait.until(ExpectedConditions.urlToBe(base() + "/login"));
        chromium.screenshot("day-01-login");
        chromium.login(base(), ConsoleLogin.DEMO, ConsoleLogin.DEMO_PASSWORD);
        wait.until(ExpectedConditions.urlToBe(base() + "/partners/" + DEMO));
        assertThat(text("#title")).isEqualTo("Overview · " + DEMO);
        assertThat(text("#current-user")).isEqualTo(ConsoleLogin.DEMO);
        assertThat(new Select(browser.findElement(By.id("partner-select"))).getOptions())
                .extracting(o -> o.getAttribute("value")).containsExactly(DEMO);
        chromium.screenshot("day-02-overview");

        // map the customer from its candidates
        browser.get(base() + "/partners/" + DEMO + "/customers");
        assertThat(item("65533").getAttribute("data-status")).isEqualTo("UNMAPPED");
        item("65533").findElement(By.className("btn-candidates")).click();
        WebElement candidate = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tbody[data-id='65533'] label.candidate[data-id='" + company + "']")));
        assertThat(candidate.getText()).contains("Chairs Unlimited");
        candidate.findElement(By.tagName("input")).click();
        chromium.screenshot("day-03-customer-candidates");
        item("65533").findElement(By.className("btn-map-chosen")).click();
        wait.until(d -> "MAPPED".equals(item("65533").getAttribute("data-status")));
        assertThat(text("tbody[data-id='65533'] .row-result")).isEqualTo("Mapped to company Chairs Unlimited (" + company + ").");
        assertThat(apiJson("/api/v1/partners/" + DEMO + "/customers/65533/mapping").path("companyId").asLong()).isEqualTo(company);
        chromium.screenshot("day-04-customer-mapped");

        // adopt the hand-made addition for the subscription: Take over… on the agreement, Adopt
        browser.findElement(By.id("tab-subscriptions")).click();
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Subscriptions · " + DEMO));
        item("sub-adopt").findElement(By.className("btn-agreements")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tbody[data-id='sub-adopt'] label.agreement[data-id='" + agreement + "'] input"))).click();
        item("sub-adopt").findElement(By.className("btn-takeover-agreement")).click();
        WebElement offer = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tbody[data-id='sub-adopt'] tr.addition-candidate[data-addition-id='" + hand + "']")));
        assertThat(offer.getText()).contains("typed by hand").contains("exact");
        chromium.screenshot("day-05-takeover");
        offer.findElement(By.className("btn-adopt")).click();
        wait.until(d -> "MAPPED".equals(item("sub-adopt").getAttribute("data-status")));
        assertThat(text("tbody[data-id='sub-adopt'] .row-result")).startsWith("Adopted addition typed by hand (" + hand + ")");
        assertThat(apiJson("/api/v1/partners/" + DEMO + "/subscriptions/sub-adopt/mapping").path("agreementId").asLong())
                .isEqualTo(agreement);
        assertThat(jdbc.queryForList("SELECT addition_id FROM subscription_line WHERE partner_id = ? AND subscription_id = 'sub-adopt'",
                Long.class, DEMO)).containsExactly(hand);
        assertThat(additions()).as("adopting writes no new addition").extracting(a -> a.path("id").asLong()).containsExactly(hand);
        chromium.screenshot("day-06-adopted");

        // approve a waiting task: its addition is in ConnectWise, the history names the partner's user
        long approved = postEvent(event("approve", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 3, "", "sub-approve", "2024-02-14"));
        assertThat(TaskAwait.status(jdbc, approved, "AWAITING_APPROVAL", "NEEDS_MAPPING", "SYNCED", "FAILED")).isEqualTo("AWAITING_APPROVAL");
        openTask(approved);
        assertThat(text("#plan .plan-op td")).isEqualTo("CREATE");
        chromium.screenshot("day-07-task-awaiting-approval");
        browser.findElement(By.id("approve")).click();
        wait.until(d -> "SYNCED".equals(d.findElement(By.id("task")).getAttribute("data-status")));
        assertThat(text("#result")).isEqualTo("Approved: now SYNCED");
        assertThat(browser.findElements(By.cssSelector("#history .history-entry"))).extracting(WebElement::getText)
                .anySatisfy(h -> assertThat(h).contains(ConsoleLogin.DEMO).contains("approved"));
        JsonNode approvedTask = apiJson("/api/v1/tasks/" + approved);
        assertThat(approvedTask.path("status").asText()).isEqualTo("SYNCED");
        long approvedAddition = approvedTask.path("additionIds").get(0).asLong();
        assertThat(addition(approvedAddition).path("quantity").decimalValue()).isEqualByComparingTo("3");
        chromium.screenshot("day-08-task-approved");

        // retry a failure: ConnectWise answers the sync's read of the agreement with a real 400 once (a refused write
        // would be planned again, RefusedWrites), the task is FAILED; the refusal used up, Retry
        long failing = postEvent(event("fail", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 4, "", "sub-fail", "2024-02-14"));
        assertThat(TaskAwait.status(jdbc, failing, "AWAITING_APPROVAL", "NEEDS_MAPPING", "SYNCED", "FAILED")).isEqualTo("AWAITING_APPROVAL");
        openTask(failing);
        sandbox.fault(Map.of("status", 400, "count", 1, "method", "GET", "pathContains", "finance/agreements"));
        browser.findElement(By.id("approve")).click();
        wait.until(d -> "FAILED".equals(d.findElement(By.id("task")).getAttribute("data-status")));
        assertThat(text("#task-reason")).isNotBlank();
        assertThat(apiJson("/api/v1/tasks/" + failing).path("status").asText()).isEqualTo("FAILED");
        assertThat(additions()).as("nothing written for the refused task").hasSize(2);
        assertThat(sandbox.pendingFaults()).as("the refusal is used up").isEmpty();
        chromium.screenshot("day-09-task-failed");
        browser.findElement(By.id("retry")).click();
        wait.until(d -> "SYNCED".equals(d.findElement(By.id("task")).getAttribute("data-status")));
        assertThat(text("#result")).isEqualTo("Retried: now SYNCED");
        JsonNode retried = apiJson("/api/v1/tasks/" + failing);
        assertThat(retried.path("status").asText()).isEqualTo("SYNCED");
        assertThat(addition(retried.path("additionIds").get(0).asLong()).path("quantity").decimalValue()).isEqualByComparingTo("4");
        assertThat(additions()).hasSize(3);
        chromium.screenshot("day-10-task-retried");

        // accept a reconciliation line the daily run made from real invoices (R32 v2: the run already posted the
        // final charges as a delta line and left the discrepancy open to Accept / Reject)
        subscription("sub-recon", 30, "SAAS", "2", "5.00", "6.00");
        postInvoices("[" + invoice("sub-recon", 30, "SAAS", "RESELLER", "2024-02", "2", "11.00") + ","
                + invoice("sub-recon", 30, "SAAS", "CUSTOMER", "2024-02", "2", "13.00") + "]");
        runOn("2024-03-10");
        assertThat(row("sub-recon")).containsEntry("status", "PENDING_REVIEW");
        long line = id("sub-recon");
        assertThat(deltaLines()).as("posted by the daily run").hasSize(1);
        // the overview's open lines lead to it; the whole month's log (the default filter) keeps the line in view once decided
        browser.get(base() + "/partners/" + DEMO);
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#action-RECONCILIATION .count"))).getText())
                .isEqualTo("1");
        browser.findElement(By.id("nav-reconciliation")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + line + "'][data-status='PENDING_REVIEW']")));
        assertThat(browser.findElement(By.id("filter-from")).getAttribute("value")).isEqualTo("2024-02-01");
        chromium.screenshot("day-11-reconciliation");
        browser.findElement(By.id("select-" + line)).click();
        browser.findElement(By.id("accept-selected")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + line + "'] .outcome .recon-ok")));
        assertThat(text("tr[data-id='" + line + "'] .outcome")).isEqualTo("RECONCILED");
        assertThat(text("#result")).isEqualTo("Accepted 1 line(s).");
        JsonNode log = apiJson("/api/v1/partners/" + DEMO + "/reconciliation?from=2024-02-01&to=2024-02-29&status=RECONCILED");
        assertThat(log.findValuesAsText("subscriptionId")).containsExactly("sub-recon");
        assertThat(statusChanges("sub-recon")).endsWith("PENDING_REVIEW>RECONCILED");
        assertThat(operations("sub-recon")).containsExactly("DELTA_LINE:DONE");
        long delta = jdbc.queryForObject("SELECT addition_id FROM reconciliation_operation WHERE reconciliation_id = ? AND kind = 'DELTA_LINE'",
                Long.class, line);
        assertThat(deltaLines()).as("accepting does not post the charges twice").containsExactly(delta);
        assertThat(addition(delta).path("description").asText()).isEqualTo("Billing reconciliation 2024-02 | Subscription sub-recon");
        chromium.screenshot("day-12-reconciliation-accepted");

        // the CSV through the session's own link: the API's CSV for the same filter, row for row
        new Select(browser.findElement(By.id("filter-status"))).selectByValue("RECONCILED");
        browser.findElement(By.id("filter-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("recon-total"), "1 line(s)"));
        String href = browser.findElement(By.id("download-csv")).getAttribute("href");
        List<?> download = fetch(href);
        assertThat(download.get(0)).isEqualTo(200L);
        assertThat((String) download.get(1)).startsWith("text/csv");
        String csv = (String) download.get(2);
        ResponseEntity<String> fromApi = api.get()
                .uri("/api/v1/partners/{p}/reconciliation?from=2024-02-01&to=2024-02-29&status=RECONCILED", DEMO)
                .header("Accept", "text/csv").retrieve().toEntity(String.class);
        assertThat(csv).isEqualTo(fromApi.getBody());
        List<List<String>> rows = ReconciliationLogTest.parseCsv(csv);
        assertThat(rows.get(0)).containsExactlyElementsOf(ReconciliationCsv.HEADER);
        int sub = ReconciliationCsv.HEADER.indexOf("subscriptionId"), status = ReconciliationCsv.HEADER.indexOf("status");
        assertThat(rows.subList(1, rows.size())).extracting(r -> r.get(sub) + " " + r.get(status)).containsExactly("sub-recon RECONCILED");
        chromium.screenshot("day-13-reconciliation-csv");

        // another partner's overview, task and CSV: the refusal page, and its API refuses the session too
        String foreignCsv = href.replace("/partners/" + DEMO + "/", "/partners/" + other + "/");
        assertThat(foreignCsv).contains("/partners/" + other + "/reconciliation/csv");
        String[][] refused = {{"overview", "/partners/" + other}, {"task", "/partners/" + other + "/tasks/" + otherTask},
                {"csv", foreignCsv.substring(base().length())}};
        for (String[] page : refused) {
            browser.get(base() + page[1]);
            wait.until(ExpectedConditions.textToBe(By.id("title"), "Not allowed"));
            assertThat(text("#forbidden")).contains("partner " + DEMO).contains(other);
            chromium.screenshot("day-14-refused-" + page[0]);
        }
        assertThat(fetch(foreignCsv).get(0)).isEqualTo(403L);
        assertThat(fetch(base() + "/api/v1/tasks/" + otherTask).get(0)).isEqualTo(403L);
        assertThat(fetch(base() + "/api/v1/tasks/" + approved).get(0)).isEqualTo(200L);
        assertThat(apiJson("/api/v1/tasks/" + otherTask).path("status").asText()).as("the other partner's task untouched")
                .isEqualTo("NEEDS_MAPPING");
        assertThat(chromium.consoleMessages()).as("nothing refused by the Content-Security-Policy")
                .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy"));
    }

    /** The sandbox's reconciliation delta lines of sub-recon. */
    private List<Long> deltaLines() {
        return additions().stream().filter(a -> a.path("description").asText().equals("Billing reconciliation 2024-02 | Subscription sub-recon"))
                .map(a -> a.path("id").asLong()).toList();
    }

    /** A same-origin GET from the page with the session's cookies: [status, content type, body]. */
    private List<?> fetch(String url) {
        return (List<?>) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'})"
                        + ".then(r => r.text().then(t => done([r.status, r.headers.get('Content-Type') || '', t])));", url);
    }

    private void openTask(long taskId) {
        browser.get(base() + "/partners/" + DEMO + "/tasks/" + taskId);
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Task " + taskId));
    }

    private JsonNode apiJson(String path) throws Exception {
        ResponseEntity<String> r = api.get().uri(path).retrieve().toEntity(String.class);
        assertThat(r.getStatusCode().value()).as(path + " " + r.getBody()).isEqualTo(200);
        return mapper.readTree(r.getBody());
    }

    private WebElement item(String id) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tbody.item[data-id='" + id + "']")));
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }
}
