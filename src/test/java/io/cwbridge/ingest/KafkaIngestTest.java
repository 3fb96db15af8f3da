package io.cwbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.KafkaTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.SqlCounter;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaConsumer;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualAsyncCommitFactory;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
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
        // Issue 14: a poll batch per exchange (the Kamelet's properties; application.yaml may tune them).
        assertThat(kafka.isBatching()).isTrue();
        assertThat(kafka.getMaxPollRecords()).isEqualTo(200);
        assertThat(kafka.getPollTimeoutMs()).isEqualTo(100L);
        assertThat(kafka.getBatchingIntervalMs()).isEqualTo(100);
        // The invoices topic shares the Kamelet and keeps record by record, with camel-kafka's defaults as before.
        KafkaConfiguration invoices = camel.getEndpoints().stream().filter(KafkaEndpoint.class::isInstance)
                .map(e -> ((KafkaEndpoint) e).getConfiguration())
                .filter(c -> INVOICES_TOPIC.equals(c.getTopic())).findFirst().orElseThrow();
        assertThat(invoices.isBatching()).isFalse();
        assertThat(invoices.getMaxPollRecords()).isEqualTo(500);
        assertThat(invoices.getPollTimeoutMs()).isEqualTo(5000L);
        assertThat(invoices.getBatchingIntervalMs()).isNull();
        // Issue 14: commits only marked by camel-kafka; the batch's are sent by the route (KafkaOffsetCommit.commitBatch).
        KafkaEndpoint endpoint = camel.getEndpoints().stream().filter(KafkaEndpoint.class::isInstance).map(KafkaEndpoint.class::cast)
                .filter(e -> TOPIC.equals(e.getConfiguration().getTopic())).findFirst().orElseThrow();
        assertThat(endpoint.getKafkaManualCommitFactory()).isInstanceOf(DefaultKafkaManualAsyncCommitFactory.class);
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

    /**
     * Issue 14, what a poll batch costs the intake: one SQL statement for all its records' events and tasks (the
     * partner's connection is known from a moment ago; a repeat's stored body comes back with it) and one broker commit.
     * Before, each record cost one statement per event and the consumer sent a commit per partition and poll. 20 records
     * (10 events, each twice) are produced while the consumer is paused, so it polls them in one batch, or a few if a
     * poll comes back with part of them. The broker is in this JVM: its OffsetCommit request count is read over JMX.
     */
    @Test
    void aPollBatchCostsOneStatementAndOneCommit() throws Exception {
        connections.save(PARTNER, new SandboxAdmin(port, env).connection());
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(event("kafka-cost-" + i, String.format("e%07d-0000-4000-8000-000000000005", i), 3 + i));
        }
        // Warm-up: the partner's connection is looked up once and the consumer has its partitions.
        produce(TOPIC, "warm-up", event("kafka-cost-warm-up", "e9999999-0000-4000-8000-000000000005", 2));
        long before;
        try (AdminClient admin = admin()) {
            before = sum(endOffsets(admin, TOPIC));
            long produced = before;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(sum(committed(admin, GROUP, TOPIC))).isEqualTo(produced));
        }
        java.util.concurrent.Callable<Long> offsetCommits = offsetCommitCounter();
        long commitsBefore = offsetCommits.call();
        SqlCounter.reset();

        // The consumer paused (it stays in its group) while the 20 records are produced: it then polls them in one or two
        // polls, and commits once per batch, not once per record.
        KafkaConsumer consumer = camel.getRoutes().stream().map(Route::getConsumer)
                .filter(c -> c instanceof KafkaConsumer k && TOPIC.equals(k.getEndpoint().getConfiguration().getTopic()))
                .map(KafkaConsumer.class::cast).findFirst().orElseThrow();
        String kafkaRoute = consumer.getRoute().getRouteId();
        camel.getRouteController().suspendRoute(kafkaRoute);
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(consumer::isKafkaPaused);
            try (KafkaProducer<String, String> producer = producer()) {
                for (int round = 0; round < 2; round++) { // each event, then each again: 20 records, 10 events
                    for (String e : events) {
                        producer.send(new ProducerRecord<>(TOPIC, mapper.readTree(e).path("subscription").path("id").asText(), e)).get();
                    }
                }
            }
        } finally {
            camel.getRouteController().resumeRoute(kafkaRoute);
        }
        try (AdminClient admin = admin()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(sum(committed(admin, GROUP, TOPIC))).isEqualTo(before + 20));
        }
        // the consumer counts a commit when its answer is in: the last one may come just after the offsets show
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> offsetCommits.call() > commitsBefore);
        long commits = offsetCommits.call() - commitsBefore;
        Map<String, Long> sql = SqlCounter.byStatement();
        long batches = statements(sql, "WITH incoming AS (");
        System.out.printf("Kafka intake, 20 records (10 events, each twice): %d batch statements (%.2f per record), %d event-by-event"
                        + " statements, %d offset commits, %d connection look-ups, %d body reads, %d parked%n", batches, batches / 20.0,
                statements(sql, "WITH stored AS ("), commits, statements(sql, "SELECT EXISTS (SELECT 1 FROM partner_connection"),
                statements(sql, "AS stored_payload FROM subscription_event"), statements(sql, "INSERT INTO parked_event"));

        assertThat(count("SELECT count(*) FROM subscription_event WHERE event_id LIKE 'kafka-cost-%' AND event_id <> 'kafka-cost-warm-up'"))
                .isEqualTo(10);
        assertThat(count("SELECT count(*) FROM sync_task WHERE event_id LIKE 'kafka-cost-%' AND event_id <> 'kafka-cost-warm-up'"))
                .isEqualTo(10);
        assertThat(batches).as("one statement per poll batch: 20 records in one, or a few").isBetween(1L, 3L);
        assertThat(statements(sql, "INSERT INTO subscription_event")).as("no event stored on its own").isEqualTo(batches);
        // At most one: the look-up is kept 30 s, a slow machine may have passed that since the warm-up.
        assertThat(statements(sql, "SELECT EXISTS (SELECT 1 FROM partner_connection")).isLessThanOrEqualTo(1);
        assertThat(statements(sql, "AS stored_payload FROM subscription_event"))
                .as("a repeat's stored body comes with its statement").isZero();
        assertThat(statements(sql, "INSERT INTO parked_event")).as("a repeat with the same body is no conflict").isZero();
        assertThat(commits).as("offset commits: one per batch").isBetween(1L, batches);
    }

    /** Whether the event {@link #FAILING_EVENT} fails after it was stored (so its record is not marked done), and how often it came. */
    private static final AtomicBoolean failing = new AtomicBoolean();
    private static final AtomicInteger attempts = new AtomicInteger();
    private static final String FAILING_KEY = "f5555555-0000-4000-8000-000000000006";
    private static final String FAILING_EVENT = "kafka-fails-once";

    /**
     * With batches and asynchronous commits, still only what went through is committed: a batch that fails after its
     * events were stored (as a database failure on the way would) is not committed, the consumer polls it again from
     * its first record (camel-kafka's batching always breaks on an error), and once it goes through its offsets are
     * committed; its event is stored once, with one task.
     */
    @Test
    void aRecordThatFailsIsNotCommittedAndIsPolledAgainUntilItGoesThrough() throws Exception {
        connections.save(PARTNER, new SandboxAdmin(port, env).connection());
        if (camel.getProcessor("kafka-ingest-test-failure") == null) {
            // After the batch is stored and its tasks handed over, only a batch with this test's event (every other passes as
            // before). Not on the Kafka route itself: advising a route restarts it, and one that starts from a Kamelet
            // would get a second one.
            AdviceWith.adviceWith(camel, "subscription-events-batch", a -> a.weaveAddLast().process(e -> {
                if (e.getMessage().getBody(IntakeBatch.class).events().stream()
                        .noneMatch(event -> FAILING_EVENT.equals(event.check().eventId()))) return;
                attempts.incrementAndGet();
                if (failing.get()) throw new IllegalStateException("this test's failure after the batch was stored");
            }).id("kafka-ingest-test-failure"));
        }
        failing.set(true);
        attempts.set(0);
        RecordMetadata sent = produce(TOPIC, FAILING_KEY, event(FAILING_EVENT, FAILING_KEY, 6));
        TopicPartition partition = new TopicPartition(TOPIC, sent.partition());
        try (AdminClient admin = admin()) {
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> attempts.get() >= 3);
                assertThat(committed(admin, GROUP, TOPIC).getOrDefault(partition, 0L)).as("not past the failing record")
                        .isLessThanOrEqualTo(sent.offset());
            } finally {
                failing.set(false);
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(committed(admin, GROUP, TOPIC).get(partition)).isEqualTo(sent.offset() + 1));
        }
        assertThat(count("SELECT count(*) FROM subscription_event WHERE event_id = 'kafka-fails-once'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM sync_task WHERE event_id = 'kafka-fails-once'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM parked_event WHERE event_id = 'kafka-fails-once'")).isZero();
    }

    /** A record's own Kafka headers are no intake state: one named like the HTTP intake's inputProblems neither parks nor fails it. */
    @Test
    void aRecordsOwnHeadersDoNotSteerTheIntake() throws Exception {
        connections.save(PARTNER, new SandboxAdmin(port, env).connection());
        String sub = "f6666666-0000-4000-8000-000000000007";
        try (KafkaProducer<String, String> producer = producer()) {
            ProducerRecord<String, String> notJson = new ProducerRecord<>(TOPIC, sub, event("kafka-header-1", sub, 4));
            notJson.headers().add(EventIntake.INPUT_PROBLEMS, "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            producer.send(notJson).get();
            ProducerRecord<String, String> problems = new ProducerRecord<>(TOPIC, sub, event("kafka-header-2", sub, 5));
            problems.headers().add(EventIntake.INPUT_PROBLEMS,
                    "[{\"field\":\"$\",\"message\":\"made up\"}]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            producer.send(problems).get();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
                count("SELECT count(*) FROM subscription_event WHERE event_id IN ('kafka-header-1', 'kafka-header-2')")).isEqualTo(2));
        assertThat(count("SELECT count(*) FROM parked_event WHERE event_id IN ('kafka-header-1', 'kafka-header-2')")).isZero();
    }

    private static long statements(Map<String, Long> sql, String text) {
        return sql.entrySet().stream().filter(e -> e.getKey().contains(text)).mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * How the test counts offset commits: the OffsetCommit requests the embedded broker handled (every API version), or,
     * when its request metrics are gone from JMX (Kafka's metrics registry is JVM-wide: another test context's broker that
     * shut down took the shared names with it), the commits this context's intake consumer sent (its
     * consumer-coordinator-metrics commit-total). One source for the whole measurement.
     */
    private static java.util.concurrent.Callable<Long> offsetCommitCounter() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName broker = new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,request=OffsetCommit,*");
        if (!server.queryNames(broker, null).isEmpty()) return () -> sumOf(server, broker, "Count", null);
        ObjectName consumers = new ObjectName("kafka.consumer:type=consumer-coordinator-metrics,*");
        java.util.function.Predicate<ObjectName> intake = n -> String.valueOf(n.getKeyProperty("client-id")).matches("consumer-" + GROUP + "-\\d+");
        assertThat(server.queryNames(consumers, null).stream().filter(intake)).as("the intake consumer's commit metrics (JMX)").isNotEmpty();
        return () -> sumOf(server, consumers, "commit-total", intake);
    }

    private static long sumOf(MBeanServer server, ObjectName pattern, String attribute, java.util.function.Predicate<ObjectName> which)
            throws Exception {
        long total = 0;
        for (ObjectName name : server.queryNames(pattern, null)) {
            if (which != null && !which.test(name)) continue;
            total += ((Number) server.getAttribute(name, attribute)).longValue();
        }
        return total;
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private String event(String eventId, String subscriptionId, int quantity) throws Exception {
        return EventValidatorTest.salesOrder(PARTNER, eventId, subscriptionId, quantity);
    }
}
