package io.cwbridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.testsupport.Chromium;
import io.cwbridge.testsupport.ConsoleBrowser;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The workbench page (/workbench/index.html) in headless Chromium: a billing person maps a
 * customer through the page and the summary tiles follow. Skipped without Chromium ({@link Chromium}).
 */
class WorkbenchPageTest extends MappingApiTestBase {

    // sets the fields below before each test (Chromium, the operator logged in), resets the shared browser after it
    @RegisterExtension final ConsoleBrowser console = ConsoleBrowser.operator(() -> "http://localhost:" + port);
    Chromium chromium;
    WebDriver browser;

    @Test
    void mapsACustomerThroughThePageAndTheTilesFollow() {
        seedEvent("sub-a", "2024-03-15T14:02:00Z");
        seedEvent("sub-b", "2024-03-15T14:02:00Z", Map.of("customer", Map.of("id", "777", "name", "Contoso Dental")), Map.of());
        long chairs = company("ChairsUnlimited", "Chairs Unlimited");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100));

        browser.get("http://localhost:" + port + "/workbench/index.html?partner=" + partner);

        wait.until(ExpectedConditions.textToBe(By.id("tile-unmapped-customers"), "2"));
        assertThat(browser.findElement(By.id("tile-unmapped-subscriptions")).getText()).isEqualTo("2");
        assertThat(browser.findElement(By.id("tile-revenue")).getText()).isEqualTo("528.00 USD");
        assertThat(browser.findElement(By.id("tile-catch-ups")).getText()).as("R27: no catch-up to review").isEqualTo("0");
        // the tiles and the table are loaded by separate calls: wait for the row too
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='65533']")));
        assertThat(row.getAttribute("data-status")).isEqualTo("UNMAPPED");

        row.findElement(By.className("btn-candidates")).click();
        wait.until(d -> !d.findElement(By.cssSelector("tr[data-id='65533'] input.link-id")).getAttribute("value").isEmpty());
        assertThat(browser.findElement(By.cssSelector("tr[data-id='65533'] input.link-id")).getAttribute("value"))
                .isEqualTo(String.valueOf(chairs));
        browser.findElement(By.cssSelector("tr[data-id='65533'] .btn-map")).click();

        wait.until(ExpectedConditions.textToBe(By.id("tile-unmapped-customers"), "1"));
        wait.until(d -> "MAPPED".equals(d.findElement(By.cssSelector("tr[data-id='65533']")).getAttribute("data-status")));
        assertThat(json(get("/{p}/customers/{c}/mapping", partner, "65533")).path("companyId").asLong()).isEqualTo(chairs);
        assertThat(browser.findElement(By.cssSelector("tr[data-id='777']")).getAttribute("data-status")).isEqualTo("UNMAPPED");
    }

    @Test
    void adoptsAHandMadeAdditionThroughThePageR6() {
        seedEvent("sub-a", "2024-03-15T14:02:00Z"); // 12 licences at 22.00
        mapChairs("Chairs cloud");
        long hand = client.create(cw, "finance/agreements/" + agreement + "/additions", Map.of("product", Map.of("id", item),
                "quantity", 12, "unitPrice", 22.00, "unitCost", 18.70, "billCustomer", "Billable",
                "effectiveDate", "2024-02-14T00:00:00Z", "description", "typed by hand"), null).path("id").asLong();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // the list is re-rendered after each action

        browser.get("http://localhost:" + port + "/workbench/index.html?partner=" + partner);
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#tabs button[data-list='subscriptions']"))).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-id='sub-a'] .btn-addition-candidates"))).click();
        wait.until(d -> !d.findElement(By.cssSelector("tr[data-id='sub-a'] input.addition-id")).getAttribute("value").isEmpty());
        assertThat(browser.findElement(By.cssSelector("tr[data-id='sub-a'] input.addition-id")).getAttribute("value"))
                .isEqualTo(String.valueOf(hand));
        assertThat(browser.findElement(By.cssSelector("tr[data-id='sub-a'] input.link-id")).getAttribute("value"))
                .isEqualTo(String.valueOf(agreement));
        assertThat(browser.findElement(By.cssSelector("tr[data-id='sub-a'] select.addition-choices")).getText()).contains("exact");
        browser.findElement(By.cssSelector("tr[data-id='sub-a'] .btn-adopt")).click();

        wait.until(d -> "MAPPED".equals(d.findElement(By.cssSelector("tr[data-id='sub-a']")).getAttribute("data-status")));
        assertThat(json(get("/{p}/subscriptions/{s}/mapping", partner, "sub-a")).path("adoption").path("additionId").asLong())
                .isEqualTo(hand);
    }

    /** Chairs' sub-a (12 × 22.00) known from an event, customer and product mapped, one hand-made addition; its id. */
    long handMadeForSubA(long agreement, long item, String description) {
        return handMadeForSubA(agreement, item, description, "2024-02-14");
    }

    long handMadeForSubA(long agreement, long item, String description, String effective) {
        return client.create(cw, "finance/agreements/" + agreement + "/additions", Map.of("product", Map.of("id", item),
                "quantity", 12, "unitPrice", 22.00, "unitCost", 18.70, "billCustomer", "Billable",
                "effectiveDate", effective + "T00:00:00Z", "description", description), null).path("id").asLong();
    }

    @Test
    void cutsAHandMadeAdditionOverThroughTheTakeOverScreenAndShowsFieldErrorsInPlaceR6() {
        seedEvent("sub-a", "2024-03-15T14:02:00Z"); // 12 licences at 22.00
        mapChairs("Chairs cloud");
        String hostile = "<img src=x onerror=\"document.body.dataset.owned=1\"> typed by hand";
        long hand = handMadeForSubA(agreement, item, hostile);
        long gone = handMadeForSubA(agreement, item, "second copy, deleted before it is adopted", "2024-03-05");
        sandbox.invoice(agreement, "2024-02-29");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);

        browser.get("http://localhost:" + port + "/workbench/index.html?partner=" + partner);
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#tabs button[data-list='subscriptions']"))).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-id='sub-a'] .btn-takeover"))).click();
        WebElement candidate = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr.takeover[data-for='sub-a'] tr.candidate[data-addition-id='" + hand + "']")));
        assertThat(candidate.getText()).contains("M365BP").contains("12").contains("22.00").contains("2024-02-14")
                .contains(hostile).contains("exact").contains("same quantity");
        // data is text, never markup
        assertThat(browser.findElements(By.cssSelector("tr.takeover img"))).isEmpty();
        assertThat(browser.findElement(By.tagName("body")).getAttribute("data-owned")).isNull();

        // A candidate that vanished in ConnectWise meanwhile: the field error is shown in the panel.
        client.delete(cw, "finance/agreements/" + agreement + "/additions/" + gone);
        browser.findElement(By.cssSelector("tr.candidate[data-addition-id='" + gone + "'] .btn-adopt-candidate")).click();
        WebElement error = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr.takeover[data-for='sub-a'] .takeover-result.error li[data-field='additionId']")));
        assertThat(error.getText()).contains("has no addition " + gone);

        browser.findElement(By.cssSelector("tr.candidate[data-addition-id='" + hand + "'] .btn-cutover")).click();
        WebElement result = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr.takeover[data-for='sub-a'] .takeover-result.ok")));
        assertThat(result.getText()).contains("Cut over: addition " + hand + " ends on 2024-02-29").contains("bills from 2024-03-01");
        assertThat(browser.findElement(By.cssSelector("tr[data-id='sub-a']")).getAttribute("data-status")).isEqualTo("MAPPED");
        JsonNode cut = json(get("/{p}/subscriptions/{s}/mapping", partner, "sub-a")).path("cutover");
        assertThat(cut.path("status").asText()).isEqualTo("DONE");
        assertThat(additions(agreement)).anySatisfy(a -> {
            assertThat(a.path("id").asLong()).isEqualTo(hand);
            assertThat(a.path("cancelledDate").asText()).startsWith("2024-02-29");
        });
    }

    @Test
    void showsTheOnboardingDryRunAsATablePerCustomerR7() {
        mapChairs("Chairs cloud");
        long hand = handMadeForSubA(agreement, item, "Business Premium, typed by hand");
        String book = """
                [{"id":"sub-a","customer":{"id":"65533","name":"Chairs Unlimited"},
                  "product":{"id":"CFQ7TTC0LCHC:0002","provider":"Microsoft CSP","name":"Microsoft 365 NCE",
                             "plan":"Microsoft 365 Business Premium","mfgPartNumber":"CFQ7TTC0LCHC:0002:P1"},
                  "kind":"SAAS","quantity":12,"unitPrice":22.00,"unitCost":18.70,"currency":"USD","billingCycle":"MONTHLY",
                  "startDate":"2024-02-14","endDate":"2025-02-13","status":"ACTIVE"},
                 {"id":"sub-x","customer":{"id":"777","name":"<b>Nobody</b> Ltd"},
                  "product":{"id":"CFQ7TTC0LCHC:0002","provider":"Microsoft CSP","name":"Microsoft 365 NCE",
                             "plan":"Microsoft 365 Business Premium","mfgPartNumber":"CFQ7TTC0LCHC:0002:P1"},
                  "kind":"SAAS","quantity":3,"unitPrice":22.00,"unitCost":18.70,"currency":"USD","billingCycle":"MONTHLY",
                  "startDate":"2024-02-14","endDate":"2025-02-13","status":"ACTIVE"}]""";
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100));

        browser.get("http://localhost:" + port + "/workbench/index.html?partner=" + partner);
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#onboarding summary"))).click();
        WebElement input = browser.findElement(By.id("onboarding-input"));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1];", input, book);
        browser.findElement(By.id("onboarding-dry")).click();

        WebElement adopt = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#onboarding-report section[data-customer-id='65533'] tr[data-subscription-id='sub-a']")));
        assertThat(adopt.getAttribute("data-action")).isEqualTo("ADOPT");
        assertThat(adopt.getText()).contains(String.valueOf(hand)).contains(String.valueOf(agreement));
        WebElement leave = browser.findElement(By.cssSelector("section[data-customer-id='777'] tr[data-subscription-id='sub-x']"));
        assertThat(leave.getAttribute("data-action")).isEqualTo("LEAVE");
        assertThat(leave.getText()).contains("777");
        assertThat(browser.findElement(By.cssSelector("section[data-customer-id='777'] h3")).getText()).contains("<b>Nobody</b> Ltd");
        assertThat(browser.findElements(By.cssSelector("#onboarding-report b"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("#onboarding-report .totals")).getText())
                .contains("adopt 1").contains("leave 1");
        // a dry run saves nothing
        assertThat(jdbc.queryForObject("SELECT count(*) FROM imported_subscription WHERE partner_id = ?", Integer.class, partner))
                .isZero();
    }
}
