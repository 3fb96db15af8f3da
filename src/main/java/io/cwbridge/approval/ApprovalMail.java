package io.cwbridge.approval;

import io.cwbridge.connectwise.AdditionFields;
import io.cwbridge.connectwise.AgreementAdditions;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.mail.DigestTable;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.sync.PlanController.PlannedCatchUp;
import io.cwbridge.sync.PlanController.PlannedStep;
import io.cwbridge.tasks.TaskActions;
import io.cwbridge.tasks.TaskPlanView;
import io.cwbridge.tasks.TaskView;
import io.cwbridge.tasks.store.TaskStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What the approval mail (R35) shows: every task of the partner AWAITING_APPROVAL, oldest change
 * first, with the plan the console shows for it ({@link TaskActions#show}: computed against
 * ConnectWise now, nothing written) as a before/after table (before: the addition as ConnectWise has
 * it, read for each UPDATE and DELETE), the R27 catch-ups the plan keeps, and one signed approve link
 * per task plus one for all the tasks listed.
 */
@Component
public class ApprovalMail {

    private static final Logger log = LoggerFactory.getLogger(ApprovalMail.class);
    /** At most this many tasks per mail (each plan is computed against ConnectWise); the rest wait for the next day. */
    public static final int MAX_TASKS = 100;
    static final List<String> PLAN_HEADERS = List.of("Operation", "Line", "Field", "Before", "After");

    private final NamedParameterJdbcTemplate jdbc;
    private final TaskActions actions;
    private final ApprovalLinks links;
    private final PartnerConnectionRepository connections;
    private final AgreementAdditions additions;

    public ApprovalMail(NamedParameterJdbcTemplate jdbc, TaskActions actions, ApprovalLinks links,
            PartnerConnectionRepository connections, AgreementAdditions additions) {
        this.jdbc = jdbc;
        this.actions = actions;
        this.links = links;
        this.connections = connections;
        this.additions = additions;
    }

    /** The tasks and links of one mail; {@code approveAllUrl} null when links are off (no key). */
    public record Content(List<ApprovalSection> tasks, String approveAllUrl, Instant expiresAt, int waiting) {}

    /** The partner's waiting tasks with their plans and new links issued at {@code now}; empty when none waits. */
    public Optional<Content> build(String partnerId, Instant now) {
        int waiting = jdbc.queryForObject("SELECT count(*) FROM sync_task WHERE partner_id = :p AND status = :awaiting",
                Map.of("p", partnerId, "awaiting", TaskStatus.AWAITING_APPROVAL.name()), Integer.class);
        if (waiting == 0) return Optional.empty();
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT t.task_id, e.payload #>> '{subscription,customer,name}' AS customer,
                       e.payload #>> '{subscription,currency}' AS currency
                FROM sync_task t JOIN subscription_event e ON e.event_id = t.event_id
                WHERE t.partner_id = :p AND t.status = :awaiting
                ORDER BY t.occurred_at, t.task_id LIMIT :max""", Map.of("p", partnerId, "awaiting", TaskStatus.AWAITING_APPROVAL.name(),
                "max", MAX_TASKS));
        Instant expiresAt = links.expiry(now);
        ConnectWiseConnection cw = connections.find(partnerId).orElse(null);
        List<ApprovalSection> sections = new ArrayList<>();
        List<Long> listed = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            long taskId = ((Number) row.get("task_id")).longValue();
            listed.add(taskId);
            TaskView task = actions.show(taskId);
            String link = links.issue(partnerId, ApprovalLinks.Scope.TASK, List.of(taskId), now, expiresAt).orElse(null);
            sections.add(section(task, (String) row.get("customer"), (String) row.get("currency"), cw, link));
        }
        String all = links.issue(partnerId, ApprovalLinks.Scope.ALL, listed, now, expiresAt).orElse(null);
        return Optional.of(new Content(sections, all, expiresAt, waiting));
    }

    private ApprovalSection section(TaskView task, String customer, String currency, ConnectWiseConnection cw,
            String link) {
        String heading = "Task " + task.taskId() + ": subscription " + task.subscriptionId() + " of " + (customer == null ? "-" : customer)
                + " (" + task.type() + " " + task.action() + " of " + task.occurredAt().toLocalDate() + ")";
        TaskPlanView plan = task.plan();
        List<String> notes = new ArrayList<>();
        String problem = null;
        DigestTable table = null;
        DigestTable catchUps = null;
        if (plan == null) {
            problem = "No plan could be shown (the task is " + task.status() + ").";
        } else if (plan.error() != null) {
            problem = "No plan can be shown now: " + plan.error() + ". Approving computes it then.";
        } else if (!plan.missingMappings().isEmpty()) {
            problem = "A mapping is missing (" + String.join("; ", plan.missingMappings()) + "): approving now leaves the task "
                    + "NEEDS_MAPPING.";
        } else {
            List<List<String>> cells = new ArrayList<>();
            for (PlannedStep step : plan.operations()) cells.addAll(rows(step, cw));
            table = cells.isEmpty() ? null : new DigestTable(null, PLAN_HEADERS, cells, cells.size());
            // what approving posts besides the lines (R27), also when it changes no line
            catchUps = catchUps(plan.catchUps(), currency);
            if (cells.isEmpty() && catchUps == null) {
                problem = "Nothing to send: the plan has no operation (ConnectWise is already in step).";
            }
        }
        if (plan != null) notes.addAll(plan.notes());
        return new ApprovalSection(task.taskId(), heading, table, catchUps, notes, problem, link);
    }

    /** One row per field the operation sets: ConnectWise's value now (before) and the value it sends (after). */
    private List<List<String>> rows(PlannedStep step, ConnectWiseConnection cw) {
        String operation = step.kind() + (step.additionId() == null ? "" : " #" + step.additionId()) + " (" + step.reason() + ")";
        AgreementAddition read = null;
        if (step.additionId() != null && cw != null) {
            try {
                read = additions.one(cw, step.agreementId(), step.additionId());
            } catch (RuntimeException e) {
                log.warn("Could not read addition {} for the approval mail: {}", step.additionId(), e.getMessage());
            }
        }
        AgreementAddition current = read;
        Map<String, String> after = fields(step.fields());
        List<List<String>> rows = new ArrayList<>();
        if ("DELETE".equals(step.kind())) {
            for (String field : List.of("quantity", "unitPrice", "unitCost", "effectiveDate", "cancelledDate")) {
                rows.add(List.of(operation, step.line(), field, before(current, field), "(deleted)"));
            }
            return rows;
        }
        after.forEach((field, value) -> rows.add(List.of(operation, step.line(), field,
                "CREATE".equals(step.kind()) ? "-" : before(current, field), value)));
        return rows;
    }

    private static Map<String, String> fields(Object fields) {
        Map<String, String> shown = new LinkedHashMap<>();
        if (!(fields instanceof AdditionFields f)) {
            if (fields != null) shown.put("fields", String.valueOf(fields));
            return shown;
        }
        put(shown, "catalogItem", f.catalogItemId());
        put(shown, "quantity", f.quantity());
        put(shown, "unitPrice", f.unitPrice());
        put(shown, "unitCost", f.unitCost());
        put(shown, "effectiveDate", f.effectiveDate());
        if (f.clearCancelledDate()) shown.put("cancelledDate", "(none)");
        else put(shown, "cancelledDate", f.cancelledDate());
        put(shown, "description", f.description());
        put(shown, "invoiceDescription", f.invoiceDescription());
        put(shown, "billCustomer", f.billCustomer());
        put(shown, "proratePrice", f.proratePrice());
        put(shown, "prorateCost", f.prorateCost());
        return shown;
    }

    private static void put(Map<String, String> shown, String field, Object value) {
        if (value == null) return;
        shown.put(field, value instanceof BigDecimal b ? b.toPlainString() : value.toString());
    }

    /** The addition's value of a field the plan sets, as ConnectWise holds it now ("?" when it could not be read). */
    private static String before(AgreementAddition addition, String field) {
        if (addition == null) return "?";
        Object value = switch (field) {
            case "catalogItem" -> addition.catalogItemId();
            case "quantity" -> addition.quantity();
            case "unitPrice" -> money(addition.unitPrice());
            case "unitCost" -> money(addition.unitCost());
            case "effectiveDate" -> addition.effectiveDate();
            case "cancelledDate" -> addition.cancelledDate();
            case "description" -> addition.description();
            case "invoiceDescription" -> addition.invoiceDescription();
            case "billCustomer" -> addition.billCustomer();
            case "proratePrice" -> money(addition.proratePrice());
            case "prorateCost" -> money(addition.prorateCost());
            default -> "?";
        };
        if (value == null) return "(none)";
        return value instanceof BigDecimal b ? b.toPlainString() : value.toString();
    }

    /** Money as the plan shows it (at least two decimals; ConnectWise's JSON drops trailing zeros). */
    private static BigDecimal money(BigDecimal amount) {
        return amount == null || amount.scale() >= 2 ? amount : amount.setScale(2);
    }

    /**
     * R27: the catch-up amounts of invoiced periods approving keeps, from the task's plan (the same dry run as its
     * operations, as the console shows it), each with how approving settles it: posted as an agreement adjustment
     * (invoiced catch-up ADJUSTMENT, effective the agreement's next invoice date) or listed for review.
     */
    static DigestTable catchUps(List<PlannedCatchUp> all, String currency) {
        if (all == null || all.isEmpty()) return null;
        String unit = currency == null ? "" : " " + currency;
        List<List<String>> rows = all.stream().map(c -> List.of(c.subscriptionId(), c.periodStart() + " to " + c.periodEnd(),
                c.from() + " to " + c.to(), c.licenceDays().toPlainString(), c.amount().toPlainString() + unit,
                c.cost() == null ? "-" : c.cost().toPlainString(), settlement(c), c.reason())).toList();
        return new DigestTable("Catch-up amounts of invoiced periods", List.of("Subscription ID", "Period", "Days",
                "Licence-days", "Amount", "Cost", "On approval", "Reason"), rows, rows.size());
    }

    private static String settlement(PlannedCatchUp c) {
        return "ADJUSTMENT".equals(c.settlement())
                ? "posted as agreement adjustment on agreement " + c.agreementId()
                        + (c.effectiveDate() == null ? "" : ", effective " + c.effectiveDate())
                : "listed for review (not posted)";
    }
}
