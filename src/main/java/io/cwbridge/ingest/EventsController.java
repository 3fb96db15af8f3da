package io.cwbridge.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/events} (SPEC 8.2): one event or an array of them, handed to route
 * {@code subscription-events-ingest} exactly as received so that a parked event keeps its raw text.
 */
@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "Subscription events")
public class EventsController {

    private final ProducerTemplate producer;
    private final EventIntake intake;
    private final ObjectMapper mapper;
    /** Larger bodies are refused (413) before parsing: no event needs it, and a parked copy would be kept. */
    private final long maxPayloadBytes;

    public EventsController(ProducerTemplate producer, EventIntake intake, ObjectMapper mapper,
                            @Value("${cwbridge.ingest.max-payload-bytes:1048576}") long maxPayloadBytes) {
        this.producer = producer;
        this.intake = intake;
        this.mapper = mapper;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @PostMapping(consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Submit a subscription event, or an array of them (a batch)",
            description = "202 {eventId, taskId} for a new event; 200 with the first task id for a repeated eventId; "
                    + "400 problem+json with every field error for an invalid event, which is kept (parked) for replay. "
                    + "A batch answers 202 with one result per event, or 400 listing the results when any event was parked; "
                    + "the valid events of a batch are accepted either way. 413 problem+json for a body above "
                    + "cwbridge.ingest.max-payload-bytes (1 MB), not stored. Schema: /schema/subscription-event.schema.json",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "/schema/subscription-event.schema.json"))))
    public ResponseEntity<?> submit(@RequestBody(required = false) String body) {
        if (body != null && body.getBytes(StandardCharsets.UTF_8).length > maxPayloadBytes) {
            ProblemDetail problem = ApiProblems.problem(HttpStatus.PAYLOAD_TOO_LARGE,
                    "The request body is larger than " + maxPayloadBytes + " bytes (cwbridge.ingest.max-payload-bytes); "
                            + "it was not stored. Send large batches in smaller parts.",
                    List.of(new FieldProblem("$", "must be at most " + maxPayloadBytes + " bytes")));
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        List<String> events = intake.split(body);
        boolean batch = isArray(body);
        List<IntakeResult> results = new ArrayList<>();
        for (String event : events) {
            results.add(producer.requestBodyAndHeader("direct:subscription-events-ingest", event, "source", "HTTP",
                    IntakeResult.class));
        }
        return batch ? batchAnswer(results) : singleAnswer(results.get(0));
    }

    private ResponseEntity<?> singleAnswer(IntakeResult result) {
        return switch (result.outcome()) {
            case ACCEPTED -> ResponseEntity.accepted().body(Map.of("eventId", result.eventId(), "taskId", result.taskId()));
            case DUPLICATE -> ResponseEntity.ok(Map.of("eventId", result.eventId(), "taskId", result.taskId(), "duplicate", true));
            case PARKED -> {
                ProblemDetail problem = ApiProblems.problem(HttpStatus.BAD_REQUEST,
                        "The event is invalid. It was kept as parked event " + result.parkedId() + " for fix and replay.",
                        result.errors());
                problem.setProperty("parkedId", result.parkedId());
                yield ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
            }
        };
    }

    private ResponseEntity<?> batchAnswer(List<IntakeResult> results) {
        List<FieldProblem> errors = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i).errors() == null) continue;
            for (FieldProblem p : results.get(i).errors()) {
                errors.add(new FieldProblem("[" + i + "]" + ("$".equals(p.field()) ? "" : "." + p.field()), p.message()));
            }
        }
        if (errors.isEmpty()) {
            return ResponseEntity.accepted().body(Map.of("results", results));
        }
        ProblemDetail problem = ApiProblems.problem(HttpStatus.BAD_REQUEST,
                "Some events of the batch are invalid and were parked for fix and replay; the others were accepted.", errors);
        problem.setProperty("results", results);
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private boolean isArray(String body) {
        try {
            JsonNode node = body == null ? null : mapper.readTree(body);
            return node != null && node.isArray();
        } catch (Exception e) {
            return false;
        }
    }
}
