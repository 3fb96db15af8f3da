package io.cwbridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/** Map only vs map &amp; sync, unmap and re-map (SPEC 3), through the real pipeline: events in, additions in the sandbox. */
class MapAndSyncTest extends MappingApiTestBase {

    @BeforeEach
    void mapCustomerAndProduct() {
        mapChairs("Monthly USD");
    }

    long submit(String eventId, String type, String action, String occurredAt, int quantity, Integer previous) {
        return submitEvent("sub-1", eventId, type, action, occurredAt, quantity, previous);
    }

    @Test
    void unmapStopsUpdatesAndMapAndSyncPushesTheWaitingChangeAtOnce() throws Exception {
        long sale = submit("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);
        assertThat(awaitTask(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(json(get("/{p}/subscriptions/{s}/mapping", partner, "sub-1")).path("agreementId").asLong()).isEqualTo(agreement);
        assertThat(additions(agreement)).hasSize(1);

        assertThat(delete("/{p}/subscriptions/{s}/mapping", partner, "sub-1").getStatusCode().value()).isEqualTo(204);
        sandbox.resetCalls();
        long increase = submit("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10);

        // R4 must not map it back silently: the change waits and ConnectWise's additions are not touched.
        assertThat(awaitTask(increase, "NEEDS_MAPPING", "SYNCED", "FAILED")).isEqualTo("NEEDS_MAPPING");
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).isZero();
        assertThat(additions(agreement)).singleElement()
                .satisfies(a -> assertThat(a.path("quantity").decimalValue()).isEqualByComparingTo("10"));
        JsonNode row = json(get("/{p}/subscriptions?status=UNMAPPED", partner)).path("items").path(0);
        assertThat(row.path("subscriptionId").asText()).isEqualTo("sub-1");
        assertThat(row.path("reason").asText()).contains("unmapped");

        ResponseEntity<String> remapped = put("/{p}/subscriptions/{s}/mapping?sync=true", Map.of("agreementId", agreement), partner, "sub-1");

        assertThat(remapped.getStatusCode().value()).as(remapped.getBody()).isEqualTo(200);
        JsonNode tasks = json(remapped).path("tasks");
        assertThat(tasks).singleElement().satisfies(t -> {
            assertThat(t.path("taskId").asLong()).isEqualTo(increase);
            assertThat(t.path("status").asText()).isEqualTo("SYNCED");
        });
        assertThat(additions(agreement)).hasSize(2);
        JsonNode synced = json(get("/{p}/subscriptions?status=MAPPED", partner)).path("items").path(0);
        assertThat(synced.path("lastSyncAt").isMissingNode()).isFalse();
        assertThat(synced.path("additionIds")).hasSize(2);
    }

    @Test
    void aMappingSavedBeforeTheSubscriptionWasSeenIsCheckedAtItsFirstSyncR4() throws Exception {
        // Saved before any event: the API cannot know the subscription's customer or cycle, so the sync checks them.
        long contoso = company("ContosoDental", "Contoso Dental");
        long contosoAgreement = agreement(contoso, "Contoso cloud");
        assertThat(put("/{p}/subscriptions/{s}/mapping", Map.of("agreementId", contosoAgreement), partner, "sub-1")
                .getStatusCode().value()).isEqualTo(200);
        sandbox.resetCalls();

        long sale = submit("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);

        // R4: never on another customer's agreement; the task waits with what to do
        JsonNode waiting = tenant.awaitTask(sale, "NEEDS_MAPPING", "SYNCED", "FAILED");
        assertThat(waiting.path("status").asText()).isEqualTo("NEEDS_MAPPING");
        assertThat(waiting.toString()).contains("agreement " + contosoAgreement + " of company " + contoso)
                .contains("mapped to company " + company);
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        assertThat(additions(contosoAgreement)).isEmpty();

        // now that the subscription is known, the API refuses the other company's agreement itself
        assertThat(put("/{p}/subscriptions/{s}/mapping", Map.of("agreementId", contosoAgreement), partner, "sub-1")
                .getStatusCode().value()).isEqualTo(400);
        ResponseEntity<String> fixed = put("/{p}/subscriptions/{s}/mapping?sync=true", Map.of("agreementId", agreement), partner, "sub-1");
        assertThat(fixed.getStatusCode().value()).as(fixed.getBody()).isEqualTo(200);
        assertThat(awaitTask(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(additions(agreement)).singleElement()
                .satisfies(a -> assertThat(a.path("quantity").decimalValue()).isEqualByComparingTo("10"));
        assertThat(additions(contosoAgreement)).isEmpty();
    }

    @Test
    void withPriceSourceCatalogTheLinesCarryTheCatalogItemsPriceAndCostR17() throws Exception {
        long priced = tenant.catalogItem("M365BP-CAT", "M365 BP (catalog price)", "Cloud Licensing",
                Map.of("price", new java.math.BigDecimal("25.00"), "cost", new java.math.BigDecimal("19.10")));
        tenant.mapProduct(io.cwbridge.testsupport.Tenant.PRODUCT, priced);
        ResponseEntity<String> rules = api.put().uri("/{p}/sync-rules", partner).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("priceSource", "CONNECTWISE_CATALOG")).retrieve().toEntity(String.class);
        assertThat(rules.getStatusCode().value()).as(rules.getBody()).isEqualTo(200);

        assertThat(awaitTask(submit("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null), "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(awaitTask(submit("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10), "SYNCED", "FAILED"))
                .isEqualTo("SYNCED");

        // the event says 22.00 / 18.70; both lines carry the catalog item's 25.00 / 19.10, written, not left for ConnectWise
        assertThat(additions(agreement)).hasSize(2).allSatisfy(a -> {
            assertThat(a.path("unitPrice").decimalValue()).isEqualByComparingTo("25.00");
            assertThat(a.path("unitCost").decimalValue()).isEqualByComparingTo("19.10");
        });
    }

    @Test
    void withTaskSyncManualMapAndSyncLeavesTheTasksWaitingForApprovalR31() throws Exception {
        long second = agreement(company, "Second monthly"); // two eligible agreements: the sale waits for its mapping
        ResponseEntity<String> rules = api.put().uri("/{p}/sync-rules", partner).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("taskSync", "MANUAL")).retrieve().toEntity(String.class);
        assertThat(rules.getStatusCode().value()).as(rules.getBody()).isEqualTo(200);
        long sale = submit("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);
        assertThat(awaitTask(sale, "NEEDS_MAPPING", "AWAITING_APPROVAL", "SYNCED", "FAILED")).isIn("NEEDS_MAPPING", "AWAITING_APPROVAL");
        sandbox.resetCalls();

        ResponseEntity<String> mapped = put("/{p}/subscriptions/{s}/mapping?sync=true", Map.of("agreementId", agreement), partner, "sub-1");

        assertThat(mapped.getStatusCode().value()).as(mapped.getBody()).isEqualTo(200);
        assertThat(json(mapped).path("tasks")).singleElement()
                .satisfies(t -> assertThat(t.path("status").asText()).isEqualTo("AWAITING_APPROVAL"));
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        assertThat(additions(agreement)).isEmpty();
        assertThat(additions(second)).isEmpty();
    }

    @Test
    void mapOnlySavesWithoutPushingAndRemapMovesTheSubscriptionToAnotherAgreement() throws Exception {
        long second = agreement(company, "Second monthly");
        assertThat(put("/{p}/subscriptions/{s}/mapping", Map.of("agreementId", second), partner, "sub-1").getStatusCode().value())
                .isEqualTo(200);
        sandbox.resetCalls();
        assertThat(json(put("/{p}/subscriptions/{s}/mapping", Map.of("agreementId", agreement), partner, "sub-1"))
                .path("tasks").isMissingNode()).isTrue();
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();

        long sale = submit("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);
        assertThat(awaitTask(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(additions(agreement)).hasSize(1);
        assertThat(additions(second)).isEmpty();
    }
}
