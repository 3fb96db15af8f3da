package io.cwbridge.sync;

import io.cwbridge.tasks.store.TaskHistory;
import io.cwbridge.tasks.store.TaskOverride;
import io.cwbridge.tasks.store.TaskOverrideRepository;
import io.cwbridge.tasks.store.TaskStatus;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.rules.AdditionPlan;
import io.cwbridge.rules.AgreementBilling;
import io.cwbridge.rules.LineOverride;
import io.cwbridge.rules.LineOverrides;
import io.cwbridge.rules.MappingContext;
import io.cwbridge.rules.SyncRules;
import io.cwbridge.syncrules.SyncRulesRepository;
import io.cwbridge.syncrules.TaskSync;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Task overrides (R31, issue 15): a person sets or clears a task's values before it syncs — while it is
 * AWAITING_APPROVAL or NEEDS_MAPPING, or PENDING under a task sync other than IMMEDIATE, and has no
 * stored operations (none sent) — checked against SPEC's rules ({@link LineOverrides#check}) and recorded
 * in the task's history with who, why and what. Planning the task applies it ({@link #apply}, called from
 * {@code sync/TaskPlanner}), so the plan shown while it waits and the plan sent are the same.
 */
@Component("taskOverrides")
public class TaskOverrides {

    private static final Logger log = LoggerFactory.getLogger(TaskOverrides.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TaskOverrideRepository overrides;
    private final TaskHistory history;
    private final SyncRulesRepository syncRules;
    private final PartnerConnectionRepository connections;
    private final AgreementCache agreements;
    private final ObjectMapper mapper;

    public TaskOverrides(NamedParameterJdbcTemplate jdbc, TaskOverrideRepository overrides, TaskHistory history,
            SyncRulesRepository syncRules, PartnerConnectionRepository connections, AgreementCache agreements, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.overrides = overrides;
        this.history = history;
        this.syncRules = syncRules;
        this.connections = connections;
        this.agreements = agreements;
        this.mapper = mapper;
    }

    /** Hook of task planning: the plan with the event's open task's override applied; unchanged without one. */
    public AdditionPlan apply(SubscriptionEvent event, MappingContext context, AdditionPlan plan) {
        return apply(event, context, plan, find(event));
    }

    /** The override of the event's open task, if any (read once per planning: its price source, then {@link #apply}). */
    public Optional<TaskOverride> find(SubscriptionEvent event) {
        if (event == null || event.eventId() == null) return Optional.empty();
        return overrides.forOpenTaskOf(event.partnerId(), event.eventId());
    }

    /** The plan with {@code found} (the event's open task's override, {@link #find}) applied; unchanged without one. */
    public AdditionPlan apply(SubscriptionEvent event, MappingContext context, AdditionPlan plan, Optional<TaskOverride> found) {
        if (plan == null || found.isEmpty()) return plan;
        TaskOverride o = found.get();
        AdditionPlan applied = LineOverrides.apply(plan, o.values(), event.subscription(),
                context == null ? AgreementBilling.unknown() : context.billing());
        List<String> notes = new ArrayList<>(applied.notes());
        notes.add("task override by " + o.by() + " (" + o.reason() + "): " + TaskOverride.describe(o.values()));
        return new AdditionPlan(applied.operations(), notes, applied.catchUps());
    }

    /** Sets (replaces) the task's override; 404 unknown task, 409 not overridable now, 400 with field problems. */
    public TaskOverride set(long taskId, TaskRequests.Override request, String actor) {
        List<FieldProblem> problems = new ArrayList<>();
        LineOverride values = values(request, problems);
        if (values.isEmpty() && problems.isEmpty()) {
            problems.add(new FieldProblem("", "set at least one of effectiveDate, cancelledDate, description, quantity, unitPrice, "
                    + "unitCost, billCustomer, taxableFlag, priceSource"));
        }
        Map<String, Object> task = overridable(taskId);
        SubscriptionEvent event = event((String) task.get("event_id"));
        LineOverrides.check(values, event == null ? null : event.subscription(), billing(task))
                .forEach(p -> problems.add(new FieldProblem(p.field(), p.message())));
        if (!problems.isEmpty()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST,
                    ApiProblems.problem(HttpStatus.BAD_REQUEST, "The override is invalid; nothing was changed.", problems), null);
        }
        String reason = request.reason().strip();
        history.as(actor, reason, () -> {
            String status = lockOverridable(taskId);
            overrides.save(taskId, values, reason, actor);
            history.recordChange(taskId, status, actor, reason, "override set: " + TaskOverride.describe(values));
            return null;
        });
        return overrides.find(taskId).orElseThrow();
    }

