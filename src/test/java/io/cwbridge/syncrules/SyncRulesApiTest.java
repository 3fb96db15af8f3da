package io.cwbridge.syncrules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.rules.SyncRules;
import io.cwbridge.testsupport.BundleTestBase;
import java.util.List;
import java.util.Map;
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

/** {@code GET/PUT /api/v1/partners/{p}/sync-rules} over HTTP, and the pipeline's view of the same rules. */
class SyncRulesApiTest extends BundleTestBase {

    @LocalServerPort int port;
    @Autowired SyncRulesRepository repository;
    @Autowired JdbcTemplate jdbc;
    @Autowired io.cwbridge.partner.PartnerConnectionRepository connections;
    @Autowired org.springframework.core.env.Environment env;

    final ObjectMapper mapper = new ObjectMapper();
    RestClient api;
    String partner;

    @BeforeEach
    void setUp() {
        api = RestClient.builder().baseUrl("http://localhost:" + port + "/api/v1/partners")
                .defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { }).build();
        partner = "rules-" + UUID.randomUUID().toString().substring(0, 8);
        // Partner endpoints answer 404 for an unknown partner: make this one known.
        connections.save(partner, new io.cwbridge.testsupport.SandboxAdmin(port, env).connection());
    }

    private ResponseEntity<String> get() {
        return api.get().uri("/{p}/sync-rules", partner).retrieve().toEntity(String.class);
    }

    private ResponseEntity<String> put(Object body) {
        return api.put().uri("/{p}/sync-rules", partner).contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(String.class);
    }

    private JsonNode json(ResponseEntity<String> response) throws Exception {
        return mapper.readTree(response.getBody());
    }

    @Test
    void partnerWithNothingStoredGetsTheSpecDefaults() throws Exception {
        ResponseEntity<String> response = get();

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(mapper.readTree("""
                {"positiveChange":"ACTUAL_DATE","negativeChange":"ACTUAL_DATE",
                 "cancellation":"CANCEL_PER_CANCELLATION_DATE","priceSource":"MARKETPLACE",
                 "syncUnitPrice":true,"syncUnitCost":true,
                 "saasInvoiceValues":"PRICE_AND_COST","iaasInvoiceValues":"PRICE_AND_COST",
                 "iaasResourceDetailsInDescription":true,"includeSubscriptionInfo":true,
                 "proration":"CONNECTWISE","invoicedCatchUp":"REVIEW",
                 "companyFields":["name","address","city","state","zip","country"],
                 "productFields":["manufacturer","name","price","cost","mfgPartNumber","description"],
                 "automaticSync":false,"syncPeriod":"DAILY","taskSync":"IMMEDIATE","globalSync":false}
                """));
        assertThat(repository.additionRules(partner)).isEqualTo(SyncRules.defaults());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM sync_rules WHERE partner_id = ?", Integer.class, partner)).isZero();
    }

    @Test
    void partialPutChangesOnlyTheNamedRules() throws Exception {
        ResponseEntity<String> first = put(Map.of("negativeChange", "FIRST_OF_NEXT_MONTH", "cancellation", "LAST_DAY_OF_MONTH"));

        assertThat(first.getStatusCode().value()).isEqualTo(200);
        assertThat(json(first).path("negativeChange").asText()).isEqualTo("FIRST_OF_NEXT_MONTH");
        assertThat(json(first).path("cancellation").asText()).isEqualTo("LAST_DAY_OF_MONTH");
        assertThat(json(first).path("positiveChange").asText()).isEqualTo("ACTUAL_DATE");

        ResponseEntity<String> second = put(Map.of("automaticSync", true, "syncPeriod", "EVERY_5_MINUTES",
                "priceSource", "CONNECTWISE_CATALOG", "iaasInvoiceValues", "COST_ONLY", "syncUnitCost", false,
                "companyFields", List.of("zip", "name", "zip"), "productFields", List.of()));

        JsonNode rules = json(second);
        assertThat(rules.path("negativeChange").asText()).as("kept from the first PUT").isEqualTo("FIRST_OF_NEXT_MONTH");
        assertThat(rules.path("cancellation").asText()).isEqualTo("LAST_DAY_OF_MONTH");
        assertThat(rules.path("automaticSync").asBoolean()).isTrue();
        assertThat(rules.path("syncPeriod").asText()).isEqualTo("EVERY_5_MINUTES");
        assertThat(rules.path("syncUnitPrice").asBoolean()).isTrue();
        assertThat(rules.path("syncUnitCost").asBoolean()).isFalse();
        assertThat(rules.path("companyFields")).extracting(JsonNode::asText).containsExactly("name", "zip");
        assertThat(rules.path("productFields")).isEmpty();
        assertThat(json(get())).isEqualTo(rules);

        SyncRules additionRules = repository.additionRules(partner);
        assertThat(additionRules).isEqualTo(SyncRules.defaults()
                .withNegativeChange(SyncRules.NegativeChange.FIRST_OF_NEXT_MONTH)
                .withCancellation(SyncRules.Cancellation.LAST_DAY_OF_MONTH)
                .withPriceSource(SyncRules.PriceSource.CONNECTWISE_CATALOG)
                .withSyncUnitCost(false)
                .withInvoiceValues(SyncRules.InvoiceValues.PRICE_AND_COST, SyncRules.InvoiceValues.COST_ONLY));
        PartnerSyncRules stored = repository.find(partner);
        assertThat(stored.automaticSync()).isTrue();
        assertThat(stored.companyFields()).containsExactly(CompanyField.NAME, CompanyField.ZIP);
        // Stored whole, as jsonb, under the API's names: a pipeline query can read it as it is.
        assertThat(mapper.readTree(jdbc.queryForObject("SELECT rules::text FROM sync_rules WHERE partner_id = ?",
                String.class, partner))).isEqualTo(rules);
    }

    @Test
    void prorationAndInvoicedCatchUpRoundTripIntoTheAdditionRules() throws Exception {
        ResponseEntity<String> response = put(Map.of("proration", "MARKETPLACE", "invoicedCatchUp", "ADJUSTMENT"));

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        assertThat(json(response).path("proration").asText()).isEqualTo("MARKETPLACE");
        assertThat(json(response).path("invoicedCatchUp").asText()).isEqualTo("ADJUSTMENT");
        assertThat(json(get())).isEqualTo(json(response));
        assertThat(repository.additionRules(partner)).isEqualTo(SyncRules.defaults()
                .withProration(SyncRules.ProrationRule.MARKETPLACE)
                .withInvoicedCatchUp(SyncRules.InvoicedCatchUp.ADJUSTMENT));

        // Back to one default, the other kept; a wrong value of either is a field error and changes nothing.
        JsonNode back = json(put(Map.of("proration", "CONNECTWISE")));
        assertThat(back.path("proration").asText()).isEqualTo("CONNECTWISE");
        assertThat(back.path("invoicedCatchUp").asText()).isEqualTo("ADJUSTMENT");
        ResponseEntity<String> refused = put("""
                {"proration":"BUNDLE","invoicedCatchUp":true,"cancellation":"LAST_DAY_OF_MONTH"}""");
        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        JsonNode errors = json(refused).path("errors");
        assertThat(errors.findValuesAsText("field")).containsExactlyInAnyOrder("proration", "invoicedCatchUp");
        assertThat(errors.toString()).contains("must be one of CONNECTWISE, MARKETPLACE").contains("must be one of REVIEW, ADJUSTMENT");
        assertThat(repository.additionRules(partner)).isEqualTo(SyncRules.defaults()
                .withInvoicedCatchUp(SyncRules.InvoicedCatchUp.ADJUSTMENT));
    }

    @Test
    void invalidValuesAre400NamingEveryFieldAndChangeNothing() throws Exception {
        put(Map.of("syncPeriod", "EVERY_5_MINUTES"));

        ResponseEntity<String> response = put("""
                {"positiveChange":"TOMORROW","negativeChange":"FIRST_OF_NEXT_MONTH","syncUnitPrice":"yes",
                 "productFields":["name","colour"],"cancelation":"LAST_DAY_OF_MONTH","iaasInvoiceValues":null,"syncPeriod":5}
                """);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        JsonNode errors = json(response).path("errors");
        assertThat(errors.findValuesAsText("field")).containsExactlyInAnyOrder(
                "positiveChange", "syncUnitPrice", "productFields[1]", "cancelation", "iaasInvoiceValues", "syncPeriod");
        assertThat(errors.toString()).contains("must be one of ACTUAL_DATE, FIRST_OF_CURRENT_MONTH");
        JsonNode unchanged = json(get());
        assertThat(unchanged.path("negativeChange").asText()).as("valid fields of a refused PUT are not applied").isEqualTo("ACTUAL_DATE");
        assertThat(unchanged.path("syncPeriod").asText()).isEqualTo("EVERY_5_MINUTES");
    }

    @Test
    void taskSyncIsOneRuleTheLegacySyncPeriodReadsAndSetsAndGlobalSyncIsItsOwn() throws Exception {
        assertThat(json(get()).path("taskSync").asText()).isEqualTo("IMMEDIATE");

        JsonNode manual = json(put(Map.of("taskSync", "MANUAL")));
        assertThat(manual.path("taskSync").asText()).isEqualTo("MANUAL");
        assertThat(manual.path("syncPeriod").asText()).as("legacy field, read only in effect").isEqualTo("DAILY");
        assertThat(manual.path("automaticSync").asBoolean()).as("the global sync is its own rule").isFalse();
        assertThat(repository.find(partner).taskSync()).isEqualTo(TaskSync.MANUAL);

        // A v1 client sets the period: that is the task sync now.
        JsonNode legacy = json(put(Map.of("automaticSync", true, "syncPeriod", "EVERY_5_MINUTES")));
        assertThat(legacy.path("taskSync").asText()).isEqualTo("EVERY_5_MINUTES");
        assertThat(legacy.path("globalSync").asBoolean()).isTrue();
        assertThat(json(get())).isEqualTo(legacy);

        JsonNode global = json(put(Map.of("globalSync", false)));
        assertThat(global.path("automaticSync").asBoolean()).isFalse();
        assertThat(global.path("taskSync").asText()).as("untouched by the global sync").isEqualTo("EVERY_5_MINUTES");

        ResponseEntity<String> wrong = put(Map.of("taskSync", "HOURLY"));
        assertThat(wrong.getStatusCode().value()).isEqualTo(400);
        assertThat(wrong.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(json(wrong).path("errors").get(0).path("field").asText()).isEqualTo("taskSync");
        assertThat(json(wrong).path("errors").get(0).path("message").asText())
                .isEqualTo("must be one of IMMEDIATE, EVERY_5_MINUTES, DAILY, MANUAL");

        ResponseEntity<String> disagree = put(Map.of("taskSync", "MANUAL", "syncPeriod", "EVERY_5_MINUTES",
                "globalSync", true, "automaticSync", false));
        assertThat(disagree.getStatusCode().value()).isEqualTo(400);
        assertThat(json(disagree).path("errors").findValuesAsText("field")).containsExactly("globalSync");
        ResponseEntity<String> period = put(Map.of("taskSync", "MANUAL", "syncPeriod", "EVERY_5_MINUTES"));
        assertThat(period.getStatusCode().value()).isEqualTo(400);
        assertThat(json(period).path("errors").findValuesAsText("field")).containsExactly("syncPeriod");
        assertThat(json(get()).path("taskSync").asText()).isEqualTo("EVERY_5_MINUTES");
    }

    @Test
    void bodyThatIsNoObjectIs400() {
        for (String other : new String[] {"[]", "\"IMMEDIATE\""}) {
            ResponseEntity<String> r = put(other);
            assertThat(r.getStatusCode().value()).as(other).isEqualTo(400);
            // the problem names the body as its field, as every other 400 does (a probe of stop 32 found no errors[])
            assertThat(r.getBody()).as(other).contains("\"field\":\"$\"").contains("must be a JSON object of sync rules");
        }
        assertThat(put("{broken").getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void emptyPutStoresAndAnswersTheCurrentRules() throws Exception {
        ResponseEntity<String> response = put(Map.of());

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(json(get()));
        assertThat(repository.find(partner)).isEqualTo(PartnerSyncRules.defaults());
    }

    @Test
    void openApiDocumentsTheRulesAndThatAPutMayBePartial() throws Exception {
        JsonNode docs = mapper.readTree(RestClient.create("http://localhost:" + port).get().uri("/v3/api-docs")
                .retrieve().body(String.class));

        JsonNode put = docs.path("paths").path("/api/v1/partners/{partnerId}/sync-rules").path("put");
        assertThat(put.path("description").asText()).contains("absent keeps its current value");
        assertThat(put.path("requestBody").toString()).contains("PartnerSyncRules");
        assertThat(docs.path("components").path("schemas").path("PartnerSyncRules").path("properties").path("syncPeriod")
                .path("enum")).extracting(JsonNode::asText).containsExactly("DAILY", "EVERY_5_MINUTES");
        assertThat(docs.path("paths").has("/api/v1/partners/{partnerId}/products/{productId}/mapping")).isTrue();
    }

    @Test
    void invalidPartnerIdIs400() {
        assertThat(api.get().uri("/{p}/sync-rules", "bad partner!").retrieve().toEntity(String.class).getStatusCode().value())
                .isEqualTo(400);
    }
}
