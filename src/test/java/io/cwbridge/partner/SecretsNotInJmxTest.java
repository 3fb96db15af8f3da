package io.cwbridge.partner;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * What Hawtio and Jolokia can show is what JMX holds: after a partner's keys were saved and used,
 * no readable attribute of any MBean contains them.
 */
class SecretsNotInJmxTest extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired Environment env;

    @Test
    void noMBeanAttributeHoldsAPartnerKey() throws Exception {
        SandboxAdmin sandbox = new SandboxAdmin(port, env);
        String privateKey = "JmxProbePriv-3f9d21";
        RestClient api = RestClient.create("http://localhost:" + port + "/api/v1/partners");
        api.put().uri("/jmx-probe/connection").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("companyId", "demo_msp", "publicKey", "JmxProbePub-77a1", "privateKey", privateKey,
                        "apiUrl", sandbox.site(), "clientId", env.getProperty("cw-sandbox.client-id")))
                .retrieve().toBodilessEntity();
        api.post().uri("/jmx-probe/connection/test").retrieve().toBodilessEntity();

        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<String> leaks = new ArrayList<>();
        int read = 0;
        for (ObjectName name : server.queryNames(null, null)) {
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                if (!attribute.isReadable()) continue;
                Object value;
                try {
                    value = server.getAttribute(name, attribute.getName());
                } catch (Exception | LinkageError unreadable) {
                    continue;
                }
                read++;
                String text = value instanceof Object[] array ? java.util.Arrays.deepToString(array) : String.valueOf(value);
                if (text.contains(privateKey) || text.contains("JmxProbePub-77a1")) {
                    leaks.add(name + "#" + attribute.getName());
                }
            }
        }
        assertThat(read).as("attributes read").isGreaterThan(100);
        assertThat(server.queryNames(new ObjectName("org.apache.camel:*"), null)).as("Camel MBeans present").isNotEmpty();
        assertThat(leaks).isEmpty();
    }
}
