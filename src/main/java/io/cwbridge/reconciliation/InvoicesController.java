package io.cwbridge.reconciliation;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.api.InputText;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/invoices}: one invoice line or an array (R32); all valid or none stored.
 * An invalid request answers 400 with every field problem and is parked for fix-and-replay.
 */
@RestController
class InvoicesController {

    private final InvoiceIntake intake;
    /** The events' limit: a larger body is refused (413) before parsing and not kept. */
    private final long maxPayloadBytes;

    InvoicesController(InvoiceIntake intake, @Value("${cwbridge.ingest.max-payload-bytes:1048576}") long maxPayloadBytes) {
        this.intake = intake;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    @PostMapping(path = "/api/v1/invoices", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    @io.swagger.v3.oas.annotations.Operation(summary = "Submit invoice lines (one object or an array); all stored or none",
            description = "200 {stored, duplicates, lines}; 400 problem+json with every field error, parked for replay (also an "
                    + "empty body, text that is not one JSON value, duplicate keys, invalid UTF-8); 413 above "
                    + "cwbridge.ingest.max-payload-bytes, not stored; 415 for a body that is not application/json.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(
                    mediaType = "application/json")))
    ResponseEntity<Object> post(@RequestBody(required = false) byte[] bytes) {
        if (bytes != null && bytes.length > maxPayloadBytes) {
            ProblemDetail problem = ApiProblems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "The request body is larger than " + maxPayloadBytes
                    + " bytes (cwbridge.ingest.max-payload-bytes); it was not stored.",
                    List.of(new ApiProblems.FieldProblem("$", "must be at most " + maxPayloadBytes + " bytes")));
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        InputText.Decoded body = InputText.utf8(bytes);
        InvoiceIntake.Outcome outcome = intake.take(body.text(), "HTTP", body.valid() ? List.of()
                : List.of(new ApiProblems.FieldProblem("$", "is not valid UTF-8 (first invalid byte at offset " + body.invalidAt()
                        + "; kept with each invalid byte as \\xHH)")));
        if (outcome.isParked()) {
            ProblemDetail problem = ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid. It was kept as parked "
                    + "event " + outcome.parkedId() + " (kind INVOICE) for fix-and-replay.", outcome.problems());
            problem.setProperty("parkedId", outcome.parkedId());
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        long fresh = outcome.fresh();
        return ResponseEntity.ok(Map.of("stored", fresh, "duplicates", outcome.lines().size() - fresh, "lines", outcome.lines()));
    }
}
