package io.cwbridge.ingest;

import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.springframework.stereotype.Component;

/**
 * Last step of route {@code subscription-events-kafka}: commits the record's offset once all its
 * events are stored (the Kamelet turns off auto-commit and allows manual commits).
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
