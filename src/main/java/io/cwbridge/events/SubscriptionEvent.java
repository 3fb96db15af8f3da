package io.cwbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One marketplace event (SPEC §8.1). Validation happens earlier, against the published JSON schema;
 * this record only carries the values.
 *
 * @param occurredAt       when the change happened; its UTC date is "the date of the change" c
 * @param upgradeTo        present for FULL_UPGRADE / PARTIAL_UPGRADE
 * @param usage            present for USAGE
 * @param cancellationDate optional for CANCEL; defaults to the UTC date of {@code occurredAt}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionEvent(
        String eventId,
        String partnerId,
        EventType type,
        EventAction action,
        Instant occurredAt,
        Subscription subscription,
        UpgradeTo upgradeTo,
        Usage usage,
        LocalDate cancellationDate) {

    /** UTC date of {@code occurredAt}. */
    @JsonIgnore
    public LocalDate occurredOn() {
        return occurredAt == null ? null : LocalDate.ofInstant(occurredAt, ZoneOffset.UTC);
    }

    /**
     * The date of the change c (SPEC §5): the UTC date of {@code occurredAt}; for a cancellation the
     * explicit {@code cancellationDate} wins when present.
     */
    @JsonIgnore
    public LocalDate changeDate() {
        if (action == EventAction.CANCEL && cancellationDate != null) {
            return cancellationDate;
        }
        return occurredOn();
    }

    /** Whether {@link #action()} is one of {@link #type()}'s actions. */
    @JsonIgnore
    public boolean actionMatchesType() {
        return type != null && type.allows(action);
    }
}