    /** Clears the task's override; 404 when the task or its override is unknown, 409 not overridable now. */
    public void clear(long taskId, String reason, String actor) {
        overridable(taskId);
        boolean had = history.as(actor, reason, () -> {
            String status = lockOverridable(taskId);
            boolean deleted = overrides.delete(taskId);
            if (deleted) history.recordChange(taskId, status, actor, reason, "override cleared");
            return deleted;
        });
        if (!had) throw ApiProblems.notFound("Task " + taskId + " has no override.");
    }

    private LineOverride values(TaskRequests.Override r, List<FieldProblem> problems) {
        SyncRules.PriceSource source = null;
        if (r.priceSource() != null) {
            try {
                source = SyncRules.PriceSource.valueOf(r.priceSource());
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("priceSource", "must be one of " + List.of(SyncRules.PriceSource.values())));
            }
        }
        String description = r.description() == null ? null : r.description().strip();
        if (description != null && description.isEmpty()) problems.add(new FieldProblem("description", "must not be blank"));
        return new LineOverride(r.effectiveDate(), r.cancelledDate(), description, r.quantity(), r.unitPrice(), r.unitCost(),
                r.billCustomer(), r.taxableFlag(), source);
    }

    /** The task row; 404 unknown, 409 when an override may not be set now. */
    private Map<String, Object> overridable(long taskId) {
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT t.task_id, t.partner_id, t.subscription_id, t.event_id, t.status,
                       (SELECT count(*) FROM task_operation o WHERE o.task_id = t.task_id) AS operations
                FROM sync_task t WHERE t.task_id = :t""", Map.of("t", taskId));
        if (rows.isEmpty()) throw ApiProblems.notFound("No task " + taskId);
        Map<String, Object> task = rows.get(0);
        String refusal = refusal((String) task.get("partner_id"), (String) task.get("status"),
                ((Number) task.get("operations")).longValue());
        if (refusal != null) {
            throw ApiProblems.conflict("Task " + taskId + " cannot be overridden: " + refusal + ".",
                    List.of(new FieldProblem("status", refusal)), Map.of("taskStatus", task.get("status")));
        }
        return task;
    }

    /** Under the row lock, in the transaction that writes: the status again (it may have moved since). */
    private String lockOverridable(long taskId) {
        Map<String, Object> task = jdbc.queryForMap("""
                SELECT partner_id, status, (SELECT count(*) FROM task_operation o WHERE o.task_id = :t) AS operations
                FROM sync_task WHERE task_id = :t FOR UPDATE""", Map.of("t", taskId));
        String status = (String) task.get("status");
        String refusal = refusal((String) task.get("partner_id"), status, ((Number) task.get("operations")).longValue());
        if (refusal != null) {
            throw ApiProblems.conflict("Task " + taskId + " cannot be overridden: " + refusal + ".",
                    List.of(new FieldProblem("status", refusal)), Map.of("taskStatus", status));
        }
        return status;
    }

    /** Why the task takes no override now; null when it does. */
    private String refusal(String partnerId, String status, long operations) {
        String refusal = switch (TaskStatus.valueOf(status)) {
            case AWAITING_APPROVAL, NEEDS_MAPPING -> null;
            case PENDING -> syncRules.find(partnerId).taskSync() == TaskSync.IMMEDIATE
                    ? "it is PENDING under task sync IMMEDIATE (it syncs now)" : null;
            default -> "it is " + status + "; only a task AWAITING_APPROVAL, NEEDS_MAPPING, or PENDING under a task sync "
                    + "other than IMMEDIATE takes an override";
        };
        return refusal != null || operations == 0 ? refusal : "it is " + status + " with its plan stored (being sent)";
    }

    private SubscriptionEvent event(String eventId) {
        List<String> payload = jdbc.queryForList("SELECT payload::text FROM subscription_event WHERE event_id = :e",
                Map.of("e", eventId), String.class);
        if (payload.isEmpty()) return null;
        try {
            return mapper.readValue(payload.get(0), SubscriptionEvent.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    /**
     * How the mapped agreement invoices (R27), for the check; unknown before the subscription is mapped or
     * when ConnectWise cannot be read now (planning checks again and leaves out a date that became invoiced).
     */
    private AgreementBilling billing(Map<String, Object> task) {
        String partnerId = (String) task.get("partner_id");
        List<Long> agreement = jdbc.queryForList(
                "SELECT agreement_id FROM subscription_mapping WHERE partner_id = :p AND subscription_id = :s AND agreement_id IS NOT NULL",
                Map.of("p", partnerId, "s", task.get("subscription_id")), Long.class);
        if (agreement.isEmpty()) return AgreementBilling.unknown();
        try {
            return connections.find(partnerId)
                    .map(cw -> MappingResolver.billing(agreements.agreement(partnerId, cw, agreement.get(0))))
                    .orElse(AgreementBilling.unknown());
        } catch (RuntimeException e) {
            log.warn("Could not read agreement {} to check an override of task {}: {}", agreement.get(0), task.get("task_id"),
                    e.getMessage());
            return AgreementBilling.unknown();
        }
    }
}
