package io.cwbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the default test run starts at most 5 Spring test contexts. Spring caches a test context
 * by its configuration, and each one holds a whole bundle (embedded PostgreSQL, Camel, Quartz, Kafka
 * consumers) until the JVM ends; any of the annotations below on a test class or its base makes a new
 * one. They may appear only on the shared bases; a test extends one of them and varies what it needs
 * at runtime (clock, sandbox faults, the bundle's APIs).
 */
class SpringTestContextsTest {

    /** What changes Spring's context cache key (or starts a context of its own). */
    static final Pattern CONTEXT_ANNOTATION = Pattern.compile("^\\s*@(SpringBootTest|TestPropertySource|TestPropertySources"
            + "|EmbeddedKafka|DirtiesContext|MockitoBean|MockitoSpyBean|MockBean|SpyBean|DynamicPropertySource|ContextConfiguration"
            + "|ContextHierarchy|ActiveProfiles|Import|ImportAutoConfiguration|TestConfiguration|AutoConfigure\\w+|SpringJUnitConfig|SpringJUnitWebConfig"
            + "|WebMvcTest|WebFluxTest|JdbcTest|DataJdbcTest|DataJpaTest|JsonTest|RestClientTest"
            + "|UseAdviceWith|DisableJmx)\\b");

    /**
     * The default run's Spring test context configurations: the one bundle context, it with the Kafka
     * broker, it with the fault tests' ConnectWise timings, and the route configuration test (Camel not
     * started, so routes can be advised). Benchmarks run only with -Pbenchmark.
     */
    static final Set<String> CONFIGURATIONS = Set.of(
            "io/cwbridge/testsupport/BundleTestBase.java",
            "io/cwbridge/testsupport/KafkaTestBase.java",
            "io/cwbridge/faults/FaultsContext.java",
            "io/cwbridge/routes/RouteConfigurationTest.java");

    static final Path SOURCES = Path.of("src/test/java");

    @Test
    void onlyTheSharedBasesConfigureASpringTestContext() throws IOException {
        assertThat(CONFIGURATIONS).hasSizeLessThanOrEqualTo(5);
        List<String> offending = new ArrayList<>();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String name = SOURCES.relativize(file).toString().replace('\\', '/');
                if (name.startsWith("io/cwbridge/benchmark/") || name.equals("io/cwbridge/testsupport/SpringTestContextsTest.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = CONTEXT_ANNOTATION.matcher(lines.get(i));
                    if (!m.find()) continue;
                    if (CONFIGURATIONS.contains(name)) {
                        found.add(name);
                    } else {
                        offending.add(name + ":" + (i + 1) + " @" + m.group(1));
                    }
                }
            }
        }
        assertThat(offending)
                .as("A test class makes its own Spring context: extend testsupport/BundleTestBase (or KafkaTestBase, faults/FaultsContext), "
                        + "put a setting all tests accept into src/test/resources/application-test.yaml, or set it at runtime and put it back")
                .isEmpty();
        assertThat(found).as("the shared bases are where the configurations live").containsAll(CONFIGURATIONS);
    }
}
