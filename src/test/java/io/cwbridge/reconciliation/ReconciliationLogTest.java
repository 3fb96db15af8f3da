package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/** R32: the reconciliation log's date-range and status filters, and a CSV export that parses back to the same rows. */
class ReconciliationLogTest extends ReconciliationTestBase {

    @Test
    void r32AndR34ClientInputNeverAnswersA5xx() throws Exception {
        subscription("sub-x", 30, "SAAS", "10", "18.70", "22.00");
        String base = "/api/v1/partners/" + partner;
        List<String> gets = List.of(base + "/reconciliation?from=%2B999999999-01-01", base + "/reconciliation?to=-999999999-01-01",
                base + "/reconciliation?from=0001-01-01&to=9999-12-31", base + "/reconciliation?from=2024-02-30",
                base + "/reconciliation?q=%25_%27%5C", base + "/reconciliation?status=,", base + "/reconciliation?groupBy=plan",
                base + "/three-way?month=%2B999999999-12", base + "/three-way?month=-999999999-01", base + "/three-way?month=0000-01",
                base + "/three-way", base + "/three-way?month=2024-4", base + "/reconciliation/subscriptions/%20",
                "/api/v1/partners/%20/reconciliation", "/api/v1/partners/nobody/three-way?month=2024-02");
        for (String uri : gets) {
            for (String accept : List.of("application/json", "text/csv")) {
                ResponseEntity<String> r = api.get().uri(java.net.URI.create("http://localhost:" + port + uri)).header("Accept", accept)
                        .retrieve().toEntity(String.class);
                assertThat(r.getStatusCode().value()).as(uri + " " + accept + ": " + r.getBody()).isLessThan(500);
                if (r.getStatusCode().is4xxClientError()) {
                    assertThat(String.valueOf(r.getHeaders().getContentType())).as(uri + " " + accept).contains("problem+json");
                }
            }
        }
        for (String body : List.of("", "[]", "{", "{\"ids\":\"x\"}", "{\"ids\":[1.5]}", "{\"ids\":[-1]}", "{\"ids\":[\"1\"]}",
                "{\"ids\":[99999999999999999999]}", "{\"ids\":[null]}")) {
            for (String what : List.of("accept", "reject")) {
                ResponseEntity<String> r = post(base + "/reconciliation/" + what, body);
                assertThat(r.getStatusCode().value()).as(what + " " + body + ": " + r.getBody()).isBetween(400, 499);
            }
        }
        for (String id : List.of("abc", "99999999999999999999", "-1", "0")) {
            ResponseEntity<String> r = post(base + "/reconciliation/" + id + "/accept", "");
            assertThat(r.getStatusCode().value()).as(id + ": " + r.getBody()).isBetween(400, 499);
        }
    }

