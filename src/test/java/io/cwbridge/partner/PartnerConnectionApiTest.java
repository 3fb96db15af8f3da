package io.cwbridge.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.testsupport.SandboxAdmin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.client.RestClient;

/** PUT / GET / test of a partner connection over real HTTP, with the sandbox as ConnectWise. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class PartnerConnectionApiTest {

    /** Keys distinctive enough that any appearance in logs, answers or the database is a leak. */
    private static final String WRONG_PRIVATE_KEY = "WrongPriv-7c1e9a55";
    private static final String PUBLIC_KEY_MARK = "sandboxPublicKey01";

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired JdbcTemplate jdbc;

    RestClient api;
    SandboxAdmin sandbox;
    final ObjectMapper mapper = new ObjectMapper();

    @BeforeEach
    void setUp() {
        api = RestClient.builder().baseUrl("http://localhost:" + port + "/api/v1/partners")
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { }).build();
        sandbox = new SandboxAdmin(port, env);
    }

    private Map<String, Object> body(String privateKey) {
        return Map.of("companyId", env.getProperty("cw-sandbox.company-id"), "publicKey", PUBLIC_KEY_MARK,
                "privateKey", privateKey, "apiUrl", sandbox.site(), "clientId", env.getProperty("cw-sandbox.client-id"));
    }

    private ResponseEntity<String> put(String partner, Object body) {
        return api.put().uri("/{p}/connection", partner).contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(String.class);
    }

    private JsonNode json(ResponseEntity<String> response) throws Exception {
        return mapper.readTree(response.getBody());
    }

    @Test
    void testWithTheRightKeysSucceeds() throws Exception {
        ResponseEntity<String> saved = put("acme", body(env.getProperty("cw-sandbox.private-key")));
        assertThat(saved.getStatusCode().value()).isEqualTo(200);
        assertThat(saved.getBody()).doesNotContain(env.getProperty("cw-sandbox.private-key")).doesNotContain(PUBLIC_KEY_MARK);
        assertThat(json(saved).path("privateKeySet").asBoolean()).isTrue();
        assertThat(json(saved).path("codebase").asText()).isEqualTo("v4_6_release");

        JsonNode result = json(api.post().uri("/{p}/connection/test", "acme").retrieve().toEntity(String.class));

        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(result.path("missingPermissions")).isEmpty();
        assertThat(json(api.get().uri("/{p}/connection", "acme").retrieve().toEntity(String.class))
                .path("lastTestOk").asBoolean()).isTrue();
    }

    @Test
    void wrongKeyFailsWithOneGenericMessageAndTheKeyAppearsNowhere(CapturedOutput output) throws Exception {
        put("beta", body(WRONG_PRIVATE_KEY));
        // Also a malformed body that contains the key: parser errors must not quote it back.
        ResponseEntity<String> malformed = put("beta", "{\"privateKey\":\"" + WRONG_PRIVATE_KEY + "\", broken");

        ResponseEntity<String> test = api.post().uri("/{p}/connection/test", "beta").retrieve().toEntity(String.class);
        ResponseEntity<String> shown = api.get().uri("/{p}/connection", "beta").retrieve().toEntity(String.class);

        assertThat(json(test).path("ok").asBoolean()).isFalse();
        assertThat(json(test).path("message").asText()).isEqualTo(ConnectionTester.FAILURE_MESSAGE);
        assertThat(malformed.getStatusCode().value()).isEqualTo(400);
        for (ResponseEntity<String> r : List.of(test, shown, malformed)) {
            assertThat(r.getBody()).doesNotContain(WRONG_PRIVATE_KEY).doesNotContain(PUBLIC_KEY_MARK);
        }
        assertThat(output.getAll()).doesNotContain(WRONG_PRIVATE_KEY).doesNotContain(PUBLIC_KEY_MARK);
        String stored = jdbc.queryForObject(
                "SELECT public_key_enc || private_key_enc || row_to_json(partner_connection)::text FROM partner_connection WHERE partner_id = 'beta'",
                String.class);
        assertThat(stored).doesNotContain(WRONG_PRIVATE_KEY).doesNotContain(PUBLIC_KEY_MARK);
    }

    @Test
    void invalidConnectionIsRefusedFieldByField() throws Exception {
        ResponseEntity<String> response = put("gamma", Map.of("companyId", "", "publicKey", "p", "privateKey", "k",
                "apiUrl", "ftp://nope", "clientId", "c", "codebase", "release"));

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(json(response).path("errors")).extracting(e -> e.path("field").asText())
                .containsExactly("apiUrl", "codebase", "companyId");
    }

    @Test
    void unknownPartnerIs404() {
        assertThat(api.post().uri("/{p}/connection/test", "nobody").retrieve().toEntity(String.class).getStatusCode().value())
                .isEqualTo(404);
    }

    @Test
    void missingInquirePermissionsAreListed() throws Exception {
        put("delta", body(env.getProperty("cw-sandbox.private-key")));
        sandbox.fault(Map.of("status", 403, "count", 1, "method", "GET", "pathContains", "procurement/catalog"));

        JsonNode result = json(api.post().uri("/{p}/connection/test", "delta").retrieve().toEntity(String.class));

        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("missingPermissions")).extracting(JsonNode::asText)
                .containsExactly("Procurement / Product Catalog: Inquire Level = All");
    }
}
