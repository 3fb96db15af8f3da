package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.testsupport.KafkaTestBase;
import java.math.BigDecimal;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * R32 route {@code invoices-kafka} with the Kamelet {@code marketplace-kafka-source} on an embedded KRaft
 * broker: lines (single and batched) stored once by their natural key with source KAFKA, an
 * invalid record or one that contradicts a stored line parked with its reasons (and stored once
 * replayed with a fix), and every record's offset committed once handled.
 */
class InvoicesKafkaTest extends KafkaTestBase {

    private static final String PARTNER = "kafka-invoices";

    @Autowired JdbcTemplate jdbc;
    @Autowired TestRestTemplate http;
    @Autowired ObjectMapper mapper;
    @Autowired CamelContext camel;
    @Autowired PartnerConnectionRepository connections;

    @Test
    void r32InvoiceLinesFromKafkaAreStoredOnceAndTheirOffsetsCommitted() throws Exception {
        assertThat(camel.getRouteController().getRouteStatus("invoices-kafka")).isEqualTo(ServiceStatus.Started);
        // Invoice lines are taken only for a connected partner; this test never calls ConnectWise.
        connections.save(PARTNER, new ConnectWiseConnection("http://localhost:1/cw", "v4_6_release", "kafka_msp",
                "publicKey01", "privateKey01", "1d6b7e2a-6f0c-4a4e-9a53-0c5d8f1b2e77"));
        String reseller = line("sub-k1", "RESELLER", "187.00");
        String customer = line("sub-k1", "CUSTOMER", "230.00");
        String other = line("sub-k2", "RESELLER", "12.34");

        // The topic and group are shared with the other Kafka tests: offsets count from here.
        long before;
        try (AdminClient admin = admin()) {
            before = sum(endOffsets(admin, INVOICES_TOPIC));
        }
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(INVOICES_TOPIC, "sub-k1", reseller)).get();
            producer.send(new ProducerRecord<>(INVOICES_TOPIC, "sub-k1", "[" + customer + "," + other + "]")).get();
            producer.send(new ProducerRecord<>(INVOICES_TOPIC, "sub-k1", reseller.replace("187.00", "1.00"))).get();
            producer.send(new ProducerRecord<>(INVOICES_TOPIC, "sub-k3", "{\"partnerId\":\"" + PARTNER + "\",\"amount\":\"x\"}")).get();
            producer.send(new ProducerRecord<>(INVOICES_TOPIC, "sub-k4", "{\"partnerId\":")).get();
        }

        try (AdminClient admin = admin()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(sum(committed(admin, INVOICES_GROUP, INVOICES_TOPIC))).isEqualTo(before + 5));
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM invoice_line WHERE partner_id = ?", Long.class, PARTNER)).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM invoice_line WHERE partner_id = ? AND source = 'KAFKA'", Long.class, PARTNER))
                .isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT amount FROM invoice_line WHERE partner_id = ? AND subscription_id = 'sub-k1' "
                + "AND invoice_type = 'RESELLER'", BigDecimal.class, PARTNER)).isEqualByComparingTo("187.00");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM invoice_line WHERE partner_id = ? AND subscription_id = 'sub-k3'",
                Long.class, PARTNER)).isZero();

        // Nothing is lost: the invalid records and the one that contradicts a stored line wait as parked
        // INVOICE input with their reasons.
        JsonNode page = mapper.readTree(http.getForObject("/api/v1/parked-events?kind=INVOICE&status=PARKED", String.class));
        assertThat(page.path("total").asInt()).isEqualTo(3);
        // The records have other keys, so other partitions: find each row by what it holds, not by its place.
        JsonNode notJson = null;
        JsonNode invalid = null;
        JsonNode conflict = null;
        for (JsonNode item : page.path("items")) {
            if (item.path("partnerId").isNull()) notJson = item;
            else if (item.path("reasons").findValuesAsText("field").contains("subscriptionId")) invalid = item;
            else conflict = item;
        }
        assertThat(notJson).isNotNull();
        assertThat(invalid).isNotNull();
        assertThat(conflict).isNotNull();
        assertThat(conflict.path("reasons").findValuesAsText("field")).containsExactly("amount");
        assertThat(conflict.path("rawPayload").asText()).contains("1.00");
        assertThat(notJson.path("source").asText()).isEqualTo("KAFKA");
        assertThat(notJson.path("reasons").findValuesAsText("message")).containsExactly("is not valid JSON");
        assertThat(invalid.path("kind").asText()).isEqualTo("INVOICE");
        assertThat(invalid.path("partnerId").asText()).isEqualTo(PARTNER);
        assertThat(invalid.path("reasons").findValuesAsText("field")).contains("amount", "subscriptionId", "billingPeriod");

        // Fixed and replayed, the line is stored (source REPLAY) and the row is REPLAYED; a second replay is refused.
        String fixed = line("sub-k3", "RESELLER", "55.10");
        ResponseEntity<String> replayed = http.postForEntity("/api/v1/parked-events/{id}/replay", json(fixed), String.class,
                invalid.path("parkedId").asLong());
        assertThat(replayed.getStatusCode().value()).as(replayed.getBody()).isEqualTo(200);
        assertThat(mapper.readTree(replayed.getBody()).path("outcome").asText()).isEqualTo("ACCEPTED");
        assertThat(jdbc.queryForObject("SELECT amount FROM invoice_line WHERE partner_id = ? AND subscription_id = 'sub-k3' "
                + "AND source = 'REPLAY'", BigDecimal.class, PARTNER)).isEqualByComparingTo("55.10");
        assertThat(jdbc.queryForObject("SELECT status FROM parked_event WHERE parked_id = ?", String.class,
                invalid.path("parkedId").asLong())).isEqualTo("REPLAYED");
        assertThat(http.postForEntity("/api/v1/parked-events/{id}/replay", json(fixed), String.class,
                invalid.path("parkedId").asLong()).getStatusCode().value()).isEqualTo(409);

        // Replayed still broken, the text is parked again as a new row that supersedes the old one.
        ResponseEntity<String> again = http.postForEntity("/api/v1/parked-events/{id}/replay", json("[]"), String.class,
                notJson.path("parkedId").asLong());
        assertThat(again.getStatusCode().value()).isEqualTo(400);
        long newRow = mapper.readTree(again.getBody()).path("parkedId").asLong();
        assertThat(newRow).isGreaterThan(notJson.path("parkedId").asLong());
        assertThat(jdbc.queryForObject("SELECT kind || ' ' || source FROM parked_event WHERE parked_id = ?", String.class, newRow))
                .isEqualTo("INVOICE REPLAY");
        assertThat(jdbc.queryForObject("SELECT status FROM parked_event WHERE parked_id = ?", String.class,
                notJson.path("parkedId").asLong())).isEqualTo("SUPERSEDED");
    }

    private static HttpEntity<String> json(String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        return new HttpEntity<>(body, headers);
    }

    private static String line(String subscriptionId, String type, String amount) {
        return """
                {"partnerId":"%s","invoiceType":"%s","invoiceNumber":"INV-%s","subscriptionId":"%s","providerId":30,
                 "kind":"SAAS","billingPeriod":"2024-02","quantity":10,"amount":%s,"currency":"USD"}"""
                .formatted(PARTNER, type, type, subscriptionId, amount);
    }
}
