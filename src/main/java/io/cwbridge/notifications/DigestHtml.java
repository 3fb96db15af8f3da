package io.cwbridge.notifications;

import io.cwbridge.approval.ApprovalSection;
import io.cwbridge.catchup.CatchUpView;
import io.cwbridge.mail.DigestTable;
import io.cwbridge.mail.MailTemplates;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The digest mails (R33, R35): what each one shows, as rows of text; the markup is in the templates
 * under {@code templates/mail/} ({@link MailTemplates}), which escape every value (customer and plan
 * names, ids, reasons are whatever the marketplace or ConnectWise sent).
 */
public final class DigestHtml {

    private static final List<String> SERVICE_HEADERS = List.of("Customer", "Plan", "Subscription ID", "Status", "Reason");

    private DigestHtml() {}

    public static String serviceMapping(String greeting, List<ServiceMappingRow> rows) {
        return serviceMapping(greeting, greeting, rows, List.of());
    }

    public static String serviceMapping(String greeting, List<ServiceMappingRow> rows, List<CatchUpView> catchUps) {
        return serviceMapping(greeting, greeting, rows, catchUps);
    }

    /**
     * The service mapping digest: unmapped subscriptions, those with sync failures, and the catch-ups of
     * invoiced periods (R27) that need a person. {@code greeting}: the partner's account name (R33).
     */
    public static String serviceMapping(String greeting, String partnerId, List<ServiceMappingRow> rows, List<CatchUpView> catchUps) {
        List<ServiceMappingRow> unmapped = rows.stream().filter(r -> ServiceMappingRow.UNMAPPED.equals(r.status())).toList();
        List<ServiceMappingRow> failed = rows.stream().filter(r -> ServiceMappingRow.FAILED.equals(r.status())).toList();
        Function<ServiceMappingRow, List<String>> cells = r -> List.of(
                orDash(r.customer()), orDash(r.plan()), r.subscriptionId(), r.status(), orDash(r.reason()));
        Map<String, Object> model = start(DigestKind.SERVICE_MAPPING, greeting);
        model.put("partnerId", partnerId);
        model.put("unmapped", unmapped.isEmpty() ? null : DigestTable.of("Unmapped subscriptions", SERVICE_HEADERS, unmapped, cells));
        model.put("failed", failed.isEmpty() ? null : DigestTable.of("Subscriptions with sync failures", SERVICE_HEADERS, failed, cells));
        model.put("catchUps", catchUps.isEmpty() ? null : catchUpTable("Invoiced catch-ups to review", catchUps));
        return MailTemplates.render("service-mapping", model);
    }

    /** R27 catch-ups as the digests list them (also under a waiting task's plan, R35). */
    static DigestTable catchUpTable(String title, List<CatchUpView> catchUps) {
        return DigestTable.of(title, List.of("Subscription ID", "Agreement", "Period", "Days", "Licence-days",
                "Amount", "Cost", "Status", "Reason"), catchUps, c -> List.of(c.subscriptionId(), String.valueOf(c.agreementId()),
                c.periodStart() + " to " + c.periodEnd(), c.from() + " to " + c.to(), c.licenceDays().toPlainString(),
                c.amount().toPlainString() + (c.currency() == null ? "" : " " + c.currency()),
                c.cost() == null ? "-" : c.cost().toPlainString(), c.status(),
                orDash(c.message() != null && CatchUpView.FAILED.equals(c.status()) ? c.message() : c.reason())));
    }

    public static String reconciliation(String greeting, LocalDate changedOn, List<ReconciliationRow> rows) {
        return reconciliation(greeting, changedOn, rows, null);
    }

    /** The same, with the month's three-way check line (R34) when something is off (null: no line). */
    public static String reconciliation(String greeting, LocalDate changedOn, List<ReconciliationRow> rows, String threeWayLine) {
        Map<String, Object> model = start(DigestKind.BILLING_RECONCILIATION, greeting);
        model.put("changedOn", changedOn);
        model.put("changes", DigestTable.of("Billing reconciliation status changes", List.of("Subscription ID", "Billing period",
                "Status"), rows, r -> List.of(r.subscriptionId(), java.time.YearMonth.from(r.periodStart()).toString(), r.status())));
        model.put("threeWayLine", threeWayLine);
        return MailTemplates.render("reconciliation", model);
    }

    /** Seed 001's "all created and synchronized tasks": the tasks created and those synced on {@code day} (UTC). */
    public static String taskActivity(String greeting, LocalDate day, List<TaskActivityRow> created, List<TaskActivityRow> synced) {
        List<String> headers = List.of("Task", "Customer", "Subscription ID", "Change", "Status", "At (UTC)");
        Function<TaskActivityRow, List<String>> cells = r -> List.of(String.valueOf(r.taskId()), orDash(r.customer()),
                r.subscriptionId(), r.type() + " " + r.action(), r.status(), r.at().toString());
        Map<String, Object> model = start(DigestKind.TASK_ACTIVITY, greeting);
        model.put("day", day);
        model.put("created", DigestTable.of("Tasks created", headers, created, cells));
        model.put("synced", DigestTable.of("Tasks synchronized", headers, synced, cells));
        return MailTemplates.render("task-activity", model);
    }

    /**
     * R35: every task AWAITING_APPROVAL with its plan as a before/after table, one approve link per
     * task and one for all listed ({@code approveAllUrl}).
     */
    public static String approval(String greeting, String partnerId, List<ApprovalSection> tasks, String approveAllUrl,
            String expiresAt, int notListed) {
        Map<String, Object> model = start(DigestKind.TASK_APPROVAL, greeting);
        model.put("partnerId", partnerId);
        model.put("tasks", tasks);
        model.put("approveAllUrl", approveAllUrl);
        model.put("expiresAt", expiresAt);
        model.put("notListed", notListed);
        return MailTemplates.render("task-approval", model);
    }

    private static Map<String, Object> start(DigestKind kind, String greeting) {
        Map<String, Object> model = new HashMap<>();
        model.put("subject", kind.subject());
        model.put("greeting", greeting);
        model.put("psa", DigestKind.PSA_CONNECTOR);
        return model;
    }

    static String orDash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }
}
