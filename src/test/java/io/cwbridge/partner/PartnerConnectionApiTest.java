package io.cwbridge.partner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.Tenant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/** PUT / GET / test of a partner connection over real HTTP, with the sandbox as ConnectWise. */
@ExtendWith(OutputCaptureExtension.class)
class PartnerConnectionApiTest extends BundleTestBase {

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
        api = Tenant.lenient("http://localhost:" + port + "/api/v1/partners");
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

    /** SPEC 7: the site URL is an address the API path is appended to; a query or fragment would land inside the path. */
    @Test
    void anApiUrlWithAQueryOrFragmentIsRefusedOnItsFieldWithoutEchoingIt() throws Exception {
        for (String tail : List.of("?k=" + PUBLIC_KEY_MARK, "#" + PUBLIC_KEY_MARK)) {
            Map<String, Object> body = new java.util.HashMap<>(body(env.getProperty("cw-sandbox.private-key")));
            body.put("apiUrl", sandbox.site() + tail);

            ResponseEntity<String> response = put("query", body);

            assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(400);
            assertThat(json(response).path("errors")).singleElement().satisfies(e -> {
                assertThat(e.path("field").asText()).isEqualTo("apiUrl");
                assertThat(e.path("message").asText()).contains("query or fragment");
            });
            assertThat(response.getBody()).doesNotContain(PUBLIC_KEY_MARK);
        }
    }

    /** User-info distinctive enough that any appearance in logs, answers or the database is a leak. */
    private static final String USER_INFO_MARK = "UserInfo-4d2a";

    @Test
    void anApiUrlWithUserInfoIsRefusedOnItsFieldAndNeverEchoedSpec7(CapturedOutput output) throws Exception {
        for (String userInfo : List.of(USER_INFO_MARK, USER_INFO_MARK + ":" + WRONG_PRIVATE_KEY)) {
            Map<String, Object> body = new java.util.HashMap<>(body(env.getProperty("cw-sandbox.private-key")));
            body.put("apiUrl", sandbox.site().replaceFirst("://", "://" + userInfo + "@"));

            ResponseEntity<String> response = put("userinfo", body);

            assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(400);
            assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
            assertThat(json(response).path("errors")).singleElement().satisfies(e -> {
                assertThat(e.path("field").asText()).isEqualTo("apiUrl");
                assertThat(e.path("message").asText()).contains("user information");
            });
            assertThat(response.getBody()).doesNotContain(USER_INFO_MARK).doesNotContain(WRONG_PRIVATE_KEY);
        }
        // nothing saved; an @ after the host (a path, a query) is no user-info
        assertThat(api.get().uri("/{p}/connection", "userinfo").retrieve().toEntity(String.class).getStatusCode().value())
                .isEqualTo(404);
        Map<String, Object> atInPath = new java.util.HashMap<>(body(env.getProperty("cw-sandbox.private-key")));
        atInPath.put("apiUrl", sandbox.site() + "/x@y");
        assertThat(put("userinfo", atInPath).getStatusCode().value()).isEqualTo(200);
        assertThat(output.getAll()).doesNotContain(USER_INFO_MARK);
    }

