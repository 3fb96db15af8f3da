package io.cwbridge.mapping;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.AdditionDelivery;
import io.cwbridge.connectwise.AdditionFields;
import io.cwbridge.connectwise.AdditionOperation;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.events.Subscription;
import io.cwbridge.rules.LineRole;
import io.cwbridge.sync.OperationLedger;
import io.cwbridge.sync.SubscriptionLineRepository;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Re-map with a from date (R8): a subscription already synced on agreement A and mapped to B moves.
 * Its move date e is the from date (default B's billing start; it must lie in [B's billing start,
 * today], 400 on fromDate otherwise) clamped to A's next invoice date N_A, so no day is billed twice
 * (A invoiced the days before N_A) or dropped. Its lines on A end at e − 1 (lines starting on or
 * after e, never invoiced, are deleted), and its licence lines from e on are written on B as A billed them (R10: each
 * day the licences it had, a later change keeping its own line; one base line of the current licences when A has
 * none left). Every write goes through {@link AdditionDelivery} with the
 * look-up-first guard (a repeated move finds what landed rather than creating it again), and each is
 * recorded at once: the line keys of A leave the subscription's lines (their additions are no longer touched; the
 * ended ones are kept as moved lines, which the reconciliation and the three-way check still count) and the base
 * line key points at B's new addition.
 */
@Service
public class Remap {

    private final NamedParameterJdbcTemplate jdbc;
    private final PartnerConnectWise connectWise;
    private final SubscriptionLineRepository subscriptionLines;
    private final AdditionDelivery delivery;
    private final OperationLedger ledger;
    private final Clock clock;
    @org.springframework.beans.factory.annotation.Autowired // R17 (fields, to keep the constructor as it is)
    private io.cwbridge.syncrules.SyncRulesRepository syncRules;
    @org.springframework.beans.factory.annotation.Autowired
    private io.cwbridge.sync.CatalogPrices catalogPrices;

