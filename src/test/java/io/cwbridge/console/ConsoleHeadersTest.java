package io.cwbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.ConsoleLogin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's pages over real HTTP, no browser needed: the Content-Security-Policy allows only the
 * bundle's own files and no inline script or style, every script of a page is such a file, an
 * unknown partner is a 404 page, and a form posted from another site is refused.
 */
class ConsoleHeadersTest extends ConsoleTestBase {

    final HttpClient http = HttpClient.newHttpClient(); // follows no redirect

    HttpResponse<String> get(String path) throws Exception {
        // the console's pages ask for a login (Basic does for a client that is no browser)
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", ConsoleLogin.operator()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void consolePagesCarryAStrictContentSecurityPolicyAndNoInlineScript() throws Exception {
        for (String path : new String[] {"/partners/" + partner, "/partners/" + partner + "/tasks",
                "/partners/" + partner + "/parked"}) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as(path).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
                    "frame-ancestors 'none'", "form-action 'self'").doesNotContain("unsafe-inline", "unsafe-eval");
            Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(page.body());
            int count = 0;
            while (scripts.find()) {
                count++;
                assertThat(scripts.group(1)).as(path + ": every script is a file").contains("src=\"/webjars/htmx.org/");
            }
            assertThat(count).as(path).isEqualTo(1);
            assertThat(page.body()).as(path + ": no inline style").doesNotContain(" style=\"", "<style");
        }
        // the files the pages name are served (the policy allows them: same origin)
        assertThat(get("/webjars/htmx.org/2.0.4/dist/htmx.min.js").statusCode()).isEqualTo(200);
        assertThat(get("/webjars/picocss__pico/2.1.1/css/pico.min.css").statusCode()).isEqualTo(200);
        assertThat(get("/console/console.css").statusCode()).isEqualTo(200);
    }

    @Test
    void rootOpensAPartnersOverviewAndWorkbenchStaysWhereItWas() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location").orElse("")).contains("/partners/");
        assertThat(get("/workbench").headers().firstValue("Location").orElse("")).endsWith("/workbench/index.html");
    }

    @Test
    void anUnknownPartnerTaskOrParkedEventIsANotFoundPage() throws Exception {
        for (String path : new String[] {"/partners/nope-" + partner, "/partners/nope-" + partner + "/tasks",
                "/partners/" + partner + "/tasks/999999999", "/partners/" + partner + "/parked/999999999"}) {
            HttpResponse<String> page = get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(404);
            assertThat(page.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("text/html");
            assertThat(page.headers().firstValue("Content-Security-Policy")).as(path).isPresent();
            assertThat(page.body()).as(path).contains("Not found");
        }
        HttpResponse<String> picked = get("/partners?partner=nope");
        assertThat(picked.headers().firstValue("Location").orElse("")).endsWith("/partners/nope");
    }

    @Test
    void aFormPostedFromAnotherSiteIsRefused() throws Exception {
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base() + "/partners/" + partner + "/tasks/1/approve"))
                .header("Origin", "https://evil.example").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
    }
}
