package io.cwbridge.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access to JMX over Jolokia ({@code /actuator/jolokia}, also what Hawtio uses).
 *
 * @param policyLocation the Jolokia access policy (a {@code jolokia-access.xml}, Spring resource
 *                       location); the default is read-only: read, list, search and version, no
 *                       write, and exec only for the few read-only operations Hawtio's views need
 * @param allowedOrigins origins other than the bundle's own that may call Jolokia from a browser
 *                       (CORS, with credentials); empty by default: same-origin only
 */
@ConfigurationProperties(prefix = "cwbridge.jolokia")
public record JolokiaAccessProperties(@DefaultValue("classpath:jolokia-access.xml") String policyLocation,
        @DefaultValue List<String> allowedOrigins) {

    public JolokiaAccessProperties {
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
    }
}
