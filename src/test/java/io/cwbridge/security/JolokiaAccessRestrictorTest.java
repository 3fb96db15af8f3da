package io.cwbridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.management.ObjectName;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.RequestType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The Jolokia restrictor without a server: the shipped policy is read-only, another policy can be
 * configured ({@code cwbridge.jolokia.policy-location}), and no policy opens the calls that hand
 * out secrets.
 */
class JolokiaAccessRestrictorTest {

    static final String CAMEL = "org.apache.camel:context=cw-marketplace-bundle,type=context,name=\"cw-marketplace-bundle\"";

    @TempDir Path dir;

    private Restrictor restrictor(String location, List<String> origins) throws Exception {
        return new JolokiaAccessConfiguration().jolokiaAccessRestrictor(new JolokiaAccessProperties(location, origins),
                new DefaultResourceLoader());
    }

    @Test
    void theShippedPolicyIsReadOnly() throws Exception {
        Restrictor r = restrictor("classpath:jolokia-access.xml", List.of());
        assertThat(r.isTypeAllowed(RequestType.READ)).isTrue();
        assertThat(r.isTypeAllowed(RequestType.LIST)).isTrue();
        assertThat(r.isTypeAllowed(RequestType.SEARCH)).isTrue();
        assertThat(r.isTypeAllowed(RequestType.VERSION)).isTrue();
        assertThat(r.isTypeAllowed(RequestType.WRITE)).isFalse();
        assertThat(r.isTypeAllowed(RequestType.EXEC)).isFalse();
        assertThat(r.isAttributeReadAllowed(new ObjectName("java.lang:type=Memory"), "HeapMemoryUsage")).isTrue();
        assertThat(r.isAttributeWriteAllowed(new ObjectName("java.lang:type=Memory"), "Verbose")).isFalse();
        assertThat(r.isOperationAllowed(new ObjectName("java.lang:type=Memory"), "gc()")).isFalse();
        assertThat(r.isOperationAllowed(new ObjectName(CAMEL), "stop()")).isFalse();
        assertThat(r.isOperationAllowed(new ObjectName(CAMEL), "dumpRoutesAsXml(boolean,boolean)")).isFalse();
        // what Hawtio reads through exec
        assertThat(r.isOperationAllowed(new ObjectName(CAMEL), "dumpRoutesAsXml()")).isTrue();
        assertThat(r.isOperationAllowed(new ObjectName("hawtio:type=security,name=RBACRegistry"), "list()")).isTrue();
        assertThat(r.isOperationAllowed(new ObjectName("hawtio:type=security,area=jmx,name=HawtioDummyJMXSecurity"),
                "canInvoke(java.util.Map)")).isTrue();
        assertSecretsClosed(r);
    }

    @Test
    void aConfiguredPolicyMayOpenMoreButNeverTheSecrets() throws Exception {
        Path policy = dir.resolve("jolokia-access.xml");
        Files.writeString(policy, """
                <restrict>
                  <commands><command>read</command><command>write</command><command>exec</command>
                    <command>list</command><command>search</command><command>version</command></commands>
                </restrict>""");
        Restrictor r = restrictor(policy.toUri().toString(), List.of());
        assertThat(r.isOperationAllowed(new ObjectName("java.lang:type=Memory"), "gc()")).isTrue();
        assertThat(r.isAttributeWriteAllowed(new ObjectName("java.lang:type=Memory"), "Verbose")).isTrue();
        assertThat(r.isOperationAllowed(new ObjectName(CAMEL), "stop()")).isTrue();
        assertSecretsClosed(r);
    }

    @Test
    void corsHeadersOnlyForConfiguredOrigins() throws Exception {
        Restrictor r = restrictor("classpath:jolokia-access.xml", List.of("https://ops.example.com"));
        assertThat(r.isOriginAllowed("https://ops.example.com", false)).isTrue();
        assertThat(r.isOriginAllowed("HTTPS://OPS.example.com:443", false)).isTrue();
        assertThat(r.isOriginAllowed("http://ops.example.com", false)).isFalse();
        assertThat(r.isOriginAllowed("https://evil.example", false)).isFalse();
        assertThat(r.isOriginAllowed("null", false)).isFalse();
        assertThat(r.isOriginAllowed(null, false)).isFalse();
        assertThat(restrictor("classpath:jolokia-access.xml", List.of()).isOriginAllowed("https://ops.example.com", false)).isFalse();
    }

    @Test
    void aMissingOrBrokenPolicyStopsTheStart() throws Exception {
        assertThatThrownBy(() -> restrictor("classpath:no-such-policy.xml", List.of()))
                .hasMessageContaining("cwbridge.jolokia.policy-location");
        Path broken = dir.resolve("broken.xml");
        Files.writeString(broken, "<restrict><commands><command>read");
        assertThatThrownBy(() -> restrictor(broken.toUri().toString(), List.of())).isInstanceOf(SecurityException.class);
        assertThatThrownBy(() -> restrictor("classpath:jolokia-access.xml", List.of("not an origin")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertSecretsClosed(Restrictor r) throws Exception {
        ObjectName runtime = new ObjectName("java.lang:type=Runtime");
        assertThat(r.isAttributeReadAllowed(runtime, "InputArguments")).isFalse();
        assertThat(r.isAttributeReadAllowed(runtime, "SystemProperties")).isFalse();
        assertThat(r.isAttributeReadAllowed(runtime, "Uptime")).isTrue();
        assertThat(r.isOperationAllowed(new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "dumpHeap")).isFalse();
        assertThat(r.isOperationAllowed(new ObjectName("com.sun.management:type=HotSpotDiagnostic"),
                "dumpHeap(java.lang.String,boolean)")).isFalse();
        assertThat(r.isAttributeWriteAllowed(new ObjectName("com.sun.management:type=HotSpotDiagnostic"), "x")).isFalse();
        assertThat(r.isOperationAllowed(new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmSystemProperties")).isFalse();
        assertThat(r.isOperationAllowed(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcHeapDump")).isFalse();
        assertThat(r.isOperationAllowed(new ObjectName("jdk.management.jfr:type=FlightRecorder"), "newRecording")).isFalse();
    }
}
