package io.cwbridge.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cwbridge.api.ApiProblems.FieldProblem;
import java.util.List;

/**
 * What became of one incoming event: ACCEPTED (a new task), DUPLICATE (its eventId was seen
 * before with the same body; the first task id is returned), CONFLICT (its eventId was seen before
 * with another body: no effect; the first task id is returned) or PARKED (invalid, kept with its
 * reasons for replay).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntakeResult(Outcome outcome, String eventId, Long taskId, Long parkedId, List<FieldProblem> errors) {

    public enum Outcome { ACCEPTED, DUPLICATE, CONFLICT, PARKED }
}