    Remap(NamedParameterJdbcTemplate jdbc, PartnerConnectWise connectWise, SubscriptionLineRepository subscriptionLines,
          AdditionDelivery delivery, OperationLedger ledger, Clock clock) {
        this.jdbc = jdbc;
        this.connectWise = connectWise;
        this.subscriptionLines = subscriptionLines;
        this.delivery = delivery;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** What a move did: the agreement left, the move date, the additions ended / deleted on A, the one created on B. */
    public record Move(long fromAgreementId, LocalDate movedOn, List<Long> ended, List<Long> deleted, long additionId, String lineKey) {}

    /** The agreements other than {@code agreementId} on which the subscription has lines. */
    public List<Long> otherAgreements(String partnerId, String subscriptionId, long agreementId) {
        return jdbc.queryForList("""
                SELECT DISTINCT agreement_id FROM subscription_line
                WHERE partner_id = :p AND subscription_id = :s AND agreement_id <> :a ORDER BY agreement_id""",
                Map.of("p", partnerId, "s", subscriptionId, "a", agreementId), Long.class);
    }

    /** R8: the from date, default B's billing start, must lie in [B's billing start, today]. */
    public LocalDate fromDate(Agreement agreementB, LocalDate requested) {
        LocalDate start = agreementB.billingStart();
        LocalDate today = LocalDate.now(clock);
        LocalDate from = requested != null ? requested : start;
        if (from == null) throw ApiProblems.badRequest("fromDate", "is required: agreement " + agreementB.id() + " has no billing start date");
        if ((start != null && from.isBefore(start)) || from.isAfter(today)) {
            throw ApiProblems.badRequest("fromDate", "must lie between agreement " + agreementB.id()
                    + "'s billing start " + start + " and today " + today + " (R8)");
        }
        return from;
    }

    public Move move(ConnectWiseConnection c, String partnerId, String subscriptionId, Subscription s, Long catalogItemId,
                     long fromAgreementId, Agreement agreementB, LocalDate from) {
        if (catalogItemId == null) throw ApiProblems.badRequest("agreementId", "product " + s.product().id() + " is not mapped (R2): the subscription cannot be moved");
        try {
            // R17: with price source CONNECTWISE_CATALOG the line on B carries the catalog item's price and cost; read
            // before A's lines are touched, so a failed read moves nothing
            Subscription priced = catalogPrices.pricedBy(syncRules.additionRules(partnerId), s, c, catalogItemId);
            LocalDate nextInvoice = connectWise.resources().agreement(c, fromAgreementId).nextInvoiceDate();
            LocalDate movedOn = nextInvoice != null && from.isBefore(nextInvoice) ? nextInvoice : from;
            // R8, R10: nothing bills before the subscription started, whatever the agreements' dates allow
            if (s.startDate() != null && movedOn.isBefore(s.startDate())) movedOn = s.startDate();
            List<Map<String, Object>> lines = jdbc.queryForList("""
                    SELECT line_key, addition_id FROM subscription_line
                    WHERE partner_id = :p AND subscription_id = :s AND agreement_id = :a ORDER BY line_key""",
                    Map.of("p", partnerId, "s", subscriptionId, "a", fromAgreementId));
            List<Long> ended = new ArrayList<>();
            List<Long> deleted = new ArrayList<>();
            // R8, R10: what A billed from the move date on, line by line, is what B bills from then (the licences of each
            // day, not today's count from the move date: a later change keeps its own line and the month roll its base)
            List<Carried> carried = new ArrayList<>();
            for (Map<String, Object> line : lines) {
                String key = (String) line.get("line_key");
                long additionId = ((Number) line.get("addition_id")).longValue();
                AgreementAddition addition;
                try {
                    addition = connectWise.additions().one(c, fromAgreementId, additionId);
                } catch (ConnectWiseException e) {
                    if (e.status() != 404) throw e;
                    forget(partnerId, subscriptionId, key); // already gone (a repeated move): nothing to end
                    continue;
                }
                LocalDate effective = addition.effectiveDate();
                LocalDate cancelled = addition.cancelledDate();
                LineRole role = role(key);
                boolean licences = role == null || role.countsLicences();
                if (effective != null && !effective.isBefore(movedOn)) {
                    AdditionOperation op = AdditionOperation.delete(fromAgreementId, additionId);
                    delivery.deliver(partnerId, op, true);
                    deleted.add(additionId);
                    carried.add(new Carried(role == null ? LineRole.BASE : role, addition, effective, cancelled, licences));
                    forget(partnerId, subscriptionId, key);
                    continue;
                }
                if (cancelled == null || !cancelled.isBefore(movedOn)) {
                    AdditionOperation op = AdditionOperation.update(fromAgreementId, additionId, new AdditionFields(null, null, null, null,
                            null, movedOn.minusDays(1), false, null, null, null));
                    delivery.deliver(partnerId, op, true);
                    ended.add(additionId);
                    // an amount line (usage, setup) is its period's charge, already on A: only licences carry on
                    if (licences) carried.add(new Carried(role == null ? LineRole.BASE : role, addition, movedOn, cancelled, true));
                }
                // R32 / R34: A's line still bills the days before the move; kept where the reconciliation reads it
                subscriptionLines.retire(partnerId, subscriptionId, key, movedOn);
            }
            long agreementId = agreementB.id();
            boolean catalogPriced = priced != s; // R17: under CONNECTWISE_CATALOG every line carries the catalog item's price
            if (carried.stream().noneMatch(l -> l.role() == LineRole.BASE)) {
                // nothing of A's left to carry (a repeated move, lines deleted by hand): the subscription's licences from e
                LocalDate end = s.endDate();
                carried.add(0, new Carried(LineRole.BASE, null, movedOn, end != null && !end.isBefore(movedOn) ? end : null, true));
            }
            java.util.Set<String> keys = new java.util.HashSet<>();
            Long baseAddition = null;
            String baseKey = null;
            for (Carried line : carried) {
                AgreementAddition a = line.addition();
                String text = a != null && a.description() != null ? a.description()
                        : (s.product().plan() != null ? s.product().plan() : s.product().name()) + " – " + subscriptionId;
                BigDecimal quantity = a != null && a.quantity() != null ? a.quantity() : BigDecimal.valueOf(s.quantity());
                BigDecimal price = a == null || (catalogPriced && line.licences()) ? priced.unitPrice() : a.unitPrice();
                BigDecimal cost = a == null || (catalogPriced && line.licences()) ? priced.unitCost() : a.unitCost();
                Long catalog = a != null && a.catalogItemId() != null ? a.catalogItemId() : catalogItemId;
                // R25 (v2): a line A left open (an adopted hand-made addition) ends at the subscription's end on B
                LocalDate end = line.cancelled() != null ? line.cancelled()
                        : s.endDate() != null && !s.endDate().isBefore(line.effective()) ? s.endDate() : null;
                AdditionFields fields = new AdditionFields(catalog, quantity, price, cost, line.effective(), end, false, text,
                        null, a != null && a.billCustomer() != null ? a.billCustomer() : "Billable");
                AdditionOperation create = AdditionOperation.create(agreementId, fields);
                AdditionDelivery.DeliveryResult created = delivery.deliver(partnerId, create, true);
                int revision = 0;
                String lineKey;
                do {
                    lineKey = new io.cwbridge.rules.LineKey(subscriptionId, line.role(), line.effective(), revision++).toString();
                } while (!keys.add(lineKey));
                ledger.recordLine(partnerId, subscriptionId, lineKey, create, created.additionId(), created.addition(), null);
                if (baseAddition == null && line.role() == LineRole.BASE) {
                    baseAddition = created.additionId();
                    baseKey = lineKey;
                }
            }
            return new Move(fromAgreementId, movedOn, ended, deleted, baseAddition, baseKey);
        } catch (ConnectWiseException e) {
            throw MappingProblems.connectWise("move subscription " + subscriptionId + " (R8)", e);
        }
    }

    /** One of A's lines as B takes it over: its role, A's addition (null: none left), and its dates on B. */
    private record Carried(LineRole role, AgreementAddition addition, LocalDate effective, LocalDate cancelled, boolean licences) {}

    /** The role a line key names ({@code sub/DELTA/2024-03-12#1}); null when it names none. */
    static LineRole role(String lineKey) {
        String[] parts = lineKey.split("/");
        if (parts.length < 3) return null;
        try {
            return LineRole.valueOf(parts[parts.length - 2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void forget(String partnerId, String subscriptionId, String lineKey) {
        subscriptionLines.forget(partnerId, subscriptionId, lineKey);
    }
}
