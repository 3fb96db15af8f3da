package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cwbridge.BundleApplication;
import io.cwbridge.config.BundleProperties;
import io.cwbridge.testsupport.KafkaTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Scale-out (issue 6 item 3) and Kafka redelivery (item 5d): two bundle instances share one
 * KRaft broker, one consumer group and one database. Instance A is this test's context (it also
 * serves the sandbox), instance B a second context on A's database. 20 subscriptions
 * × 5 ordered events keyed by subscription id: each event becomes one task, SYNCED once, in
 * order, and both instances read partitions. Then every record is delivered again (the group's
 * offsets rewound as if never committed) and nothing changes.
 */
class KafkaScaleOutTest extends KafkaTestBase {

    static final int SUBSCRIPTIONS = 20;
    static final int EVENTS = 5;

    @LocalServerPort int port;
    @Value("${spring.datasource.url}") String databaseUrl; // this context's database on the JVM's one PostgreSQL
    @Autowired JdbcTemplate jdbc;
    @Autowired CamelContext camelA;
    @Autowired BundleProperties properties;

    ConfigurableApplicationContext instanceB;

    @AfterEach
    void stopB() {
        if (instanceB != null) instanceB.close();
    }

    @Test
    void twoInstancesApplyEveryEventOnceInOrderAndARedeliveryChangesNothing() throws Exception {
        instanceB = new SpringApplicationBuilder(BundleApplication.class).run(
                "--server.port=0",
                "--cwbridge.data-dir=" + properties.dataDir().toAbsolutePath(), // same master key: B reads the partner keys A saved
                "--cwbridge.embedded-db.enabled=false",
                "--spring.datasource.url=" + databaseUrl,
                "--spring.datasource.username=postgres",
                "--cwbridge.kafka.enabled=true",
                "--cwbridge.kafka.bootstrap-servers=" + brokers,
                "--cwbridge.kafka.topic=" + TOPIC,
                "--cwbridge.kafka.invoices-topic=" + INVOICES_TOPIC,
                "--cwbridge.kafka.consumer-group=" + GROUP,
                "--cwbridge.demo.enabled=false",
                "--cwbridge.connectwise.initial-backoff=20ms",
                "--cw-sandbox.enabled=false",
                "--spring.jmx.enabled=false",
                // as application-test.yaml for instance A: its consumers stop after a 0.5 s poll, and it closes in seconds
                "--camel.component.kafka.poll-timeout-ms=500",
                "--camel.component.kafka.shutdown-timeout=2000",
                "--camel.main.shutdown-timeout=2",
                "--camel.main.name=instance-b");
        CamelContext camelB = instanceB.getBean(CamelContext.class);

        Tenant tenant = new Tenant("scale", port, port).setUp(SUBSCRIPTIONS);

        try (AdminClient admin = admin()) {
            // The topic and group are shared with the other Kafka tests: this test's records start here.
            Map<TopicPartition, Long> start = endOffsets(admin, TOPIC);
            // Both members hold partitions before anything is produced, so no rebalance moves work mid-test.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                ConsumerGroupDescription group = describe(admin);
                assertThat(group.state()).isEqualTo(ConsumerGroupState.STABLE);
                assertThat(group.members()).hasSize(2).allSatisfy(m -> assertThat(m.assignment().topicPartitions()).isNotEmpty());
            });

            Map<Integer, Integer> recordsPerPartition = new HashMap<>();
            try (KafkaProducer<String, String> producer = producer()) {
                for (int k = 0; k < EVENTS; k++) {
                    for (int i = 0; i < SUBSCRIPTIONS; i++) {
                        RecordMetadata sent = producer.send(new ProducerRecord<>(TOPIC, tenant.subscriptions.get(i), tenant.event(i, k))).get();
                        recordsPerPartition.merge(sent.partition(), 1, Integer::sum);
                    }
                }
            }
            tenant.awaitAllSynced(SUBSCRIPTIONS * EVENTS, Duration.ofSeconds(120));
            tenant.assertExact("scale-out 2 instances", EVENTS);

