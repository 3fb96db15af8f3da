package io.cwbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Builders of valid records in ConnectWise's shapes, created through the API. */
final class SandboxTestSupport {

    private final SandboxHttp cw;

    SandboxTestSupport(SandboxHttp cw) {
        this.cw = cw;
    }

    static Map<String, Object> companyBody(String identifier) {
        return Map.of("identifier", identifier, "name", identifier + " Inc", "city", "Tampa");
    }

    static Map<String, Object> catalogBody(String identifier) {
        return Map.of("identifier", identifier, "description", identifier + " licence",
                "customerDescription", identifier + " licence", "subcategory", Map.of("name", "Cloud Licensing"),
                "type", Map.of("name", "Subscription"), "price", 22.00, "cost", 18.70);
    }

    static Map<String, Object> agreementBody(long companyId) {
        return Map.of("name", "Cloud services", "type", Map.of("name", "Cloud Services"), "company", Map.of("id", companyId),
                "contact", Map.of("name", "Billing Contact"), "startDate", "2024-01-01", "billingCycle", Map.of("name", "Monthly"));
    }

    long company(String identifier) {
        return created(cw.post("company/companies", companyBody(identifier)));
    }

    long catalogItem(String identifier) {
        return created(cw.post("procurement/catalog", catalogBody(identifier)));
    }

    long agreement(long companyId) {
        return created(cw.post("finance/agreements", agreementBody(companyId)));
    }

    /** An agreement of a new company, starting 2024-01-01. */
    long agreement() {
        return agreement(company("Co" + System.nanoTime()));
    }

    JsonNode addition(long agreementId, String body) {
        SandboxHttp.Answer answer = cw.post(additions(agreementId), body);
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json();
    }

    static String additions(long agreementId) {
        return "finance/agreements/" + agreementId + "/additions";
    }

    private static long created(SandboxHttp.Answer answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json().path("id").asLong();
    }
}
