package io.cwbridge.ingest;

import io.cwbridge.api.ApiProblems.FieldProblem;
import java.util.List;

/**
 * One event's text as {@link EventIntake#check} read it: the raw text made storable, the keys it names (for a parked
 * row too), and either its field-level problems (storable) or, when valid, the columns it is stored with
 * ({@code payload}: its normalised JSON text).
 */
record EventCheck(String rawPayload, String partnerId, String eventId, List<FieldProblem> problems,
                  String subscriptionId, String eventType, String eventAction, String occurredAt, String payload) {

    boolean valid() {
        return problems.isEmpty();
    }
}