            // One task per event, applied in order: the operations of a subscription's tasks ran in occurredAt order.
            assertThat(count("SELECT count(*) FROM sync_task WHERE partner_id = 'scale'")).isEqualTo(SUBSCRIPTIONS * EVENTS);
            assertThat(count("SELECT count(DISTINCT event_id) FROM sync_task WHERE partner_id = 'scale'")).isEqualTo(SUBSCRIPTIONS * EVENTS);
            for (String subscription : tenant.subscriptions) {
                List<String> byOccurrence = jdbc.queryForList("""
                        SELECT t.event_id FROM sync_task t WHERE t.partner_id = 'scale' AND t.subscription_id = ?
                        ORDER BY t.occurred_at""", String.class, subscription);
                List<String> bySyncTime = jdbc.queryForList("""
                        SELECT t.event_id FROM sync_task t WHERE t.partner_id = 'scale' AND t.subscription_id = ?
                        ORDER BY t.synced_at, t.task_id""", String.class, subscription);
                assertThat(bySyncTime).as("sync order of " + subscription).isEqualTo(byOccurrence);
            }

            // Both instances consumed: each member's partitions received records, and every record was committed.
            ConsumerGroupDescription group = describe(admin);
            List<Set<Integer>> assigned = new ArrayList<>();
            for (MemberDescription m : group.members()) {
                assigned.add(m.assignment().topicPartitions().stream().map(TopicPartition::partition).collect(Collectors.toSet()));
            }
            System.out.printf("SCALE-OUT records per partition %s, assignment per instance %s%n", recordsPerPartition, assigned);
            assertThat(assigned).hasSize(2).allSatisfy(parts ->
                    assertThat(parts.stream().mapToInt(p -> recordsPerPartition.getOrDefault(p, 0)).sum()).isPositive());
            Map<TopicPartition, Long> ends = endOffsets(admin);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committed(admin)).isEqualTo(ends));

            // Redelivery (5d): stop both consumers, rewind the group as if none of this test's records had been committed, start again.
            long posts = tenant.calls(Tenant.ADDITIONS_POST);
            long writes = tenant.writeCalls();
            long events = count("SELECT count(*) FROM subscription_event WHERE event_id LIKE 'scale-%'");
            List<String> kafkaRoutesA = stopKafkaRoutes(camelA);
            List<String> kafkaRoutesB = stopKafkaRoutes(camelB);
            await().atMost(Duration.ofSeconds(60)).until(() -> describe(admin).state() == ConsumerGroupState.EMPTY);
            Map<TopicPartition, OffsetAndMetadata> rewind = new HashMap<>();
            ends.keySet().forEach(tp -> rewind.put(tp, new OffsetAndMetadata(start.get(tp))));
            admin.alterConsumerGroupOffsets(GROUP, rewind).all().get();
            startRoutes(camelB, kafkaRoutesB);
            startRoutes(camelA, kafkaRoutesA);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertThat(committed(admin)).isEqualTo(ends));

            System.out.printf("REDELIVERY %d records read again: events %d -> %d, additions POST %d -> %d, writes %d -> %d%n",
                    SUBSCRIPTIONS * EVENTS, events, count("SELECT count(*) FROM subscription_event WHERE event_id LIKE 'scale-%'"),
                    posts, tenant.calls(Tenant.ADDITIONS_POST), writes, tenant.writeCalls());
            assertThat(count("SELECT count(*) FROM subscription_event WHERE event_id LIKE 'scale-%'")).isEqualTo(events);
            assertThat(count("SELECT count(*) FROM sync_task WHERE partner_id = 'scale'")).isEqualTo(SUBSCRIPTIONS * EVENTS);
            assertThat(tenant.writeCalls()).isEqualTo(writes);
            tenant.assertExact("kafka redelivery", EVENTS);
        }
    }

    private ConsumerGroupDescription describe(AdminClient admin) throws Exception {
        return admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
    }

    /** The topic's partitions that hold records, with their end offsets. */
    private Map<TopicPartition, Long> endOffsets(AdminClient admin) throws Exception {
        return endOffsets(admin, TOPIC).entrySet().stream().filter(e -> e.getValue() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private Map<TopicPartition, Long> committed(AdminClient admin) throws Exception {
        return committed(admin, GROUP, TOPIC).entrySet().stream().filter(e -> e.getValue() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The routes reading Kafka: the ingest route and the Kamelet source route(s) it consumes. */
    private static List<String> stopKafkaRoutes(CamelContext camel) throws Exception {
        List<String> ids = camel.getRoutes().stream()
                .filter(r -> r.getRouteId().endsWith("-kafka") || r.getEndpoint().getEndpointUri().startsWith("kafka:"))
                .map(Route::getRouteId).toList();
        for (String id : ids) camel.getRouteController().stopRoute(id);
        return ids;
    }

    private static void startRoutes(CamelContext camel, List<String> ids) throws Exception {
        for (String id : ids) camel.getRouteController().startRoute(id);
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

}
