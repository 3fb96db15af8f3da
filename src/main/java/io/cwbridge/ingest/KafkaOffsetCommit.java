package io.cwbridge.ingest;

import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.springframework.stereotype.Component;

/**
 * Last step of routes {@code subscription-events-kafka} and {@code invoices-kafka}: commits the
 * record's offset once everything in it is stored or parked (the Kamelet
 * {@code marketplace-kafka-source} turns off auto-commit and allows manual commits).
 *
 * <p>The Kamelet's commit factory is camel-kafka's async one (issue 14: a commitSync per record was a
 * broker round trip on the only consumer thread): {@code commit()} marks the offset, and the poll loop
 * sends one commitAsync per partition after that poll's records, so an offset is still sent only after
 * its record went through this step. A commit that never reaches the broker (crash, rebalance, a
 * failed commitAsync) leaves records that were stored or parked to be polled again, as a crash between
 * store and commitSync did before, only for up to one poll's records: a stored event comes back as a
 * duplicate of its eventId (an invoice line of its natural key) and changes nothing; an invalid event
 * finds its parked row by the record's Kafka place ({@code parked_event.origin}, V31) and is not parked
 * again. Parked invoice lines have no such key yet: one could be parked twice.
 */
@Component("kafkaOffsetCommit")
public class KafkaOffsetCommit {

    public void commit(@Header(KafkaConstants.MANUAL_COMMIT) KafkaManualCommit manualCommit) {
        if (manualCommit == null) {
            throw new IllegalStateException("No " + KafkaConstants.MANUAL_COMMIT + " header: the Kafka endpoint must allow manual commits");
        }
        manualCommit.commit();
    }
}
