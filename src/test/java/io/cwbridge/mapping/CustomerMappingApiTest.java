package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/** {@code /api/v1/partners/{p}/customers/{customerId}/mapping} over HTTP, with the sandbox as ConnectWise. */
class CustomerMappingApiTest extends MappingApiTestBase {

    private static final String MAPPING = "/{p}/customers/{c}/mapping";

    @Test
    void existingCompanyIsMappedShownAndAnnouncedAfterCommit() {
        long company = company("ChairsUnlimited", "Chairs Unlimited");

        ResponseEntity<String> saved = put(MAPPING, Map.of("companyId", company), partner, "65533");

        assertThat(saved.getStatusCode().value()).isEqualTo(200);
        JsonNode body = json(saved);
        assertThat(body.path("partnerId").asText()).isEqualTo(partner);
        assertThat(body.path("customerId").asText()).isEqualTo("65533");
        assertThat(body.path("companyId").asLong()).isEqualTo(company);
        assertThat(body.path("mappedAt").asText()).isNotBlank();
        assertThat(body.has("created")).isFalse();
        assertThat(json(get(MAPPING, partner, "65533"))).isEqualTo(body);
        assertThat(seen).containsExactly(new Seen(new MappingChanged(partner, "CUSTOMER", "65533", true), true));
    }

    /**
     * R1 (v2), probe 43 §5: re-mapping (or unmapping) a customer whose subscription is mapped to an agreement of its
     * company left that subscription MAPPED on another company's agreement (200 / 204, no warning). 409 naming it, unless
     * replace.
     */
    @Test
    void r1ACustomerWithSubscriptionsOnItsCompanysAgreementsIsNotReMappedOrUnmappedUnlessReplace() {
        String subscription = "sub-stays";
        seedEvent(subscription, "2024-03-15T14:02:00Z");
        long chairs = company("ChairsUnlimited", "Chairs Unlimited");
        long agreement = agreement(chairs, "Chairs cloud");
        long contoso = company("ContosoDental", "Contoso Dental");
        assertThat(put(MAPPING, Map.of("companyId", chairs), partner, "65533").getStatusCode().value()).isEqualTo(200);
        assertThat(put("/{p}/subscriptions/{s}/mapping", Map.of("agreementId", agreement), partner, subscription)
                .getStatusCode().value()).isEqualTo(200);

        ResponseEntity<String> moved = put(MAPPING, Map.of("companyId", contoso), partner, "65533");
        ResponseEntity<String> unmapped = delete(MAPPING, partner, "65533");

        for (ResponseEntity<String> refused : java.util.List.of(moved, unmapped)) {
            assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(409);
            assertThat(json(refused).path("subscriptionIds").toString()).isEqualTo("[\"" + subscription + "\"]");
            assertThat(json(refused).path("detail").asText()).contains(subscription).contains("company " + chairs).contains("replace");
        }
        assertThat(errorFields(moved)).containsExactly("companyId");
        assertThat(json(get(MAPPING, partner, "65533")).path("companyId").asLong()).isEqualTo(chairs);
        // the same company again changes nothing for the subscription: no conflict
        assertThat(put(MAPPING, Map.of("companyId", chairs), partner, "65533").getStatusCode().value()).isEqualTo(200);

        ResponseEntity<String> replaced = put(MAPPING, Map.of("companyId", contoso, "replace", true), partner, "65533");
        assertThat(replaced.getStatusCode().value()).as(replaced.getBody()).isEqualTo(200);
        assertThat(json(replaced).path("companyId").asLong()).isEqualTo(contoso);
        assertThat(delete(MAPPING + "?replace=true", partner, "65533").getStatusCode().value()).isEqualTo(204);
    }

    @Test
    void companyConnectWiseDoesNotKnowIsRefusedOnCompanyId() {
        ResponseEntity<String> response = put(MAPPING, Map.of("companyId", 999999), partner, "65533");

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(errorFields(response)).containsExactly("companyId");
        assertThat(firstErrorMessage(response)).isEqualTo("no such company in ConnectWise");
        assertThat(get(MAPPING, partner, "65533").getStatusCode().value()).isEqualTo(404);
        assertThat(changes()).isEmpty();
    }

