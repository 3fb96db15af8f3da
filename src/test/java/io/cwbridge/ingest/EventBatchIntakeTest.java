package io.cwbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.SqlCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Route {@code subscription-events-batch}, the Kafka intake's store of a poll batch (issue 14), fed the records'
 * exchanges as camel-kafka's batching consumer hands them over (here without a broker: KafkaIngestTest runs it behind
 * the real consumer). A batch of N records is one statement for its events and tasks, where the event-by-event route
 * (the HTTP intake's, and the Kafka intake's before) takes one per event; the new tasks are handed over in record
 * order; invalid events and repeats with another body are parked once with their Kafka place; repeats change nothing.
 */
class EventBatchIntakeTest extends BundleTestBase {

    private static final String PARTNER = "batch-msp";
    private static final String TOPIC = "batch-test";
    /** eventIds handed to seda:subscription-sync by the batch route, in order (this test's only). */
    private static final List<String> handedOver = new CopyOnWriteArrayList<>();
    /** The context whose route records them (advised once: advising again would add a second recorder). */
    private static CamelContext advised;

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired PartnerConnectionRepository connections;
    @Autowired CamelContext camel;
    @Autowired ProducerTemplate producer;
    @Autowired JdbcTemplate jdbc;

    private final ObjectMapper mapper = new ObjectMapper();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void connectAndWatchHandOvers() throws Exception {
        connections.save(PARTNER, new SandboxAdmin(port, env).connection());
        if (advised != camel) {
            AdviceWith.adviceWith(camel, "subscription-events-batch", a -> a.weaveByToUri("seda:subscription-sync*").before()
                    .process(e -> {
                        String eventId = e.getMessage().getHeader("eventId", String.class);
                        if (eventId != null && eventId.startsWith("batch-")) handedOver.add(eventId);
                    }).id("batch-test-hand-over"));
            advised = camel;
        }
        handedOver.clear();
    }

    @Test
    void twentyRecordsAreOneStatementWhereEventByEventTheyWereTwenty() throws Exception {
        // Before: the event-by-event route, as the Kafka intake used it for every event of every record.
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 20; i++) before.add(event("batch-" + run + "-one-" + i, subscription(100 + i), 3 + i));
        warmUp();
        SqlCounter.reset();
        for (String e : before) {
            producer.sendBodyAndHeader("direct:subscription-events-ingest", e, "source", "KAFKA");
        }
        Map<String, Long> eventByEvent = SqlCounter.byStatement();

