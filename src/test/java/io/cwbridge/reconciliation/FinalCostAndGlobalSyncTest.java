package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * R32 v2 x R30 (a probe's finding): the final reseller cost the reconciliation writes to a subscription's addition stays
 * through the global sync, which used to set the event's (older) unit cost back, while the row stayed RECONCILED and was
 * never looked at again.
 */
class FinalCostAndGlobalSyncTest extends ReconciliationTestBase {

    @Test
    void r32v2R30TheFinalResellerCostIsNotSetBackByTheGlobalSync() throws Exception {
        clock.set("2024-03-05");
        mapChairsOverTheApi();
        String sub = "sub-final";
        sync(event("sale", "SALES_ORDER", "NEW", "2024-02-01T09:00:00Z", 4, "", sub, "2024-02-01"));
        long base = additions().get(0).path("id").asLong();
        assertThat(addition(base).path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        // February's statement: 4 licences for 70.00, a final cost of 17.50 a licence.
        postInvoices("[" + invoice(sub, 30, "SAAS", "RESELLER", "2024-02", "4", "70.00") + ","
                + invoice(sub, 30, "SAAS", "CUSTOMER", "2024-02", "4", "88.00") + "]");
        runOn("2024-03-10");
        assertThat(row(sub)).containsEntry("status", "RECONCILED");
        assertThat(addition(base).path("unitCost").decimalValue()).isEqualByComparingTo("17.50");
        sandbox.resetCalls();

        // the subscription's own run (one by one) and the partner's (the bulk comparison) alike
        for (String scope : new String[] {"?subscriptionId=" + sub, ""}) {
            ResponseEntity<String> run = post("/api/v1/partners/" + partner + "/global-sync" + scope, "");
            assertThat(run.getStatusCode().value()).as(run.getBody()).isEqualTo(200);

            JsonNode report = mapper.readTree(run.getBody());
            assertThat(addition(base).path("unitCost").decimalValue()).as(scope + report).isEqualByComparingTo("17.50");
            assertThat(addition(base).path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
            assertThat(additionWrites()).as(scope + report).isEmpty();
        }
    }

    /**
     * R32 v2 x R18 x R30 (a probe's finding): after a month roll the reconciliation writes the final cost to the lines that
     * billed the month, which have ended; the base line billing from the roll on kept the event's cost. The next global sync
     * gives it the final cost too (the events are of the reconciled month or before).
     */
    @Test
    void r32v2R18TheLineTheRollStartedTakesTheFinalCostAtTheNextGlobalSync() throws Exception {
        clock.set("2024-03-05");
        mapChairsOverTheApi();
        String sub = "sub-rolled";
        sync(event("sale", "SALES_ORDER", "NEW", "2024-02-01T09:00:00Z", 10, "", sub, "2024-02-01"));
        sync(event("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-02-15T09:00:00Z", 12, "", sub, "2024-02-01")
                .replace("\"quantity\":12,", "\"quantity\":12,\"previousQuantity\":10,"));
        assertThat(post("/api/v1/partners/" + partner + "/global-sync", "").getStatusCode().value()).isEqualTo(200);
        JsonNode rolled = additions().stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-03-01")).findFirst()
                .orElseThrow(() -> new AssertionError("no base line from 2024-03-01 in " + additions()));
        assertThat(rolled.path("quantity").decimalValue()).isEqualByComparingTo("12");
        // 10 x 29 + 2 x 15 = 320 licence-days: 320 x 18.00 / 29 = 198.62
        postInvoices("[" + invoice(sub, 30, "SAAS", "RESELLER", "2024-02", "12", "198.62") + ","
                + invoice(sub, 30, "SAAS", "CUSTOMER", "2024-02", "12", "242.76") + "]");
        runOn("2024-03-10");
        assertThat(row(sub)).containsEntry("status", "RECONCILED");
        assertThat(addition(rolled.path("id").asLong()).path("unitCost").decimalValue()).isEqualByComparingTo("18.70");

        assertThat(post("/api/v1/partners/" + partner + "/global-sync", "").getStatusCode().value()).isEqualTo(200);

        assertThat(addition(rolled.path("id").asLong()).path("unitCost").decimalValue()).isEqualByComparingTo("18.00");
        assertThat(addition(rolled.path("id").asLong()).path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
    }
}
