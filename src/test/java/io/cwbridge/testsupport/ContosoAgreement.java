package io.cwbridge.testsupport;

import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import java.util.Map;

/**
 * One catalog item and Contoso's agreement (from 2024-01-01) created in the sandbox through the ConnectWise API: the
 * tenant of the tests that drive single addition operations against it.
 *
 * @param product   the catalog item's id
 * @param agreement the agreement's id
 */
public record ContosoAgreement(long product, long agreement) {

    public static ContosoAgreement create(ConnectWiseClient client, ConnectWiseConnection cw, String identifier, String description) {
        long product = client.create(cw, "procurement/catalog", Map.of("identifier", identifier, "description", description,
                "customerDescription", description, "subcategory", Map.of("name", "Cloud"), "type", Map.of("name", "Subscription")),
                null).path("id").asLong();
        long company = client.create(cw, "company/companies", Map.of("identifier", "Contoso", "name", "Contoso"), null)
                .path("id").asLong();
        long agreement = client.create(cw, "finance/agreements", Map.of("name", "Contoso cloud", "type", Map.of("name", "Cloud"),
                "company", Map.of("id", company), "contact", Map.of("name", "Billing"), "startDate", "2024-01-01T00:00:00Z"),
                null).path("id").asLong();
        return new ContosoAgreement(product, agreement);
    }
}
