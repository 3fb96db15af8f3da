package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * R32 v2 on the real parts (app, database, sandbox over HTTP): the days-weighted PSA side, the
 * final reseller cost synced to the unit cost, the automatic post after the cutover (open to
 * Accept / Reject), the IaaS line updated instead of a new line, and COST_ONLY.
 */
class ReconciliationV2Test extends ReconciliationTestBase {

    @org.springframework.beans.factory.annotation.Autowired MonthlyRevenue monthlyRevenue;
    @org.springframework.beans.factory.annotation.Autowired ReconciliationRepository finalCosts;

    static final String PATCH = "PATCH /finance/agreements/{parentId}/additions/{id}";
    static final String POST = "POST /finance/agreements/{parentId}/additions";
    static final String DELETE = "DELETE /finance/agreements/{parentId}/additions/{id}";

    /** April 2024 with an increase on the 6th, a decrease on the 16th and a cancellation on the 26th, and an overuse line. */
    private void aprilWithAllChanges(String sub) {
        marketplaceOnly(sub);
        line(sub, "BASE", "10", "18.70", "22.00", "2024-01-14", "2024-04-30");
        line(sub, "DELTA", "2", "18.70", "22.00", "2024-04-06", "2024-04-30");
        line(sub, "DELTA", "-3", "18.70", "22.00", "2024-04-16", "2024-04-30");
        line(sub, "CANCELLATION", "-9", "18.70", "22.00", "2024-04-26", "2024-04-30");
        line(sub, "USAGE", "1", "4.00", "5.00", "2024-04-30", "2024-04-30");
    }

    @Test
    void r32v2MonthWithIncreaseDecreaseAndCancellationReconcilesWithNothingWritten() throws Exception {
        aprilWithAllChanges("sub-m");
        // The marketplace's prorated invoices: 260 licence-days = 8.6667 licence-months, plus the overuse.
        postInvoices("[" + invoice("sub-m", 30, "SAAS", "RESELLER", "2024-04", "8.6667", "166.07") + ","
                + invoice("sub-m", 30, "SAAS", "CUSTOMER", "2024-04", "8.6667", "195.67") + "]");
        sandbox.resetCalls();
        runOn("2024-05-10");
        Map<String, Object> row = row("sub-m");
        assertThat(row).containsEntry("status", "RECONCILED");
        assertThat((BigDecimal) row.get("psa_quantity")).isEqualByComparingTo("8.6667");
        assertThat((BigDecimal) row.get("usage_quantity")).as("the overuse line is an amount").isEqualByComparingTo("1");
        assertThat((BigDecimal) row.get("psa_cost")).isEqualByComparingTo("166.07");
        assertThat((BigDecimal) row.get("psa_price")).isEqualByComparingTo("195.67");
        assertThat(additionWrites()).as("the final cost is the lines' already: nothing to write").isEmpty();
        assertThat(operations("sub-m")).isEmpty();
        assertThat(statusChanges("sub-m")).containsExactly("->RECONCILED");
    }

