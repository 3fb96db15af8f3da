package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * docs/reconciliation.md's walk-through, replayed on the test context with the sync pipeline doing
 * the ConnectWise side (events through POST /api/v1/events): the clock fixed on 12 March 2024 01:00
 * UTC, a subscription started mid-February (with overuse) reconciling cleanly, and one whose price
 * differs posted by the run itself, then a selection accepted. Asserts the outputs the doc shows.
 */
class ReconciliationWalkthroughTest extends ReconciliationTestBase {

    static final String S1 = "e6024e7f-5b54-4878-df3b-9acaaddbe0de";
    static final String S2 = "3f1c9a20-7d4e-4b8a-9c61-2a5e8d0b7f13";

    private String event(String eventId, String type, String action, String occurredAt, int quantity, String extra,
                         String subscriptionId, String startDate) {
        return """
                {"eventId":"%s","partnerId":"%s","type":"%s","action":"%s","occurredAt":"%s",%s
                 "subscription":{"id":"%s",
                   "customer":{"id":"65533","name":"Chairs Unlimited"},
                   "product":{"id":"CFQ7TTC0LCHC:0002","provider":"Microsoft CSP","providerId":30,"name":"Microsoft 365 NCE",
                              "plan":"Microsoft 365 Business Premium","mfgPartNumber":"CFQ7TTC0LCHC:0002:P1"},
                   "kind":"SAAS","quantity":%d,"unitPrice":22.00,"unitCost":18.70,"currency":"USD","billingCycle":"MONTHLY",
                   "startDate":"%s","endDate":"2025-02-13","autoRenew":true,"status":"ACTIVE"}}"""
                .formatted(partner + "-" + eventId, partner, type, action, occurredAt, extra, subscriptionId, quantity, startDate);
    }

    private String inv(String type, String number, String sub, String quantity, String amount) {
        return """
                {"partnerId":"%s","invoiceType":"%s","invoiceNumber":"%s","subscriptionId":"%s","providerId":30,
                 "kind":"SAAS","billingPeriod":"2024-02","quantity":%s,"amount":%s,"currency":"USD"}"""
                .formatted(partner, type, number, sub, quantity, amount);
    }

