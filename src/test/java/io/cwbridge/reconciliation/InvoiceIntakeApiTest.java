package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/** R32: {@code POST /api/v1/invoices}: one line or an array, field-level 400 problems, idempotent by the natural key. */
class InvoiceIntakeApiTest extends ReconciliationTestBase {

    @Test
    void r32InvalidLinesAreRejectedWithFieldProblemsAndNothingOfTheBatchIsStored() throws Exception {
        String good = invoice("sub-x", 30, "SAAS", "RESELLER", "2024-02", "10", "187.00");
        String bad = """
                {"partnerId":"%s","invoiceType":"VENDOR","invoiceNumber":"N1","subscriptionId":"sub-x","providerId":99,
                 "kind":"SAAS","billingPeriod":"2024-13","quantity":-1,"amount":"12","currency":"usd"}""".formatted(partner);
        ResponseEntity<String> r = post("/api/v1/invoices", "[" + good + "," + bad + "]");
        assertThat(r.getStatusCode().value()).isEqualTo(400);
        assertThat(r.getHeaders().getContentType().toString()).contains("application/problem+json");
        JsonNode problem = mapper.readTree(r.getBody());
        assertThat(problem.path("errors").findValuesAsText("field")).containsExactlyInAnyOrder(
                "[1].invoiceType", "[1].providerId", "[1].billingPeriod", "[1].quantity", "[1].amount", "[1].currency");
        assertThat(count()).isZero();
        // The whole request is kept for fix-and-replay (SPEC 2), as parked input of kind INVOICE.
        assertThat(jdbc.queryForObject("SELECT kind || ' ' || source || ' ' || partner_id || ' ' || (raw_payload = ?) "
                + "FROM parked_event WHERE parked_id = ?", String.class, "[" + good + "," + bad + "]",
                problem.path("parkedId").asLong())).isEqualTo("INVOICE HTTP " + partner + " true");

        ResponseEntity<String> empty = post("/api/v1/invoices", "{}");
        assertThat(mapper.readTree(empty.getBody()).path("errors").findValuesAsText("field")).contains(
                "partnerId", "subscriptionId", "invoiceNumber", "invoiceType", "kind", "providerId", "billingPeriod",
                "quantity", "amount", "currency");
        ResponseEntity<String> cents = post("/api/v1/invoices", good.replace("187.00", "187.001"));
        assertThat(mapper.readTree(cents.getBody()).path("errors").findValuesAsText("field")).containsExactly("amount");
        assertThat(post("/api/v1/invoices", "not json").getStatusCode().value()).isEqualTo(400);
        ResponseEntity<String> stranger = post("/api/v1/invoices", "[" + good + "," + good.replace(partner, "nobody-here")
                .replace("sub-x", "sub-z") + "]");
        assertThat(mapper.readTree(stranger.getBody()).path("errors").toString())
                .contains("[1].partnerId").contains("unknown partner").doesNotContain("[0].");
        assertThat(count()).isZero();
    }

    @Test
    void r32ALineIsStoredOnceByItsNaturalKey() throws Exception {
        String reseller = invoice("sub-y", 30, "SAAS", "RESELLER", "2024-02", "10", "187.00");
        JsonNode first = postInvoices(reseller);
        assertThat(first.path("stored").asInt()).isEqualTo(1);
        assertThat(first.path("lines").get(0).path("duplicate").asBoolean()).isFalse();
        JsonNode again = postInvoices("[" + reseller.replace("187.00", "187.0") + ","
                + invoice("sub-y", 30, "SAAS", "CUSTOMER", "2024-02", "10", "220.00") + ","
                + invoice("sub-y", 30, "SAAS", "RESELLER", "2024-03", "10", "187.00") + "]");
        assertThat(again.path("stored").asInt()).isEqualTo(2);
        assertThat(again.path("duplicates").asInt()).isEqualTo(1);
        assertThat(again.path("lines").get(0).path("duplicate").asBoolean()).isTrue();
        assertThat(count()).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT source FROM invoice_line WHERE partner_id = ? LIMIT 1", String.class, partner)).isEqualTo("HTTP");
    }

    @Test
    void r32ALineThatDiffersFromTheStoredOneIsRefusedAndParkedNotDropped() throws Exception {
        String reseller = invoice("sub-w", 30, "SAAS", "RESELLER", "2024-02", "10", "187.00");
        postInvoices(reseller);
        String april = invoice("sub-w", 30, "SAAS", "RESELLER", "2024-04", "10", "187.00");
        ResponseEntity<String> r = post("/api/v1/invoices", "[" + april + "," + reseller.replace("187.00", "1.00") + "]");
        assertThat(r.getStatusCode().value()).isEqualTo(400);
        JsonNode problem = mapper.readTree(r.getBody());
        assertThat(problem.path("errors").findValuesAsText("field")).containsExactly("[1].amount");
        assertThat(problem.path("errors").get(0).path("message").asText())
                .contains("already stored for sub-w in 2024-02").contains("says 187");
        // All or nothing: the April line of the refused batch is not stored either; the stored line stays.
        assertThat(count()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT amount FROM invoice_line WHERE partner_id = ?", java.math.BigDecimal.class, partner))
                .isEqualByComparingTo("187.00");
        assertThat(jdbc.queryForObject("SELECT kind || ' ' || status FROM parked_event WHERE parked_id = ?", String.class,
                problem.path("parkedId").asLong())).isEqualTo("INVOICE PARKED");
    }

    /** Probe 56 N1: an id an event may carry ("abc+1 x", synced to ConnectWise) was refused here, so it was never reconciled. */
    @Test
    void r32ASubscriptionIdIsTakenAsAnEventMayCarryIt() throws Exception {
        JsonNode stored = postInvoices("[" + withSubscriptionId("abc+1 x") + "," + withSubscriptionId("g[1]*-bp") + "]");
        assertThat(stored.path("stored").asInt()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT subscription_id FROM invoice_line WHERE partner_id = ? ORDER BY 1", String.class,
                partner)).containsExactly("abc+1 x", "g[1]*-bp");
        // JSON texts of a/b, a;b, a%b, a\b and the empty id
        for (String refused : new String[] {"a/b", "a;b", "a%b", "a\\\\b", ""}) {
            ResponseEntity<String> r = post("/api/v1/invoices", withSubscriptionId(refused));
            assertThat(r.getStatusCode().value()).as(refused).isEqualTo(400);
            assertThat(mapper.readTree(r.getBody()).path("errors").findValuesAsText("field")).as(refused)
                    .containsExactly("subscriptionId");
        }
    }

    /** A reseller line of sub-n1 whose subscriptionId is {@code jsonText} (its invoice number stays sub-n1's). */
    private String withSubscriptionId(String jsonText) {
        return invoice("sub-n1", 30, "SAAS", "RESELLER", "2024-02", "10", "187.00")
                .replace("\"subscriptionId\":\"sub-n1\"", "\"subscriptionId\":\"" + jsonText + "\"");
    }

    private long count() {
        return jdbc.queryForObject("SELECT count(*) FROM invoice_line WHERE partner_id = ?", Long.class, partner);
    }
}
