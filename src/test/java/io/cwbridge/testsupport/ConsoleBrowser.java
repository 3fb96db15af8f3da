package io.cwbridge.testsupport;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console page tests' browser, one set-up for all of them: before each test it takes the JVM's
 * {@link Chromium#shared} browser (skipping the test without it), logs the operator in (who sees every test partner)
 * and sets the test's fields of type {@link Chromium}, {@link WebDriver} and {@link WebDriverWait}
 * (30 s, polled every 100 ms, ignoring stale elements: htmx swaps parts of the page after each action); after each test it
 * resets the browser ({@link Chromium#reset}: no session, cookie or window is left for the next test). Register it on a field: {@code @RegisterExtension final ConsoleBrowser console =
 * ConsoleBrowser.operator(this::base);} (the site is asked for once Spring has set the test's port).
 */
public final class ConsoleBrowser implements BeforeEachCallback, AfterEachCallback {

    private final Supplier<String> site;
    private Chromium chromium;

    private ConsoleBrowser(Supplier<String> site) {
        this.site = site;
    }

    /** Logged in as {@link ConsoleLogin#OPERATOR} at {@code site}. */
    public static ConsoleBrowser operator(Supplier<String> site) {
        return new ConsoleBrowser(site);
    }

    /** Not logged in, for tests of the login itself; its wait does not ignore stale elements. */
    public static ConsoleBrowser loggedOut() {
        return new ConsoleBrowser(null);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        chromium = Chromium.shared();
        WebDriver browser = chromium.browser();
        // polls every 100 ms, not Selenium's 500 ms: a page test waits on dozens of swaps
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100));
        if (site != null) {
            chromium.login(site.get(), ConsoleLogin.OPERATOR, ConsoleLogin.OPERATOR_PASSWORD);
            wait.ignoring(StaleElementReferenceException.class);
        }
        Object test = context.getRequiredTestInstance();
        for (Class<?> c = test.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                Object value = f.getType() == Chromium.class ? chromium : f.getType() == WebDriver.class ? browser
                        : f.getType() == WebDriverWait.class ? wait : null;
                if (value != null && !java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    f.setAccessible(true);
                    f.set(test, value);
                }
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (chromium != null) Chromium.reset();
        chromium = null;
    }
}
