package io.cwbridge.globalsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * R30 on demand for one customer, product or subscription (seed 000), and per customer / product the
 * fields the global sync pushes (seed 000's checkboxes), against the sandbox over HTTP; the clock is
 * fixed at 2024-04-01T00:00Z, the day after a March delta line ended (R18).
 */
class OnDemandSyncAndSyncFieldsTest extends TimersTestBase {

    JsonNode json(ResponseEntity<String> response) throws Exception {
        return mapper.readTree(response.getBody());
    }

    JsonNode runGlobalSync(String query) throws Exception {
        ResponseEntity<String> response = post("/api/v1/partners/" + partner + "/global-sync" + query, null);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        return json(response);
    }

    /** The write calls the sandbox received since the last reset, per endpoint. */
    Map<String, Long> writes() {
        return sandbox.callsByEndpoint().entrySet().stream().filter(e -> e.getKey().matches("(POST|PATCH|PUT|DELETE) .*"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    ResponseEntity<String> putFields(String path, List<String> fields) {
        return api.put().uri("/api/v1/partners/{p}/" + path + "/sync-fields", partner).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("fields", fields)).retrieve().toEntity(String.class);
    }

    /** A sale in February and an increase in March: company name, catalog price and the month roll all differ. */
    void everythingDiffers() throws Exception {
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533")), "SYNCED");
        awaitStatus(submit(event("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10, "65533")), "SYNCED");
        sandbox.resetCalls();
    }

    @Test
    void eachOnDemandScopeWritesOnlyItsOwnRecords() throws Exception {
        everythingDiffers();

        JsonNode customer = runGlobalSync("?customerId=65533");
        assertThat(writes()).as("customer scope").containsOnlyKeys("PATCH /company/companies/{id}");
        assertThat(customer.path("scope").asText()).isEqualTo("customer 65533");
        assertThat(customer.path("changed").path("companies").asInt()).isEqualTo(1);
        assertThat(customer.path("lookedAt").path("catalogItems").asInt()).isZero();
        assertThat(customer.path("lookedAt").path("subscriptions").asInt()).isZero();
        assertThat(client.get(cw, "company/companies/" + company, Map.of()).path("name").asText()).isEqualTo("Chairs Unlimited");
        assertThat(client.get(cw, "procurement/catalog/" + catalogItem, Map.of()).path("price").decimalValue())
                .isEqualByComparingTo("20");
        int linesBefore = additions().size();

        sandbox.resetCalls();
        JsonNode product = runGlobalSync("?productId=" + PRODUCT_ID);
        assertThat(writes()).as("product scope").containsOnlyKeys("PATCH /procurement/catalog/{id}");
        assertThat(product.path("changed").path("catalogItems").asInt()).isEqualTo(1);
        assertThat(product.path("lookedAt").path("companies").asInt()).isZero();
        assertThat(client.get(cw, "procurement/catalog/" + catalogItem, Map.of()).path("price").decimalValue())
                .isEqualByComparingTo("22.00");
        assertThat(additions()).hasSize(linesBefore);

        sandbox.resetCalls();
        JsonNode subscription = runGlobalSync("?subscriptionId=sub-1");
        assertThat(writes()).as("subscription scope").isNotEmpty()
                .allSatisfy((endpoint, n) -> assertThat(endpoint).contains("/finance/agreements/{parentId}/additions"));
        assertThat(subscription.path("changed").path("subscriptions").asInt()).isEqualTo(1);
        assertThat(subscription.path("lookedAt").path("companies").asInt()).isZero();
        assertThat(subscription.path("lookedAt").path("catalogItems").asInt()).isZero();
        // R18: the base from 2024-04-01 carries the 12 licences.
        assertThat(additions()).anySatisfy(a -> {
            assertThat(a.path("effectiveDate").asText()).startsWith("2024-04-01");
            assertThat(a.path("quantity").decimalValue()).isEqualByComparingTo("12");
        });

        // Everything is in step now: the partner-wide run (no parameter, as before) writes nothing.
        sandbox.resetCalls();
        JsonNode all = runGlobalSync("");
        assertThat(all.path("scope").isNull()).isTrue();
        assertThat(writes()).isEmpty();
        assertThat(all.path("lookedAt").path("companies").asInt()).isEqualTo(1);
    }

    @Test
    void unknownScopeIs404AndTwoScopesAre400() throws Exception {
        everythingDiffers();
        for (String query : List.of("?customerId=nobody", "?productId=nothing", "?subscriptionId=sub-none")) {
            ResponseEntity<String> response = post("/api/v1/partners/" + partner + "/global-sync" + query, null);
            assertThat(response.getStatusCode().value()).as(query).isEqualTo(404);
            assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        }
        ResponseEntity<String> two = post("/api/v1/partners/" + partner + "/global-sync?customerId=65533&subscriptionId=sub-1", null);
        assertThat(two.getStatusCode().value()).isEqualTo(400);
        assertThat(json(two).path("errors").get(0).path("field").asText()).isEqualTo("customerId");
        assertThat(writes()).isEmpty();
    }

    @Test
    void aCustomerWithCityOffKeepsItsConnectWiseCityWhileTheNameIsPushed() throws Exception {
        everythingDiffers();
        JsonNode before = json(api.get().uri("/api/v1/partners/{p}/customers/65533/sync-fields", partner).retrieve()
                .toEntity(String.class));
        assertThat(mapper.convertValue(before.path("fields"), List.class))
                .containsExactly("name", "address", "city", "state", "zip", "country");

        ResponseEntity<String> set = putFields("customers/65533", List.of("name", "address", "state", "zip", "country"));
        assertThat(set.getStatusCode().value()).as(set.getBody()).isEqualTo(200);
        assertThat(mapper.convertValue(json(set).path("switchedOff"), List.class)).containsExactly("city");

        runGlobalSync("?customerId=65533");
        JsonNode companyNow = client.get(cw, "company/companies/" + company, Map.of());
        assertThat(companyNow.path("name").asText()).isEqualTo("Chairs Unlimited");
        assertThat(companyNow.path("addressLine1").asText()).isEqualTo("1 Main St");
        assertThat(companyNow.path("city").asText()).isEqualTo("Old City");

        // Product: only the name is pushed, the catalog price stays.
        assertThat(putFields("products/" + PRODUCT_ID, List.of("name")).getStatusCode().value()).isEqualTo(200);
        runGlobalSync("");
        assertThat(client.get(cw, "procurement/catalog/" + catalogItem, Map.of()).path("price").decimalValue())
                .isEqualByComparingTo("20");
        assertThat(client.get(cw, "company/companies/" + company, Map.of()).path("city").asText()).isEqualTo("Old City");
    }

    @Test
    void aFieldThePartnersRulesLeaveOffCannotBeSwitchedOn() throws Exception {
        putSyncRules(Map.of("companyFields", List.of("name", "address")));
        ResponseEntity<String> refused = putFields("customers/65533", List.of("name", "city", "colour"));
        assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(400);
        assertThat(refused.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        JsonNode errors = json(refused).path("errors");
        assertThat(errors.findValuesAsText("field")).containsExactly("fields[1]", "fields[2]");
        assertThat(errors.get(0).path("message").asText()).contains("do not push city");

        JsonNode unchanged = json(api.get().uri("/api/v1/partners/{p}/customers/65533/sync-fields", partner).retrieve()
                .toEntity(String.class));
        assertThat(mapper.convertValue(unchanged.path("fields"), List.class)).containsExactly("name", "address");
        assertThat(mapper.convertValue(unchanged.path("partnerFields"), List.class)).containsExactly("name", "address");

        assertThat(api.get().uri("/api/v1/partners/{p}/customers/nobody/sync-fields", partner).retrieve().toEntity(String.class)
                .getStatusCode().value()).isEqualTo(404);
        assertThat(putFields("products/unmapped", List.of("name")).getStatusCode().value()).isEqualTo(404);
    }
}
