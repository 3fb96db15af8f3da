package io.cwbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.Chromium;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Hawtio in headless Chromium under the read-only Jolokia policy (issue 13): its JMX tree and the
 * Camel tab with every route still load, and nothing Hawtio asks for on the way is refused. Needs
 * /usr/bin/chromium and /usr/bin/chromedriver (.ci/install-chromium.sh installs them).
 */
@ExtendWith(OutputCaptureExtension.class)
class HawtioReadOnlyPageTest extends BundleTestBase {

    @LocalServerPort int port;
    WebDriver browser;

    @BeforeEach
    void startBrowser() throws Exception {
        browser = Chromium.shared().browser(); // skips the test without Chromium
        browser.manage().window().setSize(new Dimension(1600, 1200)); // Hawtio's tree and tabs side by side
    }

    @AfterEach
    void stopBrowser() {
        Chromium.reset();
    }

    @Test
    void hawtiosJmxTreeAndCamelRoutesLoadReadOnly(CapturedOutput output) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60), Duration.ofMillis(100));
        browser.get("http://localhost:" + port + "/actuator/hawtio/jmx");
        wait.until(d -> text(d).contains("java.lang") && text(d).contains("org.apache.camel"));
        browser.get("http://localhost:" + port + "/actuator/hawtio/camel/routes");
        wait.until(d -> text(d).contains("subscription-events-ingest"));
        browser.findElement(By.xpath("//*[normalize-space(text())='subscription-events-ingest']")).click();
        wait.until(d -> !d.findElements(By.xpath("//*[normalize-space(text())='Route Diagram']")).isEmpty());
        browser.findElement(By.xpath("//*[normalize-space(text())='Route Diagram']")).click();
        try {
            // the diagram's nodes, from dumpRoutesAsXml() and the route statistics
            wait.until(d -> text(d).contains("(ID: from") && text(d).contains("React Flow"));
        } catch (RuntimeException e) {
            System.out.println("Hawtio page:\n" + text(browser));
            throw e;
        }
        assertThat(output.getAll()).as("refused on Hawtio's way").doesNotContain("Jolokia refused");

        // The attack of issue 13 as a plain link: refused, and the log says so.
        browser.get("http://localhost:" + port
                + "/actuator/jolokia/exec/com.sun.management:type=HotSpotDiagnostic/dumpHeap/!/tmp!/hawtio-test.hprof/true");
        assertThat(text(browser)).contains("403");
        assertThat(Path.of("/tmp/hawtio-test.hprof")).doesNotExist();
        assertThat(output.getAll()).contains("Jolokia refused exec dumpHeap on com.sun.management:type=HotSpotDiagnostic");
    }

    private static String text(WebDriver browser) {
        return browser.findElement(By.tagName("body")).getText();
    }
}
