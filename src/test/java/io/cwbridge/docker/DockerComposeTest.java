package io.cwbridge.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * No Docker engine runs here, so this checks what can be checked of {@code docker/}: the compose
 * file parses, runs two bundle instances next to PostgreSQL, Kafka, a mail catcher and Hawtio, and
 * every variable it gives the bundle is one the bundle reads (a Spring property in relaxed form,
 * known from configuration metadata or our application*.yaml, or a placeholder used there), and the
 * Dockerfile builds the jar with the production Maven profile.
 */
class DockerComposeTest {

    private static final Path COMPOSE = Path.of("docker/compose.yaml");
    private static final Path RESOURCES = Path.of("src/main/resources");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsTheWholeStackAndSetsOnlyVariablesTheBundleReads() throws IOException {
        Map<String, Object> compose;
        try (InputStream in = Files.newInputStream(COMPOSE)) {
            compose = new Yaml().load(in);
        }
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKeys("postgres", "kafka", "bundle-1", "bundle-2", "mail", "hawtio");

        Set<String> known = knownProperties();
        Set<String> placeholders = placeholders();
        for (String bundle : List.of("bundle-1", "bundle-2")) {
            Map<String, Object> service = services.get(bundle);
            assertThat(service).as(bundle).containsKey("build");
            Map<String, Object> environment = (Map<String, Object>) service.get("environment");
            assertThat(environment).as(bundle).containsKeys("SPRING_PROFILES_ACTIVE", "SPRING_DATASOURCE_URL",
                    "CWBRIDGE_SECURITY_MASTER_KEY");
            for (String variable : environment.keySet()) {
                boolean read = placeholders.contains(variable) || known.contains(relaxed(variable));
                assertThat(read).as("%s sets %s, which the bundle does not read", bundle, variable).isTrue();
            }
        }
        Map<String, Object> kafkaEnv = (Map<String, Object>) services.get("kafka").get("environment");
        assertThat(String.valueOf(kafkaEnv.get("KAFKA_PROCESS_ROLES"))).contains("controller"); // KRaft, no ZooKeeper
    }

    @Test
    void theImageIsBuiltWithTheProductionProfile() throws IOException {
        // The production Maven profile (ProductionProfileTest) leaves the sandbox, the demo and zonky out of the jar.
        List<String> builds = Files.readAllLines(Path.of("docker/Dockerfile")).stream()
                .filter(l -> l.startsWith("RUN mvn ")).toList();
        assertThat(builds).isNotEmpty().allSatisfy(l -> assertThat(l).contains(" -Pproduction "));
        assertThat(builds).anySatisfy(l -> assertThat(l).endsWith(" package"));
        assertThat(Files.readString(Path.of("docker/Dockerfile")))
                .contains("COPY --from=build /src/target/production/cw-marketplace-bundle-*.jar /app/bundle.jar");
    }

    @Test
    void relaxedNamesFollowSpringBinding() {
        assertThat(relaxed("SPRING_DATASOURCE_URL")).isEqualTo(relaxed("spring.datasource.url"));
        assertThat(relaxed("CWBRIDGE_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(relaxed("cwbridge.kafka.bootstrap-servers"));
        assertThat(relaxed("SPRING_DATASOURCE_URLX")).isNotEqualTo(relaxed("spring.datasource.url"));
    }

    /** Spring's relaxed binding for environment variables: case, dots, dashes and underscores do not count. */
    static String relaxed(String name) {
        return name.toLowerCase().replaceAll("[^a-z0-9]", "");
    }

    /** Property names from every configuration-metadata file on the classpath and from our own YAML. */
    private static Set<String> knownProperties() throws IOException {
        Set<String> names = new HashSet<>();
        ObjectMapper mapper = new ObjectMapper();
        ClassLoader loader = DockerComposeTest.class.getClassLoader();
        for (String resource : List.of("META-INF/spring-configuration-metadata.json",
                "META-INF/additional-spring-configuration-metadata.json")) {
            Enumeration<URL> urls = loader.getResources(resource);
            while (urls.hasMoreElements()) {
                try (InputStream in = urls.nextElement().openStream()) {
                    for (JsonNode property : mapper.readTree(in).path("properties")) {
                        names.add(relaxed(property.path("name").asText()));
                    }
                }
            }
        }
        for (Path yaml : applicationYamls()) {
            try (InputStream in = Files.newInputStream(yaml)) {
                for (Object document : new Yaml().loadAll(in)) {
                    flatten("", document, names);
                }
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, Set<String> names) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : ((Map<Object, Object>) map).entrySet()) {
                String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
                names.add(relaxed(key));
                flatten(key, e.getValue(), names);
            }
        }
    }

    /** Environment variables our YAML reads directly as ${NAME…} placeholders. */
    private static Set<String> placeholders() throws IOException {
        Set<String> names = new HashSet<>();
        for (Path yaml : applicationYamls()) {
            Matcher m = PLACEHOLDER.matcher(Files.readString(yaml));
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static List<Path> applicationYamls() throws IOException {
        try (Stream<Path> files = Files.list(RESOURCES)) {
            return files.filter(f -> f.getFileName().toString().matches("application(-[a-z]+)?\\.ya?ml")).sorted().toList();
        }
    }
}
