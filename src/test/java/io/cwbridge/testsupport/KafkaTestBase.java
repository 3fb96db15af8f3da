package io.cwbridge.testsupport;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.TestPropertySource;

/**
 * The one Kafka context: {@link BundleTestBase}'s context plus one embedded KRaft broker with every
 * topic the bundle reads, and the bundle's Kafka routes on ({@code cwbridge.kafka.*}). Every Kafka
 * test shares the topics and the consumer group, so a test counts offsets from where it started
 * ({@link #endOffsets}), not from zero. The Kafka helpers (producer, offsets) live here.
 */
@EmbeddedKafka(kraft = true, partitions = KafkaTestBase.PARTITIONS, topics = {KafkaTestBase.TOPIC, KafkaTestBase.INVOICES_TOPIC})
@TestPropertySource(properties = {
        "cwbridge.kafka.enabled=true",
        "cwbridge.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
        "cwbridge.kafka.topic=" + KafkaTestBase.TOPIC,
        "cwbridge.kafka.invoices-topic=" + KafkaTestBase.INVOICES_TOPIC,
        "cwbridge.kafka.consumer-group=" + KafkaTestBase.GROUP,
        // Not used over PLAINTEXT; set to check that such values reach the Kafka endpoint unchanged (KafkaIngestTest).
        "cwbridge.kafka.sasl-mechanism=PLAIN",
        "cwbridge.kafka.sasl-jaas-config=" + KafkaTestBase.JAAS})
public abstract class KafkaTestBase extends BundleTestBase {

    public static final String TOPIC = "subscription-events";
    public static final String INVOICES_TOPIC = "invoice-lines";
    public static final String GROUP = "cwbridge-test";
    /** The invoices route's own group (application.yaml: "<consumer-group>-invoices"). */
    public static final String INVOICES_GROUP = GROUP + "-invoices";
    public static final int PARTITIONS = 4;
    public static final String JAAS =
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p;a=b c\";";

    @Value("${spring.embedded.kafka.brokers}") protected String brokers;

    /** A producer that waits for every replica (acks=all); close it after use. */
    protected KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props);
    }

    /** Sends one record and waits until the broker has it. */
    protected RecordMetadata produce(String topic, String key, String value) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    protected AdminClient admin() {
        return AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers));
    }

    /** The latest offset of every partition of the topic (0 for an empty one). */
    protected Map<TopicPartition, Long> endOffsets(AdminClient admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /** The group's committed offsets on the topic (partitions it never committed are left out). */
    protected Map<TopicPartition, Long> committed(AdminClient admin, String group, String topic) throws Exception {
        Map<TopicPartition, Long> committed = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e
                : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet()) {
            if (e.getKey().topic().equals(topic) && e.getValue() != null) committed.put(e.getKey(), e.getValue().offset());
        }
        return committed;
    }

    /** The offsets added up: the records a topic holds (end offsets) or a group has read (committed). */
    protected static long sum(Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }
}
