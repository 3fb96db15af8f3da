package io.cwbridge.reconciliation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores invoice lines (R32) from HTTP and Kafka. The natural key (partner, subscription,
 * billing month, invoice type) makes a repeat change nothing: the first line stays.
 */
@Component("invoiceIntake")
public class InvoiceIntake {

    private static final Logger log = LoggerFactory.getLogger(InvoiceIntake.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;

    public InvoiceIntake(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    /** What became of one line: stored now, or already there (a repeat). */
    public record Stored(String partnerId, String subscriptionId, String billingPeriod, String invoiceType, boolean duplicate) {}

    @Transactional
    public List<Stored> store(List<InvoiceLine> lines, String source) {
        return lines.stream().map(line -> store(line, source)).toList();
    }

    /**
     * Route {@code invoices-kafka}: a record's value is one invoice line or an array. An invalid
     * record can never be stored, so it is logged (field reasons only) and its offset committed;
     * a database failure throws, and the record is polled again.
     */
    public List<Stored> fromKafka(String body) {
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            log.warn("Skipped an invoice record from Kafka that is not JSON");
            return List.of();
        }
        InvoiceValidator.Result result = InvoiceValidator.read(json);
        if (!result.valid()) {
            log.warn("Skipped an invalid invoice record from Kafka: {}", result.problems());
            return List.of();
        }
        return store(result.lines(), "KAFKA");
    }

    private Stored store(InvoiceLine line, String source) {
        Map<String, Object> p = new HashMap<>();
        p.put("partnerId", line.partnerId());
        p.put("subscriptionId", line.subscriptionId());
        p.put("periodStart", line.billingPeriod().atDay(1));
        p.put("invoiceType", line.invoiceType().name());
        p.put("invoiceNumber", line.invoiceNumber());
        p.put("providerId", line.providerId());
        p.put("kind", line.kind().name());
        p.put("quantity", line.quantity());
        p.put("amount", line.amount());
        p.put("currency", line.currency());
        p.put("source", source);
        int inserted = jdbc.update("""
                INSERT INTO invoice_line (partner_id, subscription_id, period_start, invoice_type, invoice_number,
                                          provider_id, kind, quantity, amount, currency, source)
                VALUES (:partnerId, :subscriptionId, :periodStart, :invoiceType, :invoiceNumber,
                        :providerId, :kind, :quantity, :amount, :currency, :source)
                ON CONFLICT (partner_id, subscription_id, period_start, invoice_type) DO NOTHING
                """, p);
        return new Stored(line.partnerId(), line.subscriptionId(), line.billingPeriod().toString(),
                line.invoiceType().name(), inserted == 0);
    }
}
