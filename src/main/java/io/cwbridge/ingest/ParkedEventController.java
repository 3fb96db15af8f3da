package io.cwbridge.ingest;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.api.InputText;
import io.cwbridge.partner.PartnerIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/parked-events} (SPEC 2): see, fix and replay, or discard, the input that failed
 * validation: subscription events and invoice records (kind SUBSCRIPTION_EVENT / INVOICE).
 */
@RestController
@RequestMapping("/api/v1/parked-events")
@Tag(name = "Parked events")
public class ParkedEventController {

    static final int MAX_LIMIT = 500;

    private final ParkedEventRepository parked;
    private final ParkedEventReplay replay;

    public ParkedEventController(ParkedEventRepository parked, ParkedEventReplay replay) {
        this.parked = parked;
        this.replay = replay;
    }

    @GetMapping
    @Operation(summary = "List parked events, newest first",
            description = "{items, total, limit, offset}; filters: kind (SUBSCRIPTION_EVENT, INVOICE), "
                    + "status (PARKED, REPLAYED, DISCARDED, SUPERSEDED, RESENT: a valid event with its eventId arrived later), partnerId. limit 1-500 (default 50).")
    public ParkedEventPage list(@RequestParam(required = false) String kind,
                                @RequestParam(required = false) String status,
                                @RequestParam(required = false) String partnerId,
                                @RequestParam(defaultValue = "50") int limit,
                                @RequestParam(defaultValue = "0") int offset) {
        if (partnerId != null) PartnerIds.check(partnerId);
        if (limit < 1 || limit > MAX_LIMIT) throw ApiProblems.badRequest("limit", "must be between 1 and " + MAX_LIMIT);
        if (offset < 0) throw ApiProblems.badRequest("offset", "must not be negative");
        return parked.list(named(ParkedEvent.Kind.class, "kind", kind), named(ParkedEvent.Status.class, "status", status),
                partnerId, limit, offset);
    }

    @GetMapping("/{parkedId}")
    @Operation(summary = "Show one parked event with its raw text and reasons")
    public ParkedEvent get(@PathVariable long parkedId) {
        return parked.find(parkedId).orElseThrow(() -> ApiProblems.notFound("No parked event " + parkedId));
    }

    @PostMapping(path = "/{parkedId}/replay", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/*+json"})
    @Operation(summary = "Replay a parked event, optionally with a fixed body",
            description = "The body is the fixed text (a subscription event, or for kind INVOICE one invoice line or an "
                    + "array); without a body the stored raw text is replayed. "
                    + "200 {outcome: ACCEPTED|DUPLICATE, eventId, taskId} (an invoice has neither id; DUPLICATE: every "
                    + "line was stored before): the row is now REPLAYED. "
                    + "400 problem+json with the field errors and the new row's parkedId when the text is still "
                    + "invalid: it was parked again and this row is now SUPERSEDED. "
                    + "409 when the row is not PARKED or another operator is acting on it.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "/schema/subscription-event.schema.json"))))
    public ResponseEntity<?> replay(@PathVariable long parkedId, @RequestBody(required = false) byte[] bytes) {
        InputText.Decoded decoded = InputText.utf8(bytes);
        if (!decoded.valid()) {
            throw ApiProblems.badRequest("$", "is not valid UTF-8 (first invalid byte at offset " + decoded.invalidAt()
                    + "); parked event " + parkedId + " stays PARKED");
        }
        String body = bytes == null ? null : decoded.text();
        IntakeResult result = replay.replay(parkedId, body);
        if (result.outcome() == IntakeResult.Outcome.PARKED) {
            ProblemDetail problem = ApiProblems.problem(HttpStatus.BAD_REQUEST,
                    "The " + (parked.find(parkedId).map(ParkedEvent::kind).orElse(null) == ParkedEvent.Kind.INVOICE
                            ? "invoice input" : "event")
                            + " is still invalid. It was kept as parked event " + result.parkedId()
                            + ", which supersedes parked event " + parkedId + ".", result.errors());
            problem.setProperty("parkedId", result.parkedId());
            return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("outcome", result.outcome());
        answer.put("eventId", result.eventId());
        answer.put("taskId", result.taskId());
        return ResponseEntity.ok(answer);
    }

    @PostMapping("/{parkedId}/discard")
    @Operation(summary = "Discard a parked event: it will not be replayed",
            description = "Optional body {reason} (logged). Answers the row, now DISCARDED; 409 when it is not PARKED.")
    public ParkedEvent discard(@PathVariable long parkedId, @Valid @RequestBody(required = false) ParkedEventDiscardRequest request) {
        return replay.discard(parkedId, request == null ? null : request.reason());
    }

    private static <E extends Enum<E>> E named(Class<E> type, String field, String value) {
        if (value == null || value.isBlank()) return null;
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw ApiProblems.badRequest(field, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