    @Test
    void createBuildsTheCompanyFromTheLatestEventNamingTheCustomerOnlyOnce() {
        seedEvent("sub-old", "2024-01-10T09:00:00Z", Map.of("customer", Map.of("id", "65533", "name", "Chairs Ltd")), Map.of());
        seedEvent("sub-new", "2024-03-15T14:02:00Z", Map.of("customer", Map.of("id", "65533",
                "name", "Chairs Unlimited, Inc. of Tampa & Greater Florida",
                "address", Map.of("line1", "1 Main St", "line2", "Suite 200", "city", "Tampa", "state", "FL",
                        "zip", "33601", "country", "US"))), Map.of());
        sandbox.resetCalls();

        ResponseEntity<String> first = put(MAPPING, Map.of("create", true), partner, "65533");

        assertThat(first.getStatusCode().value()).isEqualTo(200);
        assertThat(json(first).path("created").asBoolean()).isTrue();
        long companyId = json(first).path("companyId").asLong();
        JsonNode company = client.get(cw, "company/companies/" + companyId, Map.of());
        assertThat(company.path("identifier").asText()).isEqualTo("ChairsUnlimitedIncofTampa"); // 25 characters
        assertThat(company.path("name").asText()).isEqualTo("Chairs Unlimited, Inc. of Tampa & Greater Florida");
        assertThat(company.path("addressLine1").asText()).isEqualTo("1 Main St");
        assertThat(company.path("addressLine2").asText()).isEqualTo("Suite 200");
        assertThat(company.path("city").asText()).isEqualTo("Tampa");
        assertThat(company.path("state").asText()).isEqualTo("FL");
        assertThat(company.path("zip").asText()).isEqualTo("33601");
        assertThat(company.path("country").path("name").asText()).isEqualTo("US");

        ResponseEntity<String> again = put(MAPPING, Map.of("create", true), partner, "65533");

        assertThat(json(again).path("companyId").asLong()).isEqualTo(companyId);
        assertThat(json(again).path("created").asBoolean()).isFalse();
        assertThat(sandbox.calls("POST /company/companies")).isEqualTo(1);
        assertThat(json(get(MAPPING, partner, "65533")).path("companyId").asLong()).isEqualTo(companyId);
        assertThat(seen).hasSize(2).allMatch(Seen::rowCommitted);
    }

    @Test
    void createPushesOnlyTheCompanyFieldsTheRulesAllow() {
        seedEvent("sub-1", "2024-03-15T14:02:00Z");
        put("/{p}/sync-rules", Map.of("companyFields", java.util.List.of("name", "city")), partner);

        long companyId = json(put(MAPPING, Map.of("create", true), partner, "65533")).path("companyId").asLong();

        JsonNode company = client.get(cw, "company/companies/" + companyId, Map.of());
        assertThat(company.path("identifier").asText()).isEqualTo("ChairsUnlimited");
        assertThat(company.path("city").asText()).isEqualTo("Tampa");
        assertThat(company.path("addressLine1").isMissingNode() || company.path("addressLine1").isNull()).isTrue();
        assertThat(company.path("zip").isMissingNode() || company.path("zip").isNull()).isTrue();
    }

    @Test
    void createForACustomerNoEventNamesIs404() {
        seedEvent("sub-1", "2024-03-15T14:02:00Z");

        ResponseEntity<String> response = put(MAPPING, Map.of("create", true), partner, "99999");

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(sandbox.calls("POST /company/companies")).isZero();
    }

    @Test
    void neitherOrBothOfCompanyIdAndCreateIs400() {
        assertThat(errorFields(put(MAPPING, Map.of(), partner, "65533"))).containsExactly("companyId");
        assertThat(errorFields(put(MAPPING, Map.of("create", false), partner, "65533"))).containsExactly("companyId");
        assertThat(errorFields(put(MAPPING, Map.of("companyId", 1, "create", true), partner, "65533"))).containsExactly("create");
        assertThat(errorFields(put(MAPPING, Map.of("companyId", -4), partner, "65533"))).containsExactly("companyId");
        assertThat(errorFields(put(MAPPING, Map.of("companyId", "abc"), partner, "65533"))).containsExactly("companyId");
    }

    @Test
    void unknownPartnerIs404AndPartnerWithoutConnectionIs409() {
        assertThat(put(MAPPING, Map.of("companyId", 1), "never-connected-partner", "65533").getStatusCode().value())
                .isEqualTo(404);
        String removed = "removed-" + partner;
        connections.save(removed, cw);
        connections.remove(removed);
        ResponseEntity<String> response = put(MAPPING, Map.of("companyId", 1), removed, "65533");

        assertThat(response.getStatusCode().value()).isEqualTo(409);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(json(response).path("detail").asText()).contains("no ConnectWise connection");
    }

    @Test
    void deleteUnmapsLeavesTheCompanyAndAnnounces() {
        long company = company("ChairsUnlimited", "Chairs Unlimited");
        put(MAPPING, Map.of("companyId", company), partner, "65533");

        ResponseEntity<String> deleted = delete(MAPPING, partner, "65533");

        assertThat(deleted.getStatusCode().value()).isEqualTo(204);
        assertThat(get(MAPPING, partner, "65533").getStatusCode().value()).isEqualTo(404);
        assertThat(delete(MAPPING, partner, "65533").getStatusCode().value()).isEqualTo(404);
        assertThat(client.get(cw, "company/companies/" + company, Map.of()).path("id").asLong()).isEqualTo(company);
        assertThat(changes()).containsExactly(
                new MappingChanged(partner, "CUSTOMER", "65533", true),
                new MappingChanged(partner, "CUSTOMER", "65533", false));
        assertThat(seen.get(1).rowCommitted()).as("row already gone when the unmap is announced").isFalse();
    }

    @Test
    void connectWiseRefusingTheLookUpIsABadGatewayWithItsReason() {
        sandbox.fault(Map.of("status", 403, "count", 1, "method", "GET", "pathContains", "company/companies"));

        ResponseEntity<String> response = put(MAPPING, Map.of("companyId", 1), partner, "65533");

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(json(response).path("detail").asText()).startsWith("ConnectWise could not read the company: 403");
        assertThat(changes()).isEmpty();
    }

    @Test
    void unmappedCustomerIs404() {
        ResponseEntity<String> response = get(MAPPING, partner, "65533");

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
    }
}
