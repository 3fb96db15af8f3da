package io.cwbridge.console;

import static io.cwbridge.console.ConsolePageTest.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.testsupport.Chromium;
import io.cwbridge.testsupport.ConsoleBrowser;
import io.cwbridge.testsupport.Tenant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's mapping screens (issue 16) in headless Chromium, as a billing person maps a new
 * customer's book: customer and product from candidates, the subscription "map &amp; sync" onto a chosen
 * agreement (its task SYNCED, the addition in ConnectWise), a hand-made addition adopted (R6), an unmap;
 * refusals in place with their field; a generated 10,000-row list paged, searched and filtered; hostile
 * names as text. Screenshots to target/screenshots/. Skipped without Chromium ({@link Chromium}).
 */
class ConsoleMappingPageTest extends ConsoleTestBase {

    // sets the fields below before each test (Chromium, the operator logged in), closes the browser after it
    @RegisterExtension final ConsoleBrowser console = ConsoleBrowser.operator(this::base);
    Chromium chromium;
    WebDriver browser;
    WebDriverWait wait;

    @Test
    void mapsFromCandidatesMapsAndSyncsAdoptsAnAdditionAndUnmaps() throws Exception {
        long company = tenant.company("Chairs2", "Chairs Unlimited");
        // two eligible agreements: R4 cannot choose one, so the subscriptions wait for a person
        long cloud = agreement(company, "Chairs cloud");
        long other = agreement(company, "Chairs other");
        long item = tenant.catalogItem("M365BP-C", "Microsoft 365 Business Premium", "Cloud Licensing",
                Map.of("customerDescription", "M365"));
        long taskId = submitSale("sub-sync", "Chairs Unlimited");
        assertThat(awaitTask(taskId, "NEEDS_MAPPING", "FAILED")).isEqualTo("NEEDS_MAPPING");

        // customer: candidates with scores, the chosen one stays visible, mapped in place
        browser.get(base() + "/partners/" + partner + "/customers");
        WebElement row = item("65533");
        assertThat(row.getAttribute("data-status")).isEqualTo("UNMAPPED");
        assertThat(row.findElement(By.cssSelector(".name")).getText()).isEqualTo("Chairs Unlimited");
        row.findElement(By.className("btn-candidates")).click();
        WebElement candidate = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tbody[data-id='65533'] label.candidate[data-id='" + company + "']")));
        assertThat(candidate.getText()).contains("Chairs Unlimited").contains("(" + company + ", Chairs2)").contains("score 1.000");
        candidate.findElement(By.tagName("input")).click();
        assertThat(candidate.findElement(By.tagName("input")).isSelected()).isTrue();
        chromium.screenshot("console-mapping-customer-candidates");
        item("65533").findElement(By.className("btn-map-chosen")).click();
        wait.until(d -> "MAPPED".equals(item("65533").getAttribute("data-status")));
        assertThat(text("tbody[data-id='65533'] .target")).isEqualTo("Chairs Unlimited (" + company + ")");
        assertThat(text("tbody[data-id='65533'] .row-result")).isEqualTo("Mapped to company Chairs Unlimited (" + company + ").");
        // the counts per status follow the row (swapped out of band)
        wait.until(ExpectedConditions.textToBe(By.id("count-MAPPED"), "mapped 1 ·"));
        assertThat(text("#count-UNMAPPED")).isEqualTo("unmapped 0 ·");
        chromium.screenshot("console-mapping-customer-mapped");

        // product, from its tab
        browser.findElement(By.id("tab-products")).click();
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Products · " + partner));
        item(PRODUCT_ID).findElement(By.className("btn-candidates")).click();
        candidate = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tbody[data-id='" + PRODUCT_ID + "'] label.candidate[data-id='" + item + "']")));
        assertThat(candidate.getText()).contains("M365BP-C").contains("Microsoft 365 Business Premium").contains("score 1.000");
        candidate.findElement(By.tagName("input")).click();
        item(PRODUCT_ID).findElement(By.className("btn-map-chosen")).click();
        wait.until(d -> "MAPPED".equals(item(PRODUCT_ID).getAttribute("data-status")));
        assertThat(text("tbody[data-id='" + PRODUCT_ID + "'] .target"))
                .isEqualTo("M365BP-C — Microsoft 365 Business Premium (" + item + ")");

        // subscription: the company's agreements, then map & sync onto the chosen one
        browser.findElement(By.id("tab-subscriptions")).click();
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Subscriptions · " + partner));
        item("sub-sync").findElement(By.className("btn-agreements")).click();
        WebElement choice = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tbody[data-id='sub-sync'] label.agreement[data-id='" + cloud + "']")));
        assertThat(browser.findElements(By.cssSelector("tbody[data-id='sub-sync'] label.agreement"))).hasSize(2);
        choice.findElement(By.tagName("input")).click();
        chromium.screenshot("console-mapping-subscription-agreements");
        item("sub-sync").findElement(By.className("btn-map-sync")).click();
        wait.until(d -> "MAPPED".equals(item("sub-sync").getAttribute("data-status")));
        assertThat(text("tbody[data-id='sub-sync'] .row-result"))
                .startsWith("Mapped to agreement Chairs cloud (" + cloud + "). Tasks: " + taskId + " SYNCED");
        assertThat(awaitTask(taskId, "SYNCED")).isEqualTo("SYNCED");
        List<JsonNode> synced = client.getAll(cw, "finance/agreements/" + cloud + "/additions", null);
        assertThat(synced).hasSize(1);
        long addition = synced.get(0).path("id").asLong();
        assertThat(text("tbody[data-id='sub-sync'] .target")).isEqualTo("Chairs cloud (" + cloud + ")");
        assertThat(text("tbody[data-id='sub-sync'] .lines li[data-addition-id='" + addition + "']"))
                .isEqualTo(synced.get(0).path("description").asText() + " (" + addition + ")");
        assertThat(text("tbody[data-id='sub-sync'] .last-task")).isEqualTo("last task SYNCED");
        assertThat(client.getAll(cw, "finance/agreements/" + other + "/additions", null)).isEmpty();
        chromium.screenshot("console-mapping-subscription-synced");

        // R6: a hand-made addition of the same licences is taken over by a second subscription
        seedEvent("sub-adopt", "65533", "Chairs Unlimited");
        long hand = client.create(cw, "finance/agreements/" + cloud + "/additions", Map.of("product", Map.of("id", item),
                "quantity", 5, "unitPrice", 22.00, "unitCost", 18.70, "billCustomer", "Billable",
                "effectiveDate", "2024-02-14T00:00:00Z", "description", "typed by hand"), null).path("id").asLong();
        browser.navigate().refresh();
        // without an agreement there is no default (two eligible): the refusal shows in place, on its field
        item("sub-adopt").findElement(By.className("btn-takeover")).click();
        WebElement refusal = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tbody[data-id='sub-adopt'] .row-error li[data-field='agreementId']")));
        assertThat(refusal.getText()).startsWith("agreementId is required").contains("2 eligible agreements");
        chromium.screenshot("console-mapping-takeover-refused");
        item("sub-adopt").findElement(By.className("btn-agreements")).click();
        choice = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tbody[data-id='sub-adopt'] label.agreement[data-id='" + cloud + "']")));
        assertThat(browser.findElements(By.cssSelector("tbody[data-id='sub-adopt'] .row-error"))).as("the banner cleared").isEmpty();
        choice.findElement(By.tagName("input")).click();
        item("sub-adopt").findElement(By.className("btn-takeover-agreement")).click();
        WebElement offer = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tbody[data-id='sub-adopt'] tr.addition-candidate[data-addition-id='" + hand + "']")));
        assertThat(offer.getText()).contains("typed by hand").contains("Chairs cloud (" + cloud + ")").contains("exact");
        assertThat(browser.findElements(By.cssSelector("tbody[data-id='sub-adopt'] tr.addition-candidate")))
                .as("the synced subscription's own line is nobody else's candidate").hasSize(1);
        chromium.screenshot("console-mapping-takeover");
        offer.findElement(By.className("btn-adopt")).click();
        wait.until(d -> "MAPPED".equals(item("sub-adopt").getAttribute("data-status")));
        assertThat(text("tbody[data-id='sub-adopt'] .row-result")).startsWith("Adopted addition typed by hand (" + hand
                + ") of agreement Chairs cloud (" + cloud + ") as the base line (sub-adopt/BASE/");
        assertThat(text("tbody[data-id='sub-adopt'] .lines")).isEqualTo("typed by hand (" + hand + ")");
        assertThat(json(api.get().uri("/api/v1/partners/{p}/subscriptions/{s}/mapping", partner, "sub-adopt").retrieve()
                .toEntity(String.class)).path("agreementId").asLong()).isEqualTo(cloud);
        chromium.screenshot("console-mapping-adopted");

        // unmap: the row says so, the mapping is gone, ConnectWise keeps the addition
        item("sub-adopt").findElement(By.className("btn-unmap")).click();
        wait.until(d -> "UNMAPPED".equals(item("sub-adopt").getAttribute("data-status")));
        assertThat(text("tbody[data-id='sub-adopt'] .row-result")).startsWith("Unmapped;");
        assertThat(api.get().uri("/api/v1/partners/{p}/subscriptions/{s}/mapping", partner, "sub-adopt").retrieve()
                .toEntity(String.class).getStatusCode().value()).isEqualTo(404);
        assertThat(client.getAll(cw, "finance/agreements/" + cloud + "/additions", null)).hasSize(2);

        // the task page names the company, catalog item, agreement and addition next to their ids
        browser.get(base() + "/partners/" + partner + "/tasks/" + taskId);
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Task " + taskId));
        assertThat(text("#task-company")).isEqualTo("company Chairs Unlimited (" + company + ")");
        assertThat(text("#task-catalog-item")).isEqualTo("· catalog item M365BP-C — Microsoft 365 Business Premium (" + item + ")");
        assertThat(text("#operations .operation .agreement")).isEqualTo("Chairs cloud (" + cloud + ")");
        assertThat(text("#operations .operation .addition")).isEqualTo(synced.get(0).path("description").asText() + " (" + addition + ")");
        chromium.screenshot("console-task-with-names");
        assertThat(chromium.consoleMessages()).as("nothing refused by the Content-Security-Policy")
                .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy"));
    }

