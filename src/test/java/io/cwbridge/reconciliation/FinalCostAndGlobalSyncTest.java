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
}
