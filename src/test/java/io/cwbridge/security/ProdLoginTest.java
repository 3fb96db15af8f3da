package io.cwbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.Chromium;
import io.cwbridge.testsupport.ProdBundle;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The {@code prod} profile against an external PostgreSQL: nothing embedded starts, and every
 * page but the health probe asks for a login — Hawtio and Jolokia included, and those only for the
 * operator. A browser session must send the CSRF token; a browser's cached Basic login cannot be
 * used from another site's page (issue 13).
 */
class ProdLoginTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String API_PASSWORD = "api client password 7";

    private static final String PARTNER_PASSWORD = "acme billing password 3";

    @RegisterExtension
    static final ProdBundle prod = new ProdBundle("cwbridge-prod-test",
            "--cwbridge.console.password=" + PASSWORD,
            "--cwbridge.console.api-password=" + API_PASSWORD,
            // a partner user from the configuration (a plain password: hashed at start)
            "--cwbridge.console.users[0].username=acme-billing",
            "--cwbridge.console.users[0].password=" + PARTNER_PASSWORD,
            "--cwbridge.console.users[0].role=PARTNER",
            "--cwbridge.console.users[0].partner-id=acme",
            // an OIDC provider (never called here): its registration turns the OAuth2 login on
            "--spring.security.oauth2.client.registration.company.client-id=cwbridge",
            "--spring.security.oauth2.client.registration.company.client-secret=not-a-real-secret",
            "--spring.security.oauth2.client.registration.company.client-name=Company login",
            "--spring.security.oauth2.client.registration.company.authorization-grant-type=authorization_code",
            "--spring.security.oauth2.client.registration.company.scope=openid",
            "--spring.security.oauth2.client.registration.company.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
            "--spring.security.oauth2.client.provider.company.authorization-uri=https://idp.example/authorize",
            "--spring.security.oauth2.client.provider.company.token-uri=https://idp.example/token",
            "--spring.security.oauth2.client.provider.company.jwk-set-uri=https://idp.example/jwks",
            "--spring.security.oauth2.client.provider.company.user-name-attribute=sub");

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void nothingEmbeddedRuns() {
        assertThat(prod.context().getBeanNamesForType(EmbeddedPostgres.class)).isEmpty();
        assertThat(status("/cw-sandbox/v4_6_release/apis/3.0/system/info", "admin", PASSWORD)).isEqualTo(404);
    }

    @Test
    void theHealthProbeIsOpenButShowsNoDetails() throws Exception {
        HttpResponse<String> health = get("/actuator/health", null, null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\"").doesNotContain("components");
    }

    @Test
    void hawtioAsksABrowserToLogIn() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(prod.site() + "/actuator/hawtio/"))
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        assertThat(get("/login", null, null).body()).contains("password");
    }

    @Test
    void apiJolokiaAndMetricsNeedCredentials() {
        for (String path : new String[] {"/api/v1/partners", "/actuator/jolokia/version", "/actuator/prometheus",
                "/v3/api-docs"}) {
            assertThat(status(path, null, null)).as(path).isEqualTo(401);
            assertThat(status(path, "admin", "wrong")).as(path).isEqualTo(401);
            assertThat(status(path, "admin", PASSWORD)).as(path).isEqualTo(200);
        }
        assertThat(status("/actuator/hawtio/", "admin", PASSWORD)).isEqualTo(200);
    }

    @Test
    void hawtioAndJolokiaAreForTheOperatorOnly() {
        assertThat(status("/api/v1/partners", "api", API_PASSWORD)).isEqualTo(200);
        assertThat(status("/actuator/prometheus", "api", API_PASSWORD)).isEqualTo(200);
        for (String path : new String[] {"/actuator/jolokia/version", "/actuator/jolokia/read/java.lang:type=Memory",
                "/actuator/hawtio/", "/actuator/hawtio/jolokia/version"}) {
            assertThat(status(path, "api", API_PASSWORD)).as(path).isEqualTo(403);
            assertThat(status(path, "admin", PASSWORD)).as(path).isEqualTo(200);
        }
    }

    @Test
    void jolokiaGivesNoCorsCredentialsToAnotherSite() throws Exception {
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create(prod.site() + "/actuator/jolokia/version"))
                .header("Authorization", basic("admin", PASSWORD)).header("Origin", "https://evil.example").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(read.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        HttpResponse<String> dump = get("/actuator/jolokia/exec/com.sun.management:type=HotSpotDiagnostic/dumpHeap/!/tmp!/prod-heap.hprof/true",
                "admin", PASSWORD);
        assertThat(dump.body()).contains("\"status\":403");
        assertThat(Path.of("/tmp/prod-heap.hprof")).doesNotExist();
    }

    @Test
    void aCachedBasicLoginCannotBeUsedFromAnotherSitesPage() throws Exception {
        String event = "{\"eventId\":\"xsite\"}";
        for (String[] browser : new String[][] {{"Origin", "https://evil.example"}, {"Referer", "https://evil.example/x.html"},
                {"Sec-Fetch-Site", "cross-site"}}) {
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(prod.site() + "/api/v1/events"))
                    .header("Authorization", basic("admin", PASSWORD)).header("Content-Type", "text/plain")
                    .header(browser[0], browser[1]).POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(browser[0]).isEqualTo(403);
            assertThat(posted.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(posted.body()).contains("Cross-site request refused");
        }
        // The same call from an API client (Basic, no browser headers) needs no CSRF token.
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(prod.site() + "/api/v1/plan"))
                .header("Authorization", basic("admin", PASSWORD)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).as(api.body()).isNotIn(401, 403);
    }

    @Test
    void aBrowserSessionMustSendTheCsrfToken() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> loginPage = browser.send(HttpRequest.newBuilder(URI.create(prod.site() + "/login")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher field = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage.body());
        assertThat(field.find()).as(loginPage.body()).isTrue();
        String form = "username=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&_csrf="
                + URLEncoder.encode(field.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> forged = browser.send(HttpRequest.newBuilder(URI.create(prod.site() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).as("login form without its token").isEqualTo(403);
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(URI.create(prod.site() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", prod.site())
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("error");

        // Signed in: a page of the bundle (Hawtio, the workbench) reads XSRF-TOKEN and sends it back.
        assertThat(browser.send(HttpRequest.newBuilder(URI.create(prod.site() + "/actuator/hawtio/")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        String token = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
        String version = "{\"type\":\"version\"}";
        HttpResponse<String> withoutToken = browser.send(HttpRequest.newBuilder(URI.create(prod.site() + "/actuator/jolokia"))
                .header("Content-Type", "application/json").header("Origin", prod.site())
                .POST(HttpRequest.BodyPublishers.ofString(version)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        assertThat(withoutToken.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(withoutToken.body()).contains("CSRF token");
        HttpResponse<String> wrongToken = browser.send(HttpRequest.newBuilder(URI.create(prod.site() + "/actuator/jolokia"))
                .header("Content-Type", "application/json").header("Origin", prod.site()).header("X-XSRF-TOKEN", "forged")
                .POST(HttpRequest.BodyPublishers.ofString(version)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        HttpResponse<String> withToken = browser.send(HttpRequest.newBuilder(URI.create(prod.site() + "/actuator/jolokia"))
                .header("Content-Type", "application/json").header("Origin", prod.site()).header("X-XSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString(version)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(200);
        assertThat(withToken.body()).contains("\"agent\"");
        HttpResponse<String> apiWithToken = browser.send(HttpRequest.newBuilder(URI.create(prod.site() + "/api/v1/plan"))
                .header("Content-Type", "application/json").header("Origin", prod.site()).header("X-XSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"eventId\":\"x\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(apiWithToken.statusCode()).as(apiWithToken.body()).isNotIn(401, 403);
    }

    /** The workbench page and Hawtio in headless Chromium, signed in through the login form: their changes carry the CSRF token. */
    @Test
    void theWorkbenchPageAndHawtioWorkInASignedInBrowserSession() throws Exception {
        WebDriver browser = Chromium.shared().browser(); // skips the test without Chromium
        HttpResponse<String> connected = http.send(HttpRequest.newBuilder(URI.create(prod.site() + "/api/v1/partners/wb/connection"))
                .header("Authorization", basic("admin", PASSWORD)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"companyId\":\"demo_msp\",\"publicKey\":\"pub\",\"privateKey\":\"priv\","
                        + "\"apiUrl\":\"http://localhost:1/cw-sandbox\",\"clientId\":\"1d6b7e2a-6f0c-4a4e-9a53-0c5d8f1b2e77\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(100));
            browser.get(prod.site() + "/workbench/index.html?partner=wb");
            wait.until(d -> d.getCurrentUrl().endsWith("/login"));
            browser.findElement(By.id("username")).sendKeys("admin");
            browser.findElement(By.id("password")).sendKeys(PASSWORD);
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            wait.until(d -> d.getCurrentUrl().contains("/workbench/index.html"));
            wait.until(ExpectedConditions.textToBe(By.id("tile-unmapped-customers"), "0"));

            // The session's cookie alone does not do: a change without the token is refused...
            Object status = ((JavascriptExecutor) browser).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch('/api/v1/partners/wb/auto-map?dryRun=true', {method: 'POST'}).then(r => done(r.status));");
            assertThat(((Number) status).intValue()).isEqualTo(403);
            // ...and the page sends it.
            browser.findElement(By.id("auto-map-dry")).click();
            wait.until(d -> !d.findElement(By.id("message")).getText().isEmpty());
            assertThat(browser.findElement(By.id("message")).getText()).isEqualTo("Dry run: nothing was saved");
            assertThat(browser.findElement(By.id("message")).getAttribute("class")).isNotEqualTo("error");

            // Hawtio in the same session: it POSTs to Jolokia with the token, so its JMX tree loads.
            browser.get(prod.site() + "/actuator/hawtio/jmx");
            wait.until(d -> d.findElement(By.tagName("body")).getText().contains("java.lang")
                    && d.findElement(By.tagName("body")).getText().contains("org.apache.camel"));
        } finally {
            Chromium.reset();
        }
    }

    /** Seed 002 in prod: a partner user over HTTP Basic sees and changes only its partner, and no operator tools. */
    @Test
    void aPartnerUserOverBasicIsKeptToItsPartner() throws Exception {
        connect("acme");
        connect("globex");
        HttpResponse<String> partners = get("/api/v1/partners", "acme-billing", PARTNER_PASSWORD);
        assertThat(partners.statusCode()).isEqualTo(200);
        assertThat(partners.body()).contains("\"partnerId\":\"acme\"").doesNotContain("globex");
        assertThat(get("/api/v1/partners", "admin", PASSWORD).body()).contains("acme", "globex");
        assertThat(status("/api/v1/partners/acme/sync-rules", "acme-billing", PARTNER_PASSWORD)).isEqualTo(200);
        HttpResponse<String> foreign = get("/api/v1/partners/globex/sync-rules", "acme-billing", PARTNER_PASSWORD);
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(status("/api/v1/partners/globex/sync-rules", "api", API_PASSWORD)).isEqualTo(200);
        for (String operatorOnly : new String[] {"/actuator/hawtio/", "/actuator/jolokia/version", "/actuator/prometheus",
                "/api/v1/console-users"}) {
            assertThat(status(operatorOnly, "acme-billing", PARTNER_PASSWORD)).as(operatorOnly).isEqualTo(403);
        }
        assertThat(status("/api/v1/partners/acme/sync-rules", "acme-billing", "wrong")).isEqualTo(401);
    }

    /** Users in table console_user: the operator adds and removes them; the password is kept as a bcrypt hash only. */
    @Test
    void theOperatorAddsAndRemovesDatabaseUsers() throws Exception {
        connect("globex");
        String password = "globex billing password 9";
        String body = "{\"password\":\"" + password + "\",\"role\":\"PARTNER\",\"partnerId\":\"globex\"}";
        assertThat(send("PUT", "/api/v1/console-users/globex-billing", "api", API_PASSWORD, body).statusCode())
                .as("the API user is no operator").isEqualTo(403);
        HttpResponse<String> added = send("PUT", "/api/v1/console-users/globex-billing", "admin", PASSWORD, body);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        assertThat(added.body()).doesNotContain(password);
        String hash = prod.context().getBean(org.springframework.jdbc.core.JdbcTemplate.class)
                .queryForObject("SELECT password_hash FROM console_user WHERE username = 'globex-billing'", String.class);
        assertThat(hash).startsWith("{bcrypt}").doesNotContain(password);
        assertThat(send("PUT", "/api/v1/console-users/x", "admin", PASSWORD,
                "{\"password\":\"long enough password\",\"role\":\"PARTNER\"}").body()).contains("partnerId");

        assertThat(status("/api/v1/partners/globex/sync-rules", "globex-billing", password)).isEqualTo(200);
        assertThat(status("/api/v1/partners/acme/sync-rules", "globex-billing", password)).isEqualTo(403);
        assertThat(get("/api/v1/console-users", "admin", PASSWORD).body()).contains("globex-billing").doesNotContain("bcrypt");

        assertThat(send("DELETE", "/api/v1/console-users/globex-billing", "admin", PASSWORD, null).statusCode()).isEqualTo(204);
        assertThat(status("/api/v1/partners/globex/sync-rules", "globex-billing", password)).isEqualTo(401);
    }

    /** With an OIDC registration the login page offers the provider, and its link starts the authorization-code flow. */
    @Test
    void anOidcProviderIsOfferedOnTheLoginPage() throws Exception {
        HttpResponse<String> page = get("/login", null, null);
        assertThat(page.body()).contains("Log in with Company login").contains("href=\"/oauth2/authorization/company\"");
        HttpResponse<String> start = get("/oauth2/authorization/company", null, null);
        assertThat(start.statusCode()).isEqualTo(302);
        assertThat(start.headers().firstValue("Location").orElse(""))
                .startsWith("https://idp.example/authorize").contains("client_id=cwbridge").contains("scope=openid");
    }

    private void connect(String partnerId) throws Exception {
        HttpResponse<String> connected = send("PUT", "/api/v1/partners/" + partnerId + "/connection", "admin", PASSWORD,
                "{\"companyId\":\"demo_msp\",\"publicKey\":\"pub\",\"privateKey\":\"priv\","
                        + "\"apiUrl\":\"http://localhost:1/cw-sandbox\",\"clientId\":\"1d6b7e2a-6f0c-4a4e-9a53-0c5d8f1b2e77\"}");
        assertThat(connected.statusCode()).as(connected.body()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method, String path, String user, String password, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(prod.site() + path)).header("Authorization", basic(user, password))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private int status(String path, String user, String password) {
        try {
            return get(path, user, password).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(prod.site() + path)).GET();
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
