package io.cwbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.KafkaTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Route {@code subscription-events-kafka} with the Kamelet {@code marketplace-kafka-source}
 * against an embedded KRaft broker: events (single and batched) are stored once per eventId,
 * invalid ones parked with source KAFKA, and the group's offsets are committed once stored.
 */
class KafkaIngestTest extends KafkaTestBase {

    private static final String PARTNER = "kafka-msp";
    private static final String SUB_A = "a1111111-0000-4000-8000-000000000001";
    private static final String SUB_B = "b2222222-0000-4000-8000-000000000002";
    private static final String SUB_C = "c3333333-0000-4000-8000-000000000003";
    private static final String SUB_D = "d4444444-0000-4000-8000-000000000004";

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired JdbcTemplate jdbc;
    @Autowired PartnerConnectionRepository connections;
    @Autowired CamelContext camel;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void eventsFromKafkaAreStoredOnceParkedWhenInvalidAndTheirOffsetsCommitted() throws Exception {
        assertThat(camel.getRouteController().getRouteStatus("subscription-events-kafka")).isEqualTo(ServiceStatus.Started);
        KafkaConfiguration kafka = camel.getEndpoints().stream().filter(KafkaEndpoint.class::isInstance)
                .map(e -> ((KafkaEndpoint) e).getConfiguration())
                .filter(c -> TOPIC.equals(c.getTopic())).findFirst().orElseThrow();
        assertThat(kafka.getBrokers()).isEqualTo(brokers);
        assertThat(kafka.getGroupId()).isEqualTo(GROUP);
        assertThat(kafka.isAutoCommitEnable()).isFalse();
        assertThat(kafka.isAllowManualCommit()).isTrue();
        assertThat(kafka.isBreakOnFirstError()).isTrue();
        assertThat(kafka.getSaslMechanism()).isEqualTo("PLAIN");
        assertThat(kafka.getSaslJaasConfig()).isEqualTo(JAAS);
        assertThat(kafka.getSecurityProtocol()).isEqualTo("PLAINTEXT");
        // One Kamelet (marketplace-kafka-source) reads both topics, each with its own consumer group.
        assertThat(camel.getEndpoints().stream().filter(KafkaEndpoint.class::isInstance)
                .map(e -> ((KafkaEndpoint) e).getConfiguration()).map(c -> c.getTopic() + " " + c.getGroupId()))
                .containsExactlyInAnyOrder(TOPIC + " " + GROUP, INVOICES_TOPIC + " " + INVOICES_GROUP);
        connections.save(PARTNER, new SandboxAdmin(port, env).connection());

        String first = event("kafka-evt-1", SUB_A, 10);
        String batchB = event("kafka-evt-2", SUB_B, 5);
        String batchC = event("kafka-evt-3", SUB_C, 7);
        String invalid = event("kafka-evt-bad", SUB_D, -3);

        // The topic and group are shared with the other Kafka tests: offsets count from here.
        long before;
        try (AdminClient admin = admin()) {
            before = sum(endOffsets(admin, TOPIC));
        }
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(TOPIC, SUB_A, first)).get();
            producer.send(new ProducerRecord<>(TOPIC, SUB_A, first)).get();
            producer.send(new ProducerRecord<>(TOPIC, SUB_B, "[" + batchB + "," + batchC + "]")).get();
            producer.send(new ProducerRecord<>(TOPIC, SUB_D, invalid)).get();
            // Issue 13: a known eventId with another body, a duplicate key, a NUL in a name: each parked, none stored.
            producer.send(new ProducerRecord<>(TOPIC, SUB_A, first.replace("\"quantity\":10", "\"quantity\":11"))).get();
            producer.send(new ProducerRecord<>(TOPIC, SUB_D, event("kafka-evt-dup", SUB_D, 4)
                    .replace("\"quantity\":4", "\"quantity\":4,\"quantity\":4000"))).get();
            producer.send(new ProducerRecord<>(TOPIC, SUB_D, event("kafka-evt-nul", SUB_D, 4)
                    .replace("Chairs Unlimited", "Chairs\\u0000Unlimited"))).get();
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM parked_event WHERE event_id = 'kafka-evt-bad'")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM subscription_event WHERE event_id LIKE 'kafka-evt-%'")).isEqualTo(3);
        });

        for (String eventId : new String[] {"kafka-evt-1", "kafka-evt-2", "kafka-evt-3"}) {
            assertThat(count("SELECT count(*) FROM subscription_event WHERE event_id = ?", eventId)).as(eventId).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM sync_task WHERE event_id = ?", eventId)).as(eventId).isEqualTo(1);
        }
        assertThat(count("SELECT count(*) FROM subscription_event WHERE event_id = 'kafka-evt-bad'")).isZero();
        assertThat(count("SELECT count(*) FROM sync_task WHERE event_id = 'kafka-evt-bad'")).isZero();

        Map<String, Object> parked = jdbc.queryForMap(
                "SELECT source, partner_id, raw_payload, reasons::text AS reasons FROM parked_event WHERE event_id = 'kafka-evt-bad'");
        assertThat(parked.get("source")).isEqualTo("KAFKA");
        assertThat(parked.get("partner_id")).isEqualTo(PARTNER);
        assertThat(mapper.readTree((String) parked.get("raw_payload"))).isEqualTo(mapper.readTree(invalid));
        JsonNode reasons = mapper.readTree((String) parked.get("reasons"));
        assertThat(reasons.findValuesAsText("field")).anySatisfy(f -> assertThat(f).contains("quantity"));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
                count("SELECT count(*) FROM parked_event WHERE event_id IN ('kafka-evt-1', 'kafka-evt-dup', 'kafka-evt-nul')")).isEqualTo(3));
        assertThat(jdbc.queryForObject("SELECT reasons::text FROM parked_event WHERE event_id = 'kafka-evt-1'", String.class))
                .contains("already used by task");
        assertThat(jdbc.queryForObject("SELECT payload->'subscription'->>'quantity' FROM subscription_event WHERE event_id = 'kafka-evt-1'",
                String.class)).isEqualTo("10");
        assertThat(jdbc.queryForObject("SELECT reasons::text FROM parked_event WHERE event_id = 'kafka-evt-dup'", String.class))
                .contains("duplicate key");
        assertThat(jdbc.queryForObject("SELECT raw_payload FROM parked_event WHERE event_id = 'kafka-evt-nul'", String.class))
                .contains("Chairs\\u0000Unlimited");
        assertThat(count("SELECT count(*) FROM subscription_event WHERE event_id IN ('kafka-evt-dup', 'kafka-evt-nul')")).isZero();

        // Seven records were produced; once all are stored the group's committed offsets cover them all.
        try (AdminClient admin = admin()) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(sum(committed(admin, GROUP, TOPIC))).isEqualTo(before + 7));
        }
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private String event(String eventId, String subscriptionId, int quantity) throws Exception {
        ObjectNode event = (ObjectNode) mapper.readTree(EventValidatorTest.SPEC_EXAMPLE);
        event.put("eventId", eventId);
        event.put("partnerId", PARTNER);
        event.put("type", "SALES_ORDER");
        event.put("action", "NEW");
        ObjectNode subscription = (ObjectNode) event.get("subscription");
        subscription.put("id", subscriptionId);
        subscription.put("quantity", quantity);
        subscription.remove("previousQuantity");
        return mapper.writeValueAsString(event);
    }
}
