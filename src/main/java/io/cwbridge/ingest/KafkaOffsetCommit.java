package io.cwbridge.ingest;

import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.springframework.stereotype.Component;

/**
 * Last step of routes {@code subscription-events-kafka} and {@code invoices-kafka}: commits the
 * record's offset once everything in it is stored or parked (the Kamelet
 * {@code marketplace-kafka-source} turns off auto-commit and allows manual commits).
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
