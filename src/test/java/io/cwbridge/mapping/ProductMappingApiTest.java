package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/** {@code /api/v1/partners/{p}/products/{productId}/mapping} over HTTP, with the sandbox as ConnectWise. */
class ProductMappingApiTest extends MappingApiTestBase {

    private static final String MAPPING = "/{p}/products/{id}/mapping";
    private static final String PRODUCT = "CFQ7TTC0LCHC:0002";

    @Test
    void productIdWithColonRoundTripsThroughPutGetAndDelete() {
        long item = catalogItem("M365-BP");

        ResponseEntity<String> saved = put(MAPPING, Map.of("catalogItemId", item), partner, PRODUCT);

        assertThat(saved.getStatusCode().value()).isEqualTo(200);
        assertThat(json(saved).path("productId").asText()).isEqualTo(PRODUCT);
        assertThat(json(saved).path("catalogItemId").asLong()).isEqualTo(item);
        assertThat(json(get(MAPPING, partner, PRODUCT)).path("productId").asText()).isEqualTo(PRODUCT);
        // The same id percent-encoded names the same mapping.
        ResponseEntity<String> encoded = api.get()
                .uri(URI.create("http://localhost:" + port + "/api/v1/partners/" + partner + "/products/CFQ7TTC0LCHC%3A0002/mapping"))
                .retrieve().toEntity(String.class);
        assertThat(json(encoded).path("catalogItemId").asLong()).isEqualTo(item);
        assertThat(jdbc.queryForObject("SELECT product_id FROM product_mapping WHERE partner_id = ?", String.class, partner))
                .isEqualTo(PRODUCT);
        assertThat(changes()).containsExactly(new MappingChanged(partner, "PRODUCT", PRODUCT, true));

        assertThat(delete(MAPPING, partner, PRODUCT).getStatusCode().value()).isEqualTo(204);
        assertThat(get(MAPPING, partner, PRODUCT).getStatusCode().value()).isEqualTo(404);
        assertThat(changes()).last().isEqualTo(new MappingChanged(partner, "PRODUCT", PRODUCT, false));
    }

    @Test
    void catalogItemConnectWiseDoesNotKnowIsRefusedOnCatalogItemId() {
        ResponseEntity<String> response = put(MAPPING, Map.of("catalogItemId", 424242), partner, PRODUCT);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(response)).containsExactly("catalogItemId");
        assertThat(firstErrorMessage(response)).isEqualTo("no such catalog item in ConnectWise");
        assertThat(changes()).isEmpty();
    }

    @Test
    void createBuildsTheCatalogItemFromTheEventsProductAndPrices() {
        seedEvent("sub-1", "2024-03-15T14:02:00Z");
        sandbox.resetCalls();

        ResponseEntity<String> response = put(MAPPING, Map.of("create", true), partner, PRODUCT);

        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(json(response).path("created").asBoolean()).isTrue();
        long id = json(response).path("catalogItemId").asLong();
        JsonNode item = client.get(cw, "procurement/catalog/" + id, Map.of());
        assertThat(item.path("identifier").asText()).isEqualTo("CFQ7TTC0LCHC:0002:P1");
        assertThat(item.path("description").asText()).isEqualTo("Microsoft 365 Business Premium");
        assertThat(item.path("customerDescription").asText()).isEqualTo("Microsoft 365 Business Premium");
        assertThat(item.path("manufacturerPartNumber").asText()).isEqualTo("CFQ7TTC0LCHC:0002:P1");
        assertThat(item.path("manufacturer").path("name").asText()).isEqualTo("Microsoft CSP");
        assertThat(item.path("category").path("name").asText()).isEqualTo("Cloud Services");
        assertThat(item.path("subcategory").path("name").asText()).isEqualTo("Cloud Licensing");
        assertThat(item.path("type").path("name").asText()).isEqualTo("Subscription");
        assertThat(item.path("price").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(item.path("cost").decimalValue()).isEqualByComparingTo("18.70");

        ResponseEntity<String> again = put(MAPPING, Map.of("create", true), partner, PRODUCT);

        assertThat(json(again).path("catalogItemId").asLong()).isEqualTo(id);
        assertThat(json(again).path("created").asBoolean()).isFalse();
        assertThat(sandbox.calls("POST /procurement/catalog")).isEqualTo(1);
        assertThat(seen).extracting(Seen::rowCommitted).containsExactly(true, true);
    }

    @Test
    void createOfAnUpgradeTargetUsesTheUpgradesProductAndPrice() {
        seedEvent("sub-1", "2024-03-15T14:02:00Z", Map.of(), Map.of("type", "CHANGE_ORDER", "action", "FULL_UPGRADE",
                "upgradeTo", Map.of("subscriptionId", "sub-2", "quantity", 12, "unitPrice", new BigDecimal("36.00"),
                        "unitCost", new BigDecimal("30.60"), "endDate", "2025-02-13",
                        "product", Map.of("id", "CFQ7TTC0LFLZ:0001", "provider", "Microsoft CSP", "name", "Microsoft 365 NCE",
                                "plan", "Microsoft 365 E3"))));

        ResponseEntity<String> response = put(MAPPING, Map.of("create", true), partner, "CFQ7TTC0LFLZ:0001");

        JsonNode item = client.get(cw, "procurement/catalog/" + json(response).path("catalogItemId").asLong(), Map.of());
        assertThat(item.path("identifier").asText()).as("no mfg part number: the product id").isEqualTo("CFQ7TTC0LFLZ:0001");
        assertThat(item.path("description").asText()).isEqualTo("Microsoft 365 E3");
        assertThat(item.path("price").decimalValue()).isEqualByComparingTo("36.00");
        assertThat(item.path("cost").decimalValue()).isEqualByComparingTo("30.60");
    }

    @Test
    void createForAProductNoEventNamesIs404() {
        ResponseEntity<String> response = put(MAPPING, Map.of("create", true), partner, "NOPE:0001");

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(changes()).isEmpty();
    }

    @Test
    void neitherCatalogItemIdNorCreateIs400() {
        assertThat(errorFields(put(MAPPING, Map.of(), partner, PRODUCT))).containsExactly("catalogItemId");
    }

    @Test
    void deleteOfAnUnmappedProductIs404() {
        ResponseEntity<String> response = delete(MAPPING, partner, PRODUCT);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(changes()).isEmpty();
    }
}
