package io.cwbridge.testsupport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the page tests (workbench, console), with a profile folder of its own that
 * {@link #close} removes. {@link #start} skips the test (an assumption) where /usr/bin/chromium and
 * /usr/bin/chromedriver are not installed (.ci/install-chromium.sh installs them).
 *
 * <p>{@link #shared} is the test JVM's one browser (issue 18: a new Chromium per page test, two dozen of them, each
 * took half a second of CPU and up to 4 s on a loaded 2-core machine, chromedriver's start on top): the page tests take it in turn and {@link #reset} it after each test
 * (cookies, so no session carries over; storage; other windows; window size; the console log), and it is closed
 * when the JVM ends.
 */
public final class Chromium implements AutoCloseable {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** Where the page tests write their screenshots, for review. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final WebDriver browser;
    private final Path profile;

    private Chromium(WebDriver browser, Path profile) {
        this.browser = browser;
        this.profile = profile;
    }

    private static final org.openqa.selenium.Dimension WINDOW = new org.openqa.selenium.Dimension(1280, 1000);
    private static Chromium shared;

    /** The JVM's one browser, started on first use (skips the test without Chromium, as {@link #start}). */
    public static synchronized Chromium shared() throws IOException {
        if (shared == null) {
            Chromium started = start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException | RuntimeException ignored) {
                    // the JVM is ending anyway
                }
            }));
            shared = started;
        }
        return shared;
    }

    /**
     * Makes the shared browser as a fresh one after a test: one window on about:blank at the start size,
     * no cookies (the console session, the CSRF token), the last page's local and session storage cleared,
     * the console log read. A browser that cannot be
     * reset (it crashed or hangs) is closed, so the next test starts another.
     */
    public static synchronized void reset() {
        if (shared == null) return;
        try {
            WebDriver browser = shared.browser;
            java.util.List<String> windows = new java.util.ArrayList<>(browser.getWindowHandles());
            for (String extra : windows.subList(1, windows.size())) browser.switchTo().window(extra).close();
            browser.switchTo().window(windows.get(0));
            // the page's own storage (htmx keeps its history cache of boosted pages there), then leave it
            ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                    "try { localStorage.clear(); sessionStorage.clear(); } catch (e) { }");
            browser.get("about:blank");
            ((ChromeDriver) browser).executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
            browser.manage().window().setSize(WINDOW);
            shared.consoleMessages();
        } catch (RuntimeException broken) {
            try {
                shared.close();
            } catch (IOException | RuntimeException ignored) {
                // already gone
            }
            shared = null;
        }
    }

    public static Chromium start() throws IOException {
        assumeTrue(new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute(),
                "chromium and chromedriver are not installed; run .ci/install-chromium.sh");
        Path profile = Files.createTempDirectory("page-test-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--user-data-dir=" + profile.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", java.util.Map.of("browser", "ALL")); // for #consoleMessages
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        return new Chromium(new ChromeDriver(service, options), profile);
    }

    public WebDriver browser() {
        return browser;
    }

    /**
     * Logs in through the console's login form at {@code site + "/login"} (a demo login: {@link ConsoleLogin});
     * answers once the form has sent the browser on, i.e. the session is open.
     */
    public void login(String site, String user, String password) {
        browser.get(site + "/login");
        org.openqa.selenium.support.ui.WebDriverWait wait =
                new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(100));
        wait.until(d -> !d.findElements(org.openqa.selenium.By.id("username")).isEmpty());
        browser.findElement(org.openqa.selenium.By.id("username")).sendKeys(user);
        browser.findElement(org.openqa.selenium.By.id("password")).sendKeys(password);
        browser.findElement(org.openqa.selenium.By.id("login")).click();
        wait.until(d -> !d.getCurrentUrl().contains("/login"));
    }

    /** What the pages logged to the browser's console since the last call (CSP violations land here). */
    public java.util.List<String> consoleMessages() {
        return browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(e -> e.getLevel() + " " + e.getMessage()).toList();
    }

    /** Writes what the page shows now to target/screenshots/{name}.png; answers the file. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            browser.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
