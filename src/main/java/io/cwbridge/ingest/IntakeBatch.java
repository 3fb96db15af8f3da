package io.cwbridge.ingest;

import java.util.List;

/**
 * The events of one Kafka poll batch (issue 14: stored in one round trip), in record order; a record that is a JSON
 * array gives one event per element. Route {@code subscription-events-batch}'s typed body: {@link EventIntake#readBatch}
 * makes it, {@link EventIntake#recordBatch} fills in what became of each valid event.
 */
public record IntakeBatch(String source, List<Event> events) {

    /**
     * One event: its Kafka place ({@code topic/partition/offset#index}, the parked row's origin, V31), what
     * {@link EventIntake#check} found, and its outcome: PARKED (invalid, or a repeated eventId with another body) with
     * its problems, ACCEPTED with its new task, DUPLICATE with the first one's task; null while a valid event is not
     * stored yet.
     */
    public record Event(String origin, EventCheck check, IntakeResult result) {}
}
