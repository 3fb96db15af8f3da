package io.cwbridge.reconciliation;

import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.rules.reconciliation.BillingTerms;
import io.cwbridge.rules.reconciliation.Money;
import io.cwbridge.rules.reconciliation.PsaLine;
import io.cwbridge.rules.reconciliation.PsaValues;
import io.cwbridge.rules.reconciliation.ThreeWay;
import java.math.BigDecimal;
import java.time.YearMonth;
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
    private final SubscriptionFacts facts;
    private final PsaReader psa;

    MonthlyRevenue(NamedParameterJdbcTemplate jdbc, PartnerConnectionRepository connections, SubscriptionFacts facts, PsaReader psa) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.facts = facts;
        this.psa = psa;
    }

    /** A subscription's lines and how their agreement bills them (R32 × R5: a yearly line once per agreement year). */
    private record Lines(List<PsaLine> lines, BillingTerms terms) {}

    /** The {@code count} months ending with {@code last}, oldest first. */
    public Revenue of(String partnerId, YearMonth last, int count) {
        List<YearMonth> months = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) months.add(last.minusMonths(i));
        Map<String, Sub> subs = marketplace(partnerId);

        Map<String, Lines> lines = new HashMap<>();
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
                Lines of = lines.getOrDefault(id, new Lines(List.of(), BillingTerms.MONTHLY));
                List<PsaLine> active = of.lines().stream().filter(l -> l.activeDays(month) > 0).toList();
                BigDecimal adjustment = catchUps.getOrDefault(id, Map.of()).getOrDefault(month, BigDecimal.ZERO);
                figures[0] = figures[0].add(Money.of(PsaValues.of(null, month, active, List.of(), of.terms()).price().add(adjustment)));
                if (sub != null && sub.marketplace() != null) {
                    figures[1] = figures[1].add(sub.marketplace().amount(month));
                }
            }
        }
        String why = unreadable;
        List<Currency> out = new ArrayList<>();
        sums.forEach((currency, byMonth) -> out.add(new Currency(currency, byMonth.entrySet().stream()
                .map(e -> new Month(e.getKey(), why == null ? e.getValue()[0] : null, e.getValue()[1])).toList())));
        return new Revenue(out, unreadable);
    }

    /**
     * The subscriptions' lines as ConnectWise answers them (each agreement read once), with their agreement's billing
     * terms (the agreement of the subscription's last line; R5 keeps a subscription on agreements of one cycle).
     */
    private Map<String, Lines> lines(String partnerId) {
        Map<String, Lines> out = new HashMap<>();
        java.util.function.Supplier<io.cwbridge.connectwise.ConnectWiseConnection> cw = () -> connections.find(partnerId)
                .orElseThrow(() -> new PsaReader.Unreadable("partner has no ConnectWise connection"));
        Map<Long, BillingTerms> terms = new HashMap<>();
        facts.lines(partnerId, cw).forEach((id, list) -> {
            BillingTerms t = list.isEmpty() ? BillingTerms.MONTHLY
                    : terms.computeIfAbsent(list.get(list.size() - 1).agreementId(), a -> psa.terms(cw.get(), a));
            out.put(id, new Lines(list.stream().map(SubscriptionFacts.Line::line).filter(l -> l != null).toList(), t));
        });
        return out;
    }

    /**
     * As the three-way check reads the marketplace (R34): quantity by day from the events (a sale
     * from its start date, a cancellation 0 from its cancellation date), unit price and currency
     * from the latest event.
     */
    private Map<String, Sub> marketplace(String partnerId) {
        Map<String, Sub> subs = new HashMap<>();
        facts.events(partnerId).forEach((id, e) -> subs.put(id, new Sub(
                e.latest().path("currency").isTextual() ? e.latest().path("currency").asText() : null,
                e.steps() != null ? new ThreeWay.Marketplace(e.steps(), SubscriptionFacts.decimal(e.latest().path("unitPrice")), null) : null)));
        return subs;
    }
}
