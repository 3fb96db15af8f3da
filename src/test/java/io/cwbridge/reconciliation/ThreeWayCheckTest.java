package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.JsonPatchOperation;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * R34 on the real parts (app, database, sandbox over HTTP): a tenant with one mismatch of each kind
 * planted in April 2024, and a tenant whose mid-month increase reconciles with no mismatch.
 */
class ThreeWayCheckTest extends ReconciliationTestBase {

    @org.springframework.beans.factory.annotation.Autowired ThreeWaySummary summary;

    /** The marketplace's events of a subscription: a sale on 2024-01-14 and, when given, a licence change. */
    private void marketplace(String sub, String customerId, String customer, int quantity, String unitPrice, String unitCost,
                             String changeDay, Integer changedTo) {
        String payload = """
                {"subscription":{"id":"%s","kind":"SAAS","startDate":"2024-01-14","quantity":%d,"unitPrice":%s,"unitCost":%s,
                 "customer":{"id":"%s","name":"%s"},
                 "product":{"id":"PROD-1","providerId":30,"provider":"Microsoft CSP","plan":"Microsoft 365 Business Premium"}}}""";
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (?, ?, ?, 'SALES_ORDER', 'NEW', '2024-01-14T09:00:00Z', CAST(? AS jsonb), 'HTTP')""",
                partner + "-" + sub, partner, sub, payload.formatted(sub, quantity, unitPrice, unitCost, customerId, customer));
        if (changeDay != null) {
            jdbc.update("""
                    INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                    VALUES (?, ?, ?, 'CHANGE_ORDER', 'LICENSE_INCREASE', CAST(? AS timestamptz), CAST(? AS jsonb), 'HTTP')""",
                    partner + "-" + sub + "-2", partner, sub, changeDay + "T08:00:00Z",
                    payload.formatted(sub, changedTo, unitPrice, unitCost, customerId, customer));
        }
        jdbc.update("INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id) VALUES (?, ?, ?)", partner, sub, agreement);
    }

    /** Another stored event of the subscription (table subscription_event), its payload as given. */
    private void storedEvent(String sub, String type, String action, String occurredAt, String payload) {
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (?, ?, ?, ?, ?, CAST(? AS timestamptz), CAST(? AS jsonb), 'HTTP')""",
                partner + "-" + sub + "-" + action, partner, sub, type, action, occurredAt, payload);
    }

    private String resellerInvoice(String sub, String quantity, String amount) {
        return invoice(sub, 30, "SAAS", "RESELLER", "2024-04", quantity, amount);
    }

    private JsonNode report(String month) throws Exception {
        ResponseEntity<String> r = api.get().uri("/api/v1/partners/{p}/three-way?month={m}", partner, month).retrieve().toEntity(String.class);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
        return mapper.readTree(r.getBody());
    }

    @Test
    void plantedMismatchesOneOfEachKindAreFoundExactly() throws Exception {
        // In order: reconciles (mid-month increase with its delta line), under-billed, over-billed, missing, not on invoice,
        // a hand-edited unit price, a unit cost that drifted.
        marketplace("s1-ok", "100", "Chairs Unlimited", 10, "22.00", "18.70", "2024-04-11", 12);
        line("s1-ok", "BASE", "10", "18.70", "22.00", "2024-01-14", null);
        line("s1-ok", "DELTA", "2", "18.70", "22.00", "2024-04-11", null);
        marketplace("s2-under", "100", "Chairs Unlimited", 10, "22.00", "18.70", null, null);
        line("s2-under", "BASE", "8", "18.70", "22.00", "2024-01-14", null);
        marketplace("s3-over", "100", "Chairs Unlimited", 5, "22.00", "18.70", null, null);
        line("s3-over", "BASE", "6", "18.70", "22.00", "2024-01-14", null);
        marketplace("s4-missing", "200", "Dunco Fruit Supply", 3, "22.00", "18.70", null, null);
        marketplace("s5-noinvoice", "200", "Dunco Fruit Supply", 10, "22.00", "18.70", null, null);
        line("s5-noinvoice", "BASE", "10", "18.70", "22.00", "2024-01-14", null);
        marketplace("s6-price", "200", "Dunco Fruit Supply", 4, "22.00", "18.70", null, null);
        long edited = line("s6-price", "BASE", "4", "18.70", "22.00", "2024-01-14", null);
        client.patch(cw, "finance/agreements/" + agreement + "/additions/" + edited, List.of(JsonPatchOperation.replace("unitPrice", 25.00)));
        marketplace("s7-cost", "200", "Dunco Fruit Supply", 5, "22.00", "18.70", null, null);
        line("s7-cost", "BASE", "5", "17.70", "22.00", "2024-01-14", null);
        postInvoices("[" + resellerInvoice("s1-ok", "11.3333", "211.93") + "," + resellerInvoice("s2-under", "10", "187.00") + ","
                + resellerInvoice("s3-over", "5", "93.50") + "," + resellerInvoice("s4-missing", "3", "56.10") + ","
                + resellerInvoice("s6-price", "4", "74.80") + "," + resellerInvoice("s7-cost", "5", "93.50") + "]");
        sandbox.resetCalls();

        JsonNode report = report("2024-04");

        assertThat(sandbox.callsByEndpoint()).as("one additions read for the one agreement")
                .containsExactly(Map.entry("GET /finance/agreements/{parentId}/additions", 1L));
        List<String> found = new ArrayList<>();
        report.path("rows").forEach(r -> found.add(r.path("subscriptionId").asText() + " " + r.path("mismatch").asText() + " "
                + r.path("amount").decimalValue().setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString()));
        assertThat(found).containsExactly("s2-under UNDER_BILLED 44.00", "s3-over OVER_BILLED 22.00", "s4-missing MISSING_IN_CONNECTWISE 66.00",
                "s5-noinvoice NOT_ON_INVOICE 220.00", "s6-price PRICE_DRIFT 12.00", "s7-cost COST_DRIFT 5.00");
        assertThat(report.path("subscriptions").asInt()).isEqualTo(7);
        assertThat(report.path("mismatches").asInt()).isEqualTo(6);
        JsonNode first = report.path("rows").get(0);
        assertThat(first.path("customerName").asText()).isEqualTo("Chairs Unlimited");
        assertThat(first.path("planName").asText()).isEqualTo("Microsoft 365 Business Premium");
        assertThat(first.path("marketplaceQuantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(first.path("connectWiseQuantity").decimalValue()).isEqualByComparingTo("8");
        JsonNode price = report.path("rows").get(4);
        assertThat(price.path("connectWiseUnit").decimalValue()).as("the hand edit").isEqualByComparingTo("25.00");
        assertThat(price.path("marketplaceUnit").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(report.path("totals").path("UNDER_BILLED").decimalValue()).isEqualByComparingTo("44.00");
        assertThat(report.path("totals").path("OVER_BILLED").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(report.path("customers")).hasSize(2);
        JsonNode chairs = report.path("customers").get(0);
        assertThat(chairs.path("customerName").asText()).isEqualTo("Chairs Unlimited");
        assertThat(chairs.path("mismatches").asInt()).isEqualTo(2);
        JsonNode dunco = report.path("customers").get(1);
        assertThat(dunco.path("mismatches").asInt()).isEqualTo(4);
        assertThat(dunco.path("totals").path("NOT_ON_INVOICE").decimalValue()).isEqualByComparingTo("220.00");
        assertThat(dunco.path("totals").path("UNDER_BILLED").decimalValue()).isEqualByComparingTo("0");

        // CSV: exactly the JSON's rows.
        ResponseEntity<String> csv = api.get().uri("/api/v1/partners/{p}/three-way?month=2024-04", partner)
                .header("Accept", "text/csv").retrieve().toEntity(String.class);
        assertThat(csv.getStatusCode().value()).isEqualTo(200);
        assertThat(csv.getHeaders().getContentType().toString()).startsWith("text/csv");
        List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv.getBody())).getRecords();
        List<String> csvRows = records.stream().map(r -> r.get("subscriptionId") + " " + r.get("mismatch") + " " + r.get("amount")).toList();
        assertThat(csvRows).containsExactlyElementsOf(found);
        assertThat(records.get(0).get("customerName")).isEqualTo("Chairs Unlimited");
        assertThat(records.get(0).getParser().getHeaderNames()).containsExactlyElementsOf(ThreeWayCsv.HEADER);
        String raw = api.get().uri("/api/v1/partners/{p}/three-way?month=2024-04", partner).retrieve().body(String.class);
        assertThat(raw).as("money with its scale, as docs/reconciliation.md shows it")
                .contains("\"UNDER_BILLED\":44.00").contains("\"amount\":44.00").contains("\"connectWiseUnit\":25.00");
        JsonNode exact = mapper.copy().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(raw);
        for (int i = 0; i < records.size(); i++) {
            for (String column : ThreeWayCsv.HEADER) {
                JsonNode value = exact.path("rows").get(i).path(column);
                if (value.isNumber()) {
                    assertThat(new java.math.BigDecimal(records.get(i).get(column))).as("row %d %s", i, column)
                            .isEqualByComparingTo(value.decimalValue());
                } else {
                    assertThat(records.get(i).get(column)).as("row %d %s", i, column).isEqualTo(value.isNull() ? "" : value.asText());
                }
            }
        }
        assertThat(exact.path("rows").get(2).path("agreementId").asLong()).as("a missing line names its mapping's agreement")
                .isEqualTo(agreement);

        // The reconciliation digest's line for the month, in the digest's HTML.
        String line = summary.digestLine(partner, java.time.YearMonth.of(2024, 4)).orElseThrow();
        assertThat(line).isEqualTo("Three-way check 2024-04: 6 mismatches, under-billed 44.00, over-billed 22.00");
        assertThat(io.cwbridge.notifications.DigestHtml.reconciliation(partner, java.time.LocalDate.of(2024, 5, 9), List.of(), line))
                .contains("<p>" + line + "</p>");
    }

    @Test
    void r34R5AYearlySubscriptionIsBilledOnceInItsAgreementYearsFirstMonthNotEveryMonth() throws Exception {
        // Probe 46 F9: Y1, 2 × 264.00 / 224.40 yearly from 16 December 2024 to 15 December 2025 on a yearly agreement (billing
        // start 1 December 2024, prorating); the distributor invoices the year in December: reseller 448.80, customer 528.00.
        agreement = tenant.agreement(company, "Chairs yearly",
                new io.cwbridge.testsupport.Tenant.Terms("Cloud", "Yearly", "USD", "2024-12-01", "2024-12-01", true, null));
        String sub = "y1-yearly";
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (?, ?, ?, 'SALES_ORDER', 'NEW', '2024-12-16T09:00:00Z', CAST(? AS jsonb), 'HTTP')""",
                partner + "-" + sub, partner, sub, """
                {"subscription":{"id":"%s","kind":"SAAS","startDate":"2024-12-16","endDate":"2025-12-15","billingCycle":"YEARLY",
                 "currency":"USD","quantity":2,"unitPrice":264.00,"unitCost":224.40,"customer":{"id":"100","name":"Chairs Unlimited"},
                 "product":{"id":"PROD-1","providerId":30,"provider":"Microsoft CSP","plan":"Microsoft 365 Business Premium"}}}"""
                        .formatted(sub));
        jdbc.update("INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id) VALUES (?, ?, ?)", partner, sub, agreement);
        long y1 = line(sub, "BASE", "2", "224.40", "264.00", "2024-12-16", "2025-12-15");
        postInvoices("[" + invoice(sub, 30, "SAAS", "RESELLER", "2024-12", "2", "448.80") + ","
                + invoice(sub, 30, "SAAS", "CUSTOMER", "2024-12", "2", "528.00") + "]");
        sandbox.resetCalls();

        // January (and every later month of the year): ConnectWise bills the yearly line nothing, nor does the marketplace
        JsonNode january = report("2025-01");
        assertThat(january.path("rows")).as("was NOT_ON_INVOICE 528.00: %s", january).isEmpty();
        assertThat(sandbox.callsByEndpoint()).as("the additions and the yearly subscription's agreement, each read once")
                .containsOnly(Map.entry("GET /finance/agreements/{parentId}/additions", 1L), Map.entry("GET /finance/agreements/{id}", 1L));
        assertThat(report("2025-06").path("rows")).isEmpty();
        // December: the year, 2 × 264.00 × 350 / 365 = 506.30 on both sides; the yearly unit cost 224.40 = 448.80 / 2 is no drift
        JsonNode december = report("2024-12");
        assertThat(december.path("rows")).as("was COST_DRIFT: %s", december).isEmpty();

        // a unit cost patched to a monthly reading (434.78, probe 46) drifts by (434.78 − 224.40) × 2 × 350 / 365 over the year
        client.patch(cw, "finance/agreements/" + agreement + "/additions/" + y1, List.of(JsonPatchOperation.replace("unitCost", 434.78)));
        JsonNode drifted = report("2024-12");
        assertThat(drifted.path("rows")).hasSize(1);
        assertThat(drifted.path("rows").get(0).path("mismatch").asText()).isEqualTo("COST_DRIFT");
        assertThat(drifted.path("rows").get(0).path("amount").decimalValue()).isEqualByComparingTo("403.47");
        assertThat(report("2025-01").path("rows")).as("and nothing in January").isEmpty();
    }

    @Test
    void midMonthIncreaseWithItsDeltaLineReconcilesWithNoMismatch() throws Exception {
        marketplace("s-inc", "100", "Chairs Unlimited", 10, "22.00", "18.70", "2024-04-11", 12);
        line("s-inc", "BASE", "10", "18.70", "22.00", "2024-01-14", null);
        line("s-inc", "DELTA", "2", "18.70", "22.00", "2024-04-11", null);
        postInvoices("[" + resellerInvoice("s-inc", "11.3333", "211.93") + "]");
        JsonNode report = report("2024-04");
        assertThat(report.path("subscriptions").asInt()).isEqualTo(1);
        assertThat(report.path("mismatches").asInt()).isZero();
        assertThat(report.path("rows")).isEmpty();
        assertThat(summary.digestLine(partner, java.time.YearMonth.of(2024, 4))).as("no digest line").isEmpty();
        // March (10 all month, billed as such) has no invoice line: the only mismatch is NOT_ON_INVOICE.
        JsonNode march = report("2024-03");
        assertThat(march.path("rows")).hasSize(1);
        assertThat(march.path("rows").get(0).path("mismatch").asText()).isEqualTo("NOT_ON_INVOICE");
    }

    @Test
    void r34R20APartialUpgradesNewSubscriptionCountsFromTheUpgradeAtItsOwnPrice() throws Exception {
        // s-old: 10 licences; on 11 April 4 of them move to s-new (E3, 36.00 / 30.60), which has no event of its own
        marketplace("s-old", "100", "Chairs Unlimited", 10, "22.00", "18.70", null, null);
        storedEvent("s-old", "CHANGE_ORDER", "PARTIAL_UPGRADE", "2024-04-11T08:00:00Z", """
                {"subscription":{"id":"s-old","kind":"SAAS","startDate":"2024-01-14","quantity":6,"previousQuantity":10,
                 "unitPrice":22.00,"unitCost":18.70,"customer":{"id":"100","name":"Chairs Unlimited"},
                 "product":{"id":"PROD-1","providerId":30,"provider":"Microsoft CSP","plan":"Microsoft 365 Business Premium"}},
                 "upgradeTo":{"subscriptionId":"s-new","quantity":4,"unitPrice":36.00,"unitCost":30.60,
                 "product":{"id":"PROD-2","providerId":30,"provider":"Microsoft CSP","plan":"Microsoft 365 E3"}}}""");
        line("s-old", "BASE", "10", "18.70", "22.00", "2024-01-14", null);
        line("s-old", "DELTA", "-4", "18.70", "22.00", "2024-04-11", null);
        line("s-new", "BASE", "4", "30.60", "36.00", "2024-04-11", null);
        JsonNode april = report("2024-04");
        // no invoice lines here: each subscription is billed and not on the invoice, nothing else (4 x 20 / 30 x 36.00 = 96.00)
        assertThat(april.path("rows").findValuesAsText("mismatch")).as(april.toString()).containsOnly("NOT_ON_INVOICE");
        JsonNode created = java.util.stream.StreamSupport.stream(april.path("rows").spliterator(), false)
                .filter(r -> r.path("subscriptionId").asText().equals("s-new")).findFirst().orElseThrow();
        assertThat(created.path("marketplaceAmount").decimalValue()).isEqualByComparingTo("96.00");
        assertThat(created.path("connectWiseAmount").decimalValue()).isEqualByComparingTo("96.00");
        assertThat(created.path("planName").asText()).isEqualTo("Microsoft 365 E3");
    }

    @Test
    void r34LateCancellationCountsFromItsCancellationDateNotTheDayItArrived() throws Exception {
        // Cancelled as of 21 April, reported on 3 May; ConnectWise's lines (R21) end the licences on the 21st too.
        marketplace("s-late", "100", "Chairs Unlimited", 10, "22.00", "18.70", null, null);
        storedEvent("s-late", "CANCELLATION_ORDER", "CANCEL", "2024-05-03T08:00:00Z", """
                {"cancellationDate":"2024-04-21","subscription":{"id":"s-late","kind":"SAAS","startDate":"2024-01-14","quantity":10,
                 "unitPrice":22.00,"unitCost":18.70,"customer":{"id":"100","name":"Chairs Unlimited"},
                 "product":{"id":"PROD-1","providerId":30,"provider":"Microsoft CSP","plan":"Microsoft 365 Business Premium"}}}""");
        line("s-late", "BASE", "10", "18.70", "22.00", "2024-01-14", "2024-04-30");
        line("s-late", "CANCELLATION", "-10", "18.70", "22.00", "2024-04-21", "2024-04-30");
        // 10 × 20 / 30 = 6.6667 licence-months: 124.67 at 18.70.
        postInvoices("[" + resellerInvoice("s-late", "6.6667", "124.67") + "]");
        JsonNode april = report("2024-04");
        assertThat(april.path("rows")).as(april.toString()).isEmpty();
        assertThat(report("2024-05").path("rows")).as("nothing billed or invoiced in May").isEmpty();
    }

    @Test
    void postedCatchUpCountsAsBilledAListedOneDoesNot() throws Exception {
        // The increase to 12 on the 11th has no delta line: 2 × 20 days / 30 × 22.00 = 29.33 under-billed, until a
        // catch-up (R27) of it is posted as an adjustment.
        marketplace("s-cu", "100", "Chairs Unlimited", 10, "22.00", "18.70", "2024-04-11", 12);
        line("s-cu", "BASE", "10", "18.70", "22.00", "2024-01-14", null);
        postInvoices("[" + resellerInvoice("s-cu", "11.3333", "211.93") + "]");
        jdbc.update("""
                INSERT INTO invoiced_catch_up (partner_id, subscription_id, agreement_id, run_id, seq, period_start, period_end, from_date,
                       to_date, licence_days, days_in_period, unit_price, unit_cost, amount, cost_amount, currency, reason, description, status)
                VALUES (?, 's-cu', ?, 1, 1, '2024-04-01', '2024-04-30', '2024-04-11', '2024-04-30', 40, 30, 22.00, 18.70, 29.33, 24.93,
                        'USD', 'increase in an invoiced period', ?, 'LISTED')""", partner, agreement, "Catch-up s-cu " + partner);
        JsonNode listed = report("2024-04");
        assertThat(listed.path("rows")).hasSize(1);
        assertThat(listed.path("rows").get(0).path("mismatch").asText()).isEqualTo("UNDER_BILLED");
        assertThat(listed.path("rows").get(0).path("amount").decimalValue()).isEqualByComparingTo("29.33");
        jdbc.update("UPDATE invoiced_catch_up SET status = 'POSTED' WHERE partner_id = ?", partner);
        assertThat(report("2024-04").path("rows")).as("the posted adjustment bills the missing days").isEmpty();
    }

    @Test
    void r34R32TheReconciliationsPostedChargesCountAsBilledUntilTheyAreRejected() throws Exception {
        // ConnectWise bills 8 licences where the marketplace and both invoices say 10: the run on the cutover day posts the
        // delta (2 × 22.00 price, 2 × 18.70 cost) as a line of its own, billed in May for April
        marketplace("s-rc", "100", "Chairs Unlimited", 10, "22.00", "18.70", null, null);
        line("s-rc", "BASE", "8", "18.70", "22.00", "2024-01-14", null);
        postInvoices("[" + resellerInvoice("s-rc", "10", "187.00") + ","
                + invoice("s-rc", 30, "SAAS", "CUSTOMER", "2024-04", "10", "220.00") + "]");
        assertThat(report("2024-04").path("rows")).extracting(r -> r.path("mismatch").asText() + " " + r.path("amount").decimalValue().setScale(2))
                .containsExactly("UNDER_BILLED 44.00");
        JsonNode mayBefore = report("2024-05").path("rows");
        runOn("2024-05-10");
        assertThat(operations("s-rc")).endsWith("DELTA_LINE:DONE");
        assertThat(row("s-rc").get("delta_price")).isEqualTo(new java.math.BigDecimal("44.00"));

        JsonNode posted = report("2024-04");
        assertThat(posted.path("rows")).as(posted.toString()).isEmpty();
        assertThat(report("2024-05").path("rows")).as("the charges are April's, not May's").isEqualTo(mayBefore);

        // rejected, the delta line is deleted in ConnectWise and April is under-billed again
        assertThat(decide("s-rc", "reject").getStatusCode().value()).isEqualTo(200);
        assertThat(operations("s-rc")).endsWith("DELTA_LINE:DONE", "UNDO_DELTA_LINE:DONE");
        assertThat(report("2024-04").path("rows")).extracting(r -> r.path("mismatch").asText() + " " + r.path("amount").decimalValue().setScale(2))
                .containsExactly("UNDER_BILLED 44.00");
    }

    @Test
    void r34AHandMadeAdditionOfAMappedProductThatNoSubscriptionOwnsIsNotOnInvoice() throws Exception {
        // the bundle's subscription, billed as the marketplace and the invoice say; next to it, typed by hand in ConnectWise,
        // 5 more of the same catalog item at 36.00 (and a managed service of an item no product maps to: not the check's)
        jdbc.update("INSERT INTO product_mapping (partner_id, product_id, catalog_item_id) VALUES (?, 'PROD-1', ?)", partner, catalogItem);
        marketplace("s-own", "100", "Chairs Unlimited", 10, "22.00", "18.70", null, null);
        line("s-own", "BASE", "10", "18.70", "22.00", "2024-01-14", null);
        long handMade = client.create(cw, "finance/agreements/" + agreement + "/additions", Map.of("product", Map.of("id", catalogItem),
                "billCustomer", "Billable", "quantity", new java.math.BigDecimal("5"), "unitCost", new java.math.BigDecimal("30.60"),
                "unitPrice", new java.math.BigDecimal("36.00"), "effectiveDate", "2024-02-01T00:00:00Z", "description", "Hand-made M365"),
                null).path("id").asLong();
        long service = tenant.catalogItem("HELPDESK", "Helpdesk per user", "Services", Map.of());
        client.create(cw, "finance/agreements/" + agreement + "/additions", Map.of("product", Map.of("id", service), "billCustomer",
                "Billable", "quantity", new java.math.BigDecimal("10"), "unitPrice", new java.math.BigDecimal("15.00"),
                "effectiveDate", "2024-02-01T00:00:00Z", "description", "Helpdesk"), null);
        postInvoices("[" + resellerInvoice("s-own", "10", "187.00") + "]");

        JsonNode april = report("2024-04");

        assertThat(april.path("rows")).as(april.toString()).singleElement().satisfies(row -> {
            assertThat(row.path("mismatch").asText()).isEqualTo("NOT_ON_INVOICE");
            assertThat(row.path("amount").decimalValue()).isEqualByComparingTo("180.00");
            assertThat(row.path("subscriptionId").isNull()).isTrue();
            assertThat(row.path("agreementId").asLong()).isEqualTo(agreement);
            assertThat(row.path("detail").asText()).contains("addition " + handMade).contains("no subscription owns it");
            assertThat(row.path("customerId").isNull()).as("the agreement's company is mapped to no customer yet").isTrue();
        });
        // the customer is the one the agreement's company is mapped to (R1), named as its events name it
        tenant.mapCustomer("100", company);
        JsonNode mapped = report("2024-04");
        assertThat(mapped.path("rows")).as(mapped.toString()).singleElement().satisfies(row -> {
            assertThat(row.path("customerId").asText()).isEqualTo("100");
            assertThat(row.path("customerName").asText()).isEqualTo("Chairs Unlimited");
        });
        assertThat(mapped.path("customers")).singleElement().satisfies(c -> {
            assertThat(c.path("customerId").asText()).isEqualTo("100");
            assertThat(c.path("totals").path("NOT_ON_INVOICE").decimalValue()).isEqualByComparingTo("180.00");
        });
        // adopted (R6), it is a subscription's line and no longer reported on its own
        jdbc.update("INSERT INTO subscription_line (partner_id, subscription_id, line_key, agreement_id, addition_id) VALUES (?, ?, ?, ?, ?)",
                partner, "s-own", "s-own/DELTA/2024-02-01", agreement, handMade);
        assertThat(report("2024-04").path("rows")).extracting(r -> r.path("subscriptionId").asText() + " " + r.path("mismatch").asText())
                .containsExactly("s-own PRICE_DRIFT", "s-own COST_DRIFT", "s-own OVER_BILLED");
    }

    @Test
    void r34TheMarketplaceBillsNoLicenceAfterTheSubscriptionsEndNorAfterItsCancellationForAUsageEvent() throws Exception {
        // s-end ended 31 March without renewing, ConnectWise's line ends then too: nothing in April
        storedEvent("s-end", "SALES_ORDER", "NEW", "2024-01-14T09:00:00Z", """
                {"subscription":{"id":"s-end","kind":"SAAS","startDate":"2024-01-14","endDate":"2024-03-31","autoRenew":false,"quantity":1,
                 "unitPrice":22.00,"unitCost":18.70,"customer":{"id":"100","name":"Chairs Unlimited"},
                 "product":{"id":"PROD-1","providerId":30,"provider":"Microsoft CSP","plan":"Microsoft 365 Business Premium"}}}""");
        line("s-end", "BASE", "1", "18.70", "22.00", "2024-01-14", "2024-03-31");
        // s-iaas cancelled on 11 April, then its usage of 1-11 April arrived: the usage event brings no licence back
        String iaas = """
                {"subscription":{"id":"s-iaas","kind":"IAAS","startDate":"2024-01-14","quantity":1,"unitPrice":0,"unitCost":0,
                 "customer":{"id":"100","name":"Chairs Unlimited"},
                 "product":{"id":"PROD-1","providerId":30,"provider":"Microsoft CSP","plan":"Azure plan"}}%s}""";
        storedEvent("s-iaas", "SALES_ORDER", "NEW", "2024-01-14T09:00:00Z", iaas.formatted(""));
        storedEvent("s-iaas", "CANCELLATION_ORDER", "CANCEL", "2024-04-11T09:00:00Z", iaas.formatted(""));
        storedEvent("s-iaas", "BILLING_ORDER", "USAGE", "2024-04-12T09:00:00Z", iaas.formatted(""));

        JsonNode april = report("2024-04");
        // s-iaas has no line (nothing billed, at 0.00): the marketplace had it 10 of April's 30 days, not 29
        assertThat(april.path("rows")).as(april.toString()).extracting(r -> r.path("subscriptionId").asText() + " "
                + r.path("marketplaceQuantity").decimalValue().toPlainString()).containsExactly("s-iaas 0.3333");
        assertThat(report("2024-03").path("rows")).extracting(r -> r.path("subscriptionId").asText() + " " + r.path("mismatch").asText())
                .as("March: s-end billed, with no invoice line; s-iaas without a line").containsExactly("s-end NOT_ON_INVOICE",
                        "s-iaas MISSING_IN_CONNECTWISE");
    }

    @Test
    void r34R27ALateCancellationCreditedByAPostedAdjustmentIsNoMismatch() throws Exception {
        // 10 licences from 1 February at 22.00; February is invoiced on this agreement, which does not prorate (N = 1 March).
        // The cancellation dated 20 February arrives on 4 March: the lines end on 29 February and the catch-up credits the
        // 10 licences × 10 days, −100 × 22.00 / 29 = −75.86, posted as an adjustment (R27). ConnectWise bills 220.00 − 75.86
        // = 144.14; the marketplace 10 × 19 / 29 = 6.5517 licence-months, 144.14; the distributor invoices the 0 licences
        // of the month's last day (R32's reading of its quantity).
        clock.set("2024-03-04");
        mapChairsOverTheApi();
        tenant.syncRules(Map.of("invoicedCatchUp", "ADJUSTMENT"));
        String sub = "s-lc";
        sync(event("sale", "SALES_ORDER", "NEW", "2024-02-01T09:00:00Z", 10, "", sub, "2024-02-01"));
        sandbox.invoice(agreement, "2024-02-29");
        sync(event("cancel", "CANCELLATION_ORDER", "CANCEL", "2024-03-04T10:00:00Z", 10, "\"cancellationDate\":\"2024-02-20\",",
                sub, "2024-02-01"));
        JsonNode catchUps = mapper.readTree(api.get().uri("/api/v1/partners/{p}/catch-ups", partner).retrieve().body(String.class));
        assertThat(catchUps).as(catchUps.toString()).singleElement().satisfies(c -> {
            assertThat(c.path("status").asText()).isEqualTo("POSTED");
            assertThat(c.path("amount").decimalValue()).isEqualByComparingTo("-75.86");
        });
        postInvoices("[" + invoice(sub, 30, "SAAS", "RESELLER", "2024-02", "0", "122.52") + "]");

        JsonNode february = report("2024-02");

        assertThat(february.path("rows")).as(february.toString()).isEmpty();
    }

    @Test
    void r34TheDistributorInvoicingMoreLicencesThanTheMarketplaceAndConnectWiseIsUnderBilled() throws Exception {
        marketplace("s-inv", "100", "Chairs Unlimited", 11, "22.00", "18.70", null, null);
        line("s-inv", "BASE", "11", "18.70", "22.00", "2024-01-14", null);
        postInvoices("[" + resellerInvoice("s-inv", "13", "243.10") + "]");

        JsonNode april = report("2024-04");

        assertThat(april.path("rows")).as(april.toString()).singleElement().satisfies(row -> {
            assertThat(row.path("mismatch").asText()).isEqualTo("UNDER_BILLED");
            assertThat(row.path("amount").decimalValue()).isEqualByComparingTo("44.00");
            assertThat(row.path("invoiceQuantity").decimalValue()).isEqualByComparingTo("13");
            assertThat(row.path("connectWiseQuantity").decimalValue()).isEqualByComparingTo("11");
        });
    }

    @Test
    void badMonthIs400AndUnknownPartner404() {
        ResponseEntity<String> bad = api.get().uri("/api/v1/partners/{p}/three-way?month=2024-13", partner).retrieve().toEntity(String.class);
        assertThat(bad.getStatusCode().value()).isEqualTo(400);
        assertThat(bad.getHeaders().getContentType().toString()).startsWith("application/problem+json");
        assertThat(bad.getBody()).contains("month");
        ResponseEntity<String> missing = api.get().uri("/api/v1/partners/{p}/three-way?month=2024-04", "nobody-here")
                .retrieve().toEntity(String.class);
        assertThat(missing.getStatusCode().value()).isEqualTo(404);
    }

    private List<String> rowsOf(JsonNode report) {
        List<String> out = new ArrayList<>();
        report.path("rows").forEach(r -> out.add(r.path("subscriptionId").asText() + " " + r.path("mismatch").asText() + " "
                + r.path("amount").decimalValue().setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString()));
        return out;
    }

    @Test
    void r34R32ALateIncreaseAfterTheReconciliationsChargeBillsAprilTwiceAndIsOverBilled() throws Exception {
        // The marketplace and both invoices know 10 licences for April; ConnectWise's line says 8, so the run posts the
        // difference, 2 x 22.00 = 44.00, as a line of its own (R32). Then the late increase's R12 line (+2 for April) lands.
        marketplace("s-twice", "100", "Chairs Unlimited", 8, "22.00", "18.70", "2024-04-01", 10);
        line("s-twice", "BASE", "8", "18.70", "22.00", "2024-01-14", null);
        postInvoices("[" + resellerInvoice("s-twice", "10", "187.00") + ","
                + invoice("s-twice", 30, "SAAS", "CUSTOMER", "2024-04", "10", "220.00") + "]");
        runOn("2024-05-10");
        assertThat(operations("s-twice")).endsWith("DELTA_LINE:DONE");
        assertThat(report("2024-04").path("rows")).as("the charge made up for the 2 licences").isEmpty();

        line("s-twice", "DELTA", "2", "18.70", "22.00", "2024-04-01", "2024-04-30");

        // ConnectWise bills 220.00 by its lines and the 44.00 charge on top, for a customer invoice of 220.00
        JsonNode april = report("2024-04");
        assertThat(rowsOf(april)).as(april.toString()).containsExactly("s-twice OVER_BILLED 44.00");
        assertThat(april.path("rows").get(0).path("connectWiseAmount").decimalValue()).isEqualByComparingTo("264.00");
        assertThat(april.path("rows").get(0).path("detail").asText()).contains("the reconciliation's charges of 44.00");
    }

    /** An IaaS subscription from 14 January: its sale, its mapping and its base line at 0.00 (R24). */
    private void iaas(String sub) {
        storedEvent(sub, "SALES_ORDER", "NEW", "2024-01-14T09:00:00Z", """
                {"subscription":{"id":"%s","kind":"IAAS","startDate":"2024-01-14","quantity":1,"unitPrice":0,"unitCost":0,"currency":"USD",
                 "customer":{"id":"100","name":"Chairs Unlimited"},
                 "product":{"id":"PROD-1","providerId":30,"provider":"Microsoft CSP","plan":"Azure plan"}}}""".formatted(sub));
        jdbc.update("INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id) VALUES (?, ?, ?)", partner, sub, agreement);
        line(sub, "BASE", "1", "0", "0", "2024-01-14", null);
    }

    /** The usage event of April (1 x 40.00 / 30.00 unless given) of an IaaS subscription. */
    private void aprilUsage(String sub, String price, String cost) {
        storedEvent(sub, "BILLING_ORDER", "USAGE", "2024-05-02T09:00:00Z", """
                {"usage":{"periodStart":"2024-04-01","periodEnd":"2024-04-30","overusedAmount":1,"overusePrice":%s,"overuseCost":%s},
                 "subscription":{"id":"%s","kind":"IAAS","startDate":"2024-01-14","quantity":1,"unitPrice":0,"unitCost":0,"currency":"USD",
                 "customer":{"id":"100","name":"Chairs Unlimited"},
                 "product":{"id":"PROD-1","providerId":30,"provider":"Microsoft CSP","plan":"Azure plan"}}}""".formatted(price, cost, sub));
    }

    private String iaasInvoices(String sub, String cost, String price) {
        return "[" + invoice(sub, 30, "IAAS", "RESELLER", "2024-04", "1", cost) + "," + invoice(sub, 30, "IAAS", "CUSTOMER", "2024-04", "1", price) + "]";
    }

    @Test
    void r34R24IaasUsageIsComparedByAmountMissingThenChargedThenBilledTwiceByALateUsageEventThenEditedByHand() throws Exception {
        iaas("s-az");
        postInvoices(iaasInvoices("s-az", "30.00", "40.00"));
        // the distributor invoices April's usage, ConnectWise bills only the base line at 0.00
        assertThat(rowsOf(report("2024-04"))).containsExactly("s-az MISSING_IN_CONNECTWISE 40.00");
        // R32 posts the invoices' 40.00 / 30.00 on a line of its own (there is no usage line to add them to)
        runOn("2024-05-10");
        assertThat(operations("s-az")).endsWith("DELTA_LINE:DONE");
        assertThat(report("2024-04").path("rows")).isEmpty();

        // April's usage event arrives late, and its R24 line bills 40.00 / 30.00 too: April is billed twice
        aprilUsage("s-az", "40.00", "30.00");
        long usage = line("s-az", "USAGE", "1", "30.00", "40.00", "2024-04-01", "2024-04-30");
        JsonNode twice = report("2024-04");
        assertThat(rowsOf(twice)).as(twice.toString()).containsExactly("s-az OVER_BILLED 40.00", "s-az COST_DRIFT 30.00");

        // the usage line edited by hand to 400.00: ConnectWise bills 440.00 for the marketplace's 40.00
        client.patch(cw, "finance/agreements/" + agreement + "/additions/" + usage, List.of(JsonPatchOperation.replace("unitPrice", 400.00)));
        JsonNode edited = report("2024-04");
        assertThat(rowsOf(edited)).as(edited.toString()).containsExactly("s-az OVER_BILLED 400.00", "s-az COST_DRIFT 30.00");
        assertThat(edited.path("rows").get(0).path("marketplaceAmount").decimalValue()).isEqualByComparingTo("40.00");
        assertThat(edited.path("rows").get(0).path("connectWiseAmount").decimalValue()).isEqualByComparingTo("440.00");
    }

    @Test
    void r34R32R24TheReconciliationsValuesAddedToAUsageLineCountAsItsChargesNotAsTheLinesOwn() throws Exception {
        // usage 40.00 / 30.00 on its line; the customer invoice says 45.00: R32 adds 5.00 to the line's unit price
        iaas("s-pt");
        aprilUsage("s-pt", "40.00", "30.00");
        long usage = line("s-pt", "USAGE", "1", "30.00", "40.00", "2024-04-01", "2024-04-30");
        postInvoices(iaasInvoices("s-pt", "30.00", "45.00"));
        runOn("2024-05-10");
        assertThat(operations("s-pt")).endsWith("IAAS_LINE_VALUES:DONE");
        assertThat(addition(usage).path("unitPrice").decimalValue()).isEqualByComparingTo("45.00");
        // the line bills the usage's 40.00 and the reconciliation's 5.00 the customer invoice stands for: no mismatch
        // (taken for the line's own price, 45.00 against the marketplace's 40.00 would be over-billed by 5.00)
        JsonNode posted = report("2024-04");
        assertThat(posted.path("rows")).as(posted.toString()).isEmpty();
    }

    @Test
    void r34R19AFullUpgradeMonthsDriftIsReportedPerProductWithThatProductsFigures() throws Exception {
        // 8 BP (PROD-1, 22.00 / 18.70) from 1 January, fully upgraded on 15 February to E3 (PROD-2, 36.00 / 30.60); the old
        // base runs to the 29th at 18.70, the −8 BP line and the E3 line were given a cost of 25.00 (probe 46 F1 / F7)
        long e3 = tenant.catalogItem("M365-E3", "M365 E3", "Cloud", Map.of());
        jdbc.update("INSERT INTO product_mapping (partner_id, product_id, catalog_item_id) VALUES (?, 'PROD-1', ?), (?, 'PROD-2', ?)",
                partner, catalogItem, partner, e3);
        String bp = """
                "id":"s-up","kind":"SAAS","startDate":"2024-01-01","quantity":8,"unitPrice":22.00,"unitCost":18.70,
                 "customer":{"id":"100","name":"Chairs Unlimited"},
                 "product":{"id":"PROD-1","providerId":30,"provider":"Microsoft CSP","plan":"Microsoft 365 Business Premium"}""";
        storedEvent("s-up", "SALES_ORDER", "NEW", "2024-01-01T09:00:00Z", "{\"subscription\":{" + bp + "}}");
        storedEvent("s-up", "CHANGE_ORDER", "FULL_UPGRADE", "2024-02-15T09:00:00Z", "{\"subscription\":{" + bp + "},"
                + "\"upgradeTo\":{\"quantity\":8,\"unitPrice\":36.00,\"unitCost\":30.60,"
                + "\"product\":{\"id\":\"PROD-2\",\"providerId\":30,\"provider\":\"Microsoft CSP\",\"plan\":\"Microsoft 365 E3\"}}}");
        jdbc.update("INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id) VALUES (?, ?, ?)", partner, "s-up", agreement);
        line("s-up", "BASE", "8", "18.70", "22.00", "2024-01-01", "2024-02-29");
        line("s-up", "UPGRADE", "-8", "25.00", "22.00", "2024-02-15", "2024-02-29");
        long newLine = client.create(cw, "finance/agreements/" + agreement + "/additions", Map.of("product", Map.of("id", e3),
                "billCustomer", "Billable", "quantity", new java.math.BigDecimal("8"), "unitCost", new java.math.BigDecimal("25.00"),
                "unitPrice", new java.math.BigDecimal("36.00"), "effectiveDate", "2024-02-15T00:00:00Z", "description", "E3 s-up"),
                null).path("id").asLong();
        jdbc.update("INSERT INTO subscription_line (partner_id, subscription_id, line_key, agreement_id, addition_id) VALUES (?, ?, ?, ?, ?)",
                partner, "s-up", "s-up/BASE/2024-02-15", agreement, newLine);
        postInvoices("[" + invoice("s-up", 30, "SAAS", "RESELLER", "2024-02", "8", "200.00") + "]");

        JsonNode february = report("2024-02");

        // BP: (25.00 − 18.70) x −8 x 15 / 29 = −26.07; E3: (25.00 − 30.60) x 8 x 15 / 29 = −23.17 (one row of 49.24 before,
        // "unit cost 18.70 in ConnectWise, 30.60 in the marketplace", a pair no line has)
        assertThat(rowsOf(february)).as(february.toString()).containsExactly("s-up COST_DRIFT 26.07", "s-up COST_DRIFT 23.17");
        assertThat(february.path("rows").get(0).path("detail").asText()).isEqualTo("unit cost 25.00 in ConnectWise, 18.70 in the marketplace");
        assertThat(february.path("rows").get(1).path("detail").asText()).isEqualTo("unit cost 25.00 in ConnectWise, 30.60 in the marketplace");
        // March: the E3 line alone, on no invoice: 8 x 36.00 at E3's unit (22.00, the BP's, before)
        JsonNode march = report("2024-03");
        assertThat(rowsOf(march)).as(march.toString()).contains("s-up NOT_ON_INVOICE 288.00");
        JsonNode row = java.util.stream.StreamSupport.stream(march.path("rows").spliterator(), false)
                .filter(r -> r.path("mismatch").asText().equals("NOT_ON_INVOICE")).findFirst().orElseThrow();
        assertThat(row.path("marketplaceUnit").decimalValue()).isEqualByComparingTo("36.00");
    }
}