    @Test
    void r32LogFiltersByDateRangeAndStatusAndTheCsvParsesBackToTheSameRows() throws Exception {
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        syncRules("{\"syncUnitCost\":false}");
        subscription("sub-1", 30, "SAAS", "10", "18.70", "22.00");
        subscription("sub-2", 30, "SAAS", "2", "5.00", "6.00");
        subscription("sub-3", 30, "SAAS", "3", "5.00", "6.00");
        runOn("2024-02-10"); // January: all three PENDING
        postInvoices("[" + invoice("sub-2", 30, "SAAS", "RESELLER", "2024-02", "2", "10.00") + ","
                + invoice("sub-2", 30, "SAAS", "CUSTOMER", "2024-02", "2", "12.00") + ","
                + invoice("sub-3", 30, "SAAS", "RESELLER", "2024-02", "3", "15.50") + ","
                + invoice("sub-3", 30, "SAAS", "CUSTOMER", "2024-02", "4", "18.25") + "]");
        runOn("2024-03-10"); // February: PENDING, RECONCILED, PENDING_REVIEW

        JsonNode lastMonth = list("");
        assertThat(lastMonth.path("from").asText()).isEqualTo("2024-02-01");
        assertThat(lastMonth.path("to").asText()).isEqualTo("2024-02-29");
        assertThat(statuses(lastMonth)).containsExactly("sub-1 2024-02 PENDING", "sub-2 2024-02 RECONCILED", "sub-3 2024-02 PENDING_REVIEW");
        assertThat(statuses(list("?from=2024-01-01&to=2024-02-29"))).hasSize(6);
        assertThat(statuses(list("?from=2024-01-15&to=2024-01-20"))).containsExactly(
                "sub-1 2024-01 PENDING", "sub-2 2024-01 PENDING", "sub-3 2024-01 PENDING");
        assertThat(statuses(list("?from=2024-01-01&to=2024-02-29&status=pending_review,RECONCILED")))
                .containsExactly("sub-2 2024-02 RECONCILED", "sub-3 2024-02 PENDING_REVIEW");
        JsonNode review = lastMonth.path("items").get(2);
        assertThat(review.path("reason").asText()).endsWith("open to Accept or Reject. Discrepancy: quantity, cost 0.50, price 0.25");
        assertThat(review.path("deltaCost").decimalValue()).isEqualByComparingTo("0.50");

        ResponseEntity<String> bad = api.get().uri("/api/v1/partners/{p}/reconciliation?from=2024-03-01&to=2024-02-01&status=SOON", partner)
                .retrieve().toEntity(String.class);
        assertThat(bad.getStatusCode().value()).isEqualTo(400);
        assertThat(mapper.readTree(bad.getBody()).path("errors").findValuesAsText("field")).containsExactlyInAnyOrder("to", "status");

        JsonNode all = list("?from=2024-01-01&to=2024-02-29");
        ResponseEntity<String> csv = api.get().uri("/api/v1/partners/{p}/reconciliation?from=2024-01-01&to=2024-02-29", partner)
                .header("Accept", "text/csv").retrieve().toEntity(String.class);
        assertThat(csv.getStatusCode().value()).isEqualTo(200);
        assertThat(csv.getHeaders().getContentType().toString()).startsWith("text/csv");
        List<List<String>> rows = parseCsv(csv.getBody());
        assertThat(rows.get(0)).containsExactlyElementsOf(ReconciliationCsv.HEADER);
        assertThat(rows).hasSize(1 + all.path("items").size());
        for (int i = 0; i < all.path("items").size(); i++) {
            JsonNode item = all.path("items").get(i);
            List<String> row = rows.get(i + 1);
            for (int c = 0; c < ReconciliationCsv.HEADER.size(); c++) {
                String column = ReconciliationCsv.HEADER.get(c);
                JsonNode value = item.path(column);
                String cell = row.get(c);
                if (value.isNull() || value.isMissingNode()) {
                    assertThat(cell).as("%s of row %d", column, i).isEmpty();
                } else if (value.isNumber() && value.isFloatingPointNumber()) {
                    assertThat(new BigDecimal(cell)).as("%s of row %d", column, i).isEqualByComparingTo(value.decimalValue());
                } else if (column.equals("updatedAt") || column.equals("autoPostedAt")) {
                    assertThat(java.time.Instant.parse(cell)).isEqualTo(java.time.Instant.parse(value.asText()));
                } else {
                    assertThat(cell).as("%s of row %d", column, i).isEqualTo(value.asText());
                }
            }
        }
        // The reason with commas came back whole from its quoted field.
        assertThat(rows.stream().map(r -> r.get(ReconciliationCsv.HEADER.indexOf("reason"))))
                .anyMatch(reason -> reason.endsWith("Discrepancy: quantity, cost 0.50, price 0.25"));
    }

