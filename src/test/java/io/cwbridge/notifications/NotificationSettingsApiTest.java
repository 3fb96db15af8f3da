package io.cwbridge.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.approval.ApprovalMail;
import io.cwbridge.catchup.CatchUpRepository;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.reconciliation.ThreeWaySummary;
import io.cwbridge.testsupport.BundleTestBase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * R33 {@code GET/PUT /api/v1/partners/{p}/notifications} over HTTP, and the digests without an SMTP
 * server (the embedded default), where running them must not fail.
 */
class NotificationSettingsApiTest extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired PartnerConnectionRepository connections;
    @Autowired JdbcTemplate jdbc;
    @Autowired NotificationSettingsRepository settingsRepository;
    @Autowired DigestQueries queries;
    @Autowired Clock clock;
    @Autowired CatchUpRepository catchUps;
    @Autowired ThreeWaySummary threeWay;
    @Autowired ApprovalMail approvals;

    final ObjectMapper mapper = new ObjectMapper();
    RestClient api;
    String partner;

    @BeforeEach
    void knownPartner() {
        api = RestClient.builder().baseUrl("http://localhost:" + port + "/api/v1/partners")
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { }).build();
        partner = "notify-" + UUID.randomUUID().toString().substring(0, 8);
        connections.save(partner, new ConnectWiseConnection("http://localhost:" + port + "/cw-sandbox", "v4_6_release",
                "demo_msp", "pub", "priv", "client-1"));
    }

    private ResponseEntity<String> get(String p) {
        return api.get().uri("/{p}/notifications", p).retrieve().toEntity(String.class);
    }

    private ResponseEntity<String> put(String p, String body) {
        return api.put().uri("/{p}/notifications", p).contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(String.class);
    }

    private JsonNode json(ResponseEntity<String> response) throws Exception {
        return mapper.readTree(response.getBody());
    }

    private List<String> errorFields(ResponseEntity<String> response) throws Exception {
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        json(response).path("errors").forEach(e -> fields.add(e.path("field").asText() + ": " + e.path("message").asText()));
        return fields;
    }

    @Test
    void offByDefault() throws Exception {
        ResponseEntity<String> response = get(partner);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        JsonNode settings = json(response);
        assertThat(settings.path("enabled").asBoolean(true)).isFalse();
        assertThat(settings.path("recipients").isArray()).isTrue();
        assertThat(settings.path("recipients")).isEmpty();
        assertThat(settings.path("serviceMappingDigest").asBoolean()).isTrue();
        assertThat(settings.path("billingReconciliationDigest").asBoolean()).isTrue();
        // R33, seed 001: "errors and when my action is needed" on by default, "all tasks" off; no account name yet.
        assertThat(settings.path("notifyErrorsAndActionNeeded").asBoolean()).isTrue();
        assertThat(settings.path("notifyAllTasks").asBoolean(true)).isFalse();
        assertThat(settings.path("accountName").isNull()).isTrue();
    }

    @Test
    void seed001ChoicesAndTheAccountNameAreStoredAndChecked() throws Exception {
        ResponseEntity<String> saved = put(partner, """
                {"enabled":true,"recipients":["billing@msp.example"],"accountName":"  Chairs MSP Inc. ","notifyAllTasks":true,
                 "notifyErrorsAndActionNeeded":false}""");
        assertThat(saved.getStatusCode().value()).as(saved.getBody()).isEqualTo(200);
        JsonNode now = json(get(partner));
        assertThat(now.path("accountName").asText()).isEqualTo("Chairs MSP Inc.");
        assertThat(now.path("notifyAllTasks").asBoolean()).isTrue();
        assertThat(now.path("notifyErrorsAndActionNeeded").asBoolean(true)).isFalse();
        assertThat(now.path("serviceMappingDigest").asBoolean()).isTrue();

        assertThat(errorFields(put(partner, "{\"accountName\":\"Chairs\\r\\nBcc: x@evil.example\",\"notifyAllTasks\":\"yes\"}")))
                .containsExactlyInAnyOrder("accountName: must not contain control characters (line breaks, tabs)",
                        "notifyAllTasks: must be true or false");
        assertThat(errorFields(put(partner, "{\"accountName\":42}"))).containsExactly("accountName: must be text or null");
        assertThat(errorFields(put(partner, "{\"accountName\":\"" + "x".repeat(201) + "\"}")))
                .containsExactly("accountName: must be at most 200 characters");
        assertThat(json(get(partner)).path("accountName").asText()).isEqualTo("Chairs MSP Inc.");

        assertThat(put(partner, "{\"accountName\":null}").getStatusCode().value()).isEqualTo(200);
        assertThat(json(get(partner)).path("accountName").isNull()).isTrue();
    }

    @Test
    void putStoresAndPartialPutKeepsTheRest() throws Exception {
        ResponseEntity<String> saved = put(partner,
                "{\"enabled\":true,\"recipients\":[\"billing@msp.example\",\"ops+cw@msp.example\"],\"billingReconciliationDigest\":false}");
        assertThat(saved.getStatusCode().value()).isEqualTo(200);
        assertThat(json(saved).path("recipients").toString()).isEqualTo("[\"billing@msp.example\",\"ops+cw@msp.example\"]");

        ResponseEntity<String> switchedOff = put(partner, "{\"enabled\":false}");
        assertThat(switchedOff.getStatusCode().value()).isEqualTo(200);

        JsonNode now = json(get(partner));
        assertThat(now.path("enabled").asBoolean(true)).isFalse();
        assertThat(now.path("recipients").toString()).isEqualTo("[\"billing@msp.example\",\"ops+cw@msp.example\"]");
        assertThat(now.path("serviceMappingDigest").asBoolean()).isTrue();
        assertThat(now.path("billingReconciliationDigest").asBoolean(true)).isFalse();
    }

    @Test
    void badFieldsAreNamedAndNothingChanges() throws Exception {
        put(partner, "{\"recipients\":[\"keep@msp.example\"]}");

        List<String> errors = errorFields(put(partner, """
                {"enabled":"yes","recipients":["ok@msp.example","Bob <bob@msp.example>",7,"OK@msp.example","a@b.example\\r\\nBcc: x@evil.example"],
                 "serviceMappingDigest":1,"colour":"blue"}"""));

        assertThat(errors).containsExactlyInAnyOrder(
                "enabled: must be true or false",
                "recipients[1]: must be an e-mail address such as billing@msp.example",
                "recipients[2]: must be an e-mail address (a string)",
                "recipients[3]: is named twice",
                "recipients[4]: must be an e-mail address such as billing@msp.example",
                "serviceMappingDigest: must be true or false",
                "colour: is not a notification setting");
        assertThat(json(get(partner)).path("recipients").toString()).isEqualTo("[\"keep@msp.example\"]");
    }

    @Test
    void enablingNeedsARecipient() throws Exception {
        assertThat(errorFields(put(partner, "{\"enabled\":true}")))
                .containsExactly("recipients: must name at least one address when notifications are enabled");
        assertThat(errorFields(put(partner, "{\"enabled\":true,\"recipients\":[]}")))
                .containsExactly("recipients: must name at least one address when notifications are enabled");
        assertThat(errorFields(put(partner, "{\"recipients\":\"a@msp.example\"}")))
                .containsExactly("recipients: must be an array of e-mail addresses");
        assertThat(json(get(partner)).path("enabled").asBoolean(true)).isFalse();
    }

    @Test
    void bodyMustBeAnObject() throws Exception {
        ResponseEntity<String> response = put(partner, "[true]");
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(json(response).path("detail").asText()).contains("JSON object");
    }

    @Test
    void unknownPartnerIs404AndABadIdIs400() throws Exception {
        ResponseEntity<String> unknown = get("nobody-" + UUID.randomUUID());
        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        assertThat(unknown.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(put("nobody-" + UUID.randomUUID(), "{\"enabled\":false}").getStatusCode().value()).isEqualTo(404);
        assertThat(errorFields(get("bad id!"))).containsExactly("partnerId: must be 1-100 letters, digits, '.', '_' or '-'");
    }

    @Test
    void withoutSmtpTheDigestRunSendsAndRecordsNothingAndDoesNotFail() {
        put(partner, "{\"enabled\":true,\"recipients\":[\"billing@msp.example\"]}");
        jdbc.update("""
                INSERT INTO reconciliation_status_change (partner_id, subscription_id, period_start, status, changed_at)
                VALUES (?, 'sub-1', DATE '2026-01-01', 'SYNCED', now() - interval '1 day')""", partner);

        // The shared test context sends to GreenMail (BundleTestBase): the digests of the embedded default
        // are the bundle's own NotificationDigests with no cwbridge.mail.host.
        NotificationDigests withoutSmtp = new NotificationDigests(settingsRepository, queries,
                new MailProperties("", 25, "smtp", false, "", "", "cwbridge@localhost"), clock, catchUps, threeWay, approvals);
        assertThat(withoutSmtp.due()).isEmpty();

        assertThat(jdbc.queryForObject("SELECT count(*) FROM notification_digest WHERE partner_id = ?", Integer.class, partner))
                .isZero();
    }
}
