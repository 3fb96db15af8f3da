package io.cwbridge.reconciliation;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The reconciliation log as CSV (RFC 4180, by commons-csv): exactly the rows the JSON log shows for the same query. */
final class ReconciliationCsv {

    static final List<String> HEADER = List.of("id", "customerName", "providerName", "planName", "subscriptionId", "billingPeriod",
            "providerId", "kind", "status", "missingInvoice", "invoiceQuantity", "psaQuantity", "usageQuantity", "invoiceCost",
            "psaCost", "invoicePrice", "psaPrice", "deltaCost", "deltaPrice", "agreementId", "additionId", "autoPostedAt", "reason",
            "updatedAt");

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setHeader(HEADER.toArray(String[]::new)).get();

    private ReconciliationCsv() {}

    static String write(List<ReconciliationView> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, FORMAT)) {
            for (ReconciliationView r : rows) {
                csv.printRecord(r.id(), CsvCells.text(r.customerName()), CsvCells.text(r.providerName()), CsvCells.text(r.planName()),
                        CsvCells.text(r.subscriptionId()), r.billingPeriod(),
                        r.providerId(), r.kind(), r.status(), r.missingInvoice(), plain(r.invoiceQuantity()), plain(r.psaQuantity()),
                        plain(r.usageQuantity()), plain(r.invoiceCost()), plain(r.psaCost()), plain(r.invoicePrice()),
                        plain(r.psaPrice()), plain(r.deltaCost()), plain(r.deltaPrice()), r.agreementId(), r.additionId(),
                        r.autoPostedAt(), CsvCells.text(r.reason()), r.updatedAt());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }
}
