package io.cwbridge.security;

import java.io.IOException;
import java.io.InputStream;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * The restrictor of the Jolokia agent at {@code /actuator/jolokia}: Jolokia's Spring Boot support
 * hands every {@link Restrictor} bean to its servlet, which then ignores any other policy source.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JolokiaAccessProperties.class)
public class JolokiaAccessConfiguration {

    private static final Logger log = LoggerFactory.getLogger(JolokiaAccessConfiguration.class);

    @Bean
    Restrictor jolokiaAccessRestrictor(JolokiaAccessProperties properties, ResourceLoader resources) throws IOException {
        Resource policy = resources.getResource(properties.policyLocation());
        if (!policy.exists()) {
            throw new IllegalStateException("cwbridge.jolokia.policy-location " + properties.policyLocation() + " does not exist");
        }
        PolicyRestrictor restrictor;
        try (InputStream in = policy.getInputStream()) {
            restrictor = new PolicyRestrictor(in);
        }
        log.info("Jolokia access policy from {}; CORS origins {}", properties.policyLocation(),
                properties.allowedOrigins().isEmpty() ? "none (same-origin only)" : properties.allowedOrigins());
        return new JolokiaAccessRestrictor(restrictor, Origins.normalise(properties.allowedOrigins()));
    }
}
