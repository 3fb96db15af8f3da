package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * R32 end to end: invoices arriving late, inside and after the provider's cutover window, each
 * state of the reconciliation, accept posting exactly the delta in the sandbox (once) and reject
 * posting nothing, with a status change row for every change.
 */
class ReconciliationFlowTest extends ReconciliationTestBase {

    static final String ADDITIONS = "POST /finance/agreements/{parentId}/additions";

    @Test
    void r32AfterAMoveTheOldAgreementsLinesStillCountAndNothingIsPostedTwiceR8() throws Exception {
        // sub-m billed February on agreement A (10 x 22.00 / 18.70), then moved to B from 1 March (R8, mapping/Remap): A's
        // line ended on 29 February and was kept as a moved line; B bills from 1 March
        long onA = subscription("sub-m", 30, "SAAS", "10", "18.70", "22.00");
        client.patch(cw, "finance/agreements/" + agreement + "/additions/" + onA,
                List.of(io.cwbridge.connectwise.JsonPatchOperation.replace("cancelledDate", "2024-02-29T00:00:00Z")));
        jdbc.update("""
                INSERT INTO subscription_line_moved (partner_id, subscription_id, line_key, agreement_id, addition_id, moved_on)
                SELECT partner_id, subscription_id, line_key, agreement_id, addition_id, DATE '2024-03-01' FROM subscription_line
                 WHERE partner_id = ? AND subscription_id = 'sub-m'""", partner);
        jdbc.update("DELETE FROM subscription_line WHERE partner_id = ? AND subscription_id = 'sub-m'", partner);
        long b = tenant.agreement(company, "Chairs cloud B", io.cwbridge.testsupport.Tenant.Terms.MONTHLY_USD);
        long onB = client.create(cw, "finance/agreements/" + b + "/additions", Map.of("product", Map.of("id", catalogItem),
                "billCustomer", "Billable", "quantity", new BigDecimal("10"), "unitCost", new BigDecimal("18.70"),
                "unitPrice", new BigDecimal("22.00"), "effectiveDate", "2024-03-01T00:00:00Z", "description", "Base sub-m"), null)
                .path("id").asLong();
        jdbc.update("INSERT INTO subscription_line (partner_id, subscription_id, line_key, agreement_id, addition_id) VALUES (?, ?, ?, ?, ?)",
                partner, "sub-m", "sub-m/BASE/2024-03-01", b, onB);
        jdbc.update("UPDATE subscription_mapping SET agreement_id = ? WHERE partner_id = ? AND subscription_id = 'sub-m'", b, partner);

        postInvoices("[" + invoice("sub-m", 30, "SAAS", "RESELLER", "2024-02", "10", "187.00") + ","
                + invoice("sub-m", 30, "SAAS", "CUSTOMER", "2024-02", "10", "220.00") + "]");
        sandbox.resetCalls();
        runOn("2024-03-12");
        Map<String, Object> reconciled = row("sub-m");
        assertThat(reconciled).as("February was billed on A").containsEntry("status", "RECONCILED");
        assertThat((BigDecimal) reconciled.get("psa_price")).isEqualByComparingTo("220.00");
        assertThat(sandbox.calls(ADDITIONS)).as("no second February").isZero();
    }

