package io.cwbridge.ingest;

import io.cwbridge.api.ApiProblems.FieldProblem;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An event that failed validation, kept with its raw text so an operator can fix and replay it
 * (SPEC 2). {@code replayedEventId} names the event a successful replay became.
 */
public record ParkedEvent(long parkedId, String source, String partnerId, String eventId, Status status,
                          OffsetDateTime parkedAt, OffsetDateTime resolvedAt, List<FieldProblem> reasons,
                          String rawPayload, String replayedEventId) {

    /**
     * PARKED waits for an operator; the others are final. SUPERSEDED: a replay was invalid again
     * and parked as a new row, which carries the current reasons.
     */
    public enum Status { PARKED, REPLAYED, DISCARDED, SUPERSEDED }
}
