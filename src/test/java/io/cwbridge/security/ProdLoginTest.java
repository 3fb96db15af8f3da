package io.cwbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.BundleApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code prod} profile against an external PostgreSQL: nothing embedded starts, and every
 * page but the health probe asks for a login — Hawtio and Jolokia included.
 */
class ProdLoginTest {

    private static final String PASSWORD = "correct horse battery staple";

    private static EmbeddedPostgres externalDatabase;
    private static ConfigurableApplicationContext bundle;
    private static String site;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void startProdBundle() throws Exception {
        Path dir = Files.createTempDirectory("cwbridge-prod-test");
        externalDatabase = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        bundle = new SpringApplicationBuilder(BundleApplication.class).profiles("prod").run(
                "--server.port=0",
                "--spring.datasource.url=" + externalDatabase.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres",
                "--cwbridge.data-dir=" + dir.resolve("data"),
                "--cwbridge.security.master-key=" + Base64.getEncoder().encodeToString(key),
                "--cwbridge.kafka.enabled=false",
                "--cwbridge.console.password=" + PASSWORD);
        site = "http://localhost:" + ((WebServerApplicationContext) bundle).getWebServer().getPort();
    }

    @AfterAll
    static void stop() throws Exception {
        if (bundle != null) bundle.close();
        if (externalDatabase != null) externalDatabase.close();
    }

    @Test
    void nothingEmbeddedRuns() {
        assertThat(bundle.getBeanNamesForType(EmbeddedPostgres.class)).isEmpty();
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
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(site + "/actuator/hawtio/"))
                .header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
        assertThat(get("/login", null, null).body()).contains("password");
    }

    @Test
    void apiJolokiaAndMetricsNeedCredentials() {
        for (String path : new String[] {"/api/v1/partners/acme/tasks", "/actuator/jolokia/version", "/actuator/prometheus",
                "/v3/api-docs"}) {
            assertThat(status(path, null, null)).as(path).isEqualTo(401);
            assertThat(status(path, "admin", "wrong")).as(path).isEqualTo(401);
            assertThat(status(path, "admin", PASSWORD)).as(path).isEqualTo(200);
        }
        assertThat(status("/actuator/hawtio/", "admin", PASSWORD)).isEqualTo(200);
    }

    private int status(String path, String user, String password) {
        try {
            return get(path, user, password).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(site + path)).GET();
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
