package io.cwbridge.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/** The actuator's connectWise component: each partner's tenant reachable or not, never a key. */
class ConnectWiseHealthTest extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired PartnerConnectionRepository connections;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void reachablePartnersAreUpAndAnUnreachableOneDegradesHealthWithoutTakingTheBundleOutOfService() throws Exception {
        String good = "h-good-" + UUID.randomUUID().toString().substring(0, 6);
        String wrongKey = "h-key-" + UUID.randomUUID().toString().substring(0, 6);
        String unreachable = "h-down-" + UUID.randomUUID().toString().substring(0, 6);
        SandboxAdmin sandbox = new SandboxAdmin(port, env);
        ConnectWiseConnection cw = sandbox.connection();
        connections.save(good, cw);
        connections.save(wrongKey, sandbox.connection("notTheKey123"));
        connections.save(unreachable, new ConnectWiseConnection("http://127.0.0.1:9", cw.codebase(), cw.companyId(),
                cw.publicKey(), cw.privateKey(), cw.clientId()));

        ResponseEntity<String> response = RestClient.create("http://localhost:" + port).get().uri("/actuator/health")
                .retrieve().onStatus(HttpStatusCode::isError, (req, res) -> { }).toEntity(String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        JsonNode component = mapper.readTree(response.getBody()).path("components").path("connectWise");
        assertThat(component.path("status").asText()).isEqualTo("DEGRADED");
        JsonNode partners = component.path("details").path("partners");
        assertThat(partners.path(good).path("reachable").asBoolean()).isTrue();
        assertThat(partners.path(good).path("httpStatus").asInt()).isEqualTo(200);
        assertThat(partners.path(wrongKey).path("reachable").asBoolean()).isFalse();
        assertThat(partners.path(wrongKey).path("httpStatus").asInt()).isEqualTo(401);
        assertThat(partners.path(unreachable).path("reachable").asBoolean()).isFalse();
        assertThat(partners.path(unreachable).path("httpStatus").asInt()).isZero();
        assertThat(response.getBody()).doesNotContain(cw.privateKey()).doesNotContain(cw.publicKey());
    }
}
