package io.cwbridge.reconciliation;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The reconciliation log as CSV (RFC 4180: comma separated, CRLF, quotes doubled inside quoted fields). */
final class ReconciliationCsv {

    static final List<String> HEADER = List.of("id", "subscriptionId", "billingPeriod", "providerId", "kind", "status",
            "missingInvoice", "invoiceQuantity", "psaQuantity", "invoiceCost", "psaCost", "invoicePrice", "psaPrice",
            "deltaCost", "deltaPrice", "agreementId", "additionId", "reason", "updatedAt");

    private ReconciliationCsv() {}

    static String write(List<ReconciliationView> rows) {
        StringBuilder csv = new StringBuilder(line(HEADER.stream()));
        for (ReconciliationView r : rows) {
            csv.append(line(Stream.of(Long.toString(r.id()), r.subscriptionId(), r.billingPeriod(), Integer.toString(r.providerId()),
                    r.kind(), r.status(), r.missingInvoice(), plain(r.invoiceQuantity()), plain(r.psaQuantity()),
                    plain(r.invoiceCost()), plain(r.psaCost()), plain(r.invoicePrice()), plain(r.psaPrice()),
                    plain(r.deltaCost()), plain(r.deltaPrice()), str(r.agreementId()), str(r.additionId()), r.reason(),
                    str(r.updatedAt()))));
        }
        return csv.toString();
    }

    private static String line(Stream<String> fields) {
        return fields.map(ReconciliationCsv::field).collect(Collectors.joining(",")) + "\r\n";
    }

    private static String field(String value) {
        if (value == null) return "";
        boolean quote = value.contains(",") || value.contains("\"") || value.contains("\r") || value.contains("\n");
        return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }
}
