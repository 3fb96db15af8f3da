package io.cwbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.notifications.MailProperties;
import io.cwbridge.testsupport.Chromium;
import io.cwbridge.testsupport.ConsoleBrowser;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * The console's settings screens (issue 16) in headless Chromium against the sandbox tenant: sync
 * rules (SPEC §4), product default rules (R3, seed 002), notifications without a mail server (R33),
 * the connection with its test, a missing permission level and remove + re-add (SPEC §7). Each
 * change is checked through the API. Screenshots go to target/screenshots/console-*.png.
 */
class SettingsPageTest extends ConsoleTestBase {

    // sets the fields below before each test (Chromium, the operator logged in), resets the shared browser after it
    @RegisterExtension final ConsoleBrowser console = ConsoleBrowser.operator(this::base);
    Chromium chromium;
    WebDriver browser;
    WebDriverWait wait;
    @Autowired ConsoleSettingsController settingsConsole;

    @AfterEach
    void stopBrowser() throws Exception {
        securityRole(); // every permission level again, for the other tests of this context
    }

    @Test
    void syncRulesAreShownExplainedSavedThroughTheApiAndAFieldErrorIsShownInPlace() {
        browser.get(base() + "/partners/" + partner);
        clickCss("#nav-settings summary");
        click("nav-sync-rules");
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Sync rules · " + partner));
        // every §4 rule, its current value checked, each choice explained
        assertThat(browser.findElements(By.cssSelector("fieldset.cs-rule"))).hasSize(SyncRuleChoices.RULES.size());
        assertThat(browser.findElement(By.id("positiveChange-ACTUAL_DATE")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("taskSync-IMMEDIATE")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("companyFields-zip")).isSelected()).isTrue();
        assertThat(browser.findElements(By.cssSelector("#rule-positiveChange .cs-explanation"))).extracting(WebElement::getText)
                .allSatisfy(t -> assertThat(t).contains("billed"));
        chromium.screenshot("console-sync-rules");

        click("positiveChange-FIRST_OF_CURRENT_MONTH");
        click("companyFields-zip");
        click("invoicedCatchUp-ADJUSTMENT");
        click("save-sync-rules");
        wait.until(ExpectedConditions.textToBe(By.id("result"), "Sync rules saved."));
        JsonNode rules = json(api.get().uri("/api/v1/partners/{p}/sync-rules", partner).retrieve().toEntity(String.class));
        assertThat(rules.path("positiveChange").asText()).isEqualTo("FIRST_OF_CURRENT_MONTH");
        assertThat(rules.path("invoicedCatchUp").asText()).isEqualTo("ADJUSTMENT");
        assertThat(rules.path("companyFields")).extracting(JsonNode::asText)
                .containsExactly("name", "address", "city", "state", "country");
        assertThat(rules.path("negativeChange").asText()).isEqualTo("ACTUAL_DATE");
        assertThat(browser.findElement(By.id("positiveChange-FIRST_OF_CURRENT_MONTH")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("companyFields-zip")).isSelected()).isFalse();

        // a stale or altered form (a choice the rules do not know): the API's own check names the field, nothing changes
        ((JavascriptExecutor) browser).executeScript("var r = document.getElementById('negativeChange-FIRST_OF_NEXT_MONTH');"
                + " r.value = 'SOMETIMES'; r.checked = true;");
        click("taskSync-MANUAL");
        click("save-sync-rules");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("error-negativeChange")));
        assertThat(text("#error-negativeChange")).isEqualTo("must be one of ACTUAL_DATE, FIRST_OF_NEXT_MONTH");
        assertThat(text("#error p")).isEqualTo("The sync rules are invalid; nothing was changed.");
        assertThat(browser.findElement(By.id("rule-negativeChange")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("taskSync-MANUAL")).isSelected()).as("the refused form keeps what was chosen").isTrue();
        JsonNode unchanged = json(api.get().uri("/api/v1/partners/{p}/sync-rules", partner).retrieve().toEntity(String.class));
        assertThat(unchanged.path("taskSync").asText()).isEqualTo("IMMEDIATE");
        assertThat(unchanged.path("negativeChange").asText()).isEqualTo("ACTUAL_DATE");
        chromium.screenshot("console-sync-rules-field-error");
        assertThat(chromium.consoleMessages()).as("nothing refused by the Content-Security-Policy")
                .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Content-Security-Policy"));
    }

    @Test
    void productDefaultRulesInPriorityOrderWithTheProductsEachDecidesR3() throws Exception {
        long taskId = submitSale("sub-rules", "Chairs Unlimited");
        awaitTask(taskId, "NEEDS_MAPPING", "AWAITING_APPROVAL", "SYNCED", "FAILED", "PENDING");

        browser.get(base() + "/partners/" + partner + "/product-rules");
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Product default rules · " + partner));
        // only the default rule: it decides the one known product
        assertThat(text("#product-rule-default .rule-products-count")).isEqualTo("Currently applies to 1 product(s).");
        assertThat(text("#product-rule-default .rule-products li")).isEqualTo("Microsoft 365 Business Premium (" + PRODUCT_ID + ")");

        // a refused rule: each problem next to its field, the typed values kept
        WebElement add = browser.findElement(By.id("add-rule"));
        add.findElement(By.className("f-category")).sendKeys("Cloud Services");
        click("add-rule-submit");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#add-rule .f-error-name")));
        assertThat(text("#add-rule .f-error-name")).isEqualTo("must not be blank");
        assertThat(text("#add-rule .f-error-subcategory")).isEqualTo("must not be blank");
        assertThat(browser.findElement(By.cssSelector("#add-rule .f-category")).getAttribute("value")).isEqualTo("Cloud Services");
        assertThat(json(api.get().uri("/api/v1/partners/{p}/product-default-rules", partner).retrieve().toEntity(String.class)))
                .hasSize(1);
        chromium.screenshot("console-product-rules-field-error");

        long microsoft = addRule("Microsoft NCE", "10", "publisher", "EQUALS", "microsoft csp", "Microsoft 365");
        assertThat(text("#product-rule-" + microsoft + " .rule-products-count")).isEqualTo("Currently applies to 1 product(s).");
        assertThat(browser.findElement(By.cssSelector("#product-rule-" + microsoft + " .rule-products li")).getAttribute("data-product"))
                .isEqualTo(PRODUCT_ID);
        assertThat(text("#product-rule-default .rule-products-count")).isEqualTo("Currently applies to 0 product(s).");
        assertThat(json(api.get().uri("/api/v1/partners/{p}/product-default-rules/{id}/products", partner, microsoft)
                .retrieve().toEntity(String.class))).extracting(JsonNode::asText).containsExactly(PRODUCT_ID);

        // a second match comes later: the first match wins, until it is moved up
        long premium = addRule("Premium plans", "20", "plan", "CONTAINS", "premium", "Premium");
        assertThat(text("#product-rule-" + premium + " .rule-products-count")).isEqualTo("Currently applies to 0 product(s).");
        assertThat(order()).containsExactly(String.valueOf(microsoft), String.valueOf(premium), "default");
        clickCss("#product-rule-" + premium + " .move-up");
        wait.until(d -> order().equals(List.of(String.valueOf(premium), String.valueOf(microsoft), "default")));
        assertThat(text("#result")).isEqualTo("Moved rule " + premium + " up.");
        assertThat(text("#product-rule-" + premium + " .rule-products-count")).isEqualTo("Currently applies to 1 product(s).");
        assertThat(text("#product-rule-" + microsoft + " .rule-products-count")).isEqualTo("Currently applies to 0 product(s).");
        chromium.screenshot("console-product-rules");

        // edit, then delete: the product goes back to the other rule
        WebElement edit = browser.findElement(By.cssSelector("#product-rule-" + premium + " details"));
        clickCss("#product-rule-" + premium + " details summary");
        WebElement name = edit.findElement(By.className("f-name"));
        name.clear();
        name.sendKeys("Premium " + ConsolePageTest.HOSTILE);
        clickCss("#product-rule-" + premium + " details .save");
        // markup in a name is text on the page (an alert() that ran would fail the next call)
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#product-rule-" + premium + " .rule-name"),
                "Premium " + ConsolePageTest.HOSTILE));
        assertThat(browser.findElements(By.cssSelector("#settings img"))).isEmpty();
        clickCss("#product-rule-" + premium + " .delete");
        wait.until(ExpectedConditions.textToBe(By.id("result"), "Deleted rule " + premium + "."));
        assertThat(order()).containsExactly(String.valueOf(microsoft), "default");
        assertThat(text("#product-rule-" + microsoft + " .rule-products-count")).isEqualTo("Currently applies to 1 product(s).");
    }

    @Test
    void notificationsWithoutAMailServerSayNoTestMailWasSentR33() {
        // the shared test context mails through GreenMail: this screen meets a bundle without cwbridge.mail.host
        // by the console's own settings, put back afterwards
        Object configured = ReflectionTestUtils.getField(settingsConsole, "mail");
        ReflectionTestUtils.setField(settingsConsole, "mail", new MailProperties("", 25, "smtp", false, "", "", "cwbridge@localhost"));
        try {
            withoutAMailServer();
        } finally {
            ReflectionTestUtils.setField(settingsConsole, "mail", configured);
        }
    }

    private void withoutAMailServer() {
        browser.get(base() + "/partners/" + partner + "/notifications");
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Notifications · " + partner));
        assertThat(text("#mail-server-status")).contains("No mail server is configured");

        // an address that is not one: the API's refusal, next to the recipients
        click("enabled");
        browser.findElement(By.id("recipients")).sendKeys("billing@chairs.example\nnot an address");
        click("save-notifications");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("error-recipients")));
        assertThat(text("#error-recipients")).startsWith("[1] ");
        assertThat(browser.findElement(By.id("recipients")).getAttribute("value")).contains("not an address");
        assertThat(browser.findElement(By.id("enabled")).isSelected()).as("the refused form keeps what was typed").isTrue();
        assertThat(json(api.get().uri("/api/v1/partners/{p}/notifications", partner).retrieve().toEntity(String.class))
                .path("recipients")).isEmpty();

        WebElement recipients = browser.findElement(By.id("recipients"));
        recipients.clear();
        recipients.sendKeys("billing@chairs.example");
        click("notifyAllTasks");
        click("save-notifications");
        wait.until(ExpectedConditions.textToBe(By.id("result"), "Notification settings saved."));
        JsonNode saved = json(api.get().uri("/api/v1/partners/{p}/notifications", partner).retrieve().toEntity(String.class));
        assertThat(saved.path("enabled").asBoolean()).isTrue();
        assertThat(saved.path("recipients")).extracting(JsonNode::asText).containsExactly("billing@chairs.example");
        assertThat(saved.path("notifyAllTasks").asBoolean()).isTrue();
        assertThat(browser.findElement(By.id("digest-TASK_ACTIVITY")).getAttribute("data-sent")).isEqualTo("true");

        click("send-test-mail");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#error p")));
        assertThat(text("#error p")).startsWith("No test mail was sent: no mail server is configured");
        chromium.screenshot("console-notifications-no-mail-server");
    }

    @Test
    void connectionTestNamesAMissingPermissionLevelAndTheConnectionIsRemovedAndAddedAgain() {
        browser.get(base() + "/partners/" + partner + "/connection");
        wait.until(ExpectedConditions.textToBe(By.id("title"), "Connection · " + partner));
        assertThat(text("#conn-companyId")).isEqualTo(cw.companyId());
        assertThat(text("#conn-apiUrl")).isEqualTo(cw.apiUrl());
        assertThat(text("#conn-clientId")).isEqualTo(cw.clientId());
        assertThat(text("#conn-publicKey")).isEqualTo("set");
        assertThat(text("#conn-privateKey")).isEqualTo("set");
        assertThat(browser.getPageSource()).doesNotContain(cw.privateKey()).doesNotContain(cw.publicKey());

        click("test-connection");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("test-result")));
        assertThat(browser.findElement(By.id("test-result")).getAttribute("data-ok")).isEqualTo("true");
        assertThat(browser.findElements(By.cssSelector("#permissions tr.permission.granted"))).hasSize(10);

        // seed 001's table, one level taken away in the sandbox: the test names it
        securityRole("Agreements", "Delete");
        click("test-connection");
        wait.until(d -> "false".equals(d.findElement(By.id("test-result")).getAttribute("data-ok")));
        assertThat(browser.findElements(By.cssSelector("#permissions tr.permission.missing"))).extracting(WebElement::getText)
                .containsExactly("Finance / Agreements: Delete Level = All missing");
        assertThat(text("#test-message")).contains("lacks 1 permission level");
        assertThat(text("#conn-lastTest")).startsWith("failed at ");
        chromium.screenshot("console-connection-missing-permission");
        securityRole();

        // a field error in place: the keys are needed on every save (the API's PUT)
        WebElement company = browser.findElement(By.id("field-companyId"));
        company.clear();
        click("save-connection");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("error-companyId")));
        assertThat(text("#error-companyId")).isEqualTo("must not be blank");
        assertThat(text("#error-privateKey")).isEqualTo("must not be blank");
        assertThat(json(api.get().uri("/api/v1/partners/{p}/connection", partner).retrieve().toEntity(String.class))
                .path("companyId").asText()).isEqualTo(cw.companyId());

        // remove, with a confirmation step
        click("remove-connection");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-remove")));
        chromium.screenshot("console-connection-confirm-remove");
        click("confirm-remove-connection");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("no-connection")));
        assertThat(text("#result")).startsWith("Connection removed; its keys are deleted.");
        assertThat(api.get().uri("/api/v1/partners/{p}/connection", partner).retrieve().toEntity(String.class)
                .getStatusCode().value()).isEqualTo(404);

        // and connected again from the form
        type("field-companyId", cw.companyId());
        type("field-apiUrl", cw.apiUrl());
        type("field-clientId", cw.clientId());
        type("field-publicKey", cw.publicKey());
        type("field-privateKey", cw.privateKey());
        click("save-connection");
        wait.until(ExpectedConditions.textToBe(By.id("result"), "Connection saved."));
        assertThat(text("#conn-companyId")).isEqualTo(cw.companyId());
        click("test-connection");
        wait.until(d -> "true".equals(d.findElement(By.id("test-result")).getAttribute("data-ok")));
        assertThat(json(api.post().uri("/api/v1/partners/{p}/connection/test", partner).retrieve().toEntity(String.class))
                .path("ok").asBoolean()).isTrue();
        chromium.screenshot("console-connection");
    }

    /** Clicks the element with this id once it is scrolled to the middle of the window (nothing sticky above it). */
    private void click(String id) {
        clickCss("#" + id);
    }

    private void clickCss(String css) {
        WebElement element = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
        element.click();
    }

    private void type(String id, String value) {
        type(browser.findElement(By.id(id)), value);
    }

    private static void type(WebElement field, String value) {
        field.clear();
        field.sendKeys(value);
    }

    /** Adds a custom rule through the add form; its id (from the API). */
    private long addRule(String name, String priority, String field, String operator, String value, String subcategory) {
        WebElement add = browser.findElement(By.id("add-rule"));
        type(add.findElement(By.className("f-name")), name);
        type(add.findElement(By.className("f-priority")), priority);
        WebElement condition = add.findElement(By.className("cs-condition"));
        type(condition.findElement(By.name("conditionField")), field);
        new Select(condition.findElement(By.name("conditionOperator"))).selectByValue(operator);
        type(condition.findElement(By.name("conditionValue")), value);
        type(add.findElement(By.className("f-category")), "Cloud Services");
        type(add.findElement(By.className("f-subcategory")), subcategory);
        type(add.findElement(By.className("f-type")), "Subscription");
        new Select(add.findElement(By.className("f-productClass"))).selectByValue("Service");
        click("add-rule-submit");
        wait.until(d -> text("#result").startsWith("Added rule ") && text("#result").endsWith("(" + name + ")."));
        JsonNode rules = json(api.get().uri("/api/v1/partners/{p}/product-default-rules", partner).retrieve().toEntity(String.class));
        for (JsonNode rule : rules) {
            if (name.equals(rule.path("name").asText())) {
                assertThat(rule.path("conditions").get(0).path("operator").asText()).isEqualTo(operator);
                assertThat(rule.path("productClass").asText()).isEqualTo("Service");
                return rule.path("ruleId").asLong();
            }
        }
        throw new AssertionError("rule " + name + " not saved: " + rules);
    }

    private List<String> order() {
        return browser.findElements(By.cssSelector("#product-rules > li")).stream().map(li -> li.getAttribute("data-id")).toList();
    }

    /** The sandbox member's security role without these levels, e.g. {@code "Agreements", "Delete"}; none: all again. */
    private void securityRole(String... functionLevelPairs) {
        assertThat(sandbox.securityRole(functionLevelPairs)).isEqualTo(200);
    }

    private String text(String css) {
        return browser.findElement(By.cssSelector(css)).getText();
    }
}