    @Test
    void aConnectionStoredWithUserInfoBeforeShowsAndLogsItsUrlWithoutItSpec7(CapturedOutput output) throws Exception {
        put("legacy", body(WRONG_PRIVATE_KEY));
        // as saved before the PUT refused user-info in apiUrl (the connection is read from the table, nothing cached yet)
        jdbc.update("UPDATE partner_connection SET api_url = ? WHERE partner_id = 'legacy'",
                sandbox.site().replaceFirst("://", "://" + USER_INFO_MARK + ":" + WRONG_PRIVATE_KEY + "@"));

        ResponseEntity<String> shown = api.get().uri("/{p}/connection", "legacy").retrieve().toEntity(String.class);
        ResponseEntity<String> test = api.post().uri("/{p}/connection/test", "legacy").retrieve().toEntity(String.class);

        assertThat(json(shown).path("apiUrl").asText()).isEqualTo(sandbox.site());
        assertThat(json(test).path("message").asText()).isEqualTo(ConnectionTester.FAILURE_MESSAGE);
        for (ResponseEntity<String> r : List.of(shown, test)) {
            assertThat(r.getBody()).doesNotContain(USER_INFO_MARK).doesNotContain(WRONG_PRIVATE_KEY);
        }
        // the test's log line names the site, without its user-info
        assertThat(output.getAll()).contains("Connection test to " + sandbox.site() + " failed")
                .doesNotContain(USER_INFO_MARK).doesNotContain(WRONG_PRIVATE_KEY);
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

    // --- SPEC 7 v2: every permission level of seed 001's table ---

    private static final List<String> EVERY_LEVEL = List.of(
            "Companies / Company Maintenance: Inquire Level = All",
            "Companies / Contacts: Inquire Level = All",
            "Finance / Agreements: Inquire Level = All",
            "Finance / Agreements: Add Level = All",
            "Finance / Agreements: Edit Level = All",
            "Finance / Agreements: Delete Level = All",
            "Finance / Invoicing: Inquire Level = All",
            "Procurement / Product Catalog: Inquire Level = All",
            "Procurement / Product Catalog: Add Level = All",
            "System / Table Setup: Inquire Level = All");

    /** The sandbox member's role loses these levels, e.g. {@code "Agreements", "Delete"}. */
    private void deny(String... functionLevelPairs) {
        assertThat(sandbox.securityRole(functionLevelPairs)).isEqualTo(200);
    }

    /** The sandbox's records and id sequences: what a write would change. */
    private String tenantRecords() throws Exception {
        JsonNode state = sandbox.state();
        ((com.fasterxml.jackson.databind.node.ObjectNode) state).remove(List.of("calls", "faults"));
        return state.toString();
    }

    @org.junit.jupiter.api.AfterEach
    void restoreRole() {
        deny();
    }

    @Test
    void allPermissionsAnswerOkAndTheProbesWriteNothing() throws Exception {
        put("perm-all", body(env.getProperty("cw-sandbox.private-key")));
        String before = tenantRecords();
        sandbox.resetCalls();

        JsonNode result = json(api.post().uri("/{p}/connection/test", "perm-all").retrieve().toEntity(String.class));

        assertThat(result.path("ok").asBoolean()).isTrue();
        assertThat(result.path("missingPermissions")).isEmpty();
        assertThat(tenantRecords()).isEqualTo(before);
        // Each level was really asked of ConnectWise, each once.
        for (String endpoint : List.of("GET /company/contacts/count", "POST /finance/agreements/{parentId}/additions",
                "PATCH /finance/agreements/{parentId}/additions/{id}", "DELETE /finance/agreements/{parentId}/additions/{id}",
                "GET /finance/invoices/count", "POST /procurement/catalog", "GET /finance/agreements/types/count")) {
            assertThat(sandbox.calls(endpoint)).as(endpoint).isEqualTo(1);
        }
    }

    @Test
    void probesConnectWiseFailsAreNotCheckedAndTheTestIsNotOk() throws Exception {
        // Every Inquire probe (a count) answers 500 however often it is retried: those levels are unknown, not granted
        put("perm-5xx", body(env.getProperty("cw-sandbox.private-key")));
        sandbox.fault(Map.of("status", 500, "count", 100, "method", "GET", "pathContains", "count"));
        try {
            JsonNode result = json(api.post().uri("/{p}/connection/test", "perm-5xx").retrieve().toEntity(String.class));

            assertThat(result.path("ok").asBoolean()).isFalse();
            assertThat(result.path("missingPermissions")).isEmpty();
            assertThat(result.path("uncheckedPermissions")).extracting(JsonNode::asText).containsExactly(
                    "Companies / Company Maintenance: Inquire Level = All", "Companies / Contacts: Inquire Level = All",
                    "Finance / Agreements: Inquire Level = All", "Finance / Invoicing: Inquire Level = All",
                    "Procurement / Product Catalog: Inquire Level = All", "System / Table Setup: Inquire Level = All");
            assertThat(result.path("message").asText()).contains("6 permission level(s) could not be checked");
        } finally {
            sandbox.clearFaults();
        }
    }

    @Test
    void aMemberWithoutAgreementsDeleteAndCatalogAddIsToldBoth() throws Exception {
        put("perm-some", body(env.getProperty("cw-sandbox.private-key")));
        deny("Agreements", "Delete", "Product Catalog", "Add");
        String before = tenantRecords();

        ResponseEntity<String> response = api.post().uri("/{p}/connection/test", "perm-some").retrieve().toEntity(String.class);
        JsonNode result = json(response);

        assertThat(result.path("ok").asBoolean()).isFalse();
        assertThat(result.path("missingPermissions")).extracting(JsonNode::asText).containsExactly(
                "Finance / Agreements: Delete Level = All", "Procurement / Product Catalog: Add Level = All");
        assertThat(result.path("message").asText()).contains("lacks 2 permission level");
        assertThat(response.getBody()).doesNotContain(env.getProperty("cw-sandbox.private-key")).doesNotContain(PUBLIC_KEY_MARK);
        assertThat(tenantRecords()).isEqualTo(before);
        assertThat(json(api.get().uri("/{p}/connection", "perm-some").retrieve().toEntity(String.class))
                .path("lastTestOk").asBoolean()).isFalse();
    }

    @Test
    void eachLevelOfTheTableIsNamedWhenItAloneIsMissing() throws Exception {
        put("perm-each", body(env.getProperty("cw-sandbox.private-key")));
        String[][] levels = {{"Company Maintenance", "Inquire"}, {"Contacts", "Inquire"}, {"Agreements", "Inquire"},
                {"Agreements", "Add"}, {"Agreements", "Edit"}, {"Agreements", "Delete"}, {"Invoicing", "Inquire"},
                {"Product Catalog", "Inquire"}, {"Product Catalog", "Add"}, {"Table Setup", "Inquire"}};
        for (int i = 0; i < levels.length; i++) {
            deny(levels[i][0], levels[i][1]);
            JsonNode result = json(api.post().uri("/{p}/connection/test", "perm-each").retrieve().toEntity(String.class));
            assertThat(result.path("missingPermissions")).extracting(JsonNode::asText).as(levels[i][0] + " " + levels[i][1])
                    .containsExactly(EVERY_LEVEL.get(i));
        }
        deny(java.util.Arrays.stream(levels).flatMap(java.util.Arrays::stream).toArray(String[]::new));
        JsonNode none = json(api.post().uri("/{p}/connection/test", "perm-each").retrieve().toEntity(String.class));
        assertThat(none.path("missingPermissions")).extracting(JsonNode::asText).containsExactlyElementsOf(EVERY_LEVEL);
    }

    // --- SPEC 7 v2: a partner's connection can be removed ---

    @Test
    void removingTheConnectionDeletesItsKeysKeepsThePartnerAndRefusesItsEvents() throws Exception {
        String secret = "RemovePriv-5d2b" ;
        put("leaving", Map.of("companyId", "leaving_msp", "publicKey", PUBLIC_KEY_MARK, "privateKey", secret,
                "apiUrl", sandbox.site(), "clientId", env.getProperty("cw-sandbox.client-id"), "name", "Leaving MSP"));

        ResponseEntity<String> removed = api.delete().uri("/{p}/connection", "leaving").retrieve().toEntity(String.class);

        assertThat(removed.getStatusCode().value()).isEqualTo(200);
        assertThat(json(removed).path("message").asText()).contains("mappings, tasks and logs are kept").contains("nothing syncs");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM partner_connection WHERE partner_id = 'leaving'", Long.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT name FROM partner WHERE partner_id = 'leaving'", String.class)).isEqualTo("Leaving MSP");
        assertThat(api.get().uri("/{p}/connection", "leaving").retrieve().toEntity(String.class).getStatusCode().value()).isEqualTo(404);
        JsonNode listed = json(api.get().uri("").retrieve().toEntity(String.class));
        JsonNode leaving = java.util.stream.StreamSupport.stream(listed.spliterator(), false)
                .filter(p -> p.path("partnerId").asText().equals("leaving")).findFirst().orElseThrow();
        assertThat(leaving.path("connectionConfigured").asBoolean()).isFalse();
        assertThat(leaving.path("companyId").isNull()).isTrue();
        // Its data stays readable: the partner is known, just not connected.
        assertThat(api.get().uri("/{p}/tasks", "leaving").retrieve().toEntity(String.class).getStatusCode().value()).isEqualTo(200);
        // Known but not connected: what needs ConnectWise is a conflict, not an unknown partner.
        ResponseEntity<String> mapping = api.put().uri("/{p}/customers/{c}/mapping", "leaving", "65533")
                .contentType(MediaType.APPLICATION_JSON).body(Map.of("companyId", 1)).retrieve().toEntity(String.class);
        assertThat(mapping.getStatusCode().value()).isEqualTo(409);
        assertThat(json(mapping).path("detail").asText()).contains("no ConnectWise connection");

