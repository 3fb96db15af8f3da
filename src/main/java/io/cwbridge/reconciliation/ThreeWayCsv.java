package io.cwbridge.reconciliation;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The three-way report (R34) as CSV (RFC 4180, commons-csv): exactly the JSON's rows, same columns; text cells by {@link CsvCells}. */
final class ThreeWayCsv {

    static final List<String> HEADER = List.of("customerId", "customerName", "subscriptionId", "planName", "kind", "agreementId",
            "mismatch", "amount", "invoiceQuantity", "invoiceAmount", "marketplaceQuantity", "connectWiseQuantity", "marketplaceUnit",
            "connectWiseUnit", "marketplaceAmount", "connectWiseAmount", "detail");

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setHeader(HEADER.toArray(String[]::new)).get();

    private ThreeWayCsv() {}

    static String write(List<ThreeWayCheck.Row> rows) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, FORMAT)) {
            for (ThreeWayCheck.Row r : rows) {
                csv.printRecord(CsvCells.text(r.customerId()), CsvCells.text(r.customerName()), CsvCells.text(r.subscriptionId()),
                        CsvCells.text(r.planName()), r.kind(), r.agreementId(), r.mismatch(),
                        plain(r.amount()), plain(r.invoiceQuantity()), plain(r.invoiceAmount()), plain(r.marketplaceQuantity()),
                        plain(r.connectWiseQuantity()), plain(r.marketplaceUnit()), plain(r.connectWiseUnit()),
                        plain(r.marketplaceAmount()), plain(r.connectWiseAmount()), CsvCells.text(r.detail()));
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
