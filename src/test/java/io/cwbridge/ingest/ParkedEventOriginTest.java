package io.cwbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.reconciliation.InvoiceIntake;
import io.cwbridge.testsupport.BundleTestBase;
import java.util.List;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Kafka record's invalid event is parked once, however often the record is polled: with the intake's asynchronous
 * offset commits a lost commit polls it again (issue 14). HTTP input, which has no Kafka place, is parked each time.
 */
class ParkedEventOriginTest extends BundleTestBase {

    @Autowired ParkedEventRepository parked;
    @Autowired CamelContext camel;
    @Autowired JdbcTemplate jdbc;
    @Autowired InvoiceIntake invoices;

    @Test
    void aRecordPolledAgainFindsItsEventsParkedAndAnotherEventOfItIsParkedOnItsOwn() throws Exception {
        String topic = "origin-" + UUID.randomUUID();
        long first = parked.parkSubscriptionEvent(kafkaMessage(topic, 0));
        long again = parked.parkSubscriptionEvent(kafkaMessage(topic, 0));
        long second = parked.parkSubscriptionEvent(kafkaMessage(topic, 1));

        assertThat(again).isEqualTo(first);
        assertThat(second).isNotEqualTo(first);
        assertThat(jdbc.queryForList("SELECT origin FROM parked_event WHERE origin LIKE ? ORDER BY origin", String.class, topic + "/%"))
                .containsExactly(topic + "/2/41#0", topic + "/2/41#1");
        assertThat(ParkedEventRepository.kafkaOrigin(topic, 2, 41L, 1)).isEqualTo(topic + "/2/41#1");
        assertThat(ParkedEventRepository.kafkaOrigin(null, 2, 41L, 1)).as("no Kafka place").isNull();
    }

    @Test
    void anInvalidInvoiceRecordPolledAgainIsParkedOnce() {
        // Route invoices-kafka's bean call with the record's Kafka headers: the same record twice (a lost commit), then
        // the next record of the partition.
        String topic = "invoices-origin-" + UUID.randomUUID();
        String invalid = "{\"partnerId\":\"nobody\",\"billingPeriod\":\"not a period\"}";
        InvoiceIntake.Outcome first = invoices.fromKafka(invalid, topic, 0, 7L);
        InvoiceIntake.Outcome again = invoices.fromKafka(invalid, topic, 0, 7L);
        InvoiceIntake.Outcome next = invoices.fromKafka(invalid, topic, 0, 8L);

        assertThat(first.isParked()).isTrue();
        assertThat(again.parkedId()).isEqualTo(first.parkedId());
        assertThat(next.parkedId()).isNotEqualTo(first.parkedId());
        assertThat(jdbc.queryForList("SELECT origin FROM parked_event WHERE kind = 'INVOICE' AND origin LIKE ? ORDER BY origin",
                String.class, topic + "/%")).containsExactly(topic + "/0/7#0", topic + "/0/8#0");
    }

    @Test
    void anotherTextAtAPlaceAlreadyParkedIsKeptOnItsOwn() {
        // The topic recreated (or its offsets reset): a different invalid record at the same topic/partition/offset.
        String topic = "invoices-recreated-" + UUID.randomUUID();
        InvoiceIntake.Outcome before = invoices.fromKafka("{\"partnerId\":\"nobody\",\"billingPeriod\":\"x\"}", topic, 0, 3L);
        InvoiceIntake.Outcome after = invoices.fromKafka("{\"partnerId\":\"nobody\",\"billingPeriod\":\"y\"}", topic, 0, 3L);

        assertThat(after.parkedId()).as("not the earlier record's row").isNotEqualTo(before.parkedId());
        assertThat(jdbc.queryForObject("SELECT raw_payload FROM parked_event WHERE parked_id = ?", String.class, after.parkedId()))
                .contains("\"y\"");
        assertThat(jdbc.queryForObject("SELECT origin FROM parked_event WHERE parked_id = ?", String.class, after.parkedId()))
                .as("kept without the place the earlier record holds").isNull();
    }

    @Test
    void inputWithoutAKafkaPlaceIsParkedEachTimeItComes() {
        String partner = "origin-http-" + UUID.randomUUID();
        List<FieldProblem> reasons = List.of(new FieldProblem("quantity", "must be a number"));
        long first = parked.park(ParkedEvent.Kind.SUBSCRIPTION_EVENT, "HTTP", "{\"quantity\":\"x\"}", reasons, partner, "e-1");
        long second = parked.park(ParkedEvent.Kind.SUBSCRIPTION_EVENT, "HTTP", "{\"quantity\":\"x\"}", reasons, partner, "e-1");

        assertThat(second).isNotEqualTo(first);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM parked_event WHERE partner_id = ? AND origin IS NULL", Long.class, partner))
                .isEqualTo(2);
    }

    /** The park route's input for an event of a Kafka record, as EventIntake.parkings makes it. */
    private org.apache.camel.Message kafkaMessage(String topic, int indexInRecord) {
        Exchange exchange = new DefaultExchange(camel);
        org.apache.camel.Message m = exchange.getMessage();
        m.setHeader("source", "KAFKA");
        m.setHeader("rawPayload", "{\"eventId\":\"bad-" + indexInRecord + "\"}");
        m.setHeader(EventIntake.PROBLEMS, "[{\"field\":\"type\",\"message\":\"is required\"}]");
        m.setHeader(ParkedEventRepository.ORIGIN, ParkedEventRepository.kafkaOrigin(topic, 2, 41L, indexInRecord));
        return m;
    }
}
