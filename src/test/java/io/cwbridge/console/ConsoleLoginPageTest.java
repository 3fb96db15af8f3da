package io.cwbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.Chromium;
import io.cwbridge.testsupport.ConsoleBrowser;
import io.cwbridge.testsupport.ConsoleLogin;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo login in headless Chromium (issue 16, seed 002): the console asks for it, the demo partner's
 * user lands on its overview and sees only its partner; another partner's pages are refused; a change
 * sent on the strength of the session alone (no CSRF token) is refused. Skipped without Chromium.
 */
class ConsoleLoginPageTest extends ConsoleTestBase {

    // sets the fields below before each test (Chromium, not logged in), resets the shared browser after it
    @RegisterExtension final ConsoleBrowser console = ConsoleBrowser.loggedOut();
    Chromium chromium;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void startBrowser() throws Exception {
        // the demo user's partner (without a connection: nothing syncs for it in this shared context)
        jdbc.update("INSERT INTO partner (partner_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
                ConsoleLogin.DEMO_PARTNER, ConsoleLogin.DEMO_PARTNER);
    }

    @Test
    void theDemoPartnersUserLandsOnItsOverviewAndIsRefusedAnotherPartner() {
        browser.get(base() + "/");
        wait.until(ExpectedConditions.urlToBe(base() + "/login"));
        assertThat(browser.findElement(By.id("demo-login")).getText()).contains("demo / demo").contains("operator / operator");
        chromium.screenshot("console-login");

        // a wrong password stays on the page and says so
        browser.findElement(By.id("username")).sendKeys(ConsoleLogin.DEMO);
        browser.findElement(By.id("password")).sendKeys("wrong");
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-error")));

        chromium.login(base(), ConsoleLogin.DEMO, ConsoleLogin.DEMO_PASSWORD);
        wait.until(ExpectedConditions.urlToBe(base() + "/partners/demo"));
        assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("Overview · demo");
        assertThat(new Select(browser.findElement(By.id("partner-select"))).getOptions())
                .extracting(o -> o.getAttribute("value")).containsExactly("demo");
        assertThat(browser.findElement(By.id("current-user")).getText()).isEqualTo(ConsoleLogin.DEMO);
        chromium.screenshot("console-overview-demo-user");

        // another partner's pages: the refusal page, whatever the screen
        for (String path : new String[] {"/partners/" + partner, "/partners/" + partner + "/tasks", "/partners?partner=" + partner}) {
            browser.get(base() + path);
            wait.until(ExpectedConditions.textToBe(By.id("title"), "Not allowed"));
            assertThat(browser.findElement(By.id("forbidden")).getText()).contains("partner demo").contains(partner);
        }
        chromium.screenshot("console-forbidden");
        // ...and its API, from the session's page
        assertThat(fetchStatus("/api/v1/partners/" + partner + "/sync-rules", "GET")).isEqualTo(403);
        assertThat(fetchStatus("/api/v1/partners/demo/sync-rules", "GET")).isEqualTo(200);
    }

    @Test
    void aConsoleChangeWithoutTheCsrfTokenIsRefusedInASession() throws Exception {
        long taskId = waitingTask("sub-csrf", "Chairs Unlimited", manualPartnerWithMappings());
        chromium.login(base(), ConsoleLogin.OPERATOR, ConsoleLogin.OPERATOR_PASSWORD);
        browser.get(base() + "/partners/" + partner + "/tasks/" + taskId);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("dismiss")));
        // the page's forms carry the token Spring Security put in them
        assertThat(browser.findElements(By.cssSelector("form[method=post] input[name=_csrf]"))).isNotEmpty();

        // the same form's POST with the session cookie but without its token
        String path = "/partners/" + partner + "/tasks/" + taskId + "/dismiss";
        assertThat(fetchStatus(path, "POST")).isEqualTo(403);
        assertThat(awaitStatus(taskId)).isEqualTo("AWAITING_APPROVAL");
        // the form itself sent without its _csrf field: the browser shows the refusal page
        ((JavascriptExecutor) browser).executeScript("const f = document.getElementById('dismiss').form;"
                + "f.querySelector('input[name=_csrf]').remove(); f.querySelector('input[name=reason]').value = 'forged'; f.submit();");
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Not allowed"));
        assertThat(browser.findElement(By.id("forbidden")).getText()).contains("security token");
        assertThat(awaitStatus(taskId)).isEqualTo("AWAITING_APPROVAL");
        chromium.screenshot("console-csrf-refused");

        // logging out ends the session: the console asks for the login again
        browser.get(base() + "/partners/" + partner);
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#logout button"))).click();
        wait.until(ExpectedConditions.urlContains("/login?logout"));
        browser.get(base() + "/partners/" + partner);
        wait.until(ExpectedConditions.urlToBe(base() + "/login"));
    }

    private String awaitStatus(long taskId) {
        return jdbc.queryForObject("SELECT status FROM sync_task WHERE task_id = ?", String.class, taskId);
    }

    /** The status of a same-origin fetch from the page, with the session's cookies and no CSRF header. */
    private int fetchStatus(String path, String method) {
        Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {method: arguments[1], headers: {'Content-Type': 'application/x-www-form-urlencoded'},"
                        + " body: arguments[1] === 'GET' ? undefined : 'reason=x'}).then(r => done(r.status));", path, method);
        return ((Number) status).intValue();
    }
}
