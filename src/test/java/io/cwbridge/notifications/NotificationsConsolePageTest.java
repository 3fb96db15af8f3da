package io.cwbridge.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.Chromium;
import io.cwbridge.testsupport.ConsoleBrowser;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The console's notifications screen (issue 16, R33) with a real SMTP server (GreenMail, the digest
 * tests' context): a recipient set in the browser receives the test mail, which route
 * "notification-test-mail" sends through the digests' SMTP settings. Skipped without Chromium.
 */
class NotificationsConsolePageTest extends DigestMailTestBase {

    @LocalServerPort int port;

    // sets the fields below before each test (Chromium, the operator logged in), resets the shared browser after it
    @RegisterExtension final ConsoleBrowser console = ConsoleBrowser.operator(() -> "http://localhost:" + port);
    Chromium chromium;
    WebDriver browser;
    WebDriverWait wait;

    @Test
    void aRecipientSetInTheConsoleReceivesTheTestMail() throws Exception {
        String partner = partner("ui");
        String address = "billing@" + domain(partner);
        browser.get("http://localhost:" + port + "/partners/" + partner + "/notifications");
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Notifications · " + partner));
        assertThat(browser.findElement(By.id("mail-server-status")).getText())
                .isEqualTo("Mail goes through 127.0.0.1:" + SMTP.getSmtp().getPort() + ".");

        // no recipient yet: nothing is sent, the page says why next to the field
        click("send-test-mail");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("error-recipients")));
        assertThat(browser.findElement(By.cssSelector("#error p")).getText()).isEqualTo("No test mail was sent: there is no recipient.");

        click("enabled");
        browser.findElement(By.id("recipients")).sendKeys(address);
        WebElement account = browser.findElement(By.id("accountName"));
        account.sendKeys("Chairs MSP Inc.");
        click("save-notifications");
        wait.until(ExpectedConditions.textToBe(By.id("result"), "Notification settings saved."));
        assertThat(settings.find(partner).recipients()).containsExactly(address);
        assertThat(browser.findElement(By.id("digest-SERVICE_MAPPING")).getAttribute("data-sent")).isEqualTo("true");
        assertThat(browser.findElement(By.id("digest-TASK_ACTIVITY")).getAttribute("data-sent")).isEqualTo("false");

        click("send-test-mail");
        wait.until(ExpectedConditions.textToBe(By.id("result"),
                "Test mail sent to " + address + " via 127.0.0.1:" + SMTP.getSmtp().getPort() + "."));
        chromium.screenshot("console-notifications");

        List<MimeMessage> inbox = inbox(address);
        assertThat(inbox).hasSize(1);
        MimeMessage mail = inbox.get(0);
        assertThat(mail.getSubject()).isEqualTo("Test mail from the ConnectWise sync console (" + partner + ")");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("cwbridge@bundle.example");
        String body = String.valueOf(mail.getContent());
        assertThat(body).startsWith("Hello Chairs MSP Inc.,").contains("go to: " + address)
                .contains(DigestKind.SERVICE_MAPPING.subject() + ": yes").contains(DigestKind.TASK_ACTIVITY.subject() + ": no");
        // a test mail is not a digest: nothing claimed, so today's real digests still go out
        assertThat(jdbc.queryForObject("SELECT count(*) FROM notification_digest WHERE partner_id = ?", Long.class, partner))
                .isZero();
    }

    /** Clicks the element with this id once it is scrolled to the middle of the window (nothing sticky above it). */
    private void click(String id) {
        WebElement element = wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }
}
