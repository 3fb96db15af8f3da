package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * The reports' CSV keeps text a spreadsheet would run as a formula as text (a black-box probe of stop 32 exported a
 * customer named {@code =HYPERLINK(…)} as a live formula); amounts stay numbers, credits included.
 */
class CsvCellsTest {

    private static final String FORMULA = "=HYPERLINK(\"http://x\",\"y\")";

    @Test
    void textThatStartsAFormulaGetsAnApostropheOtherTextAndEmptyCellsStayAsTheyAre() {
        for (String formula : new String[] {FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"}) {
            assertThat(CsvCells.text(formula)).as(formula).isEqualTo("'" + formula);
        }
        assertThat(CsvCells.text("Chairs Unlimited")).isEqualTo("Chairs Unlimited");
        assertThat(CsvCells.text("a=b")).isEqualTo("a=b");
        assertThat(CsvCells.text("")).isEmpty();
        assertThat(CsvCells.text(null)).isNull();
    }

    @Test
    void theThreeWayReportWritesNamesAsTextAndCreditsAsNumbers() throws Exception {
        ThreeWayCheck.Row row = new ThreeWayCheck.Row("65533", FORMULA, "sub-1", "@plan", "SAAS", 7L, "QUANTITY",
                new BigDecimal("-22.76"), null, null, null, null, null, null, null, null, "-3 licences");
        CSVRecord record = parse(ThreeWayCsv.write(List.of(row)));
        assertThat(record.get("customerName")).isEqualTo("'" + FORMULA);
        assertThat(record.get("planName")).isEqualTo("'@plan");
        assertThat(record.get("detail")).isEqualTo("'-3 licences");
        assertThat(record.get("amount")).isEqualTo("-22.76");
    }

    @Test
    void theReconciliationLogWritesNamesAsTextAndDeltasAsNumbers() throws Exception {
        ReconciliationView view = new ReconciliationView(1, "p", "sub-1", "2024-03", 30, "SAAS", "MISMATCH", null, "+2 on the invoice",
                null, null, null, null, null, null, new BigDecimal("-1.50"), null, null, null, Instant.EPOCH, Instant.EPOCH,
                FORMULA, "Microsoft CSP", "Business Premium", null, null);
        String csv = ReconciliationCsv.write(List.of(view));
        CSVRecord record = parse(csv);
        assertThat(record.get(1)).isEqualTo("'" + FORMULA);
        assertThat(record.get(2)).isEqualTo("Microsoft CSP");
        assertThat(csv).contains("-1.50").contains("'+2 on the invoice");
    }

    private static CSVRecord parse(String csv) throws Exception {
        return CSVFormat.RFC4180.builder().setHeader().get().parse(new StringReader(csv)).getRecords().stream()
                .findFirst().orElseThrow();
    }
}
