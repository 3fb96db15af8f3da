package io.cwbridge.security;

import java.util.Set;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Jolokia may do: the configured access policy ({@code cwbridge.jolokia.policy-location},
 * read-only by default), CORS only for {@code cwbridge.jolokia.allowed-origins}, and — whatever the
 * policy says — never the JMX calls that hand out secrets: the JVM's arguments and system
 * properties (keys given as {@code -D} or arguments), heap dumps and diagnostic commands (a heap
 * holds decrypted partner keys), flight recordings (they record system properties and the
 * environment).
 */
final class JolokiaAccessRestrictor implements Restrictor {

    private static final Logger log = LoggerFactory.getLogger(JolokiaAccessRestrictor.class);
    private static final ObjectName RUNTIME = name("java.lang:type=Runtime");
    private static final Set<String> RUNTIME_SECRETS = Set.of("InputArguments", "SystemProperties");
    private static final Set<ObjectName> NO_OPERATIONS = Set.of(
            name("com.sun.management:type=HotSpotDiagnostic"),
            name("com.sun.management:type=DiagnosticCommand"),
            name("jdk.management.jfr:*"));

    private final Restrictor policy;
    private final Set<String> allowedOrigins;

    JolokiaAccessRestrictor(Restrictor policy, Set<String> allowedOrigins) {
        this.policy = policy;
        this.allowedOrigins = allowedOrigins;
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName mbean, String attribute) {
        boolean allowed = !(RUNTIME.apply(mbean) && RUNTIME_SECRETS.contains(attribute))
                && policy.isAttributeReadAllowed(mbean, attribute);
        return logged(allowed, "read", mbean, attribute);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName mbean, String attribute) {
        boolean allowed = !RUNTIME.apply(mbean) && !secretOperations(mbean) && policy.isAttributeWriteAllowed(mbean, attribute);
        return logged(allowed, "write", mbean, attribute);
    }

    @Override
    public boolean isOperationAllowed(ObjectName mbean, String operation) {
        boolean allowed = !secretOperations(mbean) && policy.isOperationAllowed(mbean, operation);
        return logged(allowed, "exec", mbean, operation);
    }

    private static boolean logged(boolean allowed, String what, ObjectName mbean, String member) {
        if (!allowed) {
            log.debug("Jolokia refused {} {} on {}", what, member, mbean);
        }
        return allowed;
    }

    private static boolean secretOperations(ObjectName mbean) {
        return NO_OPERATIONS.stream().anyMatch(n -> n.apply(mbean));
    }

    /**
     * CORS: with {@code strict} false Jolokia asks whether to answer with
     * {@code Access-Control-Allow-Origin} and {@code Access-Control-Allow-Credentials}; only
     * {@code cwbridge.jolokia.allowed-origins} get them (a page of the bundle's own origin needs
     * none; a {@code <cors>} section of the policy does not widen this). With {@code strict} true
     * it asks whether to serve the request at all, which the policy decides (everyone, unless it
     * has {@code <cors><strict-checking/>}); state-changing requests from other origins are
     * refused before Jolokia by {@link CrossSiteRequestFilter}, and a foreign page cannot read
     * what a GET answers without those CORS headers.
     */
    @Override
    public boolean isOriginAllowed(String origin, boolean strict) {
        if (strict) return policy.isOriginAllowed(origin, true);
        String normal = Origins.of(origin);
        return normal != null && allowedOrigins.contains(normal);
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return policy.isHttpMethodAllowed(method);
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return policy.isTypeAllowed(type);
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return policy.isRemoteAccessAllowed(hostOrAddress);
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return policy.isObjectNameHidden(name);
    }

    @Override
    public boolean ignoreScheme() {
        return policy.ignoreScheme();
    }

    private static ObjectName name(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
