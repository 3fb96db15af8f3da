package io.cwbridge.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.cwbridge.api.InputText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /**
     * A batch of more events is refused whole (413) before any of it is stored or parked: each element is a store, a
     * parked row and a log line for an invalid one, and a result in the answer (probe 43: 35,000 in one 969 kB body).
     */
    private final int maxBatchEvents;

    public EventsController(ProducerTemplate producer, EventIntake intake, ObjectMapper mapper,
                            @Value("${cwbridge.ingest.max-payload-bytes:1048576}") long maxPayloadBytes,
                            @Value("${cwbridge.ingest.max-batch-events:1000}") int maxBatchEvents) {
        this.producer = producer;
        this.intake = intake;
        this.mapper = mapper;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxBatchEvents = maxBatchEvents;
    }

    @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    @Operation(summary = "Submit a subscription event, or an array of them (a batch)",
            description = "202 {eventId, taskId} for a new event; 200 with the first task id for a repeated eventId with the "
                    + "same body (equal JSON, numbers by value, date-times by instant); 409 problem+json naming the first task (taskId) for a repeated eventId with "
                    + "another body, which has no effect; "
                    + "400 problem+json with every field error for an invalid event (also an empty body, text that is not one "
                    + "JSON value, duplicate keys, invalid UTF-8), which is kept (parked) for replay. "
                    + "A batch answers 202 with one result per event (200 when every event of it is a repeat with the same "
                    + "body), or 400 (409 when the only problems are conflicts) listing "
                    + "the results; the valid events of a batch are accepted either way. 413 problem+json for a body above "
                    + "cwbridge.ingest.max-payload-bytes (1 MB) or a batch of more than cwbridge.ingest.max-batch-events (1000) "
                    + "events, nothing of it stored; 415 for a body that is not application/json. "
                    + "Schema: /schema/subscription-event.schema.json",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "/schema/subscription-event.schema.json"))))
    public ResponseEntity<?> submit(@RequestBody(required = false) byte[] bytes) {
        if (bytes != null && bytes.length > maxPayloadBytes) {
            ProblemDetail problem = ApiProblems.problem(HttpStatus.PAYLOAD_TOO_LARGE,
                    "The request body is larger than " + maxPayloadBytes + " bytes (cwbridge.ingest.max-payload-bytes); "
                            + "it was not stored. Send large batches in smaller parts.",
                    List.of(new FieldProblem("$", "must be at most " + maxPayloadBytes + " bytes")));
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        InputText.Decoded decoded = InputText.utf8(bytes);
        Map<String, Object> headers = new HashMap<>();
        headers.put("source", "HTTP");
        List<String> events;
        boolean batch;
        if (decoded.valid()) {
            events = intake.split(decoded.text());
            batch = isArray(decoded.text());
            if (events.size() > maxBatchEvents) {
                ProblemDetail problem = ApiProblems.problem(HttpStatus.PAYLOAD_TOO_LARGE,
                        "The batch holds more than " + maxBatchEvents + " events (cwbridge.ingest.max-batch-events); nothing of it "
                                + "was stored. Send it in smaller parts.",
                        List.of(new FieldProblem("$", "must hold at most " + maxBatchEvents + " events (it holds " + events.size() + ")")));
                return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
            }
        } else {
            // Kept whole, with each invalid byte written as \xHH, and parked with that reason.
            headers.put(EventIntake.INPUT_PROBLEMS, json(List.of(new FieldProblem("$",
                    "is not valid UTF-8 (first invalid byte at offset " + decoded.invalidAt() + "; kept with each invalid byte as \\xHH)"))));
            events = List.of(decoded.text());
            batch = false;
        }
        List<IntakeResult> results = new ArrayList<>();
        for (String event : events) {
            results.add(producer.requestBodyAndHeaders("direct:subscription-events-ingest", event, headers, IntakeResult.class));
        }
        return batch ? batchAnswer(results) : singleAnswer(results.get(0));
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Field problems are plain strings and always serialise", e);
        }
    }

    private ResponseEntity<?> singleAnswer(IntakeResult result) {
        return switch (result.outcome()) {
            case ACCEPTED -> ResponseEntity.accepted().body(Map.of("eventId", result.eventId(), "taskId", result.taskId()));
            case DUPLICATE -> ResponseEntity.ok(Map.of("eventId", result.eventId(), "taskId", result.taskId(), "duplicate", true));
            case CONFLICT -> {
                ProblemDetail problem = ApiProblems.problem(HttpStatus.CONFLICT, "Event " + result.eventId()
                        + " was received before with another body, as task " + result.taskId()
                        + "; this one has no effect. Send a change as a new event with an eventId of its own.", result.errors());
                problem.setProperty("taskId", result.taskId());
                problem.setProperty("eventId", result.eventId());
                yield ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
            }
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
            // SPEC 8.2: a repeated eventId answers 200 with the first task id; so does a batch of repeats only
            boolean onlyRepeats = results.stream().allMatch(r -> r.outcome() == IntakeResult.Outcome.DUPLICATE);
            return ResponseEntity.status(onlyRepeats ? HttpStatus.OK : HttpStatus.ACCEPTED).body(Map.of("results", results));
        }
        boolean onlyConflicts = results.stream().noneMatch(r -> r.outcome() == IntakeResult.Outcome.PARKED);
        HttpStatus status = onlyConflicts ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST;
        ProblemDetail problem = ApiProblems.problem(status, onlyConflicts
                ? "Some events of the batch repeat an eventId with another body and had no effect; the others were accepted."
                : "Some events of the batch are invalid and were parked for fix and replay; the others were accepted.", errors);
        problem.setProperty("results", results);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private boolean isArray(String body) {
        try {
            JsonNode node = body == null ? null : mapper.readTree(body);
            return node != null && node.isArray() && !node.isEmpty(); // [] is refused as one event
        } catch (Exception e) {
            return false;
        }
    }
}
