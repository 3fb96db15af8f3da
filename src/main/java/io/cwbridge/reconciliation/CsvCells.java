package io.cwbridge.reconciliation;

/**
 * Text cells of the reports' CSV that a spreadsheet will not run as a formula (OWASP, "CSV injection"): names, plans
 * and ids come from the marketplace and the invoices, so a customer named {@code =HYPERLINK(…)} would otherwise be a
 * live formula in the billing person's spreadsheet. Text that starts with {@code =}, {@code +}, {@code -}, {@code @},
 * a tab or a carriage return gets a leading apostrophe, which spreadsheets show as text and do not print. Amounts and
 * quantities are written as plain numbers and never pass through here, so a credit stays {@code -22.76}.
 */
final class CsvCells {

    private CsvCells() {}

    static String text(String value) {
        if (value == null || value.isEmpty()) return value;
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + value : value;
    }
}
