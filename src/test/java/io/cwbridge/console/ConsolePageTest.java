package io.cwbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.partner.PartnerSummary;
import io.cwbridge.testsupport.Chromium;
import io.cwbridge.testsupport.ConsoleBrowser;
import io.cwbridge.testsupport.ConsoleLogin;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The console (issue 16) in headless Chromium, as a billing person uses it: the overview, the tasks
 * waiting for approval, a task's plan and its approval, a parked event; hostile names show as text.
 * Writes a screenshot per screen to target/screenshots/. Skipped without Chromium ({@link Chromium}).
 */
class ConsolePageTest extends ConsoleTestBase {

    static final String HOSTILE = "<img src=x onerror=alert(1)>";

    // sets the fields below before each test (Chromium, the operator logged in), resets the shared browser after it
    @RegisterExtension final ConsoleBrowser console = ConsoleBrowser.operator(this::base);
    Chromium chromium;
    WebDriver browser;
    WebDriverWait wait;

    @Test
    void overviewTasksAndApprovalOfAWaitingTaskR31() throws Exception {
        long agreement = manualPartnerWithMappings();
        long taskId = waitingTask("sub-console", "Chairs Unlimited", agreement);

        // "/" opens the overview of the demo partner, or of the first partner where there is no demo one
        List<PartnerSummary> all = connections.partners();
        String first = all.stream().map(PartnerSummary::partnerId).filter("demo"::equals).findFirst().orElse(all.get(0).partnerId());
        browser.get(base() + "/");
        wait.until(ExpectedConditions.urlToBe(base() + "/partners/" + first));
        assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("Overview · " + first);
        assertThat(new Select(browser.findElement(By.id("partner-select"))).getOptions()).extracting(o -> o.getAttribute("value"))
                .containsAll(all.stream().map(PartnerSummary::partnerId).toList());

        // the picker lists real partners and opens the chosen one
        new Select(browser.findElement(By.id("partner-select"))).selectByValue(partner);
        browser.findElement(By.cssSelector("#partner-picker button")).click();
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Overview · " + partner));
        assertThat(text("#action-AWAITING_APPROVAL .count")).isEqualTo("1");
        assertThat(text("#action-FAILED .count")).isEqualTo("0");
        assertThat(text("#action-PARKED .count")).isEqualTo("0");
        assertThat(text("#counts-customers .mapped")).isEqualTo("1");
        assertThat(text("#counts-products .mapped")).isEqualTo("1");
        chromium.screenshot("console-overview");

        // what needs action links to the tasks awaiting approval; names next to ids, hostile ones as text
        browser.findElement(By.id("action-AWAITING_APPROVAL")).click();
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Tasks · " + partner));
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + taskId + "']")));
        assertThat(row.getAttribute("data-status")).isEqualTo("AWAITING_APPROVAL");
        assertThat(row.findElement(By.cssSelector(".customer")).getText()).isEqualTo("Chairs Unlimited (65533)");
        assertThat(row.findElement(By.className("product")).getText()).isEqualTo("Microsoft 365 Business Premium");
        assertThat(new Select(browser.findElement(By.id("filter-status"))).getFirstSelectedOption().getText())
                .isEqualTo("AWAITING_APPROVAL");
        chromium.screenshot("console-tasks");
        // filtering by order type: the waiting sale is not a cancellation
        new Select(browser.findElement(By.id("filter-type"))).selectByValue("CANCELLATION_ORDER");
        browser.findElement(By.id("filter-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("task-total"), "0 task(s)"));
        new Select(browser.findElement(By.id("filter-type"))).selectByValue("SALES_ORDER");
        browser.findElement(By.id("filter-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("task-total"), "1 task(s)"));
        row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + taskId + "']")));

        // the task's plan, then the approval: the result shows in place and the task is SYNCED
        row.findElement(By.className("task-link")).click();
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Task " + taskId));
        assertThat(browser.findElements(By.cssSelector("#plan .plan-op"))).hasSize(1);
        assertThat(text("#plan .plan-op td")).isEqualTo("CREATE");
        assertThat(text("#task-customer")).isEqualTo("Chairs Unlimited (65533)");
        chromium.screenshot("console-task-awaiting-approval");
        browser.findElement(By.id("approve")).click();
        wait.until(d -> "SYNCED".equals(d.findElement(By.id("task")).getAttribute("data-status")));
        assertThat(text("#result")).isEqualTo("Approved: now SYNCED");
        assertThat(browser.findElements(By.cssSelector("#operations .operation"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#history .history-entry"))).extracting(WebElement::getText)
                .anySatisfy(h -> assertThat(h).contains(ConsoleLogin.OPERATOR).contains("approved")); // the logged-in user
        assertThat(browser.findElements(By.id("approve"))).isEmpty();
        assertThat(json(api.get().uri("/api/v1/tasks/{id}", taskId).retrieve().toEntity(String.class)).path("status").asText())
                .isEqualTo("SYNCED");
        chromium.screenshot("console-task-synced");
        assertThat(((JavascriptExecutor) browser).executeScript("return typeof htmx")).as("htmx loaded under the CSP")
                .isEqualTo("object");
        assertThat(chromium.consoleMessages()).as("nothing refused by the Content-Security-Policy")
                .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy"));

    }

    @Test
    void dismissNeedsAReasonShowsTheRefusalInPlaceAndAHostileReasonAsText() throws Exception {
        long agreement = manualPartnerWithMappings();
        long taskId = waitingTask("sub-dismiss", "Chairs Unlimited", agreement);

        browser.get(base() + "/partners/" + partner + "/tasks/" + taskId);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("dismiss"))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("error")));
        assertThat(text("#error p")).isEqualTo("Nothing was dismissed.");
        assertThat(text("#error li code")).isEqualTo("reason");
        assertThat(browser.findElement(By.id("task")).getAttribute("data-status")).isEqualTo("AWAITING_APPROVAL");

        // the API takes markup in a free-text reason (it is for people to read): every page shows it as text
        browser.findElement(By.id("dismiss-reason")).sendKeys(HOSTILE);
        browser.findElement(By.id("dismiss")).click();
        wait.until(d -> "DISMISSED".equals(d.findElement(By.id("task")).getAttribute("data-status")));
        assertThat(text("#task-reason")).isEqualTo(HOSTILE);
        assertThat(browser.findElements(By.cssSelector("#task img"))).isEmpty();
        chromium.screenshot("console-task-dismissed");
        browser.findElement(By.id("back")).click();
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='" + taskId + "']")));
        assertThat(row.findElement(By.className("reason")).getText()).isEqualTo(HOSTILE);
        assertThat(browser.findElements(By.cssSelector("#task-list img"))).isEmpty();
        // an alert() that ran would make this call fail with UnhandledAlertException
        assertThat(browser.getTitle()).startsWith("Tasks");
    }

    @Test
    void parkedEventShowsItsReasonsAndRawTextAndIsDiscarded() {
        String raw = "{\"eventId\":\"bad-1\",\"partnerId\":\"" + partner + "\",\"type\":\"SALES_ORDER\",\"note\":\"" + HOSTILE + "\"}";
        ResponseEntity<String> posted = api.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(raw)
                .retrieve().toEntity(String.class);
        assertThat(posted.getStatusCode().value()).as(posted.getBody()).isEqualTo(400);

        browser.get(base() + "/partners/" + partner);
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#action-PARKED .count"))).getText())
                .isEqualTo("1");
        browser.findElement(By.id("action-PARKED")).click();
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#parked-list tr[data-status='PARKED']")));
        assertThat(row.findElement(By.className("reasons")).getText()).isNotBlank();
        chromium.screenshot("console-parked-events");
        row.findElement(By.className("parked-link")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("raw")));
        assertThat(text("#raw")).isEqualTo(raw);
        assertThat(browser.findElements(By.cssSelector("#parked-event img"))).isEmpty();
        chromium.screenshot("console-parked-event");

        browser.findElement(By.id("discard-reason")).sendKeys("test input");
        browser.findElement(By.id("discard")).click();
        wait.until(d -> "DISCARDED".equals(d.findElement(By.id("parked-event")).getAttribute("data-status")));
        assertThat(text("#result")).isEqualTo("Discarded: now DISCARDED");

        // a replay of text that is still invalid is parked again: the page says so, with the reasons
        ResponseEntity<String> second = api.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                .body("{\"eventId\":\"bad-2\",\"partnerId\":\"" + partner + "\",\"type\":\"SALES_ORDER\"}")
                .retrieve().toEntity(String.class);
        long parkedId = json(second).path("parkedId").asLong();
        browser.get(base() + "/partners/" + partner + "/parked/" + parkedId);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("replay"))).click();
        wait.until(d -> "SUPERSEDED".equals(d.findElement(By.id("parked-event")).getAttribute("data-status")));
        assertThat(text("#error p")).startsWith("Still invalid: kept as parked event ").endsWith(", which supersedes this one.");
        assertThat(browser.findElements(By.cssSelector("#error li"))).isNotEmpty();
        chromium.screenshot("console-parked-event-replayed");
    }

    @Test
    void anUnknownPartnerIsANotFoundPage() {
        browser.get(base() + "/partners/nope-" + partner);
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Not found"));
        assertThat(text("#not-found")).isEqualTo("There is no partner nope-" + partner + ".");
        chromium.screenshot("console-unknown-partner");
    }

    /** The element's text; found again if htmx swapped it between finding and reading (the wait ignores stale elements). */
    private String text(String css) {
        return wait.until(d -> d.findElement(By.cssSelector(css)).getText());
    }
}
