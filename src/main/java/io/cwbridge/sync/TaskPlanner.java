package io.cwbridge.sync;

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
import java.util.List;
import java.util.Map;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The Java steps of route {@code subscription-task-sync}: reads the event, turns the lookups into
 * the rules' inputs and asks the rules (R11-R26) for the plan. Nothing here sends anything.
 */
@Component("taskPlanner")
public class TaskPlanner {

    public static final String OUTCOME = "taskOutcome";

    private final ObjectMapper mapper;
    private final PartnerConnectionRepository connections;
    private final MappingResolver resolver;
    private final SubscriptionLinesReader linesReader;
    private final SyncRulesRepository syncRules;
    private final TaskOperations operations;
    private final CatchUpRepository catchUps;
    private final OperationProration proration;
    @org.springframework.beans.factory.annotation.Autowired // issue 15: task overrides (field, to keep the constructor as it is)
    private io.cwbridge.tasks.TaskOverrides taskOverrides;

    public TaskPlanner(ObjectMapper mapper, PartnerConnectionRepository connections, MappingResolver resolver,
                       SubscriptionLinesReader linesReader, SyncRulesRepository syncRules, TaskOperations operations,
                       CatchUpRepository catchUps, OperationProration proration) {
        this.mapper = mapper;
        this.connections = connections;
        this.resolver = resolver;
        this.linesReader = linesReader;
        this.syncRules = syncRules;
        this.operations = operations;
        this.catchUps = catchUps;
        this.proration = proration;
    }

    /** Reads the event of the task row into headers the lookups use. */
    @SuppressWarnings("unchecked")
    public void prepare(Message message) throws JsonProcessingException {
        Map<String, Object> task = message.getHeader("taskRow", Map.class);
        readEvent(message, (String) task.get("payload"));
    }

    /** For a dry run the event is the body itself. */
    public void prepareDryRun(Message message) throws JsonProcessingException {
        readEvent(message, message.getBody(String.class));
    }

    /** Route step of {@code subscription-plan}: the plan, computed and stored nowhere. */
    @SuppressWarnings("unchecked")
    public Preview dryRun(Message message) {
        return preview(message.getHeader("event", SubscriptionEvent.class), message.getHeader("mappingRow", Map.class),
                message.getHeader("knownLines", List.class), false);
    }

    private void readEvent(Message message, String payload) throws JsonProcessingException {
        SubscriptionEvent event = mapper.readValue(payload, SubscriptionEvent.class);
        message.setHeader("event", event);
        message.setHeader("partnerId", event.partnerId());
        message.setHeader("subscriptionId", event.subscription().id());
        message.setHeader("customerId", event.subscription().customer().id());
        message.setHeader("productId", event.subscription().product().id());
        // Named SQL parameters must exist: "" matches no id.
        message.setHeader("upgradeProductId", event.upgradeTo() == null ? "" : event.upgradeTo().product().id());
        message.setHeader("upgradeSubscriptionId", event.upgradeTo() == null ? "" : event.upgradeTo().subscriptionId());
    }

    /** Sets {@value #OUTCOME} to NEEDS_MAPPING or DELIVER; the body becomes the operations still to send. */
    @SuppressWarnings("unchecked")
    public List<TaskOperation> plan(Message message) {
        long taskId = message.getHeader("taskId", Long.class);
        SubscriptionEvent event = message.getHeader("event", SubscriptionEvent.class);
        String partnerId = event.partnerId();
        List<TaskOperation> stored = operations.forTask(taskId, partnerId);
        if (!stored.isEmpty()) {
            // A retry finishes the plan it made before; re-planning would repeat what is done.
            message.setHeader(OUTCOME, "DELIVER");
            message.setHeader("taskReason", "");
            return stored.stream().filter(op -> !"DONE".equals(op.status())).toList();
        }
        Preview preview = preview(event, message.getHeader("mappingRow", Map.class),
                message.getHeader("knownLines", List.class), true, taskId);
        // Named SQL parameters must exist: "" is stored as no reason.
        message.setHeader("taskReason", preview.reason() == null ? "" : preview.reason());
        if (!preview.missing().isEmpty()) {
            message.setHeader(OUTCOME, "NEEDS_MAPPING");
            return List.of();
        }
        message.setHeader(OUTCOME, "DELIVER");
        // R27: kept before the operations (a re-plan, which only happens before any of them is stored, replaces them).
        MappingContext context = preview.context();
        catchUps.recordForTask(taskId, new CatchUpRepository.Owner(partnerId, event.subscription().id(), context.agreementId(),
                event.subscription().currency(), context.billing().nextInvoiceDate()), preview.plan().catchUps());
        List<TaskOperation> saved = operations.persist(taskId, partnerId, preview.plan());
        proration.record(saved, preview.plan());
        return saved;
    }

    /** What the rules decide for the event now; {@code persist} false changes nothing (POST /api/v1/plan). */
    public Preview preview(SubscriptionEvent event, Map<String, Object> mappingRow, List<Map<String, Object>> knownLines,
                           boolean persist) {
        return preview(event, mappingRow, knownLines, persist, null);
    }

    /** @param taskId the task being planned (its own earlier catch-ups are not read back), null for a dry run */
    private Preview preview(SubscriptionEvent event, Map<String, Object> mappingRow, List<Map<String, Object>> knownLines,
                            boolean persist, Long taskId) {
        String partnerId = event.partnerId();
        ConnectWiseConnection cw = connections.find(partnerId)
                .orElseThrow(() -> new IllegalStateException("partner " + partnerId + " has no ConnectWise connection"));
        MappingResolver.Resolution mapping = resolver.resolve(partnerId, cw, event, mappingRow, persist);
        if (!mapping.complete()) {
            return new Preview(null, mapping.missing(), mapping.notes(), null);
        }
        SyncRules rules = syncRules.parse(partnerId, (String) mappingRow.get("sync_rules")).additionRules();
        try {
            // The lines from the bundle's copies where they may be used, else (and for any edit) read from ConnectWise.
            AdditionPlan plan = linesReader.plan(partnerId, cw, knownLines, mapping.context(),
                    lines -> AdditionRules.plan(event, withCatchUpLines(partnerId, event, taskId, lines), mapping.context(), rules));
            plan = taskOverrides.apply(event, mapping.context(), plan); // issue 15 (R31): a person's task override, tasks/TaskOverrides
            return new Preview(plan, List.of(), mapping.notes(), mapping.context());
        } catch (MappingRequiredException e) {
            return new Preview(null, List.of(e.getMessage()), mapping.notes(), mapping.context());
        }
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
     * A plan, or what mapping is missing for one; notes explain choices made on the way; the mapping
     * context (agreement and how it invoices) the plan was made for, null when mappings are missing.
     */
    public record Preview(AdditionPlan plan, List<String> missing, List<String> notes, MappingContext context) {
        public String reason() {
            List<String> all = new java.util.ArrayList<>(notes);
            all.addAll(missing);
            if (plan != null) all.addAll(plan.notes());
            return all.isEmpty() ? null : String.join("; ", all);
        }
    }
}
