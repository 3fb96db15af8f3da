package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.JsonPatchOperation;
import io.cwbridge.testsupport.Tenant;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * docs/reconciliation.md's walk-through, replayed on the test context with the sync pipeline doing
 * the ConnectWise side (events through POST /api/v1/events), the clock fixed on 12 March 2024 01:00
 * UTC. R32: a subscription started mid-February (with overuse) and one with an increase, a decrease
 * and a cancellation in February reconcile cleanly, one whose price differs is posted by the run
 * itself, then a selection is accepted. R34: the three-way report of February finds exactly the
 * mismatches planted, one of each kind, reading each agreement's additions once. Asserts the outputs
 * the doc shows.
 */
class ReconciliationWalkthroughTest extends ReconciliationTestBase {

    static final String S1 = "e6024e7f-5b54-4878-df3b-9acaaddbe0de";
    static final String S2 = "3f1c9a20-7d4e-4b8a-9c61-2a5e8d0b7f13";
    static final String S3 = "5a7e1b93-2c4d-4f60-8e1a-b3d9c0f2e815";
    static final String S4 = "4c0f8e2a-91b3-4d75-a6e2-0b8d7c5f3a19";
    static final String S5 = "5d1a9f3b-a2c4-4e86-b7f3-1c9e8d6a4b20";
    static final String S6 = "6e2b0a4c-b3d5-4f97-c8a4-2d0f9e7b5c31";
    static final String S7 = "7f3c1b5d-c4e6-4a08-d9b5-3e1a0f8c6d42";
    static final String S8 = "8a4d2c6e-d5f7-4b19-eac6-4f2b1a9d7e53";

    private String inv(String type, String number, String sub, String quantity, String amount) {
        return """
                {"partnerId":"%s","invoiceType":"%s","invoiceNumber":"%s","subscriptionId":"%s","providerId":30,
                 "kind":"SAAS","billingPeriod":"2024-02","quantity":%s,"amount":%s,"currency":"USD"}"""
                .formatted(partner, type, number, sub, quantity, amount);
    }

    /** The doc's contoso: the same event for customer 77001 Contoso Dental. */
    private static String contoso(String event) {
        return event.replace("\"id\":\"65533\",\"name\":\"Chairs Unlimited\"", "\"id\":\"77001\",\"name\":\"Contoso Dental\"");
    }

