package io.cwbridge.reconciliation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.reconciliation.rules.Money;
import io.cwbridge.reconciliation.rules.PsaLine;
import io.cwbridge.reconciliation.rules.PsaValues;
import io.cwbridge.reconciliation.rules.ThreeWay;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Billed against marketplace revenue per month (the console's overview chart, issue 16), with the
 * three-way check's own measures (R34, {@link ThreeWay}), summed over the partner's subscriptions:
 * <ul>
 *   <li><b>billed</b>: what ConnectWise bills for the month — the additions the bundle wrote
 *       (subscription_line), as ConnectWise answers them now, weighted by active days
 *       ({@link PsaValues}, scale 2 per subscription), plus the POSTED R27 catch-ups of the month
 *       (counted in the month their period starts);</li>
 *   <li><b>marketplace</b>: licence-months from the subscription events (quantity by day) × the
 *       latest event's unit price, scale 2 per subscription.</li>
 * </ul>
 * Grouped by the subscription's currency (its latest event's); a subscription the marketplace has
 * no event of counts under "—". Each agreement is read from ConnectWise once.
 */
@Component
public class MonthlyRevenue {

    /** One month's two figures; {@code billed} is null when ConnectWise could not be read. */
    public record Month(YearMonth month, BigDecimal billed, BigDecimal marketplace) {}

    /** The months of one currency, oldest first. */
    public record Currency(String currency, List<Month> months) {}

    /** Per currency; {@code billedUnreadable} says why billed is missing (null when it is there). */
    public record Revenue(List<Currency> currencies, String billedUnreadable) {}

    static final String NO_CURRENCY = "—";

    private record Sub(String currency, ThreeWay.Marketplace marketplace) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final PartnerConnectionRepository connections;
    private final PsaReader psa;
    private final ObjectMapper mapper;

    MonthlyRevenue(NamedParameterJdbcTemplate jdbc, PartnerConnectionRepository connections, PsaReader psa, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.psa = psa;
        this.mapper = mapper;
    }

    /** The {@code count} months ending with {@code last}, oldest first. */
    public Revenue of(String partnerId, YearMonth last, int count) {
        List<YearMonth> months = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) months.add(last.minusMonths(i));
        Map<String, Sub> subs = marketplace(partnerId);

        Map<String, List<PsaLine>> lines = new HashMap<>();
        String unreadable = null;
        try {
            lines = lines(partnerId);
        } catch (PsaReader.Unreadable e) {
            unreadable = e.getMessage();
        }
        Map<String, Map<YearMonth, BigDecimal>> catchUps = new HashMap<>();
        jdbc.query("""
                SELECT subscription_id, period_start, amount FROM invoiced_catch_up
                 WHERE partner_id = :p AND status = 'POSTED' AND period_start BETWEEN :start AND :end
                """, Map.of("p", partnerId, "start", months.get(0).atDay(1), "end", last.atEndOfMonth()), rs -> {
            catchUps.computeIfAbsent(rs.getString("subscription_id"), k -> new HashMap<>())
                    .merge(YearMonth.from(rs.getDate("period_start").toLocalDate()), rs.getBigDecimal("amount"), BigDecimal::add);
        });

