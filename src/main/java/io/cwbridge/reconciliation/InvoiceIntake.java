package io.cwbridge.reconciliation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.api.JsonProblems;
import io.cwbridge.ingest.EventValidator;
import io.cwbridge.ingest.IntakeResult;
import io.cwbridge.ingest.ParkedEvent;
import io.cwbridge.ingest.ParkedEventRepository;
import io.cwbridge.ingest.ParkedInputIntake;
import io.cwbridge.partner.PartnerConnectionRepository;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores invoice lines (R32) from HTTP, Kafka and the replay of parked ones. The natural key
 * (partner, subscription, billing month, invoice type) makes an exact repeat change nothing. A
 * line that differs from the one stored under its key (another amount, invoice number…) is not a
 * repeat: it is refused with the stored values, never silently dropped. An invalid or conflicting
 * text (a record or request holds one line or an array; all stored or none) is parked with its
 * field-level reasons for fix-and-replay, like a subscription event.
 */
@Component("invoiceIntake")
public class InvoiceIntake implements ParkedInputIntake {

    private static final Logger log = LoggerFactory.getLogger(InvoiceIntake.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final ParkedEventRepository parked;
    private final PartnerConnectionRepository partners;
    private final TransactionTemplate transactions;
    /** For the date window of billing months, the same as the events'. */
    private final EventValidator validator;

    public InvoiceIntake(NamedParameterJdbcTemplate jdbc, ObjectMapper mapper, ParkedEventRepository parked,
                         PartnerConnectionRepository partners, PlatformTransactionManager transactionManager,
                         EventValidator validator) {
        this.validator = validator;
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.parked = parked;
        this.partners = partners;
        this.transactions = new TransactionTemplate(transactionManager);
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
    public Outcome take(String raw, String source) {
        return take(raw, source, List.of());
    }

    /**
     * As {@link #take(String, String)}, with problems the caller found before parsing (invalid
     * UTF-8): such text is parked with them. Read with the strict ObjectMapper (duplicate keys,
     * trailing text refused); the raw text is parked storable ({@code ParkedEventRepository.park}).
     */
    public Outcome take(String raw, String source, List<FieldProblem> inputProblems) {
        return take(raw, source, inputProblems, null);
    }

    /** As above; {@code origin} is the Kafka record's place (or null): a record polled again is parked once (V31). */
    private Outcome take(String raw, String source, List<FieldProblem> inputProblems, String origin) {
        JsonNode json = null;
        InvoiceValidator.Result result;
        if (!inputProblems.isEmpty()) {
            result = new InvoiceValidator.Result(List.of(), inputProblems);
        } else if (raw == null || raw.isBlank()) {
            result = new InvoiceValidator.Result(List.of(), List.of(new FieldProblem("$", "is empty: send one invoice line object or an array of them")));
        } else {
            try {
                json = mapper.readTree(raw);
                result = knownCurrencies(json, knownPartners(json, InvoiceValidator.read(json, validator.dateWindow())));
            } catch (JsonProcessingException e) {
                json = null;
                result = new InvoiceValidator.Result(List.of(), List.of(JsonProblems.of(e)));
            }
        }
        List<FieldProblem> problems = result.problems();
        if (result.valid()) {
            boolean batch = json.isArray();
            List<InvoiceLine> lines = result.lines();
            try {
                return new Outcome(transactions.execute(tx -> store(lines, batch, source)), null, List.of());
            } catch (ConflictingLines conflict) {
                problems = conflict.problems; // the transaction is rolled back: nothing of the text stays
            }
        }
        long parkedId = parked.park(ParkedEvent.Kind.INVOICE, source, raw == null ? "" : raw, problems, partnerOf(json), null, origin);
        log.warn("Parked invoice input from {} as {}: {}", source, parkedId, problems);
        return new Outcome(List.of(), parkedId, problems);
    }

    private List<Stored> store(List<InvoiceLine> lines, boolean batch, String source) {
        List<Stored> stored = new java.util.ArrayList<>();
        List<FieldProblem> conflicts = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Stored s = store(lines.get(i), source);
            if (s.duplicate()) conflicts.addAll(differences(lines.get(i), batch ? "[" + i + "]." : ""));
            stored.add(s);
        }
        if (!conflicts.isEmpty()) throw new ConflictingLines(conflicts);
        return stored;
    }

    /** What a line says otherwise than the one stored under its natural key (empty: an exact repeat). */
    private List<FieldProblem> differences(InvoiceLine line, String prefix) {
        Map<String, Object> key = Map.of("partnerId", line.partnerId(), "subscriptionId", line.subscriptionId(),
                "periodStart", line.billingPeriod().atDay(1), "invoiceType", line.invoiceType().name());
        Map<String, Object> stored = jdbc.queryForMap("""
                SELECT invoice_number, provider_id, kind, quantity, amount, currency FROM invoice_line
                WHERE partner_id = :partnerId AND subscription_id = :subscriptionId AND period_start = :periodStart
                  AND invoice_type = :invoiceType""", key);
        List<FieldProblem> problems = new java.util.ArrayList<>();
        String where = "the " + line.invoiceType() + " line already stored for " + line.subscriptionId() + " in "
                + line.billingPeriod() + " (invoice " + stored.get("invoice_number") + ") says ";
        String once = "; a line is stored once per subscription, month and invoice type";
        differs(problems, prefix + "invoiceNumber", line.invoiceNumber(), stored.get("invoice_number"), where, once);
        differs(problems, prefix + "providerId", line.providerId(), ((Number) stored.get("provider_id")).intValue(), where, once);
        differs(problems, prefix + "kind", line.kind().name(), stored.get("kind"), where, once);
        differs(problems, prefix + "quantity", line.quantity(), stored.get("quantity"), where, once);
        differs(problems, prefix + "amount", line.amount(), stored.get("amount"), where, once);
        differs(problems, prefix + "currency", line.currency(), stored.get("currency"), where, once);
        return problems;
    }

    private static void differs(List<FieldProblem> problems, String field, Object given, Object stored, String where, String once) {
        boolean same = given instanceof java.math.BigDecimal a && stored instanceof java.math.BigDecimal b
                ? a.compareTo(b) == 0 : java.util.Objects.equals(given, stored);
        if (!same) {
            String shown = stored instanceof java.math.BigDecimal b ? b.stripTrailingZeros().toPlainString() : String.valueOf(stored);
            problems.add(new FieldProblem(field, "differs: " + where + shown + once));
        }
    }

    /** Rolls the storing transaction back when a line conflicts with a stored one. */
    private static final class ConflictingLines extends RuntimeException {
        private final transient List<FieldProblem> problems;

        ConflictingLines(List<FieldProblem> problems) {
            super("invoice lines conflict with stored ones", null, false, false);
            this.problems = problems;
        }
    }

    /**
     * Route {@code invoices-kafka}: a record's value is one invoice line or an array. It is stored
     * or parked before its offset is committed; a database failure throws, and the record is polled again. An invalid
     * record is parked by its Kafka place ({@code topic/partition/offset#0}): polled again after a lost asynchronous
     * commit, it finds its parked row instead of making a second one.
     */
    public Outcome fromKafka(@Body String body, @Header(KafkaConstants.TOPIC) String topic,
                             @Header(KafkaConstants.PARTITION) Integer partition, @Header(KafkaConstants.OFFSET) Long offset) {
        return take(body, "KAFKA", List.of(), ParkedEventRepository.kafkaOrigin(topic, partition, offset, 0));
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
        Map<String, Boolean> known = new HashMap<>(); // a batch nearly always names one partner: ask once
        for (int i = 0; i < result.lines().size(); i++) {
            if (!known.computeIfAbsent(result.lines().get(i).partnerId(), partners::exists)) {
                problems.add(new FieldProblem((json.isArray() ? "[" + i + "]." : "") + "partnerId",
                        "unknown partner: connect it first (PUT /api/v1/partners/{p}/connection)"));
            }
        }
        return problems.isEmpty() ? result : new InvoiceValidator.Result(List.of(), problems);
    }

    /**
     * R32 × §2/R5: a line of a subscription the bundle knows (its latest event names a currency) must be in that currency;
     * an amount in EUR for a USD subscription is refused here with a field problem on {@code currency} (and, stored before
     * the subscription was known, the reconciliation leaves its month FAILED_REVIEW and writes nothing).
     */
    private InvoiceValidator.Result knownCurrencies(JsonNode json, InvoiceValidator.Result result) {
        if (!result.valid()) return result;
        List<FieldProblem> problems = new java.util.ArrayList<>();
        for (int i = 0; i < result.lines().size(); i++) {
            InvoiceLine line = result.lines().get(i);
            List<String> own = jdbc.queryForList("""
                    SELECT payload -> 'subscription' ->> 'currency' FROM latest_subscription_event
                     WHERE partner_id = :p AND subscription_id = :s""", Map.of("p", line.partnerId(), "s", line.subscriptionId()), String.class);
            String currency = own.isEmpty() ? null : own.get(0);
            if (currency != null && !currency.isBlank() && line.currency() != null && !currency.trim().equalsIgnoreCase(line.currency().trim())) {
                problems.add(new FieldProblem((json.isArray() ? "[" + i + "]." : "") + "currency", "is " + line.currency()
                        + ", but subscription " + line.subscriptionId() + " bills in " + currency.trim()
                        + " (its latest event): send the invoice line in " + currency.trim()));
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