    @Test
    void pagesSearchesAndFiltersAGeneratedListAndShowsHostileNamesAsText() {
        ConsoleMappingControllerTest.generateBook(jdbc, partner, 10_000);

        browser.get(base() + "/partners/" + partner + "/customers");
        wait.until(ExpectedConditions.textToBe(By.id("mapping-total"), "10000 match(es)"));
        assertThat(text("#page-info")).isEqualTo("page 1 of 400");
        assertThat(text("#count-MAPPED")).isEqualTo("mapped 1000 ·");
        assertThat(browser.findElements(By.cssSelector("#mapping-list tbody.item"))).hasSize(25);
        chromium.screenshot("console-mapping-customers-10000");
        browser.findElement(By.id("page-next")).click();
        wait.until(ExpectedConditions.textToBe(By.id("page-info"), "page 2 of 400"));
        assertThat(text("#mapping-list tbody.item .name")).isEqualTo("Customer 00026");

        browser.findElement(By.id("filter-q")).sendKeys("cust-0424");
        browser.findElement(By.id("filter-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("mapping-total"), "10 match(es)"));
        new Select(browser.findElement(By.id("filter-status"))).selectByValue("MAPPED");
        browser.findElement(By.id("filter-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("mapping-total"), "1 match(es)"));
        assertThat(item("cust-04240").getAttribute("data-status")).isEqualTo("MAPPED");
        browser.findElement(By.id("filter-q")).clear();
        new Select(browser.findElement(By.id("filter-status"))).selectByValue("FAILED");
        browser.findElement(By.id("filter-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("mapping-total"), "100 match(es)"));
        assertThat(text("#page-info")).isEqualTo("page 1 of 4");
        assertThat(browser.findElements(By.cssSelector("#mapping-list tbody.item[data-status='FAILED']"))).hasSize(25);

        // a hostile customer name and a hostile company name are text, on the list and in the candidates
        seedEvent("sub-hostile", "666", HOSTILE);
        long hostile = tenant.company("Hostile1", HOSTILE);
        browser.get(base() + "/partners/" + partner + "/customers?q=666");
        WebElement row = item("666");
        assertThat(row.findElement(By.className("name")).getText()).isEqualTo(HOSTILE);
        row.findElement(By.className("btn-candidates")).click();
        WebElement candidate = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tbody[data-id='666'] label.candidate[data-id='" + hostile + "']")));
        assertThat(candidate.findElement(By.className("candidate-name")).getText()).isEqualTo(HOSTILE);
        candidate.findElement(By.tagName("input")).click();
        item("666").findElement(By.className("btn-map-chosen")).click();
        wait.until(d -> "MAPPED".equals(item("666").getAttribute("data-status")));
        assertThat(text("tbody[data-id='666'] .target-name")).isEqualTo(HOSTILE);
        assertThat(browser.findElements(By.cssSelector("#mapping-list img"))).isEmpty();
        chromium.screenshot("console-mapping-hostile-names");
        // an alert() that ran would make this call fail with UnhandledAlertException
        assertThat(browser.getTitle()).startsWith("Customers");
    }

    /** The item's rows, once present. */
    private WebElement item(String id) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tbody.item[data-id='" + id + "']")));
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }

    private long agreement(long companyId, String name) {
        return tenant.agreement(companyId, name, Tenant.Terms.CLOUD_SERVICES);
    }

    /** Stores an accepted event as the pipeline would (no task): a subscription known, not yet mapped. */
    private void seedEvent(String subscriptionId, String customerId, String customerName) {
        String eventId = UUID.randomUUID().toString();
        try {
            String payload = mapper.writeValueAsString(sale(eventId, subscriptionId, customerId, customerName));
            jdbc.update("""
                    INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                    VALUES (?, ?, ?, 'SALES_ORDER', 'NEW', '2024-02-14T09:00:00Z'::timestamptz, ?::jsonb, 'HTTP')
                    """, eventId, partner, subscriptionId, payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