    @Test
    void r32v2AndR34DocumentedWalkthroughPrintsWhatTheDocShows() throws Exception {
        // Numbers exactly as printed (90.00 stays 90.00).
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
        clock.setInstant("2024-03-12T01:00:00Z");
        mapChairsOverTheApi();
        sync(event("demo-sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, "", S1, "2024-02-14"));
        sync(event("demo-usage", "BILLING_ORDER", "USAGE", "2024-03-02T08:00:00Z", 10,
                "\"usage\":{\"periodStart\":\"2024-02-14\",\"periodEnd\":\"2024-02-29\",\"overusedAmount\":3,\"overusePrice\":5.00,\"overuseCost\":4.00},",
                S1, "2024-02-14"));
        long s2Base = sync(event("demo-sale-2", "SALES_ORDER", "NEW", "2024-02-01T09:00:00Z", 5, "", S2, "2024-02-01"))
                .path("additionIds").get(0).asLong();
        // S3: sold on 1 January; ConnectWise invoices January; in February +2 on the 6th, -3 on the 16th, cancelled on the 26th.
        sync(event("demo-sale-3", "SALES_ORDER", "NEW", "2024-01-01T09:00:00Z", 10, "", S3, "2024-01-01"));
        sandbox.invoice(agreement, "2024-01-31");
        sync(event("demo-increase-3", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-02-06T10:00:00Z", 12, "", S3, "2024-01-01")
                .replace("\"quantity\":12,", "\"quantity\":12,\"previousQuantity\":10,"));
        sync(event("demo-decrease-3", "CHANGE_ORDER", "LICENSE_DECREASE", "2024-02-16T10:00:00Z", 9, "", S3, "2024-01-01")
                .replace("\"quantity\":9,", "\"quantity\":9,\"previousQuantity\":12,"));
        JsonNode cancel = sync(event("demo-cancel-3", "CANCELLATION_ORDER", "CANCEL", "2024-02-26T10:00:00Z", 9,
                "\"cancellationDate\":\"2024-02-26\",", S3, "2024-01-01"));
        assertThat(cancel.path("operations").get(1).path("reason").asText())
                .isEqualTo("R21 cancellation per cancellation date 2024-02-26: line -9 effective 2024-02-26, cancelled 2024-02-29");
        assertThat(additions()).hasSize(7);

        JsonNode stored = postInvoices("[" + inv("RESELLER", "R-2024-02-17", S1, "10", "115.17") + ","
                + inv("CUSTOMER", "C-2024-02-17", S1, "10", "136.38") + "," + inv("RESELLER", "R-2024-02-18", S2, "5", "90.00") + ","
                + inv("CUSTOMER", "C-2024-02-18", S2, "5", "115.00") + "," + inv("RESELLER", "R-2024-02-19", S3, "8.9655", "167.66") + ","
                + inv("CUSTOMER", "C-2024-02-19", S3, "8.9655", "197.24") + "]");
        assertThat(stored.path("stored").asInt()).isEqualTo(6);
        assertThat(stored.path("duplicates").asInt()).isZero();
        ResponseEntity<String> run = post("/api/v1/reconciliation/run", "");
        assertThat(run.getBody()).isEqualTo("{\"PENDING_REVIEW\":1,\"RECONCILED\":2}");

        JsonNode log = list("");
        assertThat(log.path("from").asText()).isEqualTo("2024-02-01");
        assertThat(log.path("to").asText()).isEqualTo("2024-02-29");
        assertThat(log.path("count").asInt()).isEqualTo(3);
        JsonNode r2 = log.path("items").get(0);
        JsonNode r3 = log.path("items").get(1);
        JsonNode r1 = log.path("items").get(2);
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
        // The month with an increase, a decrease and a cancellation: reconciled, nothing posted.
        assertThat(r3.path("subscriptionId").asText()).isEqualTo(S3);
        assertThat(r3.path("status").asText()).isEqualTo("RECONCILED");
        assertThat(r3.path("reason").isNull()).isTrue();
        assertThat(r3.path("additionId").isNull()).isTrue();
        assertDecimals(r3, Map.of("invoiceQuantity", "8.9655", "psaQuantity", "8.9655", "invoiceCost", "167.66", "psaCost", "167.66",
                "invoicePrice", "197.24", "psaPrice", "197.24", "deltaCost", "0.00", "deltaPrice", "0.00", "usageQuantity", "0.0000"));
        assertThat(r1.path("subscriptionId").asText()).isEqualTo(S1);
        assertThat(r1.path("status").asText()).isEqualTo("RECONCILED");
        assertThat(r1.path("reason").isNull()).isTrue();
        assertThat(r1.path("additionId").isNull()).isTrue();
        assertThat(r1.path("autoPostedAt").isNull()).isTrue();
        assertDecimals(r1, Map.of("invoiceQuantity", "10.0000", "psaQuantity", "5.5172", "invoiceCost", "115.17", "psaCost", "115.17",
                "invoicePrice", "136.38", "psaPrice", "136.38", "deltaCost", "0.00", "deltaPrice", "0.00", "usageQuantity", "1.0000"));
        assertThat(addition(s2Base).path("unitCost").decimalValue()).isEqualByComparingTo("18.00");
        assertThat(operations(S3)).as("S3's lines were right: nothing written").isEmpty();

        JsonNode grouped = list("?groupBy=customer");
        assertThat(grouped.path("groupBy").asText()).isEqualTo("customer,provider,plan");
        JsonNode chairs = grouped.path("customers").get(0);
        assertThat(chairs.path("customerName").asText()).isEqualTo("Chairs Unlimited");
        assertThat(chairs.path("count").asInt()).isEqualTo(3);
        assertThat(chairs.path("deltaCost").decimalValue()).isEqualTo(new BigDecimal("0.00"));
        assertThat(chairs.path("deltaPrice").decimalValue()).isEqualTo(new BigDecimal("5.00"));
        assertThat(chairs.path("providers").get(0).path("plans").get(0).path("planName").asText()).isEqualTo("Microsoft 365 Business Premium");

        ResponseEntity<String> one = api.get().uri("/api/v1/partners/{p}/reconciliation/subscriptions/{s}", partner, S2).retrieve()
                .toEntity(String.class);
        JsonNode ops = mapper.readTree(one.getBody()).path("months").get(0).path("operations");
        assertThat(ops.get(0).path("kind").asText()).isEqualTo("FINAL_UNIT_COST");
        assertThat(ops.get(0).path("additionId").asLong()).isEqualTo(s2Base);
        assertThat(ops.get(0).path("request").path("unitCost").decimalValue()).isEqualTo(new BigDecimal("18.00"));
        assertThat(ops.get(0).path("previous").path("unitCost").decimalValue()).isEqualTo(new BigDecimal("18.70"));
        assertThat(ops.get(1).path("kind").asText()).isEqualTo("DELTA_LINE");
        assertThat(ops.get(1).path("additionId").asLong()).isEqualTo(delta);
        assertThat(ops.get(1).path("request").path("unitCost").decimalValue()).isEqualTo(new BigDecimal("0.00"));
        assertThat(ops.get(1).path("request").path("unitPrice").decimalValue()).isEqualTo(new BigDecimal("5.00"));
        assertThat(ops.get(1).path("request").path("description").asText()).isEqualTo("Billing reconciliation 2024-02 | Subscription " + S2);

        String csv = api.get().uri("/api/v1/partners/{p}/reconciliation?q=chairs", partner).header("Accept", "text/csv")
                .retrieve().body(String.class);
        String[] rows = csv.split("\r\n");
        assertThat(rows).hasSize(4);
        assertThat(rows[1]).startsWith(r2.path("id").asText() + ",Chairs Unlimited,Microsoft CSP,Microsoft 365 Business Premium," + S2
                + ",2024-02,30,SAAS,PENDING_REVIEW,,5.0000,5.0000,0.0000,90.00,90.00,115.00,110.00,0.00,5.00,")
                .contains(",2024-03-12T01:00:00Z,Posted automatically on 2024-03-12: ");
        assertThat(rows[2]).startsWith(r3.path("id").asText() + ",Chairs Unlimited,Microsoft CSP,Microsoft 365 Business Premium," + S3
                + ",2024-02,30,SAAS,RECONCILED,,8.9655,8.9655,0.0000,167.66,167.66,197.24,197.24,0.00,0.00,")
                .endsWith(",,,,2024-03-12T01:00:00Z");
        assertThat(rows[3]).startsWith(r1.path("id").asText() + ",Chairs Unlimited,Microsoft CSP,Microsoft 365 Business Premium," + S1
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
        assertThat(additions()).hasSize(8);

        // R34: a second customer on its own agreement, and one mismatch of each kind planted in February.
        long contosoCompany = tenant.company("Contoso", "Contoso Dental");
        long contosoAgreement = tenant.agreement(contosoCompany, "Contoso cloud", Tenant.Terms.MONTHLY_USD);
        tenant.mapCustomer("77001", contosoCompany);
        long s4Base = sync(event("demo-sale-4", "SALES_ORDER", "NEW", "2024-02-01T09:00:00Z", 10, "", S4, "2024-02-01"))
                .path("additionIds").get(0).asLong();
        long s5Base = sync(event("demo-sale-5", "SALES_ORDER", "NEW", "2024-02-01T09:00:00Z", 5, "", S5, "2024-02-01"))
                .path("additionIds").get(0).asLong();
        JsonNode unmapped = awaitTask(postEvent(contoso(event("demo-sale-6", "SALES_ORDER", "NEW", "2024-02-01T09:00:00Z", 3, "", S6,
                "2024-02-01")).replace("CFQ7TTC0LCHC:0002", "CFQ7TTC0LDPB:0001")));
        assertThat(unmapped.path("status").asText()).isEqualTo("NEEDS_MAPPING");
        sync(contoso(event("demo-sale-7", "SALES_ORDER", "NEW", "2024-02-01T09:00:00Z", 10, "", S7, "2024-02-01")));
        long s8Base = sync(contoso(event("demo-sale-8", "SALES_ORDER", "NEW", "2024-02-01T09:00:00Z", 4, "", S8, "2024-02-01")))
                .path("additionIds").get(0).asLong();
        // Edits by hand in ConnectWise.
        client.patch(cw, "finance/agreements/" + agreement + "/additions/" + s4Base, List.of(JsonPatchOperation.replace("quantity", 8)));
        client.patch(cw, "finance/agreements/" + agreement + "/additions/" + s5Base, List.of(JsonPatchOperation.replace("quantity", 6)));
        client.patch(cw, "finance/agreements/" + contosoAgreement + "/additions/" + s8Base,
                List.of(JsonPatchOperation.replace("unitPrice", new BigDecimal("25.00"))));
        postInvoices("[" + inv("RESELLER", "R-2024-02-20", S4, "10", "187.00") + "," + inv("RESELLER", "R-2024-02-21", S5, "5", "93.50") + ","
                + inv("RESELLER", "R-2024-02-22", S6, "3", "56.10") + "," + inv("RESELLER", "R-2024-02-23", S8, "4", "74.80") + "]");
        sandbox.resetCalls();

        ResponseEntity<String> threeWay = api.get().uri("/api/v1/partners/{p}/three-way?month=2024-02", partner).retrieve().toEntity(String.class);
        assertThat(threeWay.getStatusCode().value()).as(threeWay.getBody()).isEqualTo(200);
        assertThat(sandbox.callsByEndpoint()).as("each agreement's additions read once")
                .containsExactly(Map.entry("GET /finance/agreements/{parentId}/additions", 2L));
        JsonNode report = mapper.readTree(threeWay.getBody());
        List<String> found = new ArrayList<>();
        report.path("rows").forEach(r -> found.add(r.path("subscriptionId").asText() + " " + r.path("mismatch").asText() + " "
                + r.path("amount").decimalValue().toPlainString()));
        assertThat(found).containsExactly(S2 + " COST_DRIFT 3.50", S4 + " UNDER_BILLED 44.00", S5 + " OVER_BILLED 22.00",
                S6 + " MISSING_IN_CONNECTWISE 66.00", S7 + " NOT_ON_INVOICE 220.00", S8 + " PRICE_DRIFT 12.00");
        assertThat(report.path("subscriptions").asInt()).isEqualTo(8);
        assertThat(report.path("mismatches").asInt()).isEqualTo(6);
        assertThat(threeWay.getBody()).contains("\"totals\":{\"UNDER_BILLED\":44.00,\"OVER_BILLED\":22.00,\"MISSING_IN_CONNECTWISE\":66.00,"
                + "\"NOT_ON_INVOICE\":220.00,\"PRICE_DRIFT\":12.00,\"COST_DRIFT\":3.50}");
        assertThat(threeWay.getBody()).contains("{\"customerId\":\"65533\",\"customerName\":\"Chairs Unlimited\",\"mismatches\":3,\"totals\":"
                + "{\"UNDER_BILLED\":44.00,\"OVER_BILLED\":22.00,\"MISSING_IN_CONNECTWISE\":0.00,\"NOT_ON_INVOICE\":0.00,\"PRICE_DRIFT\":0.00,"
                + "\"COST_DRIFT\":3.50}}");
        assertThat(threeWay.getBody()).contains("{\"customerId\":\"77001\",\"customerName\":\"Contoso Dental\",\"mismatches\":3,\"totals\":"
                + "{\"UNDER_BILLED\":0.00,\"OVER_BILLED\":0.00,\"MISSING_IN_CONNECTWISE\":66.00,\"NOT_ON_INVOICE\":220.00,\"PRICE_DRIFT\":12.00,"
                + "\"COST_DRIFT\":0.00}}");
        JsonNode cost = report.path("rows").get(0);
        assertThat(cost.path("detail").asText()).isEqualTo("unit cost 18.00 in ConnectWise, 18.70 in the marketplace");
        JsonNode missing = report.path("rows").get(3);
        assertThat(missing.path("customerName").asText()).isEqualTo("Contoso Dental");
        // no agreement yet: R4 waits for the product's mapping (R2), so R6 can still see a hand-made addition then
        assertThat(missing.path("agreementId").isNull()).as(missing.toString()).isTrue();
        assertThat(missing.path("detail").asText()).isEqualTo("on the distributor invoice, no addition billed in the month");
        String threeWayCsv = api.get().uri("/api/v1/partners/{p}/three-way?month=2024-02", partner).header("Accept", "text/csv")
                .retrieve().body(String.class);
        String[] csvRows = threeWayCsv.split("\r\n");
        assertThat(csvRows).hasSize(7);
        assertThat(csvRows[0]).isEqualTo(String.join(",", ThreeWayCsv.HEADER));
        assertThat(csvRows[2]).isEqualTo("65533,Chairs Unlimited," + S4 + ",Microsoft 365 Business Premium,SAAS," + agreement
                + ",UNDER_BILLED,44.00,10.0000,187.00,10.0000,8.0000,22.00,22.00,220.00,176.00,"
                + "\"ConnectWise bills 8.0000 licence-months, the marketplace 10.0000\"");

        // Without the clock (today outside every window) the run reconciles nothing.
        clock.set("2024-03-28");
        assertThat(post("/api/v1/reconciliation/run", "").getBody()).isEqualTo("{}");
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