        TreeSet<String> ids = new TreeSet<>(subs.keySet());
        ids.addAll(lines.keySet());
        ids.addAll(catchUps.keySet());
        Map<String, Map<YearMonth, BigDecimal[]>> sums = new TreeMap<>();
        for (String id : ids) {
            Sub sub = subs.get(id);
            String currency = sub == null || sub.currency() == null ? NO_CURRENCY : sub.currency();
            Map<YearMonth, BigDecimal[]> byMonth = sums.computeIfAbsent(currency, c -> {
                Map<YearMonth, BigDecimal[]> m = new TreeMap<>();
                months.forEach(month -> m.put(month, new BigDecimal[] {Money.ZERO, Money.ZERO}));
                return m;
            });
            for (YearMonth month : months) {
                BigDecimal[] figures = byMonth.get(month);
                List<PsaLine> active = lines.getOrDefault(id, List.of()).stream().filter(l -> l.activeDays(month) > 0).toList();
                BigDecimal adjustment = catchUps.getOrDefault(id, Map.of()).getOrDefault(month, BigDecimal.ZERO);
                figures[0] = figures[0].add(Money.of(PsaValues.of(null, month, active).price().add(adjustment)));
                if (sub != null && sub.marketplace() != null) {
                    figures[1] = figures[1].add(Money.of(sub.marketplace().licenceMonths(month).multiply(sub.marketplace().unitPrice())));
                }
            }
        }
        String why = unreadable;
        List<Currency> out = new ArrayList<>();
        sums.forEach((currency, byMonth) -> out.add(new Currency(currency, byMonth.entrySet().stream()
                .map(e -> new Month(e.getKey(), why == null ? e.getValue()[0] : null, e.getValue()[1])).toList())));
        return new Revenue(out, unreadable);
    }

    /** The subscriptions' lines as ConnectWise answers them (each agreement read once). */
    private Map<String, List<PsaLine>> lines(String partnerId) {
        Map<String, List<long[]>> linesOf = new HashMap<>();
        Map<Long, Boolean> licences = new HashMap<>();
        TreeSet<Long> agreements = new TreeSet<>();
        jdbc.query("SELECT subscription_id, agreement_id, addition_id, line_key FROM subscription_line WHERE partner_id = :p",
                Map.of("p", partnerId), rs -> {
                    long agreement = rs.getLong("agreement_id");
                    long addition = rs.getLong("addition_id");
                    linesOf.computeIfAbsent(rs.getString("subscription_id"), k -> new ArrayList<>()).add(new long[] {agreement, addition});
                    licences.put(addition, PsaReader.countsLicences(rs.getString("line_key")));
                    agreements.add(agreement);
                });
        if (agreements.isEmpty()) return Map.of();
        ConnectWiseConnection cw = connections.find(partnerId)
                .orElseThrow(() -> new PsaReader.Unreadable("partner has no ConnectWise connection"));
        Map<Long, JsonNode> additions = new HashMap<>();
        for (long agreement : agreements) {
            for (JsonNode a : psa.agreementAdditions(cw, agreement)) additions.put(a.path("id").asLong(), a);
        }
        Map<String, List<PsaLine>> out = new HashMap<>();
        linesOf.forEach((id, list) -> {
            List<PsaLine> found = new ArrayList<>();
            for (long[] l : list) {
                JsonNode a = additions.get(l[1]);
                if (a != null) found.add(PsaReader.line(a, licences.getOrDefault(l[1], true)));
            }
            out.put(id, found);
        });
        return out;
    }

    /**
     * As the three-way check reads the marketplace (R34): quantity by day from the events (a sale
     * from its start date, a cancellation 0 from its cancellation date), unit price and currency
     * from the latest event.
     */
    private Map<String, Sub> marketplace(String partnerId) {
        Map<String, List<ThreeWay.QuantityStep>> steps = new HashMap<>();
        Map<String, JsonNode> latest = new HashMap<>();
        jdbc.query("""
                SELECT subscription_id, type, occurred_at, CAST(payload AS text) AS payload FROM subscription_event
                 WHERE partner_id = :p ORDER BY subscription_id, occurred_at, received_at
                """, Map.of("p", partnerId), rs -> {
            JsonNode payload;
            try {
                payload = mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(rs.getString("payload"));
            } catch (IOException e) {
                return;
            }
            String id = rs.getString("subscription_id");
            String type = rs.getString("type");
            JsonNode s = payload.path("subscription");
            LocalDate day = rs.getTimestamp("occurred_at").toInstant().atZone(ZoneOffset.UTC).toLocalDate();
            if ("SALES_ORDER".equals(type) && s.path("startDate").isTextual()) day = LocalDate.parse(s.path("startDate").asText().substring(0, 10));
            if ("CANCELLATION_ORDER".equals(type) && payload.path("cancellationDate").isTextual()) {
                day = LocalDate.parse(payload.path("cancellationDate").asText().substring(0, 10));
            }
            BigDecimal quantity = "CANCELLATION_ORDER".equals(type) ? BigDecimal.ZERO
                    : s.path("quantity").isNumber() ? s.path("quantity").decimalValue() : null;
            if (quantity != null) steps.computeIfAbsent(id, k -> new ArrayList<>()).add(new ThreeWay.QuantityStep(day, quantity));
            latest.put(id, s);
        });
        Map<String, Sub> subs = new HashMap<>();
        latest.forEach((id, s) -> subs.put(id, new Sub(s.path("currency").isTextual() ? s.path("currency").asText() : null,
                steps.containsKey(id) ? new ThreeWay.Marketplace(steps.get(id), decimal(s.path("unitPrice")), null) : null)));
        return subs;
    }

    private static BigDecimal decimal(JsonNode n) {
        return n.isNumber() ? n.decimalValue() : n.isTextual() ? new BigDecimal(n.asText()) : null;
    }
}