    @Test
    void r32SaasWalksPendingToPendingReviewAndAcceptPostsExactlyTheDeltaOnce() throws Exception {
        long base = subscription("sub-a", 30, "SAAS", "10", "18.70", "22.00"); // Microsoft CSP: 10th-25th

        runOn("2024-03-09");
        assertThat(row("sub-a")).as("before the cutover start").isNull();

        runOn("2024-03-10");
        assertThat(row("sub-a")).containsEntry("status", "PENDING").containsEntry("missing_invoice", "BOTH")
                .containsEntry("period_start", java.sql.Date.valueOf("2024-02-01"));

        assertThat(postInvoices(invoice("sub-a", 30, "SAAS", "RESELLER", "2024-02", "10", "187.00")).path("stored").asInt()).isEqualTo(1);
        runOn("2024-03-11");
        assertThat(row("sub-a")).containsEntry("status", "PENDING").containsEntry("missing_invoice", "CUSTOMER");

        // The reseller line again with another amount is refused as a whole (and parked): nothing changes.
        String customer = invoice("sub-a", 30, "SAAS", "CUSTOMER", "2024-02", "10", "230.00");
        assertThat(post("/api/v1/invoices", "[" + customer + "," + invoice("sub-a", 30, "SAAS", "RESELLER", "2024-02", "10",
                "999.99") + "]").getStatusCode().value()).isEqualTo(400);
        // The customer invoice arrives, and the reseller one again: the exact repeat changes nothing.
        JsonNode stored = postInvoices("[" + customer + ","
                + invoice("sub-a", 30, "SAAS", "RESELLER", "2024-02", "10", "187.00") + "]");
        assertThat(stored.path("stored").asInt()).isEqualTo(1);
        assertThat(stored.path("duplicates").asInt()).isEqualTo(1);
        sandbox.resetCalls();
        runOn("2024-03-12");
        Map<String, Object> review = row("sub-a");
        assertThat(review).containsEntry("status", "PENDING_REVIEW");
        // v2: both invoices in after the cutover: the daily run posted the delta by itself, open to Accept / Reject.
        assertThat((String) review.get("reason")).startsWith("Posted automatically on 2024-03-12: delta cost 0.00 and price 10.00");
        assertThat(sandbox.calls(ADDITIONS)).isEqualTo(1);
        assertThat((BigDecimal) review.get("invoice_cost")).isEqualByComparingTo("187.00");
        assertThat((BigDecimal) review.get("psa_price")).isEqualByComparingTo("220.00");
        assertThat((BigDecimal) review.get("delta_cost")).isEqualByComparingTo("0.00");
        assertThat((BigDecimal) review.get("delta_price")).isEqualByComparingTo("10.00");

        runOn("2024-03-13");
        assertThat(row("sub-a")).containsEntry("status", "PENDING_REVIEW");

        ResponseEntity<String> accepted = decide("sub-a", "accept");
        assertThat(accepted.getStatusCode().value()).as(accepted.getBody()).isEqualTo(200);
        assertThat(mapper.readTree(accepted.getBody()).path("status").asText()).isEqualTo("RECONCILED");
        List<JsonNode> additions = additions();
        assertThat(additions).hasSize(2);
        JsonNode baseLine = additions.stream().filter(a -> a.path("id").asLong() == base).findFirst().orElseThrow();
        assertThat(baseLine.path("quantity").decimalValue()).as("quantity untouched").isEqualByComparingTo("10");
        assertThat(baseLine.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        JsonNode delta = additions.stream().filter(a -> a.path("id").asLong() != base).findFirst().orElseThrow();
        assertThat(delta.path("unitCost").decimalValue()).isEqualByComparingTo("0.00");
        assertThat(delta.path("unitPrice").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(delta.path("quantity").decimalValue()).as("one line carrying the delta").isEqualByComparingTo("1");
        assertThat(delta.path("product").path("id").asLong()).isEqualTo(catalogItem);
        assertThat(delta.path("effectiveDate").asText()).startsWith("2024-03-01");
        assertThat(delta.path("cancelledDate").asText()).startsWith("2024-03-31");
        assertThat(row("sub-a").get("addition_id")).isEqualTo(delta.path("id").asLong());

        // A second accept answers the same and posts nothing.
        ResponseEntity<String> again = decide("sub-a", "accept");
        assertThat(again.getStatusCode().value()).isEqualTo(200);
        assertThat(mapper.readTree(again.getBody()).path("status").asText()).isEqualTo("RECONCILED");
        assertThat(sandbox.calls(ADDITIONS)).isEqualTo(1);
        assertThat(additions()).hasSize(2);

        assertThat(statusChanges("sub-a")).containsExactly("->PENDING", "PENDING>PENDING_REVIEW", "PENDING_REVIEW>RECONCILED");
        assertThat(jdbc.queryForObject("SELECT period_start FROM reconciliation_status_change WHERE partner_id = ? LIMIT 1",
                java.sql.Date.class, partner)).isEqualTo(java.sql.Date.valueOf("2024-02-01"));
    }

    @Test
    void r32MatchingInvoicesOnTheCutoverDayAreReconciledWithoutPosting() throws Exception {
        subscription("sub-g", 2, "SAAS", "4", "10.00", "12.50"); // Google Cloud Platform: 6th-21st
        postInvoices("[" + invoice("sub-g", 2, "SAAS", "RESELLER", "2024-02", "4", "40.00") + ","
                + invoice("sub-g", 2, "SAAS", "CUSTOMER", "2024-02", "4", "50.00") + "]");
        sandbox.resetCalls();
        runOn("2024-03-05");
        assertThat(row("sub-g")).isNull();
        runOn("2024-03-06");
        assertThat(row("sub-g")).containsEntry("status", "RECONCILED");
        assertThat(sandbox.calls(ADDITIONS)).isZero();
        assertThat(statusChanges("sub-g")).containsExactly("->RECONCILED");
        runOn("2024-03-07");
        assertThat(statusChanges("sub-g")).hasSize(1);
    }

    @Test
    void r32InvoicesArrivingAfterTheWindowLeaveItPending() throws Exception {
        subscription("sub-late", 28, "SAAS", "3", "5.00", "6.00"); // Microsoft Modern Workplace: 10th-25th
        runOn("2024-03-25");
        assertThat(row("sub-late")).containsEntry("status", "PENDING").containsEntry("missing_invoice", "BOTH");
        postInvoices("[" + invoice("sub-late", 28, "SAAS", "RESELLER", "2024-02", "3", "15.00") + ","
                + invoice("sub-late", 28, "SAAS", "CUSTOMER", "2024-02", "3", "18.00") + "]");
        runOn("2024-03-26");
        assertThat(row("sub-late")).containsEntry("status", "PENDING").containsEntry("missing_invoice", "BOTH");
        assertThat(statusChanges("sub-late")).containsExactly("->PENDING");
        // The next window is March's: February stays as it was.
        runOn("2024-04-10");
        assertThat(jdbc.queryForList("SELECT status FROM billing_reconciliation WHERE partner_id = ? AND period_start = '2024-02-01'",
                String.class, partner)).containsExactly("PENDING");
    }

    @Test
    void r32RejectPostsNothingAndIsFinal() throws Exception {
        subscription("sub-r", 30, "SAAS", "10", "18.70", "22.00");
        postInvoices("[" + invoice("sub-r", 30, "SAAS", "RESELLER", "2024-02", "10", "190.00") + ","
                + invoice("sub-r", 30, "SAAS", "CUSTOMER", "2024-02", "11", "220.00") + "]");
        runOn("2024-03-15");
        assertThat(row("sub-r")).containsEntry("status", "PENDING_REVIEW");
        sandbox.resetCalls();
        ResponseEntity<String> rejected = decide("sub-r", "reject");
        assertThat(rejected.getStatusCode().value()).as(rejected.getBody()).isEqualTo(200);
        assertThat(mapper.readTree(rejected.getBody()).path("status").asText()).isEqualTo("REJECTED");
        assertThat(decide("sub-r", "reject").getStatusCode().value()).isEqualTo(200);
        ResponseEntity<String> accept = decide("sub-r", "accept");
        assertThat(accept.getStatusCode().value()).isEqualTo(409);
        assertThat(accept.getHeaders().getContentType().toString()).contains("problem+json");
        runOn("2024-03-16");
        assertThat(row("sub-r")).containsEntry("status", "REJECTED");
        assertThat(sandbox.calls(ADDITIONS)).isZero();
        assertThat(additions()).hasSize(1);
        assertThat(statusChanges("sub-r")).containsExactly("->PENDING_REVIEW", "PENDING_REVIEW>REJECTED");
        assertThat(api.post().uri("/api/v1/partners/{p}/reconciliation/{id}/accept", partner, 999_999)
                .retrieve().toEntity(String.class).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void r32UnreadableConnectWiseIsFailedReviewAndCheckedAgainTheNextDay() throws Exception {
        subscription("sub-f", 30, "SAAS", "2", "1.00", "2.00");
        postInvoices("[" + invoice("sub-f", 30, "SAAS", "RESELLER", "2024-02", "2", "2.00") + ","
                + invoice("sub-f", 30, "SAAS", "CUSTOMER", "2024-02", "2", "4.00") + "]");
        int attempts = Integer.parseInt(env.getRequiredProperty("cwbridge.connectwise.max-attempts"));
        sandbox.fault(Map.of("status", 503, "count", attempts, "retryAfterSeconds", 0, "method", "GET", "pathContains", "/additions"));
        runOn("2024-03-20");
        Map<String, Object> failed = row("sub-f");
        assertThat(failed).containsEntry("status", "FAILED_REVIEW");
        assertThat((String) failed.get("reason")).contains("503").doesNotContain(env.getRequiredProperty("cw-sandbox.private-key"));
        runOn("2024-03-21");
        assertThat(row("sub-f")).containsEntry("status", "RECONCILED");
        assertThat(statusChanges("sub-f")).containsExactly("->FAILED_REVIEW", "FAILED_REVIEW>RECONCILED");
    }

    @Test
    void r32FailedPostIsFailedWithTheErrorAndAnotherAcceptPostsOnce() throws Exception {
        syncRules("{\"syncUnitCost\":false}");
        subscription("sub-p", 30, "SAAS", "10", "18.70", "22.00");
        postInvoices("[" + invoice("sub-p", 30, "SAAS", "RESELLER", "2024-02", "10", "180.00") + ","
                + invoice("sub-p", 30, "SAAS", "CUSTOMER", "2024-02", "10", "215.50") + "]");
        // The daily run's automatic post is refused by ConnectWise.
        sandbox.fault(Map.of("status", 400, "count", 1, "method", "POST", "pathContains", "/additions"));
        runOn("2024-03-10");
        Map<String, Object> failed = row("sub-p");
        assertThat(failed).containsEntry("status", "FAILED");
        assertThat((String) failed.get("reason")).startsWith("Posting to ConnectWise failed: 400");
        assertThat(additions()).hasSize(1);

        sandbox.resetCalls();
        ResponseEntity<String> second = decide("sub-p", "accept");
        assertThat(mapper.readTree(second.getBody()).path("status").asText()).isEqualTo("RECONCILED");
        assertThat(sandbox.calls(ADDITIONS)).isEqualTo(1);
        JsonNode delta = additions().stream().filter(a -> a.path("quantity").decimalValue().compareTo(BigDecimal.ONE) == 0)
                .findFirst().orElseThrow();
        assertThat(delta.path("unitCost").decimalValue()).isEqualByComparingTo("-7.00");
        assertThat(delta.path("unitPrice").decimalValue()).isEqualByComparingTo("-4.50");
        assertThat(statusChanges("sub-p")).containsExactly("->PENDING_REVIEW", "PENDING_REVIEW>FAILED", "FAILED>RECONCILED");
    }

    @Test
    void r32IaasIsPendingWithZeroValuesBeforeItsInvoiceThenPendingReview() throws Exception {
        subscription("sub-i", 1, "IAAS", "1", "0", "0"); // Amazon Web Services: 6th-21st
        runOn("2024-03-06");
        Map<String, Object> pending = row("sub-i");
        assertThat(pending).containsEntry("status", "PENDING").containsEntry("missing_invoice", "BOTH");
        assertThat((BigDecimal) pending.get("invoice_cost")).isEqualByComparingTo("0");
        assertThat((BigDecimal) pending.get("invoice_price")).isEqualByComparingTo("0");
        assertThat((BigDecimal) pending.get("invoice_quantity")).isEqualByComparingTo("1");

        postInvoices("[" + invoice("sub-i", 1, "IAAS", "RESELLER", "2024-02", "735", "80.10") + ","
                + invoice("sub-i", 1, "IAAS", "CUSTOMER", "2024-02", "735", "100.25") + "]");
        runOn("2024-03-07");
        Map<String, Object> review = row("sub-i");
        assertThat(review).containsEntry("status", "PENDING_REVIEW");
        assertThat((BigDecimal) review.get("psa_quantity")).isEqualByComparingTo("1");
        assertThat((BigDecimal) review.get("invoice_quantity")).isEqualByComparingTo("1");
        assertThat((BigDecimal) review.get("delta_cost")).isEqualByComparingTo("80.10");
        assertThat((BigDecimal) review.get("delta_price")).isEqualByComparingTo("100.25");
        assertThat(statusChanges("sub-i")).containsExactly("->PENDING", "PENDING>PENDING_REVIEW");
    }

    @Test
    void r32AUsageOfAnInvoicedMonthBilledFromTheNextInvoiceDateIsThatMonthsAndNotPostedAgainR24R27() throws Exception {
        // February's usage (100.00 / 50.00) arrived after February was invoiced: R27 bills it once from N = 1 March, on a
        // line whose key names its period (sub-j/USAGE/2024-02-01); the invoices of February say the same
        subscription("sub-j", 1, "IAAS", "1", "0", "0"); // Amazon Web Services: 6th-21st
        long usage = line("sub-j", "USAGE", "1", "50.00", "100.00", "2024-03-01", "2024-03-01");
        jdbc.update("UPDATE subscription_line SET line_key = 'sub-j/USAGE/2024-02-01' WHERE partner_id = ? AND addition_id = ?", partner, usage);
        postInvoices("[" + invoice("sub-j", 1, "IAAS", "RESELLER", "2024-02", "100", "50.00") + ","
                + invoice("sub-j", 1, "IAAS", "CUSTOMER", "2024-02", "100", "100.00") + "]");
        sandbox.resetCalls();

        runOn("2024-03-07");

        Map<String, Object> february = row("sub-j");
        assertThat(february).as("February's usage is on its line").containsEntry("status", "RECONCILED");
        assertThat((BigDecimal) february.get("psa_price")).isEqualByComparingTo("100.00");
        assertThat((BigDecimal) february.get("psa_cost")).isEqualByComparingTo("50.00");
        assertThat(sandbox.calls(ADDITIONS)).as("no second February").isZero();
    }

    @Test
    void r32TwoAcceptsAtOncePostOnce() throws Exception {
        syncRules("{\"syncUnitCost\":false}");
        subscription("sub-c", 30, "SAAS", "10", "18.70", "22.00");
        postInvoices("[" + invoice("sub-c", 30, "SAAS", "RESELLER", "2024-02", "10", "190.00") + ","
                + invoice("sub-c", 30, "SAAS", "CUSTOMER", "2024-02", "10", "225.00") + "]");
        // The automatic post fails, so the row waits as FAILED for the two accepts.
        sandbox.fault(Map.of("status", 400, "count", 1, "method", "POST", "pathContains", "/additions"));
        runOn("2024-03-10");
        assertThat(row("sub-c")).containsEntry("status", "FAILED");
        sandbox.fault(Map.of("status", 0, "delayMillis", 800, "count", 1, "method", "POST", "pathContains", "/additions"));
        sandbox.resetCalls();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            var a = pool.submit(() -> decide("sub-c", "accept"));
            var b = pool.submit(() -> decide("sub-c", "accept"));
            List<Integer> codes = List.of(a.get().getStatusCode().value(), b.get().getStatusCode().value());
            assertThat(codes).contains(200).allMatch(c -> c == 200 || c == 409);
        } finally {
            pool.shutdown();
        }
        assertThat(row("sub-c")).containsEntry("status", "RECONCILED");
        assertThat(sandbox.calls(ADDITIONS)).isEqualTo(1);
        assertThat(additions()).hasSize(2);
        assertThat(statusChanges("sub-c")).containsExactly("->PENDING_REVIEW", "PENDING_REVIEW>FAILED", "FAILED>RECONCILED");
    }
}
