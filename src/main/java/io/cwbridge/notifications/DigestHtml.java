package io.cwbridge.notifications;

import io.cwbridge.catchup.CatchUpView;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

/**
 * Writes the digest mails as small HTML tables. Every value from data (customer and plan names,
 * ids, reasons) is escaped: a customer name is whatever the marketplace sent.
 */
public final class DigestHtml {

    /** Longer tables are cut here with a line saying how many more there are. */
    public static final int MAX_ROWS_PER_TABLE = 500;

    private DigestHtml() {}

    public static String serviceMapping(String partnerId, List<ServiceMappingRow> rows) {
        return serviceMapping(partnerId, rows, List.of());
    }

    /** The service mapping digest with the catch-ups of invoiced periods (R27) that need a person. */
    public static String serviceMapping(String partnerId, List<ServiceMappingRow> rows, List<CatchUpView> catchUps) {
        List<ServiceMappingRow> unmapped = rows.stream().filter(r -> ServiceMappingRow.UNMAPPED.equals(r.status())).toList();
        List<ServiceMappingRow> failed = rows.stream().filter(r -> ServiceMappingRow.FAILED.equals(r.status())).toList();
        StringBuilder html = start(DigestKind.SERVICE_MAPPING, partnerId);
        paragraph(html, "These subscriptions cannot sync to " + DigestKind.PSA_CONNECTOR + " until someone acts. As long as "
                + "they stay like this, their changes do not reach " + DigestKind.PSA_CONNECTOR + ", so agreements and invoices "
                + "may be wrong. Map the missing customer, product or agreement (mapping API), or fix the cause of the failure "
                + "and replay; notification preferences are under /api/v1/partners/" + partnerId + "/notifications.");
        List<String> headers = List.of("Customer", "Plan", "Subscription ID", "Status", "Reason");
        Function<ServiceMappingRow, List<String>> cells = r -> List.of(
                orDash(r.customer()), orDash(r.plan()), r.subscriptionId(), r.status(), orDash(r.reason()));
        if (!unmapped.isEmpty()) {
            table(html, "Unmapped subscriptions", headers, unmapped, cells);
        }
        if (!failed.isEmpty()) {
            table(html, "Subscriptions with sync failures", headers, failed, cells);
        }
        if (!catchUps.isEmpty()) {
            paragraph(html, "Changes that fell into periods " + DigestKind.PSA_CONNECTOR + " has already invoiced, on agreements "
                    + "that do not bill them there: charge (positive) or credit (negative) these amounts, or set the sync rule "
                    + "invoicedCatchUp to ADJUSTMENT to post them as agreement adjustments.");
            table(html, "Invoiced catch-ups to review", List.of("Subscription ID", "Agreement", "Period", "Days", "Licence-days",
                    "Amount", "Cost", "Status", "Reason"), catchUps, c -> List.of(c.subscriptionId(), String.valueOf(c.agreementId()),
                    c.periodStart() + " to " + c.periodEnd(), c.from() + " to " + c.to(), c.licenceDays().toPlainString(),
                    c.amount().toPlainString() + (c.currency() == null ? "" : " " + c.currency()),
                    c.cost() == null ? "-" : c.cost().toPlainString(), c.status(),
                    orDash(c.message() != null && CatchUpView.FAILED.equals(c.status()) ? c.message() : c.reason())));
        }
        return end(html);
    }

    public static String reconciliation(String partnerId, LocalDate changedOn, List<ReconciliationRow> rows) {
        return reconciliation(partnerId, changedOn, rows, null);
    }

    /** The same, with the month's three-way check line (R34) when something is off (null: no line). */
    public static String reconciliation(String partnerId, LocalDate changedOn, List<ReconciliationRow> rows, String threeWayLine) {
        StringBuilder html = start(DigestKind.BILLING_RECONCILIATION, partnerId);
        paragraph(html, "The billing reconciliation status of these subscriptions changed on " + changedOn + " (UTC). "
                + "Each row shows the status at the end of that day.");
        table(html, "Billing reconciliation status changes", List.of("Subscription ID", "Billing period", "Status"), rows,
                r -> List.of(r.subscriptionId(), "from " + r.periodStart(), r.status()));
        if (threeWayLine != null) paragraph(html, threeWayLine);
        return end(html);
    }

    /** HTML-escapes text content and attribute values. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(Character.isISOControl(c) ? ' ' : c);
            }
        }
        return out.toString();
    }

    private static StringBuilder start(DigestKind kind, String partnerId) {
        StringBuilder html = new StringBuilder(2048);
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>").append(escape(kind.subject()))
                .append("</title></head>\n<body style=\"font-family:Arial,sans-serif;font-size:14px\">\n");
        paragraph(html, "Hello " + partnerId + ",");
        return html;
    }

    private static String end(StringBuilder html) {
        paragraph(html, "This digest is sent once a day by the ConnectWise sync bundle.");
        return html.append("</body></html>\n").toString();
    }

    private static void paragraph(StringBuilder html, String text) {
        html.append("<p>").append(escape(text)).append("</p>\n");
    }

    private static <T> void table(StringBuilder html, String title, List<String> headers, List<T> rows,
            Function<T, List<String>> cells) {
        html.append("<h3>").append(escape(title)).append(" (").append(rows.size()).append(")</h3>\n")
                .append("<table border=\"1\" cellpadding=\"4\" cellspacing=\"0\" style=\"border-collapse:collapse\">\n<tr>");
        headers.forEach(h -> html.append("<th align=\"left\">").append(escape(h)).append("</th>"));
        html.append("</tr>\n");
        rows.stream().limit(MAX_ROWS_PER_TABLE).forEach(row -> {
            html.append("<tr>");
            cells.apply(row).forEach(cell -> html.append("<td>").append(escape(cell)).append("</td>"));
            html.append("</tr>\n");
        });
        html.append("</table>\n");
        if (rows.size() > MAX_ROWS_PER_TABLE) {
            paragraph(html, "… and " + (rows.size() - MAX_ROWS_PER_TABLE) + " more.");
        }
    }

    private static String orDash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }
}
