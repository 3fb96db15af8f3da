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
 * failed commitAsync) leaves records that were stored or parked to be polled again: they come back as
 * duplicates of their eventId (or natural key) and change nothing.
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
