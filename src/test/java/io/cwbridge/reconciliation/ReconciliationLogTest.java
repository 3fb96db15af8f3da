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
    void r32LogFiltersByDateRangeAndStatusAndTheCsvParsesBackToTheSameRows() throws Exception {
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
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
        assertThat(review.path("reason").asText()).isEqualTo("Discrepancy: quantity, cost 0.50, price 0.25");
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
                } else if (column.equals("updatedAt")) {
                    assertThat(java.time.Instant.parse(cell)).isEqualTo(java.time.Instant.parse(value.asText()));
                } else {
                    assertThat(cell).as("%s of row %d", column, i).isEqualTo(value.asText());
                }
            }
        }
        // The reason with commas came back whole from its quoted field.
        assertThat(rows.stream().map(r -> r.get(ReconciliationCsv.HEADER.indexOf("reason"))))
                .contains("Discrepancy: quantity, cost 0.50, price 0.25");
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
