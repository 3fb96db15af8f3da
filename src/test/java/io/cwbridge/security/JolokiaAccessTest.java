package io.cwbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.testsupport.BundleTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Jolokia in the default run, over real HTTP (issue 13): read-only by default — reads, lists,
 * searches and the read-only operations Hawtio's views use work; writes, other operations, heap
 * dumps (even as a plain GET) and the JVM's arguments and system properties are refused — and
 * CORS only for configured origins.
 */
class JolokiaAccessTest extends BundleTestBase {

    static final String SENTINEL = "sentinel-4f1c9e-not-for-jolokia";

    @LocalServerPort int port;
    @TempDir Path dumps;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeAll
    static void aSecretInTheSystemProperties() {
        System.setProperty("cwbridge.test.secret", SENTINEL);
    }

    @Test
    void aHeapDumpIsNeverWrittenNotEvenByAPlainGet() throws Exception {
        Path dump = dumps.resolve("heap.hprof");
        String target = dump.toString().replace("/", "!/");
        HttpResponse<String> get = get("/actuator/jolokia/exec/com.sun.management:type=HotSpotDiagnostic/dumpHeap/" + target + "/true");
        assertRefused(get, "dumpHeap by GET");
        HttpResponse<String> post = post(Map.of("type", "exec", "mbean", "com.sun.management:type=HotSpotDiagnostic",
                "operation", "dumpHeap(java.lang.String,boolean)", "arguments", new Object[] {dump.toString(), true}), Map.of());
        assertRefused(post, "dumpHeap by POST");
        assertRefused(get("/actuator/jolokia/exec/com.sun.management:type=DiagnosticCommand/gcHeapDump/" + target + "2"),
                "GC.heap_dump diagnostic command");
        assertThat(dump).doesNotExist();
        assertThat(dumps.resolve("heap.hprof2")).doesNotExist();
        try (var files = Files.list(dumps)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void theJvmsArgumentsAndSystemPropertiesAreNotShown() throws Exception {
        assertThat(System.getProperty("cwbridge.test.secret")).isEqualTo(SENTINEL);
        for (String path : new String[] {
                "/actuator/jolokia/read/java.lang:type=Runtime/InputArguments",
                "/actuator/jolokia/read/java.lang:type=Runtime/SystemProperties",
                "/actuator/jolokia/read/java.lang:type=Runtime/SystemProperties/cwbridge.test.secret",
                "/actuator/jolokia/exec/com.sun.management:type=DiagnosticCommand/vmSystemProperties",
                "/actuator/jolokia/exec/com.sun.management:type=DiagnosticCommand/vmCommandLine"}) {
            HttpResponse<String> response = get(path);
            assertRefused(response, path);
            assertThat(response.body()).as(path).doesNotContain(SENTINEL);
        }
        // All of the Runtime MBean, or every java.lang MBean at once: never those two attributes.
        for (String path : new String[] {"/actuator/jolokia/read/java.lang:type=Runtime",
                "/actuator/jolokia/read/java.lang:*?ignoreErrors=true", "/actuator/jolokia/read/java.lang:type=Runtime?ignoreErrors=true"}) {
            HttpResponse<String> response = get(path);
            assertThat(response.body()).as(path).doesNotContain(SENTINEL).doesNotContain("-Xmx").doesNotContain("java.class.path");
        }
        HttpResponse<String> batch = post(new Object[] {
                Map.of("type", "read", "mbean", "java.lang:type=Runtime", "attribute", new String[] {"Uptime", "SystemProperties"})},
                Map.of());
        assertThat(batch.body()).doesNotContain(SENTINEL);
    }

    @Test
    void readsListsSearchesAndHawtiosReadOnlyOperationsWork() throws Exception {
        assertAllowed(get("/actuator/jolokia/version"), "version");
        assertAllowed(get("/actuator/jolokia/read/java.lang:type=Memory/HeapMemoryUsage"), "read");
        JsonNode runtime = body(get("/actuator/jolokia/read/java.lang:type=Runtime/Uptime"));
        assertThat(runtime.path("value").asLong()).isPositive();
        assertAllowed(get("/actuator/jolokia/list/java.lang"), "list");
        JsonNode contexts = body(get("/actuator/jolokia/search/org.apache.camel:type=context,*"));
        assertThat(contexts.path("value")).isNotEmpty();
        String camel = contexts.path("value").get(0).asText();
        // Hawtio's route diagram and statistics, and its JMX tree
        JsonNode routes = body(post(Map.of("type", "exec", "mbean", camel, "operation", "dumpRoutesAsXml()"), Map.of()));
        assertThat(routes.path("status").asInt()).isEqualTo(200);
        assertThat(routes.path("value").asText()).contains("<route");
        assertAllowed(post(Map.of("type", "exec", "mbean", camel, "operation", "dumpRoutesStatsAsXml",
                "arguments", new Object[] {true, true}), Map.of()), "dumpRoutesStatsAsXml");
        JsonNode tree = body(post(Map.of("type", "search", "mbean", "hawtio:type=security,name=RBACRegistry"), Map.of()));
        assertThat(tree.path("value")).as("Hawtio's RBACRegistry").isNotEmpty();
        assertAllowed(post(Map.of("type", "exec", "mbean", "hawtio:type=security,name=RBACRegistry", "operation", "list()"),
                Map.of()), "Hawtio's JMX tree");
        assertThat(get("/actuator/hawtio/").statusCode()).isEqualTo(200);
    }

    @Test
    void writesAndOtherOperationsAreRefused() throws Exception {
        assertRefused(get("/actuator/jolokia/write/java.lang:type=Memory/Verbose/true"), "write by GET");
        assertRefused(post(Map.of("type", "write", "mbean", "java.lang:type=Memory", "attribute", "Verbose", "value", true), Map.of()),
                "write by POST");
        assertThat(body(get("/actuator/jolokia/read/java.lang:type=Memory/Verbose")).path("value").asBoolean()).isFalse();
        assertRefused(get("/actuator/jolokia/exec/java.lang:type=Memory/gc()"), "exec gc");
        JsonNode contexts = body(get("/actuator/jolokia/search/org.apache.camel:type=context,*"));
        String camel = contexts.path("value").get(0).asText();
        assertRefused(post(Map.of("type", "exec", "mbean", camel, "operation", "stop()"), Map.of()), "stop the Camel context");
        assertRefused(post(Map.of("type", "exec", "mbean", camel, "operation", "dumpRoutesAsXml(boolean,boolean)",
                "arguments", new Object[] {true, false}), Map.of()), "routes with placeholders resolved");
        assertThat(body(get("/actuator/jolokia/read/" + camel.replace("\"", "%22") + "/State")).path("value").asText()).isEqualTo("Started");
    }

    @Test
    void corsOnlyForConfiguredOrigins() throws Exception {
        for (String origin : new String[] {"https://evil.example", "null", "https://console.example.com"}) {
            HttpResponse<String> read = send(HttpRequest.newBuilder(uri("/actuator/jolokia/version")).header("Origin", origin).GET());
            assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).as(origin).isEmpty();
            assertThat(read.headers().firstValue("Access-Control-Allow-Credentials")).as(origin).isEmpty();
            HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/actuator/jolokia/"))
                    .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).as(origin).isEmpty();
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).as(origin).isEmpty();
        }
        HttpResponse<String> allowed = send(HttpRequest.newBuilder(uri("/actuator/jolokia/version"))
                .header("Origin", "https://ops.example.com").GET());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://ops.example.com");
    }

    private void assertRefused(HttpResponse<String> response, String what) throws Exception {
        JsonNode json = body(response);
        assertThat(json.path("status").asInt()).as("%s: %s", what, response.body()).isEqualTo(403);
        assertThat(json.has("value")).as(what).isFalse();
    }

    private void assertAllowed(HttpResponse<String> response, String what) throws Exception {
        assertThat(response.statusCode()).as(what).isEqualTo(200);
        assertThat(body(response).path("status").asInt()).as("%s: %s", what, response.body()).isEqualTo(200);
    }

    private JsonNode body(HttpResponse<String> response) throws Exception {
        return mapper.readTree(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> post(Object json, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/actuator/jolokia"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(json)));
        headers.forEach(request::header);
        return send(request);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
