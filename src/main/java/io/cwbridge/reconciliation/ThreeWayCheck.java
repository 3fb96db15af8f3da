package io.cwbridge.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.rules.reconciliation.BillingTerms;
import io.cwbridge.rules.reconciliation.InvoiceTotals;
import io.cwbridge.rules.reconciliation.Money;
import io.cwbridge.rules.reconciliation.PsaLine;
import io.cwbridge.rules.reconciliation.ThreeWay;
import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.rules.SyncRules;
import io.cwbridge.sync.AgreementCache;
import io.cwbridge.syncrules.SyncRulesRepository;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * R34, the three-way check of a partner's month: the distributor's (reseller) invoice lines ×
 * the subscriptions as their event history tells (quantity by day, the latest unit price and cost)
 * × ConnectWise (each agreement's additions read once, the subscription's lines by subscription_line,
 * plus the POSTED R27 catch-ups of the month and the billing reconciliation's standing charges of the month, R32),
 * with the customer invoice lines (the price the charges answer), the usage events (R24, an IaaS month by amount), the
 * products by catalog item (R19) and what the partner's rules push of usage amounts. The comparison is {@link ThreeWay}'s.
 */
@Component
class ThreeWayCheck {

    private static final Logger log = LoggerFactory.getLogger(ThreeWayCheck.class);

    /** One row of the report (JSON and CSV alike). */
    record Row(String customerId, String customerName, String subscriptionId, String planName, String kind, Long agreementId,
               String mismatch, BigDecimal amount, BigDecimal invoiceQuantity, BigDecimal invoiceAmount,
               BigDecimal marketplaceQuantity, BigDecimal connectWiseQuantity, BigDecimal marketplaceUnit, BigDecimal connectWiseUnit,
               BigDecimal marketplaceAmount, BigDecimal connectWiseAmount, String detail) {}

    /** The report: rows, totals per mismatch kind, per customer and for the partner. */
    record Report(String partnerId, String month, int subscriptions, int mismatches, Map<ThreeWay.Kind, BigDecimal> totals,
                  List<Map<String, Object>> customers, List<Row> rows) {}

    /** {@code yearly}: the latest event's billing cycle is YEARLY (R5: it bills on a yearly agreement). */
    private record Sub(String customerId, String customerName, String planName, String kind, ThreeWay.Marketplace marketplace,
                       boolean yearly) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final PartnerConnectionRepository connections;
    private final SubscriptionFacts facts;
    private final PostedCatchUps postedCatchUps;
    private final AgreementCache agreements;
    private final SyncRulesRepository syncRules;
    private final PsaReader psa;

    ThreeWayCheck(NamedParameterJdbcTemplate jdbc, PartnerConnectionRepository connections, SubscriptionFacts facts,
                  PostedCatchUps postedCatchUps, AgreementCache agreements, SyncRulesRepository syncRules, PsaReader psa) {
        this.psa = psa;
        this.jdbc = jdbc;
        this.connections = connections;
        this.facts = facts;
        this.postedCatchUps = postedCatchUps;
        this.agreements = agreements;
        this.syncRules = syncRules;
    }

    Report check(String partnerId, YearMonth month) {
        ConnectWiseConnection cw = connections.find(partnerId).orElseThrow(() -> new PsaReader.Unreadable("partner has no ConnectWise connection"));
        Map<String, Object> p = Map.of("p", partnerId, "start", month.atDay(1), "end", month.atEndOfMonth());
        Map<String, InvoiceTotals> invoices = new HashMap<>();
        // R32: the customer invoice line says what the customer is billed; the reconciliation's charges answer it
        Map<String, InvoiceTotals> customerInvoices = new HashMap<>();
        jdbc.query("""
                SELECT subscription_id, invoice_type, quantity, amount FROM invoice_line
                 WHERE partner_id = :p AND period_start = :start AND invoice_type IN ('RESELLER', 'CUSTOMER')
                """, p, rs -> {
            ("RESELLER".equals(rs.getString("invoice_type")) ? invoices : customerInvoices).put(rs.getString("subscription_id"),
                    new InvoiceTotals(rs.getBigDecimal("quantity"), rs.getBigDecimal("amount")));
        });
        Map<String, String> catalogOf = new HashMap<>();
        jdbc.query("SELECT product_id, catalog_item_id FROM product_mapping WHERE partner_id = :p", p,
                rs -> {
                    catalogOf.put(rs.getString("product_id"), String.valueOf(rs.getLong("catalog_item_id")));
                });
        Map<String, Sub> subs = marketplace(partnerId, month, catalogOf);
        // R24 × R17: what the partner's rules push of a usage line's amounts (COST_ONLY or a sync off: not the bundle's)
        SyncRules rules = syncRules.additionRules(partnerId);
        ThreeWay.Pushed usagePushed = new ThreeWay.Pushed(rules.syncUnitPrice()
                && rules.invoiceValues(SubscriptionKind.IAAS) == SyncRules.InvoiceValues.PRICE_AND_COST, rules.syncUnitCost());
        // ConnectWise: the subscriptions' lines, each agreement read once.
        SubscriptionFacts.Read read = facts.read(partnerId, () -> cw);
        Map<String, List<SubscriptionFacts.Line>> linesOf = read.lines();
        Map<String, ThreeWay.Adjustments> adjustments = postedCatchUps.bySubscription(partnerId, month);

        // Where a subscription with no line yet would be billed: its mapping's agreement.
        Map<String, Long> mapped = new HashMap<>();
        jdbc.query("SELECT subscription_id, agreement_id FROM subscription_mapping WHERE partner_id = :p AND agreement_id IS NOT NULL", p,
                rs -> {
                    mapped.put(rs.getString("subscription_id"), rs.getLong("agreement_id"));
                });
        TreeSet<String> ids = new TreeSet<>(invoices.keySet());
        ids.addAll(subs.keySet());
        ids.addAll(linesOf.keySet());
        List<Row> rows = new ArrayList<>();
        // R34 × R5: how a yearly subscription's agreement bills (one read per agreement; monthly ones are not read)
        Map<Long, BillingTerms> termsOf = new HashMap<>();
        for (String id : ids) {
            List<PsaLine> lines = new ArrayList<>();
            Map<Long, String> products = new HashMap<>();
            Long agreementId = mapped.get(id);
            for (SubscriptionFacts.Line l : linesOf.getOrDefault(id, List.of())) {
                agreementId = l.agreementId();
                if (l.line() == null) continue;
                lines.add(read.beforeCharges(l.line()));
                if (l.line().additionId() != null && l.catalogItemId() != null) products.put(l.line().additionId(), String.valueOf(l.catalogItemId()));
            }
            Sub sub = subs.get(id);
            InvoiceTotals invoice = invoices.get(id);
            // R34 × R19: lines are weighed by product only where the marketplace bills more than one (a full upgrade)
            boolean products2 = sub != null && sub.marketplace() != null
                    && sub.marketplace().steps().stream().map(ThreeWay.QuantityStep::product).filter(java.util.Objects::nonNull).distinct().count() > 1;
            BillingTerms terms = sub != null && sub.yearly() && agreementId != null
                    ? termsOf.computeIfAbsent(agreementId, a -> psa.terms(cw, a)) : BillingTerms.MONTHLY;
            List<ThreeWay.Mismatch> found = ThreeWay.compare(month, new ThreeWay.Facts(invoice, sub == null ? null : sub.marketplace(),
                    lines, adjustments.get(id), sub == null || !"IAAS".equals(sub.kind()), read.chargesOf(id, month))
                    .with(customerInvoices.get(id), usagePushed, products2 ? products : Map.of()).withTerms(terms));
            for (ThreeWay.Mismatch m : found) {
                rows.add(new Row(sub == null ? null : sub.customerId(), sub == null ? null : sub.customerName(), id,
                        sub == null ? null : sub.planName(), sub == null ? null : sub.kind(), agreementId, m.kind().name(), m.amount(),
                        invoice == null ? null : invoice.quantity(), invoice == null ? null : invoice.amount(), m.expectedQuantity(),
                        m.billedQuantity(), m.expectedUnit(), m.billedUnit(), m.expectedAmount(), m.billedAmount(), m.detail()));
            }
        }
        // R34: what ConnectWise bills of the partner's products that no subscription owns is on no invoice; its customer is
        // the one the agreement's company is mapped to (R1)
        Map<Long, Customer> customerOf = new HashMap<>();
        for (SubscriptionFacts.Unowned u : read.unowned()) {
            AgreementAddition a = u.addition();
            ThreeWay.unowned(month, PsaReader.line(a, null), "addition " + a.id() + (a.description() == null ? "" : " \"" + a.description() + "\"")
                    + " on agreement " + u.agreementId() + " bills catalog item " + a.catalogItemId()
                    + " of a mapped product, and no subscription owns it (typed by hand? adopt it, R6, or end it)")
                    .ifPresent(m -> {
                        Customer customer = customerOf.computeIfAbsent(u.agreementId(), agreement -> customerOf(partnerId, cw, agreement, subs));
                        rows.add(new Row(customer.id(), customer.name(), null, null, null, u.agreementId(), m.kind().name(), m.amount(), null, null,
                                m.expectedQuantity(), m.billedQuantity(), m.expectedUnit(), m.billedUnit(), m.expectedAmount(), m.billedAmount(),
                                m.detail()));
                    });
        }
        return new Report(partnerId, month.toString(), ids.size(), rows.size(), totals(rows), customers(rows), rows);
    }

    /** A row's customer: id and name, both null when not known. */
    private record Customer(String id, String name) {
        static final Customer UNKNOWN = new Customer(null, null);
    }

    /**
     * The customer (id, name; nulls when not known) of an agreement: the one its ConnectWise company is mapped to (R1), or,
     * when several are, the one of them with a subscription mapped to the agreement. Named as the customer's latest event
     * names it. The agreement is read through the sync's cache (one call at most); unreadable, the customer stays unknown.
     */
    private Customer customerOf(String partnerId, ConnectWiseConnection cw, long agreementId, Map<String, Sub> subs) {
        Agreement agreement;
        try {
            agreement = agreements.agreement(partnerId, cw, agreementId);
        } catch (ConnectWiseException e) {
            log.warn("three-way check of {}: agreement {} could not be read for its customer: {}", partnerId, agreementId, e.getMessage());
            return Customer.UNKNOWN;
        }
        if (agreement == null || agreement.company() == null) return Customer.UNKNOWN;
        List<String> customers = jdbc.queryForList("""
                SELECT customer_id FROM customer_mapping WHERE partner_id = :p AND company_id = :c ORDER BY customer_id""",
                Map.of("p", partnerId, "c", agreement.company().id()), String.class);
        if (customers.size() > 1) {
            Set<String> onAgreement = new HashSet<>(jdbc.queryForList("""
                    SELECT subscription_id FROM subscription_mapping WHERE partner_id = :p AND agreement_id = :a""",
                    Map.of("p", partnerId, "a", agreementId), String.class));
            customers = customers.stream().filter(c -> subs.entrySet().stream()
                    .anyMatch(e -> onAgreement.contains(e.getKey()) && c.equals(e.getValue().customerId()))).toList();
        }
        if (customers.size() != 1) return Customer.UNKNOWN;
        String customerId = customers.get(0);
        String name = subs.values().stream().filter(s -> customerId.equals(s.customerId()) && s.customerName() != null)
                .map(Sub::customerName).findFirst().orElse(null);
        return new Customer(customerId, name);
    }

    private static Map<ThreeWay.Kind, BigDecimal> totals(List<Row> rows) {
        Map<ThreeWay.Kind, BigDecimal> totals = new EnumMap<>(ThreeWay.Kind.class);
        for (ThreeWay.Kind k : ThreeWay.Kind.values()) totals.put(k, Money.ZERO);
        rows.forEach(r -> totals.merge(ThreeWay.Kind.valueOf(r.mismatch()), r.amount(), BigDecimal::add));
        return totals;
    }

    private static List<Map<String, Object>> customers(List<Row> rows) {
        Map<String, List<Row>> by = new LinkedHashMap<>();
        rows.stream().sorted(java.util.Comparator.comparing(r -> r.customerName() == null ? "" : r.customerName()))
                .forEach(r -> by.computeIfAbsent(r.customerId() == null ? "" : r.customerId(), k -> new ArrayList<>()).add(r));
        List<Map<String, Object>> out = new ArrayList<>();
        by.forEach((customerId, list) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("customerId", customerId.isEmpty() ? null : customerId);
            c.put("customerName", list.get(0).customerName());
            c.put("mismatches", list.size());
            c.put("totals", totals(list));
            out.add(c);
        });
        return out;
    }

    /**
     * The subscriptions the marketplace knows for the partner, with the quantity by day from their
     * events (each event's quantity from its day, a cancellation 0; a sale from its start date) and
     * names, kind, unit price and cost from the latest event.
     */
    private Map<String, Sub> marketplace(String partnerId, YearMonth month, Map<String, String> catalogOf) {
        Map<String, Sub> subs = new HashMap<>();
        facts.events(partnerId).forEach((id, e) -> {
            JsonNode s = e.latest();
            if (s.path("startDate").isTextual() && LocalDate.parse(s.path("startDate").asText().substring(0, 10)).isAfter(month.atEndOfMonth())) {
                return;
            }
            // each step's product by the catalog item its lines bill (R19: a full upgrade's old and new products)
            List<ThreeWay.QuantityStep> steps = e.steps() == null ? null : e.steps().stream()
                    .map(step -> step.withProduct(step.product() == null ? null : catalogOf.get(step.product()))).toList();
            ThreeWay.Marketplace m = steps != null ? new ThreeWay.Marketplace(steps, SubscriptionFacts.decimal(s.path("unitPrice")),
                    SubscriptionFacts.decimal(s.path("unitCost")), e.usage()) : null;
            subs.put(id, new Sub(s.path("customer").path("id").asText(null), s.path("customer").path("name").asText(null),
                    s.path("product").path("plan").asText(null), s.path("kind").asText(null), m,
                    "YEARLY".equalsIgnoreCase(s.path("billingCycle").asText(""))));
        });
        return subs;
    }
}
