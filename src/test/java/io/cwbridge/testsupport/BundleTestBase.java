package io.cwbridge.testsupport;

import io.hawt.jmx.RBACRegistry;
import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.DisableJmx;
import org.apache.camel.test.spring.junit5.ShutdownTimeout;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The one Spring context of the bundle's tests: the real application on a free port with embedded
 * PostgreSQL and the sandbox over HTTP, the {@code test} profile (every tuning value lives in
 * {@code src/test/resources/application-test.yaml}), Camel JMX on, metrics export on, the shared
 * SMTP server ({@link TestSmtp}) and a {@link SettableClock} as the bundle's clock (the system clock
 * at the start of every test; a test that needs a date sets it).
 *
 * <p>Spring caches a context by its configuration, so a test class that extends this and adds no
 * annotation of its own ({@code @SpringBootTest(properties)}, {@code @TestPropertySource},
 * {@code @MockitoBean}, {@code @Import}, {@code @DynamicPropertySource}, {@code @DirtiesContext}…)
 * reuses it. Kafka tests extend {@link KafkaTestBase}; the fault tests {@code faults.FaultsContext}.
 * A setting a test must vary is set at runtime (sandbox faults, the clock, the bundle's APIs) and
 * put back by the test.
 */
@CamelSpringBootTest
@DisableJmx(false) // route statistics and the JMX tests need the managed routes, whichever test starts the context
// The cached contexts close only as the test JVM ends, when the JVM's PostgreSQL may already be stopping (its
// own shutdown hook): a timer's exchange then waits for a connection and Camel would wait 10 s (its test
// default) per context for it. Nothing is left to finish by then, so 1 s.
@ShutdownTimeout(1)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureObservability // Spring Boot tests turn metrics export off unless asked (MonitoringEndpointsTest reads it)
@Import(BundleTestBase.TestClock.class)
public abstract class BundleTestBase {

    @TestConfiguration(proxyBeanMethods = false)
    public static class TestClock {
        @Bean
        @Primary
        SettableClock settableClock() {
            return new SettableClock();
        }
    }

    @DynamicPropertySource
    static void testSmtp(DynamicPropertyRegistry registry) {
        registry.add("cwbridge.mail.host", () -> "127.0.0.1");
        registry.add("cwbridge.mail.port", () -> TestSmtp.server().getSmtp().getPort());
    }

    @Autowired private SettableClock sharedClock;

    /** Runs before the subclasses' own set-up, which may fix the clock again. */
    @BeforeEach
    void clockFollowsTheSystem() {
        sharedClock.reset();
    }

    /**
     * Hawtio registers its RBACRegistry (the JMX tree Hawtio reads) under one JVM-wide name, and a bundle
     * that stops takes it away: the bundles some tests start and stop in this JVM (ProdBundle, a second
     * instance, a restart) would leave this long-lived context without it. Put back as Hawtio starts it.
     */
    @BeforeEach
    void hawtioRegistryInPlace() throws Exception {
        if (!ManagementFactory.getPlatformMBeanServer().isRegistered(new ObjectName(HAWTIO_RBAC_REGISTRY))) {
            new RBACRegistry().init();
        }
    }

    private static final String HAWTIO_RBAC_REGISTRY = "hawtio:type=security,name=RBACRegistry";
}
