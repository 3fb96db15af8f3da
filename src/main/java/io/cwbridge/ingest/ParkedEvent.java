package io.cwbridge.ingest;

import io.cwbridge.api.ApiProblems.FieldProblem;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * Input that failed validation, kept with its raw text so an operator can fix and replay it
 * (SPEC 2): a subscription event, or an invoice record (R32). {@code replayedEventId} names the
 * event a successful replay of a subscription event became.
 */
public record ParkedEvent(long parkedId, Kind kind, String source, String partnerId, String eventId, Status status,
                          OffsetDateTime parkedAt, OffsetDateTime resolvedAt, List<FieldProblem> reasons,
                          String rawPayload, String replayedEventId) {

    /**
     * PARKED waits for an operator; the others are final. SUPERSEDED: a replay was invalid again
     * and parked as a new row, which carries the current reasons. RESENT: a valid event with the same
     * eventId was accepted after it (the sender corrected and sent it again, or another parked copy was
     * replayed); {@code replayedEventId} names it, so nothing is left waiting that has already arrived.
     */
    public enum Status { PARKED, REPLAYED, DISCARDED, SUPERSEDED, RESENT }

    /** Longest partnerId / eventId the table keeps; a longer one in invalid input is not stored (the raw text has it). */
    static final int MAX_KEY_LENGTH = 100;

    /** {@code key} when the table can keep it as a column (and show it as a filter), otherwise null. */
    public static String storableKey(String key) {
        return key == null || key.length() > MAX_KEY_LENGTH || io.cwbridge.api.InputText.problem(key, false) != null ? null : key;
    }

    /** Which intake the raw text belongs to, and so where a replay sends it. */
    public enum Kind { SUBSCRIPTION_EVENT, INVOICE }
}
