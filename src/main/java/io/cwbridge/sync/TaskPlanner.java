package io.cwbridge.sync;

import io.cwbridge.tasks.store.OperationStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.catchup.CatchUpRepository;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.rules.AdditionPlan;
import io.cwbridge.rules.AdditionRules;
import io.cwbridge.rules.MappingContext;
import io.cwbridge.rules.MappingRequiredException;
import io.cwbridge.rules.SubscriptionLines;
import io.cwbridge.rules.SyncRules;
import io.cwbridge.syncrules.SyncRulesRepository;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The Java steps of the task sync routes (routes/subscription-sync.yaml, routes/order-types.yaml):
 * reads the event, turns the lookups into the rules' inputs, asks the order type's rules (R11-R26)
 * for the plan and stores it. The routes pick the order type; nothing here sends anything. Every
 * step takes and returns the routes' declared variables.
 */
@Component("taskPlanner")
public class TaskPlanner {

    private final ObjectMapper mapper;
    private final PartnerConnectionRepository connections;
    private final MappingResolver resolver;
    private final SubscriptionLinesReader linesReader;
    private final SyncRulesRepository syncRules;
    private final TaskOperations operations;
    private final CatchUpRepository catchUps;
    @org.springframework.beans.factory.annotation.Autowired // issue 15: task overrides (field, to keep the constructor as it is)
    private io.cwbridge.sync.TaskOverrides taskOverrides;
    @org.springframework.beans.factory.annotation.Autowired // R17: price source CONNECTWISE_CATALOG (as the field above)
    private CatalogPrices catalogPrices;

    public TaskPlanner(ObjectMapper mapper, PartnerConnectionRepository connections, MappingResolver resolver,
                       SubscriptionLinesReader linesReader, SyncRulesRepository syncRules, TaskOperations operations,
                       CatchUpRepository catchUps) {
        this.mapper = mapper;
        this.connections = connections;
        this.resolver = resolver;
        this.linesReader = linesReader;
        this.syncRules = syncRules;
        this.operations = operations;
        this.catchUps = catchUps;
    }

    /** Variable {@code event}: the task's event, from its row ({@link TaskRows}). */
    public SubscriptionEvent taskEvent(@Variable("taskRow") Map<String, Object> taskRow) throws JsonProcessingException {
        return event((String) taskRow.get("payload"));
    }

    /** Variable {@code event} of a dry run: the body itself. */
    public SubscriptionEvent event(String payload) throws JsonProcessingException {
        return mapper.readValue(payload, SubscriptionEvent.class);
    }

    /** Variable {@code lookup}: the named parameters of sql/mapping-lookup.sql and sql/subscription-lines.sql. */
    public Map<String, Object> lookup(@Variable("event") SubscriptionEvent event) {
        Map<String, Object> keys = new HashMap<>();
        keys.put("partnerId", event.partnerId());
        keys.put("subscriptionId", event.subscription().id());
        keys.put("customerId", event.subscription().customer().id());
        keys.put("productId", event.subscription().product().id());
        // "" matches no id (a named parameter must have a value).
        keys.put("upgradeProductId", event.upgradeTo() == null ? "" : event.upgradeTo().product().id());
        keys.put("upgradeSubscriptionId", event.upgradeTo() == null || event.upgradeTo().subscriptionId() == null
                ? "" : event.upgradeTo().subscriptionId());
        return keys;
    }

    /**
     * Variable {@code storedPlan}: the operations not yet DONE of the plan the task stored on an
     * earlier try, or null when it has none. A retry finishes the plan it made before; re-planning
     * would repeat what is done.
     */
    public List<TaskOperation> storedPlan(long taskId, SubscriptionEvent event) {
        List<TaskOperation> stored = operations.forTask(taskId, event.partnerId());
        return stored.isEmpty() ? null : stored.stream().filter(op -> !OperationStatus.DONE.is(op.status())).toList();
    }