    @Test
    void r32v2MonthWithIncreaseDecreaseAndCancellationFromRealEventsReconcilesWithNoDiscrepancy() throws Exception {
        // The same month as above, but the lines are the sync pipeline's (events through POST /api/v1/events, R10–R21).
        clock.set("2024-05-10");
        mapChairsOverTheApi();
        String sub = "sub-events";
        sync(event("sale", "SALES_ORDER", "NEW", "2024-03-01T09:00:00Z", 10, "", sub, "2024-03-01"));
        sandbox.invoice(agreement, "2024-03-31"); // ConnectWise billed March: the cancellation ends the lines (R21), not deletes them (R22)
        sync(event("increase", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-04-06T10:00:00Z", 12, "", sub, "2024-03-01")
                .replace("\"quantity\":12,", "\"quantity\":12,\"previousQuantity\":10,"));
        sync(event("decrease", "CHANGE_ORDER", "LICENSE_DECREASE", "2024-04-16T10:00:00Z", 9, "", sub, "2024-03-01")
                .replace("\"quantity\":9,", "\"quantity\":9,\"previousQuantity\":12,"));
        sync(event("cancel", "CANCELLATION_ORDER", "CANCEL", "2024-04-26T10:00:00Z", 9, "\"cancellationDate\":\"2024-04-26\",",
                sub, "2024-03-01"));
        assertThat(additions()).as("base, +2, -3 and the cancellation's -9").hasSize(4);
        // The marketplace's prorated April: 10 × 5 + 12 × 10 + 9 × 10 = 260 licence-days of 30.
        postInvoices("[" + invoice(sub, 30, "SAAS", "RESELLER", "2024-04", "8.6667", "162.07") + ","
                + invoice(sub, 30, "SAAS", "CUSTOMER", "2024-04", "8.6667", "190.67") + "]");
        sandbox.resetCalls();
        runOn("2024-05-10");
        Map<String, Object> row = row(sub);
        assertThat(row).as(String.valueOf(row)).containsEntry("status", "RECONCILED");
        assertThat((BigDecimal) row.get("psa_quantity")).isEqualByComparingTo("8.6667");
        assertThat((BigDecimal) row.get("psa_cost")).isEqualByComparingTo("162.07");
        assertThat((BigDecimal) row.get("psa_price")).isEqualByComparingTo("190.67");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM billing_reconciliation WHERE partner_id = ? AND status = 'PENDING_REVIEW'",
                Long.class, partner)).isZero();
        assertThat(additionWrites()).isEmpty();
        assertThat(operations(sub)).isEmpty();
        assertThat(statusChanges(sub)).containsExactly("->RECONCILED");
        // R34 agrees: the month has no mismatch.
        ResponseEntity<String> threeWay = api.get().uri("/api/v1/partners/{p}/three-way?month=2024-04", partner).retrieve().toEntity(String.class);
        assertThat(mapper.readTree(threeWay.getBody()).path("mismatches").asInt()).as(threeWay.getBody()).isZero();
    }

    @Test
    void r32v2UsageLineIsNotCountedAsALicence() throws Exception {
        subscription("sub-u", 30, "SAAS", "10", "18.70", "22.00");
        line("sub-u", "USAGE", "1", "3.00", "4.50", "2024-02-29", "2024-02-29");
        postInvoices("[" + invoice("sub-u", 30, "SAAS", "RESELLER", "2024-02", "10", "190.00") + ","
                + invoice("sub-u", 30, "SAAS", "CUSTOMER", "2024-02", "10", "224.50") + "]");
        runOn("2024-03-10");
        Map<String, Object> row = row("sub-u");
        assertThat(row).containsEntry("status", "RECONCILED");
        assertThat((BigDecimal) row.get("psa_quantity")).as("seed 000 showed 11").isEqualByComparingTo("10");
        assertThat((BigDecimal) row.get("usage_quantity")).isEqualByComparingTo("1");
    }

    @Test
    void r32v2FinalResellerCostBecomesTheAdditionsUnitCostAndIsRecorded() throws Exception {
        long base = subscription("sub-c", 30, "SAAS", "10", "18.70", "22.00");
        long delta = line("sub-c", "DELTA", "2", "18.70", "22.00", "2024-02-15", "2024-02-29");
        // 10 + 2 × 15/29 = 11.0345 licence-months; the partner's final cost is 18.00 a licence-month.
        postInvoices("[" + invoice("sub-c", 30, "SAAS", "RESELLER", "2024-02", "12", "198.62") + "]");
        sandbox.resetCalls();
        runOn("2024-03-10");
        assertThat(row("sub-c")).containsEntry("status", "PENDING").containsEntry("missing_invoice", "CUSTOMER");
        assertThat(addition(base).path("unitCost").decimalValue()).isEqualByComparingTo("18.00");
        assertThat(addition(delta).path("unitCost").decimalValue()).isEqualByComparingTo("18.00");
        assertThat(addition(base).path("unitPrice").decimalValue()).as("price untouched").isEqualByComparingTo("22.00");
        assertThat(additionWrites()).containsExactly(Map.entry(PATCH, 2L));
        assertThat(operations("sub-c")).containsExactly("FINAL_UNIT_COST:DONE", "FINAL_UNIT_COST:DONE");
        JsonNode view = subscriptionView("sub-c");
        JsonNode op = view.path("months").get(0).path("operations").get(0);
        assertThat(op.path("request").path("unitCost").decimalValue()).isEqualByComparingTo("18.00");
        assertThat(op.path("previous").path("unitCost").decimalValue()).isEqualByComparingTo("18.70");

        // The customer invoice comes: cost matches now (11.0345 × 18.00 = 198.62), price too: reconciled, nothing posted.
        postInvoices("[" + invoice("sub-c", 30, "SAAS", "CUSTOMER", "2024-02", "12", "242.76") + "]");
        sandbox.resetCalls();
        runOn("2024-03-11");
        assertThat(row("sub-c")).containsEntry("status", "RECONCILED");
        assertThat(additionWrites()).isEmpty();
        assertThat(additions()).hasSize(2);
    }

    @Test
    void r32v2WithoutCostSyncTheUnitCostStays() throws Exception {
        syncRules("{\"syncUnitCost\":false}");
        long base = subscription("sub-n", 30, "SAAS", "10", "18.70", "22.00");
        postInvoices("[" + invoice("sub-n", 30, "SAAS", "RESELLER", "2024-02", "10", "180.00") + "]");
        runOn("2024-03-10");
        assertThat(addition(base).path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(operations("sub-n")).isEmpty();
    }

    @Test
    void r32v2ChargesArePostedByTheDailyRunOnTheCutoverDayAndStayOpenToAccept() throws Exception {
        syncRules("{\"syncUnitCost\":false}");
        long base = subscription("sub-a", 30, "SAAS", "10", "18.70", "22.00");
        postInvoices("[" + invoice("sub-a", 30, "SAAS", "RESELLER", "2024-02", "10", "180.00") + ","
                + invoice("sub-a", 30, "SAAS", "CUSTOMER", "2024-02", "10", "215.50") + "]");
        sandbox.resetCalls();
        runOn("2024-03-09");
        assertThat(row("sub-a")).isNull();
        assertThat(additionWrites()).isEmpty();
        runOn("2024-03-10"); // Microsoft CSP's cutover day: posted by the run, no click
        Map<String, Object> row = row("sub-a");
        assertThat(row).containsEntry("status", "PENDING_REVIEW");
        assertThat(row.get("auto_posted_at")).isNotNull();
        assertThat((String) row.get("reason")).startsWith("Posted automatically on 2024-03-10: delta cost -7.00 and price -4.50 as addition ");
        assertThat(additionWrites()).containsExactly(Map.entry(POST, 1L));
        JsonNode posted = additions().stream().filter(a -> a.path("id").asLong() != base).findFirst().orElseThrow();
        assertThat(posted.path("unitCost").decimalValue()).isEqualByComparingTo("-7.00");
        assertThat(posted.path("unitPrice").decimalValue()).isEqualByComparingTo("-4.50");
        assertThat(posted.path("quantity").decimalValue()).isEqualByComparingTo("1");
        assertThat(row.get("addition_id")).isEqualTo(posted.path("id").asLong());
        assertThat(operations("sub-a")).containsExactly("DELTA_LINE:DONE");

        // The next day's run leaves it as it is (waiting for a person), and posts nothing more.
        runOn("2024-03-11");
        assertThat(additionWrites()).containsExactly(Map.entry(POST, 1L));

        ResponseEntity<String> accepted = decide("sub-a", "accept");
        assertThat(accepted.getStatusCode().value()).as(accepted.getBody()).isEqualTo(200);
        assertThat(mapper.readTree(accepted.getBody()).path("status").asText()).isEqualTo("RECONCILED");
        assertThat(additionWrites()).as("accept confirms what was posted").containsExactly(Map.entry(POST, 1L));
        assertThat(additions()).hasSize(2);
        assertThat(statusChanges("sub-a")).containsExactly("->PENDING_REVIEW", "PENDING_REVIEW>RECONCILED");
    }

    @Test
    void r32v2RejectTakesBackTheAutomaticPost() throws Exception {
        syncRules("{\"syncUnitCost\":false}");
        subscription("sub-r", 30, "SAAS", "10", "18.70", "22.00");
        postInvoices("[" + invoice("sub-r", 30, "SAAS", "RESELLER", "2024-02", "10", "180.00") + ","
                + invoice("sub-r", 30, "SAAS", "CUSTOMER", "2024-02", "10", "215.50") + "]");
        runOn("2024-03-12");
        assertThat(additions()).hasSize(2);
        sandbox.resetCalls();
        ResponseEntity<String> rejected = decide("sub-r", "reject");
        assertThat(rejected.getStatusCode().value()).as(rejected.getBody()).isEqualTo(200);
        JsonNode body = mapper.readTree(rejected.getBody());
        assertThat(body.path("status").asText()).isEqualTo("REJECTED");
        assertThat(body.path("reason").asText()).endsWith("the charges posted automatically were taken back");
        assertThat(additionWrites()).containsExactly(Map.entry(DELETE, 1L));
        assertThat(additions()).hasSize(1);
        assertThat(operations("sub-r")).containsExactly("DELTA_LINE:DONE", "UNDO_DELTA_LINE:DONE");
        assertThat(row("sub-r").get("addition_id")).isNull();
    }

    @Test
    void r32v2IaasPostUpdatesTheIaasLineInsteadOfAddingOne() throws Exception {
        subscription("sub-i", 1, "IAAS", "1", "0", "0"); // AWS: 6th–21st
        long usage = line("sub-i", "USAGE", "1", "70.00", "90.00", "2024-02-01", "2024-02-29");
        postInvoices("[" + invoice("sub-i", 1, "IAAS", "RESELLER", "2024-02", "735", "80.10") + ","
                + invoice("sub-i", 1, "IAAS", "CUSTOMER", "2024-02", "735", "100.25") + "]");
        sandbox.resetCalls();
        runOn("2024-03-06");
        // The final cost went onto the IaaS line (cost sync), the price delta onto the same line (the automatic post).
        assertThat(addition(usage).path("unitCost").decimalValue()).isEqualByComparingTo("80.10");
        assertThat(addition(usage).path("unitPrice").decimalValue()).isEqualByComparingTo("100.25");
        assertThat(additionWrites()).containsOnlyKeys(PATCH);
        assertThat(additions()).hasSize(2);
        assertThat(operations("sub-i")).containsExactly("FINAL_UNIT_COST:DONE", "IAAS_LINE_VALUES:DONE");
        assertThat(row("sub-i")).containsEntry("status", "PENDING_REVIEW").containsEntry("addition_id", usage);
        assertThat(mapper.readTree(decide("sub-i", "accept").getBody()).path("status").asText()).isEqualTo("RECONCILED");
        assertThat(additions()).hasSize(2);
    }

    @Test
    void r32v2RejectOfAnIaasPostRestoresTheLinesValuesAndARefusedUndoKeepsTheRow() throws Exception {
        subscription("sub-q", 1, "IAAS", "1", "0", "0");
        long usage = line("sub-q", "USAGE", "1", "70.00", "90.00", "2024-02-01", "2024-02-29");
        postInvoices("[" + invoice("sub-q", 1, "IAAS", "RESELLER", "2024-02", "1", "80.10") + ","
                + invoice("sub-q", 1, "IAAS", "CUSTOMER", "2024-02", "1", "100.25") + "]");
        runOn("2024-03-06");
        assertThat(addition(usage).path("unitPrice").decimalValue()).isEqualByComparingTo("100.25");
        // ConnectWise refuses the undo: 502 problem, the row and the line stay as they are.
        sandbox.fault(Map.of("status", 400, "count", 1, "method", "PATCH", "pathContains", "/additions"));
        ResponseEntity<String> refused = decide("sub-q", "reject");
        assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(502);
        assertThat(refused.getHeaders().getContentType().toString()).contains("problem+json");
        assertThat(row("sub-q")).containsEntry("status", "PENDING_REVIEW");
        assertThat(row("sub-q").get("auto_posted_at")).isNotNull();
        assertThat(addition(usage).path("unitPrice").decimalValue()).isEqualByComparingTo("100.25");
        // Again: the line's previous price comes back; the final cost (the partner's cost, not a charge) stays.
        ResponseEntity<String> rejected = decide("sub-q", "reject");
        assertThat(mapper.readTree(rejected.getBody()).path("status").asText()).as(rejected.getBody()).isEqualTo("REJECTED");
        assertThat(addition(usage).path("unitPrice").decimalValue()).isEqualByComparingTo("90.00");
        assertThat(addition(usage).path("unitCost").decimalValue()).isEqualByComparingTo("80.10");
        assertThat(additions()).hasSize(2);
        assertThat(operations("sub-q")).containsExactly("FINAL_UNIT_COST:DONE", "IAAS_LINE_VALUES:DONE",
                "UNDO_IAAS_LINE_VALUES:FAILED", "UNDO_IAAS_LINE_VALUES:DONE");
    }

    @Test
    void r32v2IaasAcceptUpdatesTheIaasLineAndCostOnlyLeavesThePrice() throws Exception {
        syncRules("{\"syncUnitCost\":false,\"iaasInvoiceValues\":\"COST_ONLY\"}");
        subscription("sub-j", 1, "IAAS", "1", "0", "0");
        long usage = line("sub-j", "USAGE", "1", "70.00", "90.00", "2024-02-01", "2024-02-29");
        postInvoices("[" + invoice("sub-j", 1, "IAAS", "RESELLER", "2024-02", "735", "80.10") + ","
                + invoice("sub-j", 1, "IAAS", "CUSTOMER", "2024-02", "735", "100.25") + "]");
        // The automatic post is refused: FAILED, Accept retries.
        sandbox.fault(Map.of("status", 400, "count", 1, "method", "PATCH", "pathContains", "/additions"));
        runOn("2024-03-06");
        assertThat(row("sub-j")).containsEntry("status", "FAILED");
        assertThat(addition(usage).path("unitCost").decimalValue()).isEqualByComparingTo("70.00");
        sandbox.resetCalls();
        ResponseEntity<String> accepted = decide("sub-j", "accept");
        assertThat(mapper.readTree(accepted.getBody()).path("status").asText()).as(accepted.getBody()).isEqualTo("RECONCILED");
        assertThat(mapper.readTree(accepted.getBody()).path("reason").asText())
                .isEqualTo("Accepted: posted IaaS line " + usage + " updated to unit cost 80.10 (cost only)");
        assertThat(addition(usage).path("unitCost").decimalValue()).isEqualByComparingTo("80.10");
        assertThat(addition(usage).path("unitPrice").decimalValue()).as("COST_ONLY").isEqualByComparingTo("90.00");
        assertThat(additionWrites()).containsExactly(Map.entry(PATCH, 1L));
        assertThat(additions()).hasSize(2);
        assertThat(operations("sub-j")).containsExactly("IAAS_LINE_VALUES:FAILED", "IAAS_LINE_VALUES:DONE");
    }

    @Test
    void r32v2SaasCostOnlyPostsTheDeltaCostAlone() throws Exception {
        syncRules("{\"syncUnitCost\":false,\"saasInvoiceValues\":\"COST_ONLY\"}");
        long base = subscription("sub-k", 30, "SAAS", "10", "18.70", "22.00");
        postInvoices("[" + invoice("sub-k", 30, "SAAS", "RESELLER", "2024-02", "10", "180.00") + ","
                + invoice("sub-k", 30, "SAAS", "CUSTOMER", "2024-02", "10", "215.50") + "]");
        runOn("2024-03-10");
        JsonNode posted = additions().stream().filter(a -> a.path("id").asLong() != base).findFirst().orElseThrow();
        assertThat(posted.path("unitCost").decimalValue()).isEqualByComparingTo("-7.00");
        assertThat(posted.path("unitPrice").decimalValue()).isEqualByComparingTo("0");
        // A price-only difference under COST_ONLY has nothing to post: it waits for a person.
        subscription("sub-l", 30, "SAAS", "10", "18.70", "22.00");
        postInvoices("[" + invoice("sub-l", 30, "SAAS", "RESELLER", "2024-02", "10", "187.00") + ","
                + invoice("sub-l", 30, "SAAS", "CUSTOMER", "2024-02", "10", "215.50") + "]");
        sandbox.resetCalls();
        runOn("2024-03-11");
        assertThat(row("sub-l")).containsEntry("status", "PENDING_REVIEW");
        assertThat(row("sub-l").get("auto_posted_at")).isNull();
        assertThat(additionWrites()).isEmpty();
        assertThat(mapper.readTree(decide("sub-l", "accept").getBody()).path("reason").asText())
                .isEqualTo("Accepted: no cost difference to post; the price difference -4.50 is not posted under COST_ONLY");
        assertThat(additionWrites()).isEmpty();
    }

    JsonNode subscriptionView(String sub) throws Exception {
        ResponseEntity<String> r = api.get().uri("/api/v1/partners/{p}/reconciliation/subscriptions/{s}", partner, sub)
                .retrieve().toEntity(String.class);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
        return mapper.readTree(r.getBody());
    }

    /** A synced subscription's event and mapping without lines (the test adds them), customer Dunco, Microsoft CSP. */
    private void marketplaceOnly(String sub) {
        String payload = """
                {"subscription":{"id":"%s","kind":"SAAS","startDate":"2024-01-14","customer":{"id":"1","name":"Dunco Fruit Supply"},
                 "product":{"id":"P","providerId":30,"provider":"Microsoft CSP","plan":"Office 365 E1"}}}""".formatted(sub);
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (?, ?, ?, 'SALES_ORDER', 'NEW', '2024-01-14T09:00:00Z', CAST(? AS jsonb), 'HTTP')""",
                partner + "-" + sub, partner, sub, payload);
        jdbc.update("INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id) VALUES (?, ?, ?)", partner, sub, agreement);
    }

    /** An R27 catch-up of February 2024 as the sync records it (a month roll's), in {@code status}; answers its id. */
    private long februaryCatchUp(String sub, String licenceDays, String from, String to, String amount, String cost, String status) {
        jdbc.update("""
                INSERT INTO invoiced_catch_up (partner_id, subscription_id, agreement_id, run_id, seq, period_start, period_end, from_date,
                       to_date, licence_days, days_in_period, unit_price, unit_cost, amount, cost_amount, currency, reason, description, status,
                       adjustment_id)
                VALUES (?, ?, ?, 1, 1, '2024-02-01', '2024-02-29', CAST(? AS date), CAST(? AS date), CAST(? AS numeric), 29, 22.00, 18.70,
                        CAST(? AS numeric), CAST(? AS numeric), 'USD', 'change in an invoiced period', ?, ?, ?)""",
                partner, sub, agreement, from, to, licenceDays, amount, cost, "Catch-up " + sub + " " + partner, status,
                "POSTED".equals(status) ? 99L : null);
        return jdbc.queryForObject("SELECT catch_up_id FROM invoiced_catch_up WHERE partner_id = ? AND subscription_id = ?", Long.class,
                partner, sub);
    }

    @Test
    void r32r27LateSaleSettledByAPostedAdjustmentReconcilesWithNothingPosted() throws Exception {
        // Sold on 9 March for 5 licences from 1 February, after ConnectWise invoiced February: the base line starts on
        // 1 March (R27) and February is billed by the catch-up adjustment 145 licence-days × 22.00 / 29 = 110.00.
        marketplaceOnly("sub-late");
        line("sub-late", "BASE", "5", "18.70", "22.00", "2024-03-01", null);
        februaryCatchUp("sub-late", "145", "2024-02-01", "2024-02-29", "110.00", "93.50", "POSTED");
        postInvoices("[" + invoice("sub-late", 30, "SAAS", "RESELLER", "2024-02", "5", "93.50") + ","
                + invoice("sub-late", 30, "SAAS", "CUSTOMER", "2024-02", "5", "110.00") + "]");
        februaryReconcilesWithNothingPosted("sub-late", "5", "93.50", "110.00");
        assertThat(additions()).as("February is billed once, by the adjustment").hasSize(1);
    }

    /** The daily run of 10 March: February's row RECONCILED with these PSA values, nothing written to ConnectWise. */
    private void februaryReconcilesWithNothingPosted(String sub, String quantity, String cost, String price) {
        sandbox.resetCalls();
        runOn("2024-03-10");
        Map<String, Object> row = row(sub);
        assertThat(row).as(String.valueOf(row)).containsEntry("status", "RECONCILED");
        assertThat((BigDecimal) row.get("psa_quantity")).isEqualByComparingTo(quantity);
        assertThat((BigDecimal) row.get("psa_cost")).isEqualByComparingTo(cost);
        assertThat((BigDecimal) row.get("psa_price")).isEqualByComparingTo(price);
        assertThat(additionWrites()).isEmpty();
    }

    @Test
    void r32r27LateCancellationCreditedByAPostedAdjustmentReconcilesWithNothingPosted() throws Exception {
        // 10 licences cancelled as of 20 February, reported after February was invoiced: the lines end on 29 February and
        // the catch-up credits −100 licence-days (−75.86 price, −64.48 cost); ConnectWise bills 220.00 − 75.86 = 144.14.
        marketplaceOnly("sub-lc");
        line("sub-lc", "BASE", "10", "18.70", "22.00", "2024-01-01", "2024-02-29");
        februaryCatchUp("sub-lc", "-100", "2024-02-20", "2024-02-29", "-75.86", "-64.48", "POSTED");
        postInvoices("[" + invoice("sub-lc", 30, "SAAS", "RESELLER", "2024-02", "0", "122.52") + ","
                + invoice("sub-lc", 30, "SAAS", "CUSTOMER", "2024-02", "0", "144.14") + "]");
        // the cancelled days are credited once
        februaryReconcilesWithNothingPosted("sub-lc", "6.5517", "122.52", "144.14");
    }

    @Test
    void r32r27APostedDeltaSettlesTheMonthsListedCatchUpSoItCannotBePostedAgain() throws Exception {
        // Rule REVIEW: the late sale's catch-up (110.00) is LISTED for a person, ConnectWise does not bill February, so the
        // run posts the delta itself; the catch-up is settled by that post and its post endpoint refuses it.
        marketplaceOnly("sub-lr");
        line("sub-lr", "BASE", "5", "18.70", "22.00", "2024-03-01", null);
        long catchUp = februaryCatchUp("sub-lr", "145", "2024-02-01", "2024-02-29", "110.00", "93.50", "LISTED");
        postInvoices("[" + invoice("sub-lr", 30, "SAAS", "RESELLER", "2024-02", "5", "93.50") + ","
                + invoice("sub-lr", 30, "SAAS", "CUSTOMER", "2024-02", "5", "110.00") + "]");
        runOn("2024-03-10");
        Map<String, Object> row = row("sub-lr");
        assertThat(row).as(String.valueOf(row)).containsEntry("status", "PENDING_REVIEW");
        assertThat((BigDecimal) row.get("delta_price")).as("a listed catch-up is not billed").isEqualByComparingTo("110.00");
        assertThat(row.get("auto_posted_at")).isNotNull();
        assertThat((String) row.get("reason")).contains("catch-up " + catchUp + " settled by it");
        Map<String, Object> settled = jdbc.queryForMap("SELECT status, message FROM invoiced_catch_up WHERE catch_up_id = ?", catchUp);
        assertThat(settled).containsEntry("status", "RESOLVED");
        assertThat((String) settled.get("message")).startsWith("Settled by billing reconciliation " + id("sub-lr") + " (2024-02)");
        sandbox.resetCalls();
        ResponseEntity<String> post = api.post().uri("/api/v1/partners/{p}/catch-ups/{id}/post", partner, catchUp)
                .retrieve().onStatus(s -> true, (req, res) -> { }).toEntity(String.class);
        assertThat(post.getStatusCode().value()).as(post.getBody()).isEqualTo(409);
        assertThat(sandbox.callsByEndpoint().keySet()).noneMatch(k -> k.contains("/adjustments") && k.startsWith("POST"));
        ResponseEntity<String> review = api.get().uri("/api/v1/partners/{p}/catch-ups?status=LISTED", partner).retrieve().toEntity(String.class);
        assertThat(mapper.readTree(review.getBody())).as("it left the review list").isEmpty();

        // Rejecting the post takes its charges back: the catch-up is listed again, so February is not left billed by neither.
        JsonNode rejected = mapper.readTree(decide("sub-lr", "reject").getBody());
        assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
        assertThat(rejected.path("reason").asText()).contains("catch-up " + catchUp + " listed again");
        Map<String, Object> again = jdbc.queryForMap("SELECT status, message FROM invoiced_catch_up WHERE catch_up_id = ?", catchUp);
        assertThat(again).containsEntry("status", "LISTED");
        assertThat((String) again.get("message")).startsWith("Listed again: the charges of billing reconciliation " + id("sub-lr"));
        assertThat(mapper.readTree(api.get().uri("/api/v1/partners/{p}/catch-ups?status=LISTED", partner).retrieve()
                .toEntity(String.class).getBody())).hasSize(1);
    }

    /**
     * R32 × R27 (a probe's finding): a catch-up POSTING (its adjustment claimed and sent, the answer lost: in flight or in
     * doubt) is neither counted as billed nor settled, so the automatic post used to bill February's 110.00 as a delta while
     * the catch-up's next attempt posts the same days as an adjustment. Now the month waits (FAILED_REVIEW, checked again)
     * until the adjustment is known: once ConnectWise holds it, the catch-up is POSTED and the month reconciles, nothing posted.
     */
    @Test
    void r32r27ACatchUpBeingPostedHoldsTheMonthUntilItsAdjustmentIsKnownSoTheDaysAreNotBilledTwice() throws Exception {
        marketplaceOnly("sub-ip");
        line("sub-ip", "BASE", "5", "18.70", "22.00", "2024-03-01", null);
        long catchUp = februaryCatchUp("sub-ip", "145", "2024-02-01", "2024-02-29", "110.00", "93.50", "POSTING");
        jdbc.update("UPDATE invoiced_catch_up SET attempts = 1, message = 'will retry: ConnectWise: 503' WHERE catch_up_id = ?", catchUp);
        postInvoices("[" + invoice("sub-ip", 30, "SAAS", "RESELLER", "2024-02", "5", "93.50") + ","
                + invoice("sub-ip", 30, "SAAS", "CUSTOMER", "2024-02", "5", "110.00") + "]");
        sandbox.resetCalls();
        runOn("2024-03-10");
        Map<String, Object> held = row("sub-ip");
        assertThat(held).as(String.valueOf(held)).containsEntry("status", "FAILED_REVIEW");
        assertThat((String) held.get("reason")).contains("catch-up " + catchUp + " is being posted");
        assertThat(held.get("auto_posted_at")).isNull();
        assertThat(additionWrites()).as("no delta for the days the adjustment bills").isEmpty();
        assertThat(jdbc.queryForObject("SELECT status FROM invoiced_catch_up WHERE catch_up_id = ?", String.class, catchUp))
                .isEqualTo("POSTING");

        // A row left FAILED by an automatic post (ConnectWise down) is not posted by Accept either while the catch-up is POSTING.
        jdbc.update("UPDATE billing_reconciliation SET status = 'FAILED', delta_cost = 93.50, delta_price = 110.00, agreement_id = ?,"
                + " catalog_item_id = ? WHERE partner_id = ? AND subscription_id = 'sub-ip'", agreement, catalogItem, partner);
        ResponseEntity<String> accept = api.post().uri("/api/v1/partners/{p}/reconciliation/{id}/accept", partner, id("sub-ip"))
                .retrieve().onStatus(s -> true, (req, res) -> { }).toEntity(String.class);
        assertThat(accept.getStatusCode().value()).as(accept.getBody()).isEqualTo(409);
        assertThat(accept.getBody()).contains("catch-up " + catchUp + " of the month is being posted");
        assertThat(additionWrites()).isEmpty();
        jdbc.update("UPDATE billing_reconciliation SET status = 'FAILED_REVIEW' WHERE partner_id = ? AND subscription_id = 'sub-ip'",
                partner);

        // The earlier attempt had landed: the next run finds the adjustment, records the catch-up POSTED and counts it.
        long adjustment = client.create(cw, "finance/agreements/" + agreement + "/adjustments", Map.of("amount", new BigDecimal("110.00"),
                "description", "Catch-up sub-ip " + partner, "effectiveDate", "2024-03-01T00:00:00Z"), null).path("id").asLong();
        sandbox.resetCalls();
        runOn("2024-03-11");
        Map<String, Object> reconciled = row("sub-ip");
        assertThat(reconciled).as(String.valueOf(reconciled)).containsEntry("status", "RECONCILED");
        assertThat((BigDecimal) reconciled.get("psa_price")).isEqualByComparingTo("110.00");
        assertThat(additionWrites()).isEmpty();
        assertThat(jdbc.queryForMap("SELECT status, adjustment_id FROM invoiced_catch_up WHERE catch_up_id = ?", catchUp))
                .containsEntry("status", "POSTED").containsEntry("adjustment_id", adjustment);
        assertThat(client.getAll(cw, "finance/agreements/" + agreement + "/adjustments", null)).hasSize(1);
    }

    /**
     * R32, migration V39: a month left FAILED by the post of an unmapped subscription (before it became FAILED_REVIEW) is
     * never checked again; the migration's statement moves exactly those rows, by their reason, to FAILED_REVIEW, which the
     * daily run checks again: here the subscription is mapped and billed since, so the month reconciles.
     */
    @Test
    void r32V39MovesTheOldUnmappedFailedRowsToFailedReviewSoTheyAreCheckedAgain() throws Exception {
        for (String sub : List.of("sub-old", "sub-refused")) {
            marketplaceOnly(sub);
            line(sub, "BASE", "5", "18.70", "22.00", "2024-01-14", null);
        }
        postInvoices("[" + invoice("sub-old", 30, "SAAS", "RESELLER", "2024-02", "5", "93.50") + ","
                + invoice("sub-old", 30, "SAAS", "CUSTOMER", "2024-02", "5", "110.00") + ","
                + invoice("sub-refused", 30, "SAAS", "RESELLER", "2024-02", "5", "93.50") + ","
                + invoice("sub-refused", 30, "SAAS", "CUSTOMER", "2024-02", "5", "110.00") + "]");
        runOn("2024-03-10");
        // as the bundle left them before the fix: the whole invoice as delta, FAILED; and a FAILED row of another cause
        String old = "Posting to ConnectWise failed: the subscription has no agreement or product to post the delta on";
        jdbc.update("UPDATE billing_reconciliation SET status = 'FAILED', reason = ?, psa_quantity = 0, psa_cost = 0, psa_price = 0,"
                + " delta_cost = 93.50, delta_price = 110.00 WHERE partner_id = ? AND subscription_id = 'sub-old'", old, partner);
        String refused = "Posting to ConnectWise failed: 400 the agreement is cancelled";
        jdbc.update("UPDATE billing_reconciliation SET status = 'FAILED', reason = ? WHERE partner_id = ? AND subscription_id = 'sub-refused'",
                refused, partner);

        jdbc.execute(new String(new org.springframework.core.io.ClassPathResource(
                "db/migration/V39__reconciliation_unmapped_failed_to_review.sql").getInputStream().readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8));

        Map<String, Object> moved = row("sub-old");
        assertThat(moved).containsEntry("status", "FAILED_REVIEW").containsEntry("delta_cost", null).containsEntry("psa_price", null);
        assertThat((String) moved.get("reason")).startsWith("ConnectWise values could not be read").endsWith("(was FAILED: " + old + ")");
        assertThat(statusChanges("sub-old")).endsWith("FAILED>FAILED_REVIEW");
        assertThat(row("sub-refused")).containsEntry("status", "FAILED").containsEntry("reason", refused);
        assertThat(statusChanges("sub-refused")).noneMatch(c -> c.endsWith(">FAILED_REVIEW"));

        runOn("2024-03-11");
        assertThat(row("sub-old")).as(String.valueOf(row("sub-old"))).containsEntry("status", "RECONCILED");
        assertThat(row("sub-refused")).containsEntry("status", "FAILED");
    }

    @Test
    void r32v2AUnitCostThatAlreadyGivesTheInvoicedCostIsNotPatched() throws Exception {
        // 1 licence from 27 February at 37.00 / 45.00: 3 × 37.00 / 29 = 3.83 and 3 × 45.00 / 29 = 4.66, the invoices.
        marketplaceOnly("sub-37");
        long line = line("sub-37", "BASE", "1", "37.00", "45.00", "2024-02-27", null);
        postInvoices("[" + invoice("sub-37", 30, "SAAS", "RESELLER", "2024-02", "1", "3.83") + ","
                + invoice("sub-37", 30, "SAAS", "CUSTOMER", "2024-02", "1", "4.66") + "]");
        sandbox.resetCalls();
        runOn("2024-03-10");
        assertThat(row("sub-37")).containsEntry("status", "RECONCILED");
        assertThat(addition(line).path("unitCost").decimalValue()).isEqualByComparingTo("37.00");
        assertThat(additionWrites()).as("no rounding artefact written (was 37.04)").isEmpty();
        assertThat(operations("sub-37")).isEmpty();
    }

    @Test
    void r32AnUnmappedSubscriptionIsFailedReviewAndCheckedAgainOnceMapped() throws Exception {
        // The customer is not mapped yet (its task waits in NEEDS_MAPPING): no agreement, no product, no line.
        String payload = """
                {"subscription":{"id":"sub-um","kind":"SAAS","startDate":"2024-01-14","customer":{"id":"90002","name":"Unmapped Ltd"},
                 "product":{"id":"P-UM","providerId":30,"provider":"Microsoft CSP","plan":"Office 365 E1"}}}""";
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (?, ?, 'sub-um', 'SALES_ORDER', 'NEW', '2024-01-14T09:00:00Z', CAST(? AS jsonb), 'HTTP')""",
                partner + "-sub-um", partner, payload);
        postInvoices("[" + invoice("sub-um", 30, "SAAS", "RESELLER", "2024-02", "6", "112.20") + ","
                + invoice("sub-um", 30, "SAAS", "CUSTOMER", "2024-02", "6", "132.00") + "]");
        sandbox.resetCalls();
        runOn("2024-03-10");
        Map<String, Object> row = row("sub-um");
        assertThat(row).as(String.valueOf(row)).containsEntry("status", "FAILED_REVIEW");
        assertThat((String) row.get("reason")).contains("could not be read").contains("no agreement or product mapping");
        assertThat(row.get("delta_cost")).as("no invoice-sized discrepancy").isNull();
        assertThat(additionWrites()).isEmpty();
        ResponseEntity<String> accept = decide("sub-um", "accept");
        assertThat(accept.getStatusCode().value()).as(accept.getBody()).isEqualTo(409);

        // A row left FAILED with no target (as before this fix): Accept says why instead of 200 doing nothing.
        jdbc.update("UPDATE billing_reconciliation SET status = 'FAILED', delta_cost = 112.20, delta_price = 132.00"
                + " WHERE partner_id = ? AND subscription_id = 'sub-um'", partner);
        ResponseEntity<String> failed = decide("sub-um", "accept");
        assertThat(failed.getStatusCode().value()).as(failed.getBody()).isEqualTo(409);
        assertThat(failed.getHeaders().getContentType().toString()).contains("problem+json");
        assertThat(failed.getBody()).contains("no agreement or product");
        assertThat(row("sub-um")).containsEntry("status", "FAILED");
        jdbc.update("UPDATE billing_reconciliation SET status = 'FAILED_REVIEW', delta_cost = NULL, delta_price = NULL"
                + " WHERE partner_id = ? AND subscription_id = 'sub-um'", partner);

        // Mapped and synced: 6 licences all February at 18.70 / 22.00 = 112.20 / 132.00; the next run checks it again.
        jdbc.update("INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id) VALUES (?, 'sub-um', ?)", partner, agreement);
        line("sub-um", "BASE", "6", "18.70", "22.00", "2024-01-14", null);
        sandbox.resetCalls();
        runOn("2024-03-11");
        assertThat(row("sub-um")).containsEntry("status", "RECONCILED");
        assertThat(additionWrites()).isEmpty();
    }

    @Test
    void r32IaasBeforeItsInvoiceShowsPsaQuantity1Cost0Price0() throws Exception {
        subscription("sub-iaas-p", 30, "IAAS", "1", "80.00", "100.00");
        runOn("2024-03-10");
        Map<String, Object> row = row("sub-iaas-p");
        assertThat(row).as(String.valueOf(row)).containsEntry("status", "PENDING").containsEntry("missing_invoice", "BOTH");
        assertThat((BigDecimal) row.get("psa_quantity")).isEqualByComparingTo("1");
        assertThat((BigDecimal) row.get("psa_cost")).isEqualByComparingTo("0");
        assertThat((BigDecimal) row.get("psa_price")).isEqualByComparingTo("0");
    }

    /** A subscription's sale event as the pipeline stores it, with its currency and billing cycle, and its mapping. */
    private void marketplaceEvent(String sub, String startDate, String currency, String cycle) {
        String payload = """
                {"subscription":{"id":"%s","kind":"SAAS","startDate":"%s","currency":"%s","billingCycle":"%s",
                 "customer":{"id":"1","name":"Dunco Fruit Supply"},
                 "product":{"id":"P","providerId":30,"provider":"Microsoft CSP","plan":"Office 365 E1"}}}"""
                .formatted(sub, startDate, currency, cycle);
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (?, ?, ?, 'SALES_ORDER', 'NEW', CAST(? AS timestamptz), CAST(? AS jsonb), 'HTTP')""",
                partner + "-" + sub, partner, sub, startDate + "T09:00:00Z", payload);
        jdbc.update("INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id) VALUES (?, ?, ?)", partner, sub, agreement);
    }

    @Test
    void r32r5AYearlySubscriptionIsComparedWithWhatItsAgreementYearBills() throws Exception {
        // Probe 46 F9: 2 × 264.00 / 224.40 yearly from 16 December 2024 on a yearly agreement from 1 December 2024; the
        // distributor invoices the year in December (reseller 448.80, customer 528.00).
        agreement = tenant.agreement(company, "Chairs yearly",
                new io.cwbridge.testsupport.Tenant.Terms("Cloud", "Yearly", "USD", "2024-12-01", "2024-12-01", true, null));
        String sub = "sub-yearly";
        marketplaceEvent(sub, "2024-12-16", "USD", "YEARLY");
        long base = line(sub, "BASE", "2", "224.40", "264.00", "2024-12-16", "2025-12-15");
        postInvoices("[" + invoice(sub, 30, "SAAS", "RESELLER", "2024-12", "2", "448.80") + ","
                + invoice(sub, 30, "SAAS", "CUSTOMER", "2024-12", "2", "528.00") + "]");
        sandbox.resetCalls();
        runOn("2025-01-10");
        Map<String, Object> row = row(sub);
        // ConnectWise bills the agreement year 2024-12-01..2025-11-30 once: 350 of its 365 days (was 16/31 of December)
        assertThat((BigDecimal) row.get("psa_price")).as(String.valueOf(row)).isEqualByComparingTo("506.30");
        assertThat((BigDecimal) row.get("psa_cost")).isEqualByComparingTo("430.36");
        assertThat((BigDecimal) row.get("delta_price")).as("the first agreement year's 15 days without the line, not 255.48")
                .isEqualByComparingTo("21.70");
        assertThat((BigDecimal) row.get("delta_cost")).isEqualByComparingTo("18.44");
        assertThat(addition(base).path("unitCost").decimalValue()).as("a yearly unit cost: 448.80 / 2 (was 434.78)")
                .isEqualByComparingTo("224.40");
        assertThat(additionWrites()).as("no unit cost patch; one delta line").containsExactly(Map.entry(POST, 1L));
        JsonNode delta = additions().stream().filter(a -> a.path("id").asLong() != base).findFirst().orElseThrow();
        assertThat(delta.path("unitPrice").decimalValue()).isEqualByComparingTo("21.70");
        // one agreement year from N (never invoiced: its billing start), so ConnectWise bills it once, in full
        assertThat(delta.path("effectiveDate").asText()).startsWith("2024-12-01");
        assertThat(delta.path("cancelledDate").asText()).startsWith("2025-11-30");

        // The console's billed revenue (MonthlyRevenue) counts the line the same way: 506.30 in December, 0.00 in January
        MonthlyRevenue.Revenue revenue = monthlyRevenue.of(partner, java.time.YearMonth.of(2025, 1), 2);
        assertThat(revenue.currencies()).singleElement().satisfies(c -> assertThat(c.months())
                .extracting(MonthlyRevenue.Month::billed).map(BigDecimal::toPlainString).containsExactly("506.30", "0.00"));

        // January: the yearly line bills nothing in it (was 528.00 "billed in the month" every month)
        postInvoices("[" + invoice(sub, 30, "SAAS", "RESELLER", "2025-01", "2", "0.00") + ","
                + invoice(sub, 30, "SAAS", "CUSTOMER", "2025-01", "2", "0.00") + "]");
        runOn("2025-02-10");
        List<Map<String, Object>> january = jdbc.queryForList("SELECT * FROM billing_reconciliation WHERE partner_id = ? AND"
                + " subscription_id = ? AND period_start = '2025-01-01'", partner, sub);
        assertThat(january).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("status", "RECONCILED");
            assertThat((BigDecimal) r.get("psa_price")).isEqualByComparingTo("0.00");
        });
    }

    @Test
    void r32r27TheDeltaLineStartsOnTheNextInvoiceDateWhenTheCurrentMonthIsInvoiced() throws Exception {
        // Probe 46 F2: a non-prorating agreement invoiced through March (billing in advance), February reconciled on 12 March
        syncRules("{\"syncUnitCost\":false}");
        subscription("sub-n", 30, "SAAS", "3", "18.70", "22.00");
        sandbox.invoice(agreement, "2024-03-31");
        postInvoices("[" + invoice("sub-n", 30, "SAAS", "RESELLER", "2024-02", "3", "56.10") + ","
                + invoice("sub-n", 30, "SAAS", "CUSTOMER", "2024-02", "3", "70.00") + "]");
        runOn("2024-03-12");
        Map<String, Object> row = row("sub-n");
        assertThat(row).as(String.valueOf(row)).containsEntry("status", "PENDING_REVIEW"); // was FAILED: "already been invoiced"
        assertThat(row.get("auto_posted_at")).isNotNull();
        JsonNode delta = addition(((Number) row.get("addition_id")).longValue());
        assertThat(delta.path("unitPrice").decimalValue()).isEqualByComparingTo("4.00");
        assertThat(delta.path("effectiveDate").asText()).startsWith("2024-04-01");
        assertThat(delta.path("cancelledDate").asText()).startsWith("2024-04-30");
        assertThat(ConnectWiseWrites.deltaDates(io.cwbridge.rules.reconciliation.BillingTerms.monthly(java.time.LocalDate.parse("2024-02-01")),
                java.time.LocalDate.parse("2024-03-12"))).as("N earlier: the current month, as before")
                .isEqualTo(new ConnectWiseWrites.Dates(java.time.LocalDate.parse("2024-03-01"), java.time.LocalDate.parse("2024-03-31")));
    }

    @Test
    void r32AnInvoiceInAnotherCurrencyIsNotReconciledAndNothingIsWritten() throws Exception {
        // Probe 46 F10: a USD subscription, invoices in EUR
        String sub = "sub-eur";
        // the invoice lines came before the subscription's event: intake could not know its currency
        postInvoices("[" + invoice(sub, 30, "SAAS", "RESELLER", "2024-02", "2", "34.50").replace("\"USD\"", "\"EUR\"") + ","
                + invoice(sub, 30, "SAAS", "CUSTOMER", "2024-02", "2", "40.60").replace("\"USD\"", "\"EUR\"") + "]");
        marketplaceEvent(sub, "2024-01-14", "USD", "MONTHLY");
        long base = line(sub, "BASE", "2", "18.70", "22.00", "2024-01-14", null);
        // now it knows: a EUR line of the USD subscription is refused at intake, field currency
        ResponseEntity<String> refused = post("/api/v1/invoices",
                invoice(sub, 30, "SAAS", "RESELLER", "2024-03", "2", "34.50").replace("\"USD\"", "\"EUR\""));
        assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(400);
        assertThat(refused.getBody()).contains("\"currency\"").contains("is EUR, but subscription sub-eur bills in USD");
        sandbox.resetCalls();
        runOn("2024-03-10");
        Map<String, Object> row = row(sub);
        assertThat(row).as(String.valueOf(row)).containsEntry("status", "FAILED_REVIEW");
        assertThat((String) row.get("reason")).startsWith("Invoice in EUR, the subscription and ConnectWise bill USD");
        assertThat(row.get("delta_price")).isNull();
        assertThat(additionWrites()).as("no unit cost 17.25, no credit of -3.40").isEmpty();
        assertThat(addition(base).path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(operations(sub)).isEmpty();
    }

    @Test
    void r32v2r26TheFinalCostIsNotHalfAppliedWhenTheBaseLineIsInvoiced() throws Exception {
        // Probe 46 F1 (one product): the base is invoiced (before N = 15 February), the +2 of 15 February is not: neither is
        // patched (was: the +2 at 18.00, the base refused at 18.70); the cost difference goes on the delta line
        long base = subscription("sub-h", 30, "SAAS", "10", "18.70", "22.00");
        long delta = line("sub-h", "DELTA", "2", "18.70", "22.00", "2024-02-15", "2024-02-29");
        sandbox.invoice(agreement, "2024-02-14");
        postInvoices("[" + invoice("sub-h", 30, "SAAS", "RESELLER", "2024-02", "12", "198.62") + ","
                + invoice("sub-h", 30, "SAAS", "CUSTOMER", "2024-02", "12", "242.76") + "]");
        sandbox.resetCalls();
        runOn("2024-03-10");
        assertThat(addition(base).path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(addition(delta).path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(additionWrites()).as("no PATCH, one delta line").containsExactly(Map.entry(POST, 1L));
        Map<String, Object> row = row("sub-h");
        assertThat((BigDecimal) row.get("delta_cost")).isEqualByComparingTo("-7.72"); // 198.62 − 11.0345 × 18.70
        assertThat(operations("sub-h")).containsExactly("DELTA_LINE:DONE");
    }

    @Test
    void r32AcceptOfAnAutomaticPostWhoseLineIsGonePostsItAgain() throws Exception {
        // Probe 46 F8: the auto-posted delta line was deleted in ConnectWise before the accept
        syncRules("{\"syncUnitCost\":false}");
        subscription("sub-g", 30, "SAAS", "3", "18.70", "22.00");
        postInvoices("[" + invoice("sub-g", 30, "SAAS", "RESELLER", "2024-02", "3", "56.10") + ","
                + invoice("sub-g", 30, "SAAS", "CUSTOMER", "2024-02", "3", "70.00") + "]");
        runOn("2024-03-10");
        long posted = ((Number) row("sub-g").get("addition_id")).longValue();
        client.delete(cw, "finance/agreements/" + agreement + "/additions/" + posted);
        ResponseEntity<String> accepted = decide("sub-g", "accept");
        JsonNode body = mapper.readTree(accepted.getBody());
        assertThat(body.path("status").asText()).as(accepted.getBody()).isEqualTo("RECONCILED");
        assertThat(body.path("reason").asText()).contains("(addition " + posted + ") is no longer in ConnectWise; posted again");
        List<JsonNode> lines = additions().stream()
                .filter(a -> a.path("description").asText().startsWith("Billing reconciliation 2024-02 | Subscription sub-g")).toList();
        assertThat(lines).singleElement().satisfies(a -> {
            assertThat(a.path("unitPrice").decimalValue()).isEqualByComparingTo("4.00");
            assertThat(row("sub-g").get("addition_id")).isEqualTo(a.path("id").asLong());
        });
        // a line that stands is confirmed without a write (as before)
        sandbox.resetCalls();
        assertThat(mapper.readTree(decide("sub-g", "accept").getBody()).path("status").asText()).isEqualTo("RECONCILED");
        assertThat(additionWrites()).isEmpty();
    }

    @Test
    void r32v2RejectSaysTheFinalUnitCostStays() throws Exception {
        // Probe 46 F6, decided with SPEC §6 R32 v2: the final reseller cost updates the unit cost when the reseller invoice
        // comes; only the final charges are open to Accept / Reject. The reject takes the charges back and says the cost stays.
        long base = subscription("sub-k", 30, "SAAS", "5", "18.70", "22.00");
        postInvoices("[" + invoice("sub-k", 30, "SAAS", "RESELLER", "2024-02", "5", "95.00") + ","
                + invoice("sub-k", 30, "SAAS", "CUSTOMER", "2024-02", "5", "112.00") + "]");
        runOn("2024-03-10");
        assertThat(addition(base).path("unitCost").decimalValue()).isEqualByComparingTo("19.00");
        JsonNode body = mapper.readTree(decide("sub-k", "reject").getBody());
        assertThat(body.path("status").asText()).isEqualTo("REJECTED");
        assertThat(body.path("reason").asText()).contains("the charges posted automatically were taken back")
                .endsWith("the final unit cost from the reseller invoice stays (19.00 on addition " + base + "; the partner's cost, not a charge)");
        assertThat(additions()).hasSize(1);
    }

    @Test
    void r32v2r26AFinalCostPatchRefusedHalfWayIsTakenBackOnTheLinesAlreadyPatched() throws Exception {
        // Probe 46 F1 (never half-apply): ConnectWise refuses the second line's patch; the first gets its cost back
        long base = subscription("sub-b", 30, "SAAS", "10", "18.70", "22.00");
        long delta = line("sub-b", "DELTA", "2", "18.70", "22.00", "2024-02-15", "2024-02-29");
        sandbox.fault(Map.of("status", 400, "count", 1, "method", "PATCH", "pathContains", "/additions/" + delta));
        postInvoices("[" + invoice("sub-b", 30, "SAAS", "RESELLER", "2024-02", "12", "198.62") + "]");
        runOn("2024-03-10");
        assertThat(addition(base).path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(addition(delta).path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(operations("sub-b")).containsExactly("FINAL_UNIT_COST:DONE", "FINAL_UNIT_COST:FAILED", "UNDO_FINAL_UNIT_COST:DONE");
        // the global sync does not take a cost put back for the partner's final cost
        assertThat(finalCosts.finalUnitCosts(partner, "sub-b")).isEmpty();
    }
}