    @Test
    void r32v2DocumentedWalkthroughPrintsWhatTheDocShows() throws Exception {
        // Numbers exactly as printed (90.00 stays 90.00).
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
        clock.setInstant("2024-03-12T01:00:00Z");
        long company = client.getAll(cw, "company/companies", "identifier=\"Chairs\"").get(0).path("id").asLong();
        assertThat(api.put().uri("/api/v1/partners/{p}/customers/65533/mapping", partner).contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body("{\"companyId\":" + company + "}").retrieve().toEntity(String.class).getStatusCode().value()).isEqualTo(200);
        assertThat(api.put().uri("/api/v1/partners/{p}/products/CFQ7TTC0LCHC:0002/mapping", partner)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body("{\"catalogItemId\":" + catalogItem + "}").retrieve().toEntity(String.class).getStatusCode().value()).isEqualTo(200);
        for (String e : List.of(
                event("demo-sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, "", S1, "2024-02-14"),
                event("demo-usage", "BILLING_ORDER", "USAGE", "2024-03-02T08:00:00Z", 10,
                        "\"usage\":{\"periodStart\":\"2024-02-14\",\"periodEnd\":\"2024-02-29\",\"overusedAmount\":3,\"overusePrice\":5.00,\"overuseCost\":4.00},",
                        S1, "2024-02-14"),
                event("demo-sale-2", "SALES_ORDER", "NEW", "2024-02-01T09:00:00Z", 5, "", S2, "2024-02-01"))) {
            ResponseEntity<String> r = post("/api/v1/events", e);
            assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(202);
        }
        awaitSynced(3);
        List<JsonNode> lines = additions();
        assertThat(lines).hasSize(3);
        JsonNode s2Base = lines.stream().filter(a -> a.path("quantity").decimalValue().compareTo(new BigDecimal("5")) == 0).findFirst().orElseThrow();

        JsonNode stored = postInvoices("[" + inv("RESELLER", "R-2024-02-17", S1, "10", "115.17") + ","
                + inv("CUSTOMER", "C-2024-02-17", S1, "10", "136.38") + "," + inv("RESELLER", "R-2024-02-18", S2, "5", "90.00") + ","
                + inv("CUSTOMER", "C-2024-02-18", S2, "5", "115.00") + "]");
        assertThat(stored.path("stored").asInt()).isEqualTo(4);
        assertThat(stored.path("duplicates").asInt()).isZero();
        ResponseEntity<String> run = post("/api/v1/reconciliation/run", "");
        assertThat(mapper.readTree(run.getBody()).path("PENDING_REVIEW").asInt()).as(run.getBody()).isGreaterThanOrEqualTo(1);

        JsonNode log = list("");
        assertThat(log.path("from").asText()).isEqualTo("2024-02-01");
        assertThat(log.path("to").asText()).isEqualTo("2024-02-29");
        assertThat(log.path("count").asInt()).isEqualTo(2);
        JsonNode r2 = log.path("items").get(0);
        JsonNode r1 = log.path("items").get(1);
        assertThat(r2.path("subscriptionId").asText()).isEqualTo(S2);
        long delta = r2.path("additionId").asLong();
        assertThat(r2.path("status").asText()).isEqualTo("PENDING_REVIEW");
        assertThat(r2.path("reason").asText()).isEqualTo("Posted automatically on 2024-03-12: delta cost 0.00 and price 5.00 as addition "
                + delta + "; open to Accept or Reject. Discrepancy: price 5.00");
        assertDecimals(r2, Map.of("invoiceQuantity", "5.0000", "psaQuantity", "5.0000", "invoiceCost", "90.00", "psaCost", "90.00",
                "invoicePrice", "115.00", "psaPrice", "110.00", "deltaCost", "0.00", "deltaPrice", "5.00", "usageQuantity", "0.0000"));
        assertThat(r2.path("autoPostedAt").asText()).isEqualTo("2024-03-12T01:00:00Z");
        assertThat(r2.path("customerName").asText()).isEqualTo("Chairs Unlimited");
        assertThat(r2.path("providerName").asText()).isEqualTo("Microsoft CSP");
        assertThat(r2.path("planName").asText()).isEqualTo("Microsoft 365 Business Premium");
        assertThat(r1.path("subscriptionId").asText()).isEqualTo(S1);
        assertThat(r1.path("status").asText()).isEqualTo("RECONCILED");
        assertThat(r1.path("reason").isNull()).isTrue();
        assertThat(r1.path("additionId").isNull()).isTrue();
        assertThat(r1.path("autoPostedAt").isNull()).isTrue();
        assertDecimals(r1, Map.of("invoiceQuantity", "10.0000", "psaQuantity", "5.5172", "invoiceCost", "115.17", "psaCost", "115.17",
                "invoicePrice", "136.38", "psaPrice", "136.38", "deltaCost", "0.00", "deltaPrice", "0.00", "usageQuantity", "1.0000"));
        assertThat(addition(s2Base.path("id").asLong()).path("unitCost").decimalValue()).isEqualByComparingTo("18.00");

        JsonNode grouped = list("?groupBy=customer");
        assertThat(grouped.path("groupBy").asText()).isEqualTo("customer,provider,plan");
        JsonNode chairs = grouped.path("customers").get(0);
        assertThat(chairs.path("customerName").asText()).isEqualTo("Chairs Unlimited");
        assertThat(chairs.path("count").asInt()).isEqualTo(2);
        assertThat(chairs.path("deltaCost").decimalValue()).isEqualTo(new BigDecimal("0.00"));
        assertThat(chairs.path("deltaPrice").decimalValue()).isEqualTo(new BigDecimal("5.00"));
        assertThat(chairs.path("providers").get(0).path("plans").get(0).path("planName").asText()).isEqualTo("Microsoft 365 Business Premium");

        ResponseEntity<String> one = api.get().uri("/api/v1/partners/{p}/reconciliation/subscriptions/{s}", partner, S2).retrieve()
                .toEntity(String.class);
        JsonNode ops = mapper.readTree(one.getBody()).path("months").get(0).path("operations");
        assertThat(ops.get(0).path("kind").asText()).isEqualTo("FINAL_UNIT_COST");
        assertThat(ops.get(0).path("request").path("unitCost").decimalValue()).isEqualTo(new BigDecimal("18.00"));
        assertThat(ops.get(0).path("previous").path("unitCost").decimalValue()).isEqualTo(new BigDecimal("18.70"));
        assertThat(ops.get(1).path("kind").asText()).isEqualTo("DELTA_LINE");
        assertThat(ops.get(1).path("additionId").asLong()).isEqualTo(delta);
        assertThat(ops.get(1).path("request").path("unitCost").decimalValue()).isEqualTo(new BigDecimal("0.00"));
        assertThat(ops.get(1).path("request").path("unitPrice").decimalValue()).isEqualTo(new BigDecimal("5.00"));
        assertThat(ops.get(1).path("request").path("description").asText()).isEqualTo("Billing reconciliation 2024-02 " + S2);

        String csv = api.get().uri("/api/v1/partners/{p}/reconciliation?q=chairs", partner).header("Accept", "text/csv")
                .retrieve().body(String.class);
        String[] rows = csv.split("\r\n");
        assertThat(rows).hasSize(3);
        assertThat(rows[1]).startsWith(r2.path("id").asText() + ",Chairs Unlimited,Microsoft CSP,Microsoft 365 Business Premium," + S2
                + ",2024-02,30,SAAS,PENDING_REVIEW,,5.0000,5.0000,0.0000,90.00,90.00,115.00,110.00,0.00,5.00,")
                .contains(",2024-03-12T01:00:00Z,Posted automatically on 2024-03-12: ");
        assertThat(rows[2]).startsWith(r1.path("id").asText() + ",Chairs Unlimited,Microsoft CSP,Microsoft 365 Business Premium," + S1
                + ",2024-02,30,SAAS,RECONCILED,,10.0000,5.5172,1.0000,115.17,115.17,136.38,136.38,0.00,0.00,")
                .endsWith(",,,,2024-03-12T01:00:00Z");

        ResponseEntity<String> accepted = post("/api/v1/partners/" + partner + "/reconciliation/accept",
                "{\"ids\":[" + r2.path("id").asText() + "," + r1.path("id").asText() + "]}");
        assertThat(accepted.getBody()).isEqualTo("{\"results\":[{\"id\":" + r2.path("id").asText()
                + ",\"status\":\"RECONCILED\",\"reason\":\"Accepted: the charges posted automatically stand (addition " + delta + ")\"},"
                + "{\"id\":" + r1.path("id").asText() + ",\"status\":\"RECONCILED\",\"reason\":null}]}");
        ResponseEntity<String> rejected = post("/api/v1/partners/" + partner + "/reconciliation/reject", "{\"ids\":[" + r2.path("id").asText() + "]}");
        assertThat(rejected.getBody()).isEqualTo("{\"results\":[{\"id\":" + r2.path("id").asText() + ",\"error\":{\"status\":409,\"detail\":"
                + "\"only a PENDING_REVIEW or FAILED reconciliation can be rejected; this one is RECONCILED\"}}]}");
        assertThat(additions()).hasSize(4);

        // Without the clock (today outside every window) the run reconciles nothing.
        clock.set("2024-03-28");
        assertThat(post("/api/v1/reconciliation/run", "").getBody()).isEqualTo("{}");
    }

    private void awaitSynced(int tasks) throws Exception {
        for (int i = 0; i < 100; i++) {
            JsonNode list = mapper.readTree(api.get().uri("/api/v1/partners/{p}/tasks", partner).retrieve().body(String.class));
            long synced = 0;
            for (JsonNode t : list.path("items")) if ("SYNCED".equals(t.path("status").asText())) synced++;
            if (synced == tasks) return;
            Thread.sleep(100);
        }
        throw new AssertionError("tasks not synced: " + api.get().uri("/api/v1/partners/{p}/tasks", partner).retrieve().body(String.class));
    }

    private static void assertDecimals(JsonNode row, Map<String, String> expected) {
        expected.forEach((field, value) -> assertThat(row.path(field).decimalValue()).as(field).isEqualTo(new BigDecimal(value)));
    }

    private JsonNode list(String query) throws Exception {
        ResponseEntity<String> r = api.get().uri("/api/v1/partners/" + partner + "/reconciliation" + query).retrieve().toEntity(String.class);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
        return mapper.readTree(r.getBody());
    }
}
