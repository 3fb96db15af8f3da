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
 * (A invoiced the days before N_A), and to B's next invoice date N_B unless B prorates and invoices prorated
 * additions (R27: B would never bill the days before N_B), so none is dropped: A bills them ({@link #moveDate}). Its lines on A end at e − 1 (lines starting on or
 * after e, never invoiced, are deleted), and its licence lines from e on are written on B as A billed them (R10: each
 * day the licences it had, a later change keeping its own line; one base line of the current licences when A has
 * none left). B's lines are written first and A's changed after, so a move that fails part-way is repeated from A's
 * lines as they were. Every write goes through {@link AdditionDelivery} with the
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
    public record Move(long fromAgreementId, LocalDate movedOn, List<Long> ended, List<Long> deleted, Long additionId, String lineKey) {}

    /** The agreements other than {@code agreementId} on which the subscription has lines. */
    public List<Long> otherAgreements(String partnerId, String subscriptionId, long agreementId) {
        return jdbc.queryForList("""
                SELECT DISTINCT agreement_id FROM subscription_line
                WHERE partner_id = :p AND subscription_id = :s AND agreement_id <> :a ORDER BY agreement_id""",
                Map.of("p", partnerId, "s", subscriptionId, "a", agreementId), Long.class);
    }

    /**
     * R8 × R6 (probe 47 F7): whether a cut-over's base line {@code baseAdditionId} is still one of the subscription's lines
     * (null: not written yet). A move ends or deletes it and B bills from its own base line: the cut-over is history
     * then, and the mapping no longer shows it (its record stays: the ended hand-made addition remains nobody's candidate).
     */
    public boolean holdsBaseLine(String partnerId, String subscriptionId, Long baseAdditionId) {
        if (baseAdditionId == null) return true;
        return Boolean.TRUE.equals(jdbc.queryForObject("""
                SELECT EXISTS (SELECT 1 FROM subscription_line WHERE partner_id = :p AND subscription_id = :s AND addition_id = :a)""",
                Map.of("p", partnerId, "s", subscriptionId, "a", baseAdditionId), Boolean.class));
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

    /**
     * R8 × R27: the move date: the from date, never before A's next invoice date N_A (A invoiced the days before: they
     * would be billed twice) nor, unless B prorates and invoices prorated additions, before B's own next invoice date
     * N_B (ConnectWise never bills a line that starts inside a period B has invoiced: those days would be dropped, probe
     * 47 F8). A has not invoiced the days from N_A on, so its lines keep billing them up to the day before the move date:
     * each day is billed once, on A before the move date and on B from it, and nothing is left for a catch-up.
     */
    static LocalDate moveDate(LocalDate from, Agreement agreementA, Agreement agreementB) {
        LocalDate movedOn = from;
        LocalDate nextA = agreementA.nextInvoiceDate();
        if (nextA != null && movedOn.isBefore(nextA)) movedOn = nextA;
        LocalDate nextB = agreementB.nextInvoiceDate();
        boolean keepsDates = agreementB.prorateFlag() && agreementB.invoiceProratedAdditionsFlag();
        if (!keepsDates && nextB != null && movedOn.isBefore(nextB)) movedOn = nextB;
        return movedOn;
    }

    public Move move(ConnectWiseConnection c, String partnerId, String subscriptionId, Subscription s, Long catalogItemId,
                     long fromAgreementId, Agreement agreementB, LocalDate from) {
        if (catalogItemId == null) throw ApiProblems.badRequest("agreementId", "product " + s.product().id() + " is not mapped (R2): the subscription cannot be moved");
        try {
            io.cwbridge.rules.SyncRules rules = syncRules.additionRules(partnerId);
            LocalDate movedOn = moveDate(from, connectWise.resources().agreement(c, fromAgreementId), agreementB);
            // R8, R10: nothing bills before the subscription started, whatever the agreements' dates allow
            if (s.startDate() != null && movedOn.isBefore(s.startDate())) movedOn = s.startDate();
            List<Map<String, Object>> rows = jdbc.queryForList("""
                    SELECT line_key, addition_id FROM subscription_line
                    WHERE partner_id = :p AND subscription_id = :s AND agreement_id = :a ORDER BY line_key""",
                    Map.of("p", partnerId, "s", subscriptionId, "a", fromAgreementId));
            // 1. Read A's lines (nothing is written before every read succeeded).
            List<OnA> onA = new ArrayList<>();
            for (Map<String, Object> row : rows) {
                String key = (String) row.get("line_key");
                long additionId = ((Number) row.get("addition_id")).longValue();
                try {
                    onA.add(new OnA(key, additionId, io.cwbridge.sync.LineKeys.roleOf(key), connectWise.additions().one(c, fromAgreementId, additionId)));
                } catch (ConnectWiseException e) {
                    if (e.status() != 404) throw e;
                    onA.add(new OnA(key, additionId, io.cwbridge.sync.LineKeys.roleOf(key), null)); // already gone (deleted by hand): forgotten below
                }
            }
            // 2. R8, R10: what A bills from the move date on, line by line, is what B bills from then (each day's licences,
            // not today's count: a later change keeps its own line); a base takes the changes of months the month roll
            // (R18) has not absorbed yet, as the roll would.
            List<Carried> carried = new ArrayList<>();
            for (OnA line : onA) {
                AgreementAddition a = line.addition();
                if (a == null || a.effectiveDate() == null) continue;
                LineRole role = line.role() == null ? LineRole.BASE : line.role();
                boolean licences = role.countsLicences();
                if (!a.effectiveDate().isBefore(movedOn)) {
                    carried.add(new Carried(role, a, a.quantity(), a.effectiveDate(), a.cancelledDate(), licences));
                } else if (licences && (a.cancelledDate() == null || !a.cancelledDate().isBefore(movedOn))) {
                    BigDecimal quantity = a.quantity() == null ? BigDecimal.ZERO : a.quantity();
                    if (role == LineRole.BASE) quantity = quantity.add(unabsorbed(onA, a, movedOn));
                    carried.add(new Carried(role, a, quantity, movedOn, a.cancelledDate(), true));
                }
            }
            boolean nothingOnA = onA.stream().allMatch(l -> l.addition() == null);
            LocalDate end = s.endDate();
            if (nothingOnA && (end == null || !end.isBefore(movedOn))) {
                // none of A's lines is left in ConnectWise (deleted by hand): the subscription's licences from the move date
                carried.add(new Carried(LineRole.BASE, null, BigDecimal.valueOf(s.quantity()), movedOn, end, true));
            }
            // R17: under CONNECTWISE_CATALOG each licence line carries its own catalog item's price (read before any write)
            Map<Long, Subscription> priced = new java.util.HashMap<>();
            for (Carried line : carried) {
                if (line.licences()) priced.computeIfAbsent(catalogOf(line, catalogItemId), item -> catalogPrices.pricedBy(rules, s, c, item));
            }
            // 3. B's lines first (each write guarded look-up-first and recorded at once), so a move that fails part-way
            // and is repeated still finds A's lines to carry and creates nothing twice.
            long agreementId = agreementB.id();
            java.util.Set<String> keys = new java.util.HashSet<>();
            Map<Long, String> intended = new java.util.LinkedHashMap<>();
            Long baseAddition = null;
            String baseKey = null;
            for (Carried line : carried) {
                AgreementAddition a = line.addition();
                String text = a != null && a.description() != null ? a.description()
                        : (s.product().plan() != null ? s.product().plan() : s.product().name()) + " – " + subscriptionId;
                // R25: a base line says its own licences; a base taking on changes the month roll has not absorbed (R18)
                // has more than A's line said (a delta's "N licences" is the total of its day, carried as it was)
                if (line.role() == LineRole.BASE && a != null) text = io.cwbridge.rules.LineDescriptions.withLicences(text, line.quantity());
                Long catalog = catalogOf(line, catalogItemId);
                Subscription p = line.licences() ? priced.get(catalog) : null;
                boolean catalogPriced = p != null && p != s;
                BigDecimal price = a == null || catalogPriced ? (p != null ? p : s).unitPrice() : a.unitPrice();
                BigDecimal cost = a == null || catalogPriced ? (p != null ? p : s).unitCost() : a.unitCost();
                // R25 (v2): a line A left open (an adopted hand-made addition) ends at the subscription's end on B
                LocalDate until = line.cancelled() != null ? line.cancelled()
                        : end != null && !end.isBefore(line.effective()) ? end : null;
                if (until == null && end != null) continue; // the subscription ended before the line would start
                // R17a: a line starting inside a billing period of B carries the marketplace's prorated amounts when the
                // partner's proration is MARKETPLACE and B does not prorate (A's were for A's dates, if any), for its own days
                // in that period: a carried delta line ends at its month's end, inside a yearly period
                io.cwbridge.rules.Proration.Written prorate = line.licences() ? io.cwbridge.rules.Proration.written(rules.proration(),
                        agreementB.prorateFlag(), s.billingCycle(), agreementB.startDate(), s.currency(), line.effective(), until, price, cost) : null;
                // what A's line said on invoices (its invoice description, taxable) stays as it was
                AdditionFields fields = new AdditionFields(catalog, line.quantity(), price, cost, line.effective(), until, false, text,
                        a != null ? a.invoiceDescription() : null, a != null && a.billCustomer() != null ? a.billCustomer() : "Billable",
                        prorate == null ? null : prorate.price(), prorate == null ? null : prorate.cost(),
                        a != null ? a.taxableFlag() : null);
                AdditionOperation create = AdditionOperation.create(agreementId, fields);
                AdditionDelivery.DeliveryResult created = delivery.deliver(partnerId, create, true);
                int revision = 0;
                String lineKey;
                do {
                    lineKey = new io.cwbridge.rules.LineKey(subscriptionId, line.role(), line.effective(), revision++).toString();
                } while (!keys.add(lineKey));
                ledger.recordLine(partnerId, subscriptionId, lineKey, create, created.additionId(), created.addition(), null);
                intended.put(created.additionId(), lineKey);
                if (baseAddition == null && line.role() == LineRole.BASE) {
                    baseAddition = created.additionId();
                    baseKey = lineKey;
                }
            }
            // 4. Then A: lines from the move date on are deleted (never invoiced), running ones end the day before; the
            // ended ones are kept as moved lines (R32 / R34 still count the days they billed).
            List<Long> ended = new ArrayList<>();
            List<Long> deleted = new ArrayList<>();
            for (OnA line : onA) {
                AgreementAddition a = line.addition();
                if (a == null) {
                    forget(partnerId, subscriptionId, line.key());
                    continue;
                }
                if (a.effectiveDate() != null && !a.effectiveDate().isBefore(movedOn)) {
                    delivery.deliver(partnerId, AdditionOperation.delete(fromAgreementId, line.additionId()), true);
                    deleted.add(line.additionId());
                    subscriptionLines.forget(partnerId, subscriptionId, line.key(), line.additionId());
                    continue;
                }
                // R24 x R8: a usage or setup amount that started before the move is A's one-time charge for its period (its line
                // spans the whole billing period, R24): ended at the move, a prorating A would bill only part of it, and B
                // does not carry it (step 2 carries licences only), so it stays as it is
                boolean licences = (line.role() == null ? LineRole.BASE : line.role()).countsLicences();
                if (licences && (a.cancelledDate() == null || !a.cancelledDate().isBefore(movedOn))) {
                    delivery.deliver(partnerId, AdditionOperation.update(fromAgreementId, line.additionId(), new AdditionFields(null, null,
                            null, null, null, movedOn.minusDays(1), false, null, null, null)), true);
                    ended.add(line.additionId());
                }
                subscriptionLines.retire(partnerId, subscriptionId, line.key(), movedOn);
            }
            // 5. B's lines take their own keys, which A's held until now (a later change finds its line by role and date, R16)
            intended.forEach((additionId, key) -> subscriptionLines.rekey(partnerId, subscriptionId, additionId, key));
            return new Move(fromAgreementId, movedOn, ended, deleted, baseAddition, baseKey);
        } catch (ConnectWiseException e) {
            throw MappingProblems.connectWise("move subscription " + subscriptionId + " (R8)", e);
        }
    }

    /** One of A's lines as read: its key, addition id, role, and the addition (null: gone from ConnectWise). */
    private record OnA(String key, long additionId, LineRole role, AgreementAddition addition) {}

    /**
     * R18: the licences of A's delta lines of {@code base}'s product that started in its term and ended before the move
     * date: the month roll has not absorbed them yet (it runs with the global sync), so the base carries them on.
     */
    private static BigDecimal unabsorbed(List<OnA> onA, AgreementAddition base, LocalDate movedOn) {
        BigDecimal sum = BigDecimal.ZERO;
        for (OnA line : onA) {
            AgreementAddition d = line.addition();
            if (d == null || line.role() != LineRole.DELTA || d.effectiveDate() == null || d.cancelledDate() == null) continue;
            if (!java.util.Objects.equals(d.catalogItemId(), base.catalogItemId())) continue;
            if (d.effectiveDate().isBefore(base.effectiveDate()) || !d.cancelledDate().isBefore(movedOn)) continue;
            if (d.quantity() != null) sum = sum.add(d.quantity());
        }
        return sum;
    }

    private static Long catalogOf(Carried line, Long fallback) {
        return line.addition() != null && line.addition().catalogItemId() != null ? line.addition().catalogItemId() : fallback;
    }

    /** One of A's lines as B takes it over: its role, A's addition (null: none left), and its dates on B. */
    private record Carried(LineRole role, AgreementAddition addition, BigDecimal quantity, LocalDate effective, LocalDate cancelled,
                           boolean licences) {}

    private void forget(String partnerId, String subscriptionId, String lineKey) {
        subscriptionLines.forget(partnerId, subscriptionId, lineKey);
    }
}
