package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/** {@code /api/v1/partners/{p}/subscriptions/{subscriptionId}/mapping} over HTTP, with the sandbox as ConnectWise. */
class SubscriptionMappingApiTest extends MappingApiTestBase {

    private static final String MAPPING = "/{p}/subscriptions/{id}/mapping";
    private static final String SUBSCRIPTION = "e6024e7f-5b54-4878-df3b-9acaaddbe0de";

    @Test
    void agreementOfTheCustomersMappedCompanyIsMappedWithItsFromDate() {
        seedEvent(SUBSCRIPTION, "2024-03-15T14:02:00Z");
        long company = company("ChairsUnlimited", "Chairs Unlimited");
        long agreement = agreement(company, "Chairs cloud");
        put("/{p}/customers/{c}/mapping", Map.of("companyId", company), partner, "65533");

        ResponseEntity<String> saved = put(MAPPING, Map.of("agreementId", agreement, "fromDate", "2024-03-01"), partner, SUBSCRIPTION);

        assertThat(saved.getStatusCode().value()).isEqualTo(200);
        JsonNode body = json(saved);
        assertThat(body.path("partnerId").asText()).isEqualTo(partner);
        assertThat(body.path("subscriptionId").asText()).isEqualTo(SUBSCRIPTION);
        assertThat(body.path("agreementId").asLong()).isEqualTo(agreement);
        assertThat(body.path("fromDate").asText()).isEqualTo("2024-03-01");
        assertThat(json(get(MAPPING, partner, SUBSCRIPTION))).isEqualTo(body);
        assertThat(seen).last().isEqualTo(new Seen(new MappingChanged(partner, "SUBSCRIPTION", SUBSCRIPTION, true), true));
    }

    @Test
    void aQueryParameterThatDoesNotConvertIsAFieldLevel400() {
        ResponseEntity<String> response = get("/{p}/customers?status=BOGUS", partner);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(errorFields(response)).containsExactly("status");
        assertThat(firstErrorMessage(response)).contains("MAPPED").contains("UNMAPPED").doesNotContain("BOGUS");
    }

    @Test
    void agreementOfAnotherCompanyIsRefusedWithTheReason() {
        seedEvent(SUBSCRIPTION, "2024-03-15T14:02:00Z");
        long chairs = company("ChairsUnlimited", "Chairs Unlimited");
        long other = company("ContosoDental", "Contoso Dental");
        long otherAgreement = agreement(other, "Contoso cloud");
        put("/{p}/customers/{c}/mapping", Map.of("companyId", chairs), partner, "65533");

        ResponseEntity<String> response = put(MAPPING, Map.of("agreementId", otherAgreement), partner, SUBSCRIPTION);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(response)).containsExactly("agreementId");
        assertThat(firstErrorMessage(response)).contains("belongs to company " + other).contains("65533")
                .contains("company " + chairs);
        assertThat(get(MAPPING, partner, SUBSCRIPTION).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void customerOfAnUpgradesNewSubscriptionIsKnownFromTheUpgradeEvent() {
        seedEvent("sub-old", "2024-03-15T14:02:00Z", Map.of(), Map.of("type", "CHANGE_ORDER", "action", "PARTIAL_UPGRADE",
                "upgradeTo", Map.of("subscriptionId", "sub-new", "quantity", 2,
                        "product", Map.of("id", "CFQ7TTC0LFLZ:0001", "name", "Microsoft 365 E3"))));
        long chairs = company("ChairsUnlimited", "Chairs Unlimited");
        long otherAgreement = agreement(company("ContosoDental", "Contoso Dental"), "Contoso cloud");
        put("/{p}/customers/{c}/mapping", Map.of("companyId", chairs), partner, "65533");

        assertThat(put(MAPPING, Map.of("agreementId", otherAgreement), partner, "sub-new").getStatusCode().value()).isEqualTo(400);
        assertThat(put(MAPPING, Map.of("agreementId", agreement(chairs, "Chairs cloud")), partner, "sub-new")
                .getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void withoutAKnownMappedCustomerAnyExistingAgreementIsAccepted() {
        long agreement = agreement(company("ContosoDental", "Contoso Dental"), "Contoso cloud");

        ResponseEntity<String> response = put(MAPPING, Map.of("agreementId", agreement), partner, "sub:with:colons");

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(json(response).path("fromDate").isNull()).isTrue();
        assertThat(json(get(MAPPING, partner, "sub:with:colons")).path("agreementId").asLong()).isEqualTo(agreement);
    }

    @Test
    void agreementConnectWiseDoesNotKnowIsRefusedOnAgreementId() {
        ResponseEntity<String> response = put(MAPPING, Map.of("agreementId", 777777), partner, SUBSCRIPTION);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(response)).containsExactly("agreementId");
        assertThat(firstErrorMessage(response)).isEqualTo("no such agreement in ConnectWise");
    }

    @Test
    void missingAgreementIdAndBadFromDateAre400() {
        assertThat(errorFields(put(MAPPING, Map.of(), partner, SUBSCRIPTION))).containsExactly("agreementId");
        Map<String, Object> badDate = new HashMap<>(Map.of("agreementId", 1, "fromDate", "1st of March"));
        assertThat(errorFields(put(MAPPING, badDate, partner, SUBSCRIPTION))).containsExactly("fromDate");
    }

    @Test
    void unknownPartnerIs404AndPartnerWithoutConnectionIs409() {
        assertThat(put(MAPPING, Map.of("agreementId", 1), "never-connected-partner", SUBSCRIPTION).getStatusCode().value())
                .isEqualTo(404);
        String removed = "removed-" + partner;
        connections.save(removed, cw);
        connections.remove(removed);
        assertThat(put(MAPPING, Map.of("agreementId", 1), removed, SUBSCRIPTION).getStatusCode().value())
                .isEqualTo(409);
    }

    @Test
    void deleteUnmapsAndLeavesTheAgreementAlone() {
        long agreement = agreement(company("ChairsUnlimited", "Chairs Unlimited"), "Chairs cloud");
        put(MAPPING, Map.of("agreementId", agreement), partner, SUBSCRIPTION);

        assertThat(delete(MAPPING, partner, SUBSCRIPTION).getStatusCode().value()).isEqualTo(204);
        assertThat(delete(MAPPING, partner, SUBSCRIPTION).getStatusCode().value()).isEqualTo(404);
        assertThat(get(MAPPING, partner, SUBSCRIPTION).getStatusCode().value()).isEqualTo(404);
        assertThat(client.get(cw, "finance/agreements/" + agreement, Map.of()).path("id").asLong()).isEqualTo(agreement);
        assertThat(changes()).containsExactly(
                new MappingChanged(partner, "SUBSCRIPTION", SUBSCRIPTION, true),
                new MappingChanged(partner, "SUBSCRIPTION", SUBSCRIPTION, false));
    }
}
