package io.cwbridge.reconciliation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.ingest.IntakeResult;
import io.cwbridge.ingest.ParkedEvent;
import io.cwbridge.ingest.ParkedEventRepository;
import io.cwbridge.ingest.ParkedInputIntake;
import io.cwbridge.partner.PartnerConnectionRepository;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores invoice lines (R32) from HTTP, Kafka and the replay of parked ones. The natural key
 * (partner, subscription, billing month, invoice type) makes a repeat change nothing: the first
 * line stays. An invalid text (a record or request holds one line or an array; all valid or none
 * stored) is parked with its field-level reasons for fix-and-replay, like a subscription event.
 */
@Component("invoiceIntake")
public class InvoiceIntake implements ParkedInputIntake {

    private static final Logger log = LoggerFactory.getLogger(InvoiceIntake.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final ParkedEventRepository parked;
    private final PartnerConnectionRepository partners;

    public InvoiceIntake(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper, ParkedEventRepository parked,
                         PartnerConnectionRepository partners) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.parked = parked;
        this.partners = partners;
    }

    /** What became of one line: stored now, or already there (a repeat). */
    public record Stored(String partnerId, String subscriptionId, String billingPeriod, String invoiceType, boolean duplicate) {}

    /** What became of one text: its lines stored, or (invalid) the parked row and the reasons. */
    public record Outcome(List<Stored> lines, Long parkedId, List<FieldProblem> problems) {
        public boolean isParked() {
            return parkedId != null;
        }

        public long fresh() {
            return lines.stream().filter(s -> !s.duplicate()).count();
        }
    }

    /** Validates the raw text from {@code source} (HTTP, KAFKA, REPLAY); stores it whole or parks it. */
    @Transactional
    public Outcome take(String raw, String source) {
        JsonNode json = null;
        InvoiceValidator.Result result;
        try {
            json = raw == null || raw.isBlank() ? null : mapper.readTree(raw);
            result = knownPartners(json, InvoiceValidator.read(json));
        } catch (JsonProcessingException e) {
            result = new InvoiceValidator.Result(List.of(), List.of(new FieldProblem("$", "is not valid JSON")));
        }
        if (!result.valid()) {
            long parkedId = parked.park(ParkedEvent.Kind.INVOICE, source, raw == null ? "" : raw, result.problems(), partnerOf(json));
            log.warn("Parked invoice input from {} as {}: {}", source, parkedId, result.problems());
            return new Outcome(List.of(), parkedId, result.problems());
        }
        return new Outcome(store(result.lines(), source), null, List.of());
    }

    @Transactional
    public List<Stored> store(List<InvoiceLine> lines, String source) {
        return lines.stream().map(line -> store(line, source)).toList();
    }

    /**
     * Route {@code invoices-kafka}: a record's value is one invoice line or an array. It is stored
     * or parked before its offset is committed; a database failure throws, and the record is polled again.
     */
    public Outcome fromKafka(String body) {
        return take(body, "KAFKA");
    }

    @Override
    public ParkedEvent.Kind kind() {
        return ParkedEvent.Kind.INVOICE;
    }

    /** A parked invoice text, fixed or not: ACCEPTED when a line is new, DUPLICATE when all were there, else PARKED again. */
    @Override
    public IntakeResult replay(String text) {
        Outcome outcome = take(text, "REPLAY");
        if (outcome.isParked()) {
            return new IntakeResult(IntakeResult.Outcome.PARKED, null, null, outcome.parkedId(), outcome.problems());
        }
        return new IntakeResult(outcome.fresh() > 0 ? IntakeResult.Outcome.ACCEPTED : IntakeResult.Outcome.DUPLICATE,
                null, null, null, null);
    }

    /** A line for a partner without a connection could never be reconciled: refused like an event's (SPEC 2). */
    private InvoiceValidator.Result knownPartners(JsonNode json, InvoiceValidator.Result result) {
        if (!result.valid()) return result;
        List<FieldProblem> problems = new java.util.ArrayList<>();
        for (int i = 0; i < result.lines().size(); i++) {
            String partnerId = result.lines().get(i).partnerId();
            if (!partners.exists(partnerId)) {
                problems.add(new FieldProblem((json.isArray() ? "[" + i + "]." : "") + "partnerId",
                        "unknown partner: connect it first (PUT /api/v1/partners/{p}/connection)"));
            }
        }
        return problems.isEmpty() ? result : new InvoiceValidator.Result(List.of(), problems);
    }

    /** The partner named by the text (the first line's, for an array), for the parked list's filter. */
    private static String partnerOf(JsonNode json) {
        if (json == null) return null;
        JsonNode first = json.isArray() ? json.path(0) : json;
        JsonNode partner = first.path("partnerId");
        return partner.isTextual() ? ParkedEvent.storableKey(partner.asText()) : null;
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
