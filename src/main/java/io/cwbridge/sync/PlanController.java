package io.cwbridge.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.connectwise.AdditionOperation;
import io.cwbridge.ingest.EventValidator;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.rules.CatchUp;
import io.cwbridge.rules.PlannedOperation;
import io.cwbridge.rules.ProratedAmounts;
import io.cwbridge.rules.SyncRules.InvoicedCatchUp;
import io.cwbridge.syncrules.SyncRulesRepository;
import java.math.BigDecimal;
import java.time.LocalDate;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/plan}: the addition operations an event would cause, without writing anything. */
@RestController
@Tag(name = "Subscription events")
public class PlanController {

    private final ProducerTemplate producer;
    private final ObjectMapper mapper;
    private final PartnerConnectionRepository connections;
    private final SyncRulesRepository syncRules;
    private final EventValidator validator;

    public PlanController(ProducerTemplate producer, ObjectMapper mapper, PartnerConnectionRepository connections,
            SyncRulesRepository syncRules, EventValidator validator) {
        this.validator = validator;
        this.producer = producer;
        this.mapper = mapper;
        this.connections = connections;
        this.syncRules = syncRules;
    }

    /** @param prorated R17a: what the line bills per unit for its first, partial period; null when it starts on a period's first day */
    public record PlannedStep(String kind, String line, long agreementId, Long additionId, Object fields, String reason,
                              ProratedAmounts prorated) {}

    /**
     * R27: a catch-up the task would keep; {@code settlement} LISTED (invoiced catch-up REVIEW) or
     * ADJUSTMENT (posted as an agreement adjustment effective {@code effectiveDate}).
     */
    public record PlannedCatchUp(String subscriptionId, long agreementId, Long catalogItemId, LocalDate periodStart,
                                 LocalDate periodEnd, LocalDate from, LocalDate to, BigDecimal licenceDays, long daysInPeriod,
                                 BigDecimal unitPrice, BigDecimal unitCost, BigDecimal amount, BigDecimal cost, String reason,
                                 String description, String settlement, LocalDate effectiveDate) {}

    public record PlanAnswer(List<PlannedStep> operations, List<String> missingMappings, List<String> notes,
                             List<PlannedCatchUp> catchUps) {}

    // the same door rules as POST /api/v1/events: JSON only (415 otherwise), the bundle's clock for the date window
    @PostMapping(path = "/api/v1/plan", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    @Operation(summary = "Dry run: the ConnectWise addition operations this event would perform now; nothing is written")
    public ResponseEntity<?> plan(@RequestBody String body) {
        JsonNode event;
        try {
            event = mapper.readTree(body);
        } catch (Exception e) {
            return problem(EventValidator.notJson());
        }
        List<FieldProblem> problems = event != null && event.isObject() ? validator.validate(event)
                : List.of(new FieldProblem("$", "must be one JSON object"));
        if (problems.isEmpty() && connections.find(event.path("partnerId").asText()).isEmpty()) {
            problems = List.of(new FieldProblem("partnerId", "unknown partner: connect it first"));
        }
        if (!problems.isEmpty()) {
            return problem(problems);
        }
        TaskPlanner.Preview preview = producer.requestBody("direct:subscription-plan", body, TaskPlanner.Preview.class);
        List<PlannedStep> steps = preview.plan() == null ? List.of() : preview.plan().operations().stream().map(PlanController::step).toList();
        List<String> notes = new java.util.ArrayList<>(preview.notes());
        if (preview.plan() != null) notes.addAll(preview.plan().notes());
        List<PlannedCatchUp> catchUps = List.of();
        if (preview.plan() != null && !preview.plan().catchUps().isEmpty()) {
            boolean adjust = syncRules.additionRules(event.path("partnerId").asText()).invoicedCatchUp() == InvoicedCatchUp.ADJUSTMENT;
            long agreementId = preview.context().agreementId();
            LocalDate next = preview.context().billing().nextInvoiceDate();
            catchUps = preview.plan().catchUps().stream().map(c -> catchUp(c, agreementId, adjust, next)).toList();
        }
        return ResponseEntity.ok(new PlanAnswer(steps, preview.missing(), notes, catchUps));
    }

    private static PlannedStep step(PlannedOperation p) {
        AdditionOperation op = TaskOperations.toDelivery(p);
        return new PlannedStep(op.kind().name(), p.line().toString(), op.agreementId(), op.additionId(), op.fields(), p.reason(),
                p.prorated());
    }

    private static PlannedCatchUp catchUp(CatchUp c, long agreementId, boolean adjust, LocalDate nextInvoiceDate) {
        return new PlannedCatchUp(c.subscriptionId(), agreementId, c.catalogItemId(), c.periodStart(), c.periodEnd(), c.from(),
                c.to(), c.licenceDays(), c.daysInPeriod(), c.unitPrice(), c.unitCost(), c.amount(), c.costAmount(), c.reason(),
                c.description(), adjust ? "ADJUSTMENT" : "LISTED", adjust ? nextInvoiceDate : null);
    }

    private static ResponseEntity<?> problem(List<FieldProblem> problems) {
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The event is invalid.", problems));
    }
}