        ResponseEntity<String> event = new Tenant("leaving", port, port).post(io.cwbridge.testsupport.TestEvents.event("leaving",
                java.util.UUID.randomUUID().toString(), "sub-leaving", "SALES_ORDER", "NEW", "2024-03-15T14:02:00Z", 5, null));
        assertThat(event.getStatusCode().value()).isEqualTo(400);
        assertThat(event.getBody()).contains("partnerId").contains("unknown partner");

        assertThat(api.delete().uri("/{p}/connection", "leaving").retrieve().toEntity(String.class).getStatusCode().value())
                .as("nothing left to remove").isEqualTo(404);
        ResponseEntity<String> unknown = api.delete().uri("/{p}/connection", "never-was").retrieve().toEntity(String.class);
        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        assertThat(unknown.getHeaders().getContentType().toString()).startsWith("application/problem+json");

        // A new PUT connects it again.
        put("leaving", body(env.getProperty("cw-sandbox.private-key")));
        assertThat(json(api.post().uri("/{p}/connection/test", "leaving").retrieve().toEntity(String.class)).path("ok").asBoolean())
                .isTrue();
    }

    // --- issue 16: the real partners, and an unknown partner is an error ---

    @Test
    void partnersAreListedWithNameAndCompanyButNoKey() throws Exception {
        put("listed", Map.of("companyId", "listed_msp", "publicKey", PUBLIC_KEY_MARK, "privateKey", WRONG_PRIVATE_KEY,
                "apiUrl", sandbox.site(), "clientId", env.getProperty("cw-sandbox.client-id"), "name", "Listed Partner Ltd"));

        ResponseEntity<String> response = api.get().uri("").retrieve().toEntity(String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).doesNotContain(WRONG_PRIVATE_KEY).doesNotContain(PUBLIC_KEY_MARK);
        JsonNode listed = java.util.stream.StreamSupport.stream(json(response).spliterator(), false)
                .filter(p -> p.path("partnerId").asText().equals("listed")).findFirst().orElseThrow();
        assertThat(listed.path("name").asText()).isEqualTo("Listed Partner Ltd");
        assertThat(listed.path("connectionConfigured").asBoolean()).isTrue();
        assertThat(listed.path("companyId").asText()).isEqualTo("listed_msp");
        assertThat(json(response)).extracting(p -> p.path("partnerId").asText()).isSorted().doesNotContain("nobody");
    }

    @Autowired @org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
    org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping handlerMapping;

    @Test
    void everyPartnerEndpointAnswers404ForAnUnknownPartner() throws Exception {
        String nobody = "nobody-" + java.util.UUID.randomUUID();
        java.util.Set<String> templates = new java.util.TreeSet<>();
        handlerMapping.getHandlerMethods().keySet().forEach(info -> {
            if (info.getMethodsCondition().getMethods().isEmpty()
                    || info.getMethodsCondition().getMethods().contains(org.springframework.web.bind.annotation.RequestMethod.GET)) {
                info.getPatternValues().stream().filter(t -> t.startsWith("/api/v1/partners/{")).forEach(templates::add);
            }
        });
        assertThat(templates).as("GET endpoints under /api/v1/partners/{p}/").hasSizeGreaterThan(10)
                .contains("/api/v1/partners/{partnerId}/connection", "/api/v1/partners/{partnerId}/tasks", "/api/v1/partners/{p}/three-way");

        RestClient root = Tenant.lenient("http://localhost:" + port);
        for (String template : templates) {
            // The first variable is the partner; any other ({id}, {subscriptionId}, …) gets a plausible value.
            String path = template.replaceFirst("\\{[^}]+}", nobody).replaceAll("\\{[^}]+}", "1");
            ResponseEntity<String> r = root.get().uri(path).retrieve().toEntity(String.class);
            assertThat(r.getStatusCode().value()).as(path).isEqualTo(404);
            assertThat(r.getHeaders().getContentType().toString()).as(path).startsWith("application/problem+json");
            assertThat(json(r).path("detail").asText()).as(path).isEqualTo("Unknown partner " + nobody);
        }
        // Writes too, e.g. sync rules, without creating the partner.
        ResponseEntity<String> rules = api.put().uri("/{p}/sync-rules", nobody).contentType(MediaType.APPLICATION_JSON)
                .body("{\"positiveChange\":\"ACTUAL_DATE\"}").retrieve().toEntity(String.class);
        assertThat(rules.getStatusCode().value()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM partner WHERE partner_id = ?", Long.class, nobody)).isZero();
    }
}
