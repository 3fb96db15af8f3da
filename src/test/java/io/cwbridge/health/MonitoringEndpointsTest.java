package io.cwbridge.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.testsupport.BundleTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import org.yaml.snakeyaml.Yaml;

/**
 * What an integration team watches in the default run: Hawtio at /actuator/hawtio/, every route of
 * routes/ as a managed route readable through Jolokia, and per-route exchange counters on the
 * Prometheus endpoint.
 */
class MonitoringEndpointsTest extends BundleTestBase {

    @LocalServerPort int port;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void hawtioJolokiaAndPrometheusShowEveryRoute() throws Exception {
        RestClient http = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { }).build();
        assertThat(http.get().uri("/actuator/hawtio/").retrieve().toEntity(String.class).getStatusCode().value()).isEqualTo(200);

        String prometheus = http.get().uri("/actuator/prometheus").retrieve().body(String.class);
        ResponseEntity<String> jolokia = http.get()
                .uri("/actuator/jolokia/search/org.apache.camel:type=routes,*").retrieve().toEntity(String.class);
        assertThat(jolokia.getStatusCode().value()).isEqualTo(200);
        JsonNode mbeans = mapper.readTree(jolokia.getBody()).path("value");

        List<String> routeIds = routeIds();
        assertThat(routeIds).contains("subscription-events-ingest", "connectwise-deliver");
        for (String routeId : routeIds) {
            if (routeId.endsWith("-kafka")) {
                continue; // taken out of the context while Kafka is off (the embedded default)
            }
            assertThat(prometheus).as("Prometheus counter of route %s", routeId)
                    .contains("camel_exchanges_total{camelContext=\"cw-marketplace-bundle\",eventType=\"route\",kind=\"CamelRoute\",routeId=\"" + routeId + "\"}");
            assertThat(mbeans.toString()).as("managed route %s", routeId).contains("name=\\\"" + routeId + "\\\"");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> routeIds() throws IOException {
        List<String> ids = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    for (Object element : (List<Object>) new Yaml().load(in)) {
                        Map<String, Object> entry = (Map<String, Object>) element;
                        if (entry.containsKey("route")) {
                            ids.add((String) ((Map<String, Object>) entry.get("route")).get("id"));
                        }
                    }
                }
            }
        }
        return ids;
    }
}
