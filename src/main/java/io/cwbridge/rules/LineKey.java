package io.cwbridge.rules;

import java.time.LocalDate;
import java.util.Objects;

/**
 * Identity of a subscription line, stable across syncs, so the pipeline can record the ConnectWise
 * addition id per line: one line per role and effective date (R16); {@code revision} is 0 except for
 * the further lines R26 adds next to an invoiced one with the same role and date.
 */
public record LineKey(String subscriptionId, LineRole role, LocalDate effectiveDate, int revision) {

    public LineKey {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(effectiveDate, "effectiveDate");
        if (revision < 0) {
            throw new IllegalArgumentException("revision < 0");
        }
    }

    public static LineKey of(String subscriptionId, LineRole role, LocalDate effectiveDate) {
        return new LineKey(subscriptionId, role, effectiveDate, 0);
    }

    /** e.g. {@code sub-1/DELTA/2024-03-15} or {@code sub-1/DELTA/2024-03-15#1}. */
    @Override
    public String toString() {
        return subscriptionId + "/" + role + "/" + effectiveDate + (revision == 0 ? "" : "#" + revision);
    }
}