        List<String> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) events.add(event("batch-" + run + "-" + i, subscription(200 + i), 3 + i));
        List<Exchange> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) records.add(record(i % 4, 1000 + i, events.get(i)));
        handedOver.clear();
        SqlCounter.reset();
        producer.sendBody("direct:subscription-events-batch", records);
        Map<String, Long> batch = SqlCounter.byStatement();

        long oneByOne = statements(eventByEvent, "INSERT INTO subscription_event");
        long batched = statements(batch, "INSERT INTO subscription_event");
        System.out.printf("Kafka intake, 20 records of one event each: %d store statements event by event (%.2f per record),"
                        + " %d as one batch (%.2f per record); %d parked, %d connection look-ups in the batch%n",
                oneByOne, oneByOne / 20.0, batched, batched / 20.0, statements(batch, "INSERT INTO parked_event"),
                statements(batch, "FROM partner_connection"));
        assertThat(oneByOne).as("event by event: one statement per event").isEqualTo(20);
        assertThat(batched).as("the batch: one statement for all its events and tasks").isEqualTo(1);
        assertThat(statements(batch, "WITH incoming AS (")).isEqualTo(1);
        assertThat(statements(batch, "INSERT INTO parked_event")).isZero();
        assertThat(statements(batch, "FROM partner_connection")).as("the partner's look-up is kept 30 s").isLessThanOrEqualTo(1);
        assertThat(statements(batch, "FROM sync_task WHERE event_id")).as("new events need no second read").isZero();

        assertThat(count("SELECT count(*) FROM sync_task WHERE event_id = ANY (?)", (Object) ids(before))).isEqualTo(20);
        // Each event's task, in record order: the tasks' ids rise with the records.
        List<String> taskOrder = jdbc.queryForList("SELECT event_id FROM sync_task WHERE event_id = ANY (?) ORDER BY task_id",
                String.class, (Object) ids(events));
        assertThat(taskOrder).containsExactly(ids(events));
        assertThat(handedOver).as("new tasks handed over in record order").containsExactly(ids(events));
        assertThat(count("SELECT count(*) FROM subscription_event WHERE event_id = ANY (?) AND source = 'KAFKA'",
                (Object) ids(events))).isEqualTo(20);
    }

    @Test
    void aBatchParksItsInvalidEventsOnceAndTakesRepeatsAsDuplicatesPolledAgainToo() throws Exception {
        String a1 = event(id("a1"), subscription(1), 10);
        String a2 = event(id("a2"), subscription(1), 11);
        String b1 = event(id("b1"), subscription(2), 5);
        String c1 = event(id("c1"), subscription(3), 7);
        String invalid = event(id("bad"), subscription(4), -3);
        String conflict = a1.replace("\"quantity\":10", "\"quantity\":99");
        List<Exchange> records = List.of(
                record(0, 7, a1),
                record(1, 3, "[" + b1 + "," + invalid + "," + c1 + "]"),
                record(0, 8, a1),             // a repeat in the same batch, same body
                record(0, 9, conflict),        // the same eventId with another body
                record(0, 10, a2),
                record(2, 4, "not json"));
        warmUp();
        SqlCounter.reset();
        producer.sendBody("direct:subscription-events-batch", records);
        Map<String, Long> sql = SqlCounter.byStatement();

        assertThat(statements(sql, "INSERT INTO subscription_event")).isEqualTo(1);
        assertThat(statements(sql, "INSERT INTO parked_event")).as("the invalid event, the conflict and the text").isEqualTo(3);
        // one hand-over per subscription, at its first event: a2's task is subscription 1's second, which its run syncs too
        assertThat(handedOver).containsExactly(id("a1"), id("b1"), id("c1"));
        for (String e : List.of("a1", "a2", "b1", "c1")) {
            assertThat(count("SELECT count(*) FROM subscription_event WHERE event_id = ?", id(e))).as(e).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM sync_task WHERE event_id = ?", id(e))).as(e).isEqualTo(1);
        }
        assertThat(jdbc.queryForObject("SELECT payload->'subscription'->>'quantity' FROM subscription_event WHERE event_id = ?",
                String.class, id("a1"))).isEqualTo("10");
        assertThat(count("SELECT count(*) FROM subscription_event WHERE event_id = ?", id("bad"))).isZero();
        List<Map<String, Object>> parked = parked();
        assertThat(parked).extracting(r -> r.get("origin")).containsExactly(TOPIC + "/1/3#1", TOPIC + "/0/9#0", TOPIC + "/2/4#0");
        assertThat(parked).allSatisfy(r -> assertThat(r.get("source")).isEqualTo("KAFKA"));
        assertThat((String) parked.get(0).get("reasons")).contains("subscription.quantity");
        assertThat(parked.get(0).get("event_id")).isEqualTo(id("bad"));
        assertThat(parked.get(0).get("partner_id")).isEqualTo(PARTNER);
        // An array's element is kept as the intake re-wrote it (numbers by value), as before batching.
        assertThat(mapper.readTree((String) parked.get(0).get("raw_payload"))
                .equals(EventIntake.NUMBERS_BY_VALUE, mapper.readTree(invalid))).isTrue();
        long a1Task = count("SELECT task_id FROM sync_task WHERE event_id = ?", id("a1"));
        assertThat((String) parked.get(1).get("reasons")).contains("already used by task " + a1Task);
        assertThat(parked.get(2).get("event_id")).isNull();

        // Polled again (a lost commit, or a failure after the store): nothing new is stored, parked or handed over.
        handedOver.clear();
        SqlCounter.reset();
        producer.sendBody("direct:subscription-events-batch", records);
        assertThat(statements(SqlCounter.byStatement(), "INSERT INTO subscription_event")).isEqualTo(1);
        assertThat(handedOver).as("repeats are not handed over").isEmpty();
        assertThat(parked()).isEqualTo(parked);
        for (String e : List.of("a1", "a2", "b1", "c1")) {
            assertThat(count("SELECT count(*) FROM sync_task WHERE event_id = ?", id(e))).as(e).isEqualTo(1);
        }
    }

    @Test
    void theCorrectedEventOfALaterBatchResolvesTheParkedOneInTheSameStatement() throws Exception {
        String broken = event(id("fixed-later"), subscription(5), -2);
        producer.sendBody("direct:subscription-events-batch", List.of(record(0, 20, broken)));
        assertThat(count("SELECT count(*) FROM parked_event WHERE event_id = ? AND status = 'PARKED'", id("fixed-later"))).isEqualTo(1);

        SqlCounter.reset();
        producer.sendBody("direct:subscription-events-batch", List.of(record(0, 21, event(id("fixed-later"), subscription(5), 2)),
                record(0, 22, event(id("unrelated"), subscription(6), 1))));
        assertThat(SqlCounter.byStatement().keySet()).filteredOn(sql -> sql.contains("UPDATE parked_event"))
                .as("no round trip of its own: the batch's store does it").singleElement().asString().contains("WITH incoming AS (");
        assertThat(jdbc.queryForMap("SELECT status, replayed_event_id FROM parked_event WHERE event_id = ?", id("fixed-later")))
                .containsEntry("status", "RESENT").containsEntry("replayed_event_id", id("fixed-later"));
        assertThat(count("SELECT count(*) FROM sync_task WHERE event_id = ?", id("fixed-later"))).isEqualTo(1);
    }

    /** The partner's connection is looked up once (then kept 30 s) and both routes have run once. */
    private void warmUp() throws Exception {
        String e = event("batch-" + run + "-warm-up", subscription(999), 2);
        producer.sendBody("direct:subscription-events-batch", List.of(record(3, 1, e)));
        handedOver.clear();
    }

    private List<Map<String, Object>> parked() {
        return jdbc.queryForList("SELECT origin, source, event_id, partner_id, raw_payload, reasons::text AS reasons FROM parked_event"
                + " WHERE origin LIKE ? ORDER BY parked_id", TOPIC + "-" + run + "/%")
                .stream().map(r -> {
                    Map<String, Object> row = new java.util.HashMap<>(r);
                    row.put("origin", ((String) r.get("origin")).replace(TOPIC + "-" + run, TOPIC));
                    return (Map<String, Object>) row;
                }).toList();
    }

    /** A record's exchange as camel-kafka's batching consumer makes it: the value and the record's Kafka place. */
    private Exchange record(int partition, long offset, String value) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(value);
        exchange.getMessage().setHeader(KafkaConstants.TOPIC, TOPIC + "-" + run);
        exchange.getMessage().setHeader(KafkaConstants.PARTITION, partition);
        exchange.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        return exchange;
    }

    private String id(String name) {
        return "batch-" + run + "-" + name;
    }

    private String subscription(int n) {
        return String.format("%s-0000-4000-8000-%012d", run, n);
    }

    private static String[] ids(List<String> events) {
        return events.stream().map(e -> e.replaceAll(".*\"eventId\":\"([^\"]+)\".*", "$1")).toArray(String[]::new);
    }

    private static long statements(Map<String, Long> sql, String text) {
        return sql.entrySet().stream().filter(e -> e.getKey().contains(text)).mapToLong(Map.Entry::getValue).sum();
    }

    private long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    private String event(String eventId, String subscriptionId, int quantity) throws Exception {
        return EventValidatorTest.salesOrder(PARTNER, eventId, subscriptionId, quantity);
    }
}