    @Test
    void r32v2LogShowsNamesGroupsSearchesAndDecidesASelection() throws Exception {
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        syncRules("{\"syncUnitCost\":false}");
        subscription("sub-1", 30, "SAAS", "10", "18.70", "22.00");
        subscription("sub-2", 30, "SAAS", "2", "5.00", "6.00");
        subscription("sub-3", 30, "SAAS", "3", "5.00", "6.00");
        subscription("sub-4", 30, "SAAS", "1", "5.00", "6.00");
        subscription("sub-5", 30, "SAAS", "1", "5.00", "6.00");
        line("sub-1", "USAGE", "1", "1.00", "2.00", "2024-02-29", "2024-02-29");
        // sub-3's latest event names another customer and plan.
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (?, ?, 'sub-3', 'CHANGE_ORDER', 'PRICE_CHANGE', '2024-02-02T09:00:00Z', CAST(? AS jsonb), 'HTTP')""",
                partner + "-sub-3-b", partner, """
                {"subscription":{"id":"sub-3","kind":"SAAS","startDate":"2024-01-14","customer":{"id":"2","name":"Dunco Fruit Supply"},
                 "product":{"id":"P","providerId":30,"provider":"Microsoft CSP","plan":"Office 365 E1"}}}""");
        postInvoices("[" + invoice("sub-1", 30, "SAAS", "RESELLER", "2024-02", "10", "188.00") + ","
                + invoice("sub-1", 30, "SAAS", "CUSTOMER", "2024-02", "10", "222.00") + ","
                + invoice("sub-2", 30, "SAAS", "RESELLER", "2024-02", "2", "11.00") + ","
                + invoice("sub-2", 30, "SAAS", "CUSTOMER", "2024-02", "2", "13.00") + ","
                + invoice("sub-3", 30, "SAAS", "RESELLER", "2024-02", "3", "16.00") + ","
                + invoice("sub-3", 30, "SAAS", "CUSTOMER", "2024-02", "3", "19.00") + ","
                + invoice("sub-5", 30, "SAAS", "RESELLER", "2024-02", "1", "6.00") + ","
                + invoice("sub-5", 30, "SAAS", "CUSTOMER", "2024-02", "1", "7.00") + "]");
        runOn("2024-03-10");

        JsonNode all = list("");
        assertThat(statuses(all)).containsExactly("sub-1 2024-02 RECONCILED", "sub-2 2024-02 PENDING_REVIEW",
                "sub-4 2024-02 PENDING", "sub-5 2024-02 PENDING_REVIEW", "sub-3 2024-02 PENDING_REVIEW");
        JsonNode first = all.path("items").get(0);
        assertThat(first.path("customerName").asText()).isEqualTo("Chairs Unlimited");
        assertThat(first.path("providerName").asText()).isEqualTo("Microsoft CSP");
        assertThat(first.path("planName").asText()).isEqualTo("Microsoft 365 Business Premium");
        assertThat(first.path("usageQuantity").decimalValue()).isEqualByComparingTo("1");
        assertThat(first.path("psaQuantity").decimalValue()).isEqualByComparingTo("10");

        JsonNode grouped = list("?groupBy=customer");
        assertThat(grouped.path("count").asInt()).isEqualTo(5);
        JsonNode chairs = grouped.path("customers").get(0);
        assertThat(chairs.path("customerName").asText()).isEqualTo("Chairs Unlimited");
        assertThat(chairs.path("count").asInt()).isEqualTo(4);
        JsonNode plan = chairs.path("providers").get(0).path("plans").get(0);
        assertThat(chairs.path("providers").get(0).path("providerName").asText()).isEqualTo("Microsoft CSP");
        assertThat(plan.path("planName").asText()).isEqualTo("Microsoft 365 Business Premium");
        assertThat(plan.path("items").size()).isEqualTo(4);
        assertThat(chairs.path("deltaPrice").decimalValue()).isEqualByComparingTo("2.00"); // 1.00 + 1.00 (sub-2, sub-5)
        JsonNode dunco = grouped.path("customers").get(1);
        assertThat(dunco.path("customerName").asText()).isEqualTo("Dunco Fruit Supply");
        assertThat(dunco.path("providers").get(0).path("plans").get(0).path("planName").asText()).isEqualTo("Office 365 E1");

        assertThat(statuses(list("?q=DUNCO"))).containsExactly("sub-3 2024-02 PENDING_REVIEW");
        assertThat(statuses(list("?q=office 365 e1"))).containsExactly("sub-3 2024-02 PENDING_REVIEW");
        assertThat(statuses(list("?q=sub-2"))).containsExactly("sub-2 2024-02 PENDING_REVIEW");
        assertThat(statuses(list("?q=_"))).as("LIKE wildcards are searched as text").isEmpty();
        assertThat(statuses(list("?status=PENDING_REVIEW&q=chairs"))).containsExactly("sub-2 2024-02 PENDING_REVIEW",
                "sub-5 2024-02 PENDING_REVIEW");
        ResponseEntity<String> badGroup = api.get().uri("/api/v1/partners/{p}/reconciliation?groupBy=colour", partner)
                .retrieve().toEntity(String.class);
        assertThat(badGroup.getStatusCode().value()).isEqualTo(400);

        // The CSV is exactly the rows shown for the same query.
        String query = "?status=PENDING_REVIEW,RECONCILED&q=chairs";
        JsonNode shown = list(query);
        ResponseEntity<String> csv = api.get().uri("/api/v1/partners/" + partner + "/reconciliation" + query)
                .header("Accept", "text/csv").retrieve().toEntity(String.class);
        List<List<String>> rows = parseCsv(csv.getBody());
        assertThat(rows).hasSize(1 + 3);
        int id = ReconciliationCsv.HEADER.indexOf("id");
        int customer = ReconciliationCsv.HEADER.indexOf("customerName");
        for (int i = 0; i < 3; i++) {
            assertThat(rows.get(i + 1).get(id)).isEqualTo(shown.path("items").get(i).path("id").asText());
            assertThat(rows.get(i + 1).get(customer)).isEqualTo("Chairs Unlimited");
        }

        // Bulk accept of a selection: each id on its own.
        long id2 = id("sub-2"), id3 = id("sub-3"), id4 = id("sub-4"), id5 = id("sub-5");
        ResponseEntity<String> accepted = post("/api/v1/partners/" + partner + "/reconciliation/accept",
                "{\"ids\":[" + id2 + "," + id3 + "," + id4 + ",999999]}");
        assertThat(accepted.getStatusCode().value()).as(accepted.getBody()).isEqualTo(200);
        JsonNode results = mapper.readTree(accepted.getBody()).path("results");
        assertThat(results.get(0).path("status").asText()).isEqualTo("RECONCILED");
        assertThat(results.get(1).path("status").asText()).isEqualTo("RECONCILED");
        assertThat(results.get(2).path("error").path("status").asInt()).isEqualTo(409);
        assertThat(results.get(3).path("error").path("status").asInt()).isEqualTo(404);
        assertThat(row("sub-4")).containsEntry("status", "PENDING");

        int before = additions().size();
        ResponseEntity<String> rejected = post("/api/v1/partners/" + partner + "/reconciliation/reject", "{\"ids\":[" + id5 + "]}");
        assertThat(mapper.readTree(rejected.getBody()).path("results").get(0).path("status").asText()).isEqualTo("REJECTED");
        assertThat(additions()).as("sub-5's automatic post taken back").hasSize(before - 1);
        assertThat(post("/api/v1/partners/" + partner + "/reconciliation/accept", "{\"ids\":[]}").getStatusCode().value()).isEqualTo(400);
        assertThat(post("/api/v1/partners/" + partner + "/reconciliation/accept", "{\"ids\":[\"x\"]}").getStatusCode().value())
                .isEqualTo(400);

        // One subscription: its months and what was written to ConnectWise for each.
        ResponseEntity<String> one = api.get().uri("/api/v1/partners/{p}/reconciliation/subscriptions/sub-2", partner)
                .retrieve().toEntity(String.class);
        assertThat(one.getStatusCode().value()).isEqualTo(200);
        JsonNode view = mapper.readTree(one.getBody());
        assertThat(view.path("customerName").asText()).isEqualTo("Chairs Unlimited");
        JsonNode month = view.path("months").get(0);
        assertThat(month.path("reconciliation").path("status").asText()).isEqualTo("RECONCILED");
        assertThat(month.path("operations").get(0).path("kind").asText()).isEqualTo("DELTA_LINE");
        assertThat(month.path("operations").get(0).path("request").path("unitPrice").decimalValue()).isEqualByComparingTo("1.00");
        assertThat(api.get().uri("/api/v1/partners/{p}/reconciliation/subscriptions/nope", partner).retrieve()
                .toEntity(String.class).getStatusCode().value()).isEqualTo(404);
    }

    private JsonNode list(String query) throws Exception {
        ResponseEntity<String> r = api.get().uri("/api/v1/partners/" + partner + "/reconciliation" + query).retrieve().toEntity(String.class);
        assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
        return mapper.readTree(r.getBody());
    }

    private static List<String> statuses(JsonNode list) {
        return StreamSupport.stream(list.path("items").spliterator(), false)
                .map(i -> i.path("subscriptionId").asText() + " " + i.path("billingPeriod").asText() + " " + i.path("status").asText())
                .toList();
    }

    /** RFC 4180 reader, written independently of the export: quoted fields, doubled quotes, CRLF. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(ch);
            }
        }
        assertThat(field.length()).as("the export ends with CRLF").isZero();
        return rows;
    }
}
