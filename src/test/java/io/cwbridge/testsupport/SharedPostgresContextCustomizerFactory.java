package io.cwbridge.testsupport;

import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Puts every Spring test context on a fresh database of {@link SharedPostgres}, the JVM's one server,
 * instead of an embedded PostgreSQL of its own (registered in {@code META-INF/spring.factories}). The
 * customizer is the same for every test class, so it does not split Spring's context cache.
 */
public final class SharedPostgresContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return new OwnDatabase();
    }

    static final class OwnDatabase implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            String url = SharedPostgres.newDatabase("context");
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("sharedPostgres", Map.of(
                    "cwbridge.embedded-db.enabled", "false",
                    "spring.datasource.url", url,
                    "spring.datasource.username", SharedPostgres.USER,
                    "spring.datasource.hikari.maximum-pool-size", "10")));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof OwnDatabase;
        }

        @Override
        public int hashCode() {
            return OwnDatabase.class.hashCode();
        }
    }
}
