package io.cwbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.Chromium;
import io.cwbridge.testsupport.ConsoleBrowser;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The parked-event editor (issue 16, SPEC 2 fix and replay) in headless Chromium: a sale parked
 * for its quantity is fixed in the textarea; a still-bad fix shows its field in place and stays
 * parked (as the newer row holding the edit); the good fix becomes a task, linked from the page.
 */
class ParkedEventEditorPageTest extends ConsoleTestBase {

    // sets the fields below before each test (Chromium, the operator logged in), resets the shared browser after it
    @RegisterExtension final ConsoleBrowser console = ConsoleBrowser.operator(this::base);
    Chromium chromium;
    WebDriver browser;
    WebDriverWait wait;

    @Test
    void aParkedSaleIsFixedInTheEditorAndReplayedIntoATask() throws Exception {
        String eventId = UUID.randomUUID().toString();
        String bad = sale(eventId, "\"five\"");
        ResponseEntity<String> posted = api.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(bad)
                .retrieve().toEntity(String.class);
        assertThat(posted.getStatusCode().value()).as(posted.getBody()).isEqualTo(400);
        long parkedId = json(posted).path("parkedId").asLong();

        browser.get(base() + "/partners/" + partner + "/parked/" + parkedId);
        WebElement editor = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("edit-body")));
        assertThat(editor.getAttribute("value")).isEqualTo(bad);
        assertThat(browser.findElements(By.cssSelector("#reasons li"))).extracting(li -> li.getAttribute("data-field"))
                .contains("subscription.quantity");
        chromium.screenshot("console-parked-editor");

        // a fix that is still wrong (a sale of 0 licences): the field is named beside the editor, the edit stays parked
        edit(bad.replace("\"five\"", "0"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("edit-error")));
        long newer = Long.parseLong(browser.findElement(By.id("parked-event")).getAttribute("data-id"));
        assertThat(newer).isNotEqualTo(parkedId);
        assertThat(browser.findElement(By.id("parked-event")).getAttribute("data-status")).isEqualTo("PARKED");
        assertThat(browser.findElements(By.cssSelector("#edit-errors .edit-error"))).extracting(li -> li.getAttribute("data-field"))
                .containsExactly("subscription.quantity");
        assertThat(browser.findElement(By.id("edit-body")).getAttribute("value")).isEqualTo(bad.replace("\"five\"", "0"));
        assertThat(browser.findElement(By.id("edit-body")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(json(api.get().uri("/api/v1/parked-events/{id}", parkedId).retrieve().toEntity(String.class)).path("status").asText())
                .isEqualTo("SUPERSEDED");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
                browser.findElement(By.id("editor")));
        chromium.screenshot("console-parked-editor-still-invalid");

        // the good fix goes through the intake: a task, linked in place
        edit(bad.replace("\"five\"", "5"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("replayed-task-link")));
        assertThat(browser.findElement(By.id("parked-event")).getAttribute("data-status")).isEqualTo("REPLAYED");
        assertThat(text("#result")).startsWith("Replayed: ACCEPTED (task ");
        browser.findElement(By.id("replayed-task-link")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("task")));
        long taskId = Long.parseLong(browser.findElement(By.id("task")).getAttribute("data-id"));
        ResponseEntity<String> task = api.get().uri("/api/v1/tasks/{id}", taskId).retrieve().toEntity(String.class);
        assertThat(task.getStatusCode().value()).isEqualTo(200);
        assertThat(json(task).path("eventId").asText()).isEqualTo(eventId);
        assertThat(jdbc.queryForObject("SELECT CAST(payload -> 'subscription' ->> 'quantity' AS int) FROM subscription_event WHERE event_id = ?",
                Integer.class, eventId)).isEqualTo(5);
        chromium.screenshot("console-parked-editor-replayed");
    }

    private void edit(String text) {
        WebElement editor = browser.findElement(By.id("edit-body"));
        editor.clear();
        editor.sendKeys(text);
        browser.findElement(By.id("replay-edited")).click();
    }

    /** Chairs' Microsoft 365 sale with {@code quantity} written as given (JSON text). */
    private String sale(String eventId, String quantity) {
        return ("{\"eventId\":\"%s\",\"partnerId\":\"%s\",\"type\":\"SALES_ORDER\",\"action\":\"NEW\",\"occurredAt\":\"2024-02-14T09:00:00Z\","
                + "\"subscription\":{\"id\":\"sub-edit\",\"customer\":{\"id\":\"%s\",\"name\":\"Chairs Unlimited\"},"
                + "\"product\":{\"id\":\"%s\",\"provider\":\"Microsoft CSP\",\"name\":\"Microsoft 365 NCE\","
                + "\"plan\":\"Microsoft 365 Business Premium\",\"mfgPartNumber\":\"CFQ7TTC0LCHC:0002:P1\"},"
                + "\"kind\":\"SAAS\",\"quantity\":%s,\"unitPrice\":22.00,\"unitCost\":18.70,\"currency\":\"USD\",\"billingCycle\":\"MONTHLY\","
                + "\"startDate\":\"2024-02-14\",\"endDate\":\"2025-02-13\",\"autoRenew\":false,\"status\":\"ACTIVE\"}}")
                .formatted(eventId, partner, CUSTOMER_ID, PRODUCT_ID, quantity);
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }
}
