package io.cwbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.testsupport.BundleTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The default run (no login) against pages of other sites (issue 13): the simple requests a
 * foreign page can send without CORS (text/plain POSTs, form posts) are refused with 403
 * problem+json and change nothing, whether the browser names the page by {@code Origin},
 * {@code Sec-Fetch-Site} or {@code Referer}; the bundle's own pages, configured origins and
 * non-browser clients (no such headers) go through.
 */
class CrossSiteRequestTest extends BundleTestBase {

    static final String EVIL = "https://evil.example";
    static final String FAULT = "{\"status\":503,\"count\":1,\"method\":\"GET\",\"pathContains\":\"cross-site-test\"}";

    @LocalServerPort int port;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper mapper = new ObjectMapper();

    @AfterEach
    void clearFaults() throws Exception {
        send("DELETE", "/cw-sandbox/admin/faults", null, Map.of());
    }

    @Test
    void simplePostsFromAnotherSiteAreRefusedAndChangeNothing() throws Exception {
        String faultsBefore = send("GET", "/cw-sandbox/admin/faults", null, Map.of()).body();
        // What a hostile page can send without a CORS preflight: text/plain bodies.
        Map<String, Map<String, String>> browsers = new LinkedHashMap<>();
        browsers.put("Origin", Map.of("Origin", EVIL, "Sec-Fetch-Site", "cross-site"));
        browsers.put("opaque Origin (sandboxed frame)", Map.of("Origin", "null"));
        browsers.put("Origin on another port of this host", Map.of("Origin", "http://localhost:" + (port == 1 ? 2 : port - 1)));
        browsers.put("Sec-Fetch-Site only", Map.of("Sec-Fetch-Site", "cross-site"));
        browsers.put("Referer only", Map.of("Referer", EVIL + "/attack.html"));
        for (Map.Entry<String, Map<String, String>> browser : browsers.entrySet()) {
            for (String[] call : new String[][] {
                    {"POST", "/cw-sandbox/admin/faults", FAULT},
                    {"POST", "/cw-sandbox/admin/reset", ""},
                    {"POST", "/api/v1/events", "{\"eventId\":\"x\"}"},
                    {"POST", "/api/v1/partners/demo/connection/test", ""},
                    {"POST", "/api/v1/partners/demo/global-sync", ""},
                    {"PUT", "/api/v1/partners/xsite/connection", "{\"companyId\":\"a\"}"},
                    {"DELETE", "/cw-sandbox/admin/faults", null},
                    {"POST", "/actuator/jolokia", "{\"type\":\"version\"}"}}) {
                Map<String, String> headers = new LinkedHashMap<>(browser.getValue());
                headers.put("Content-Type", "text/plain");
                HttpResponse<String> response = send(call[0], call[1], call[2], headers);
                assertThat(response.statusCode()).as("%s %s with %s", call[0], call[1], browser.getKey()).isEqualTo(403);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        type -> assertThat(type).startsWith("application/problem+json"));
                JsonNode problem = mapper.readTree(response.body());
                assertThat(problem.path("status").asInt()).isEqualTo(403);
                assertThat(problem.path("detail").asText()).startsWith("Cross-site request refused");
                assertThat(problem.path("instance").asText()).isEqualTo(call[1]);
            }
        }
        assertThat(send("GET", "/cw-sandbox/admin/faults", null, Map.of()).body()).isEqualTo(faultsBefore);
        assertThat(send("GET", "/api/v1/partners/xsite/connection", null, Map.of()).statusCode()).isEqualTo(404);
    }

    @Test
    void theBundlesOwnPagesConfiguredOriginsAndNonBrowserClientsGoThrough() throws Exception {
        String self = "http://localhost:" + port;
        Map<String, Map<String, String>> clients = new LinkedHashMap<>();
        clients.put("a page of the bundle (Origin)", Map.of("Origin", self, "Sec-Fetch-Site", "same-origin"));
        clients.put("a page of the bundle (Referer only)", Map.of("Referer", self + "/workbench/index.html"));
        clients.put("a page of the bundle, named 127.0.0.1", Map.of("Origin", "http://127.0.0.1:" + port));
        clients.put("an allowed origin", Map.of("Origin", "https://console.example.com"));
        clients.put("a typed-in URL (Sec-Fetch-Site none)", Map.of("Sec-Fetch-Site", "none"));
        clients.put("curl (no browser headers)", Map.of());
        for (Map.Entry<String, Map<String, String>> client : clients.entrySet()) {
            // 127.0.0.1 is how that client reaches the server, so it is its own origin there.
            String host = client.getKey().contains("127.0.0.1") ? "127.0.0.1" : "localhost";
            Map<String, String> headers = new LinkedHashMap<>(client.getValue());
            headers.put("Content-Type", "text/plain");
            String faults = "http://" + host + ":" + port + "/cw-sandbox/admin/faults";
            HttpResponse<String> added = send("POST", faults, FAULT, headers);
            assertThat(added.statusCode()).as(client.getKey()).isEqualTo(201);
            assertThat(send("GET", "/cw-sandbox/admin/faults", null, Map.of()).body()).as(client.getKey()).contains("cross-site-test");
            assertThat(send("DELETE", faults, null, client.getValue()).statusCode()).as(client.getKey()).isEqualTo(204);
        }
        // Safe methods are not refused, whoever asks (a foreign page cannot read the answer without CORS).
        assertThat(send("GET", "/cw-sandbox/admin/faults", null, Map.of("Origin", EVIL)).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        URI uri = URI.create(path.startsWith("http") ? path : "http://localhost:" + port + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
