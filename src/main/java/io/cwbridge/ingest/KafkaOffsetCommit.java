package io.cwbridge.ingest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Last step of routes {@code subscription-events-kafka} (a poll batch, {@link #commitBatch}) and {@code invoices-kafka}
 * (one record, {@link #commit}): commits offsets once everything before them is stored or parked (the Kamelet
 * {@code marketplace-kafka-source} turns off auto-commit and allows manual commits).
 *
 * <p>The Kamelet's commit factory is camel-kafka's async one (issue 14: a commitSync per record was a broker round trip
 * on the only consumer thread): {@code KafkaManualCommit.commit()} only marks the offset. Record by record (streaming),
 * the poll loop sends the marks with one commitAsync per partition after that poll's records. In batching mode
 * camel-kafka 4.17 sends none after a batch (only on revocation and stop), and its batch exchange carries one record's
 * commit (the last one's, so its partition only): {@link #commitBatch} therefore marks the last record of each
 * partition and sends them all in one commitAsync of its own. A commit that never reaches the broker (crash,
 * rebalance, a failed commitAsync) leaves records that were stored or parked to be polled again, for up to one batch:
 * a stored event comes back as a duplicate of its eventId (an invoice line of its natural key) and changes nothing;
 * an invalid event finds its parked row by its Kafka place ({@code parked_event.origin}, V31) and is not parked again.
 * Parked invoice lines have no such key yet: one could be parked twice.
 */
@Component("kafkaOffsetCommit")
public class KafkaOffsetCommit {

    private static final Logger log = LoggerFactory.getLogger(KafkaOffsetCommit.class);

    public void commit(@Header(KafkaConstants.MANUAL_COMMIT) KafkaManualCommit manualCommit) {
        if (manualCommit == null) {
            throw new IllegalStateException("No " + KafkaConstants.MANUAL_COMMIT + " header: the Kafka endpoint must allow manual commits");
        }
        manualCommit.commit();
    }

    /**
     * Commits a whole poll batch ({@code records}: camel-kafka's batch body, one exchange per record), once every record
     * in it is stored or parked: for each partition the offset after its last record, in one commitAsync. Runs on the
     * consumer's own poll thread (the route hands nothing to another thread before this step), which is the only thread
     * a Kafka consumer may be used from.
     */
    public void commitBatch(List<Exchange> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        Consumer<?, ?> consumer = null;
        for (Exchange record : records) {
            KafkaManualCommit manualCommit = record.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
            if (!(manualCommit instanceof DefaultKafkaManualCommit commit)) {
                throw new IllegalStateException("No " + KafkaConstants.MANUAL_COMMIT + " header of camel-kafka's own:"
                        + " the Kafka endpoint must allow manual commits");
            }
            // Marked (camel-kafka then sends it on revocation and stop too); records of a partition come in offset order.
            commit.commit();
            offsets.merge(commit.getPartition(), new OffsetAndMetadata(commit.getRecordOffset() + 1),
                    (a, b) -> a.offset() >= b.offset() ? a : b);
            consumer = commit.getConsumer();
        }
        if (consumer == null) return;
        consumer.commitAsync(offsets, (committed, e) -> {
            if (e != null) {
                log.warn("Offsets {} not committed ({}): their records are polled again and taken as repeats", committed, e.toString());
            }
        });
    }
}