    /** As {@link #storedPlan(long, SubscriptionEvent)}, from the operations of the task's row ({@link TaskRows}). */
    public List<TaskOperation> storedPlanOf(@Variable("taskRow") Map<String, Object> taskRow, @Variable("event") SubscriptionEvent event)
            throws JsonProcessingException {
        Object json = taskRow.get("operations");
        if (json == null) return null;
        long taskId = ((Number) taskRow.get("task_id")).longValue();
        List<TaskOperation> stored = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode o : mapper.readTree(json.toString())) {
            stored.add(new TaskOperation(taskId, o.path("seq").asInt(), event.partnerId(), o.path("line_key").asText(),
                    o.path("reason").isNull() ? null : o.path("reason").asText(), operations.operation(o.path("request").asText()),
                    o.path("status").asText()));
        }
        return stored.stream().filter(op -> !OperationStatus.DONE.is(op.status())).toList();
    }

    /**
     * Variable {@code planning}, first step of route {@code addition-rules}: the mapping of the
     * event's customer, product and subscription (R1-R4) and the partner's rules. {@code taskRows} (route
     * {@code subscription-task-sync}, null for a dry run) says whether the task has an override or other tasks'
     * catch-up lines to read at all (issue 14: neither is read when it has none).
     *
     * @param taskId  null for a dry run
     * @param persist save a default agreement choice (R4); false for a dry run
     */
    public TaskInPlanning resolve(@Variable("taskId") Long taskId, @Variable("event") SubscriptionEvent event,
                                  @Variable("mappingRow") Map<String, Object> mappingRow,
                                  @Variable("knownLines") List<Map<String, Object>> knownLines, @Variable("persist") boolean persist,
                                  @Variable("taskRows") TaskRows taskRows) {
        String partnerId = event.partnerId();
        ConnectWiseConnection cw = connections.find(partnerId)
                .orElseThrow(() -> new IllegalStateException("partner " + partnerId + " has no ConnectWise connection"));
        MappingResolver.Resolution mapping = resolver.resolve(partnerId, cw, event, mappingRow, persist);
        SyncRules rules = mapping.complete() ? syncRules.parse(partnerId, (String) mappingRow.get("sync_rules")).additionRules() : null;
        return new TaskInPlanning(taskId, event, cw, mapping, rules, knownLines == null ? List.of() : knownLines, persist,
                taskRows == null || taskRows.mayHaveOverride(), taskRows == null || taskRows.mayHaveCaughtUpLines());
    }

    /** NEEDS_MAPPING branch of route {@code addition-rules}: no plan, what is missing. */
    public Preview needsMapping(@Variable("planning") TaskInPlanning planning) {
        return new Preview(null, planning.mapping().missing(), planning.mapping().notes(), null);
    }

    /** Route {@code sales-order} (R25). */
    public Preview salesOrder(@Variable("planning") TaskInPlanning planning) {
        return plan(planning, AdditionRules::salesOrder);
    }

    /** Route {@code change-order}, a licence change (R11-R16, R18). */
    public Preview quantityChange(@Variable("planning") TaskInPlanning planning) {
        return plan(planning, AdditionRules::quantityChange);
    }

    /** Route {@code change-order}, an upgrade (R19, R20). */
    public Preview upgrade(@Variable("planning") TaskInPlanning planning) {
        return plan(planning, AdditionRules::upgrade);
    }

    /** Route {@code change-order}, a renewal (R23). */
    public Preview renewal(@Variable("planning") TaskInPlanning planning) {
        return plan(planning, AdditionRules::renewal);
    }

    /** Route {@code change-order}, a price change (R26). */
    public Preview priceChange(@Variable("planning") TaskInPlanning planning) {
        return plan(planning, AdditionRules::priceChange);
    }

    /** Route {@code billing-order}: usage (R24). */
    public Preview billingOrder(@Variable("planning") TaskInPlanning planning) {
        return plan(planning, AdditionRules::billingOrder);
    }

    /** Route {@code cancellation-order} (R21, R22). */
    public Preview cancellationOrder(@Variable("planning") TaskInPlanning planning) {
        return plan(planning, AdditionRules::cancellationOrder);
    }

    /** Event in, plan out: what {@code rule} decides for the event now; with {@code persist} false nothing changes. */
    public Preview plan(TaskInPlanning planning, AdditionRules.Rule rule) {
        SubscriptionEvent event = planning.event();
        String partnerId = event.partnerId();
        MappingResolver.Resolution mapping = planning.mapping();
        if (!mapping.complete()) return needsMapping(planning);
        try {
            // R17: the price source is the task override's when it sets one (each line then priced by its own product),
            // else the partner's; with CONNECTWISE_CATALOG the rules plan with the catalog items' prices and costs (not
            // for usage, whose amounts come from the usage invoice, nor a price change, which CATALOG does not push)
            java.util.Optional<io.cwbridge.tasks.store.TaskOverride> override = planning.readOverride()
                    ? taskOverrides.find(event) : java.util.Optional.empty();
            io.cwbridge.rules.SyncRules planRules = override.map(o -> o.values().priceSource())
                    .map(planning.rules()::withPriceSource).orElse(planning.rules());
            SubscriptionEvent priced = planRules.priceSource() == io.cwbridge.rules.SyncRules.PriceSource.CONNECTWISE_CATALOG
                    && CatalogPrices.writesLicencePrices(event.action())
                    ? catalogPrices.priced(event, planning.connection(), mapping.context()) : event;
            // R17 x "sync unit price / cost" off (probe 45 F3): new licence lines carry the catalog's value of the unsynced
            // field, sent explicitly (ConnectWise's guide: a POST sets what it does not require to null)
            io.cwbridge.rules.MappingContext ruleContext = (!planRules.syncUnitPrice() || !planRules.syncUnitCost())
                    && CatalogPrices.writesLicencePrices(event.action())
                    ? catalogPrices.unsynced(planRules, mapping.context(), planning.connection()) : mapping.context();
            // The lines from the bundle's copies where they may be used, else (and for any edit) read from ConnectWise.
            AdditionPlan plan = linesReader.plan(partnerId, planning.connection(), planning.knownLines(), mapping.context(),
                    lines -> rule.plan(priced, planning.readCaughtUpLines()
                                    ? withCatchUpLines(partnerId, event, planning.taskId(), lines) : lines,
                            ruleContext, planRules));
            plan = taskOverrides.apply(event, mapping.context(), plan, override); // issue 15 (R31): a person's task override, tasks/TaskOverrides
            return new Preview(plan, List.of(), mapping.notes(), mapping.context());
        } catch (MappingRequiredException e) {
            return new Preview(null, List.of(e.getMessage()), mapping.notes(), mapping.context());
        }
    }

    /**
     * Variable {@code catchUps} of route {@code subscription-task-sync}: whether the task has R27 catch-ups, recorded by
     * an earlier try (its row, {@link TaskRows}) or in {@code preview}'s plan (null: a stored plan resumed).
     */
    public boolean catchUps(@Variable("taskRow") Map<String, Object> taskRow, @Variable("preview") Preview preview) {
        return recordedCatchUps(taskRow) || preview != null && preview.plan() != null && !preview.plan().catchUps().isEmpty();
    }

    /** Variable {@code catchUps} of route {@code resume-stored-plan}: whether an earlier try recorded R27 catch-ups for the task. */
    public boolean recordedCatchUps(@Variable("taskRow") Map<String, Object> taskRow) {
        return Boolean.TRUE.equals(taskRow.get("has_catch_ups"));
    }

    /**
     * Body of route {@code subscription-task-sync} after the router: stores the plan (its R27 catch-ups first, unless
     * {@code catchUps} is false: the task has none to record or replace; a re-plan, which only happens before any
     * operation is stored, replaces them) and answers the operations to send. With {@code run} (variable
     * {@code syncRunId}) the statement that stores the plan claims its first operation for that run too (issue 14).
     */
    public List<TaskOperation> store(@Variable("taskId") long taskId, @Variable("event") SubscriptionEvent event,
                                     @Variable("preview") Preview preview, @Variable("catchUps") boolean catchUps,
                                     @Variable(TaskOperations.SYNC_RUN) String run) {
        String partnerId = event.partnerId();
        MappingContext context = preview.context();
        if (catchUps) catchUps(taskId, partnerId, event, context, preview);
        // R17a: each operation's prorated amounts are stored with it (OperationProration, in TaskOperations.persist).
        return operations.persist(taskId, partnerId, preview.plan(), run);
    }

    /** Variable {@code taskRow} of route {@code subscription-task-sync}: the task's row of its {@link TaskRows}. */
    public Map<String, Object> taskRow(@Variable("taskRows") TaskRows rows) {
        return rows.row();
    }

    /** Variable {@code taskReason} of route {@code subscription-task-sync}: the preview's reason as stored. */
    public String storedReason(@Variable("preview") Preview preview) {
        return preview.storedReason();
    }

    /** Variable {@code orderType} of route {@code addition-rules}: what its choice routes on (SPEC 2). */
    public String orderType(@Variable("event") SubscriptionEvent event) {
        return event.type().name();
    }

    /** Variable {@code orderAction} of route {@code change-order}: what its choice routes on (SPEC 2). */
    public String orderAction(@Variable("event") SubscriptionEvent event) {
        return event.action() == null ? "" : event.action().name();
    }

    /** Variable {@code mappingMissing} of route {@code addition-rules} (R1, R2, R4). */
    public boolean mappingMissing(@Variable("planning") TaskInPlanning planning) {
        return planning.needsMapping();
    }

    /** Variable {@code planNeedsMapping} of route {@code subscription-task-sync}: the order type's answer lacks a mapping. */
    public boolean planNeedsMapping(@Variable("preview") Preview preview) {
        return preview.needsMapping();
    }

    /** Variable {@code mappingRow}, from the task's {@link TaskRows}. */
    public Map<String, Object> mappingRow(@Variable("taskRows") TaskRows rows) {
        return rows.mappingRow();
    }

    /** Variable {@code knownLines}, from the task's {@link TaskRows}. */
    public List<Map<String, Object>> knownLines(@Variable("taskRows") TaskRows rows) {
        return rows.knownLines();
    }

    private void catchUps(long taskId, String partnerId, SubscriptionEvent event, MappingContext context, Preview preview) {
        catchUps.recordForTask(taskId, new CatchUpRepository.Owner(partnerId, event.subscription().id(), context.agreementId(),
                event.subscription().currency(), context.billing().nextInvoiceDate()), preview.plan().catchUps());
    }

    /** R27: the catch-up lines the bundle keeps for the event's subscriptions go back to the rules with ConnectWise's lines. */
    private SubscriptionLines withCatchUpLines(String partnerId, SubscriptionEvent event, Long taskId, SubscriptionLines read) {
        List<String> ids = event.upgradeTo() == null || event.upgradeTo().subscriptionId() == null
                ? List.of(event.subscription().id()) : List.of(event.subscription().id(), event.upgradeTo().subscriptionId());
        List<io.cwbridge.rules.AdditionLine> caughtUp = catchUps.caughtUpLines(partnerId, ids, null, taskId);
        if (caughtUp.isEmpty()) return read;
        List<io.cwbridge.rules.AdditionLine> all = new java.util.ArrayList<>(read.all());
        all.addAll(caughtUp);
        return SubscriptionLines.of(all);
    }

    /**
     * Variable {@code preview}, what route {@code addition-rules} answers: a plan, or what mapping
     * is missing for one; notes explain choices made on the way; the mapping context (agreement and
     * how it invoices) the plan was made for, null when mappings are missing. The body of a dry run.
     */
    public record Preview(AdditionPlan plan, List<String> missing, List<String> notes, MappingContext context) {
        /**
         * R27: the catch-ups this plan keeps, as storing it records them ({@link #store}: the mapping's agreement, the
         * agreement's next invoice date) and delivering it settles them ({@link InvoicedCatchUps#settle}): ADJUSTMENT
         * (posted as an agreement adjustment effective that date) under invoiced catch-up ADJUSTMENT, else LISTED for
         * review. What {@code POST /api/v1/plan} answers and what a task AWAITING_APPROVAL shows (R31: what approving posts).
         */
        public List<PlanController.PlannedCatchUp> plannedCatchUps(SyncRules.InvoicedCatchUp rule) {
            if (plan == null || plan.catchUps().isEmpty() || context == null) return List.of();
            boolean adjust = rule == SyncRules.InvoicedCatchUp.ADJUSTMENT;
            java.time.LocalDate next = context.billing().nextInvoiceDate();
            return plan.catchUps().stream().map(c -> new PlanController.PlannedCatchUp(c.subscriptionId(), context.agreementId(),
                    c.catalogItemId(), c.periodStart(), c.periodEnd(), c.from(), c.to(), c.licenceDays(), c.daysInPeriod(),
                    c.unitPrice(), c.unitCost(), c.amount(), c.costAmount(), c.reason(), c.description(),
                    adjust ? "ADJUSTMENT" : "LISTED", adjust ? next : null)).toList();
        }

        public String reason() {
            List<String> all = new java.util.ArrayList<>(notes);
            all.addAll(missing);
            if (plan != null) all.addAll(plan.notes());
            return all.isEmpty() ? null : String.join("; ", all);
        }

        /** The NEEDS_MAPPING branch of route {@code subscription-task-sync}. */
        public boolean needsMapping() {
            return !missing.isEmpty();
        }

        /** The task's reason as stored ("" for none: a named SQL parameter must have a value). */
        public String storedReason() {
            String reason = reason();
            return reason == null ? "" : reason;
        }
    }
}
