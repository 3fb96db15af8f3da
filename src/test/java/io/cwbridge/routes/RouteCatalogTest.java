package io.cwbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * House rules for the YAML routes in {@code routes/}: every route has an id, a description and
 * the shared error handling, and some test under src/test names its id. The shared error handling is
 * {@code bundle-error-handling}, or {@code caller-error-handling} for the routes of one task's exchange and of one
 * ConnectWise call, whose failures go unchanged to a caller that redelivers them (issue 14: no exchange copy per step).
 */
class RouteCatalogTest {

    private static final Path ROUTES = Path.of("routes");
    private static final Path TESTS = Path.of("src/test/java");

    @Test
    void everyRouteHasAnIdADescriptionTheSharedErrorHandlingAndATest() throws IOException {
        List<Map<String, Object>> routes = routes();
        assertThat(routes).isNotEmpty();
        String tests = allTestSources();
        for (Map<String, Object> route : routes) {
            Object id = route.get("id");
            assertThat(id).as("route without id: %s", route).isInstanceOf(String.class);
            assertThat(route.get("description")).as("description of %s", id).isInstanceOf(String.class);
            assertThat(route.get("routeConfigurationId")).as("routeConfigurationId of %s", id)
                    .isIn("bundle-error-handling", "caller-error-handling");
            assertThat(tests).as("a test naming route %s", id).contains("\"" + id + "\"");
        }
    }

    @Test
    void routeIdsAreUnique() throws IOException {
        List<Object> ids = routes().stream().map(r -> r.get("id")).toList();
        assertThat(ids).doesNotHaveDuplicates();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> routes() throws IOException {
        List<Map<String, Object>> routes = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROUTES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    Object doc = new Yaml().load(in);
                    assertThat(doc).as(file.toString()).isInstanceOf(List.class);
                    for (Object element : (List<Object>) doc) {
                        Map<String, Object> entry = (Map<String, Object>) element;
                        if (entry.containsKey("route")) {
                            routes.add((Map<String, Object>) entry.get("route"));
                        }
                    }
                }
            }
        }
        return routes;
    }

    private static String allTestSources() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(TESTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }
}
