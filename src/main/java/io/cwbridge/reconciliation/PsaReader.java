package io.cwbridge.reconciliation;

import io.cwbridge.connectwise.AgreementAdditions;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.rules.reconciliation.BillingTerms;
import io.cwbridge.rules.reconciliation.PsaLine;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads a subscription's additions from the partner's ConnectWise (R32): subscription_line says
 * which additions are the subscription's, ConnectWise says their values now. Also finds where an
 * accepted delta would go: the lines' agreement and product, else the subscription's mappings.
 */
@Component
class PsaReader {

    /**
     * The additions read, and where a delta line would be posted (either may be null); {@code terms} how that agreement
     * bills (R5 its cycle and yearly anchor, R22/R27 its next invoice date; {@link BillingTerms#MONTHLY} when there is none).
     */
    record Read(List<PsaLine> lines, Long agreementId, Long catalogItemId, Map<Long, Long> agreementOf, BillingTerms terms) {
        Read(List<PsaLine> lines, Long agreementId, Long catalogItemId) {
            this(lines, agreementId, catalogItemId, Map.of(), BillingTerms.MONTHLY);
        }

        Read(List<PsaLine> lines, Long agreementId, Long catalogItemId, Map<Long, Long> agreementOf) {
            this(lines, agreementId, catalogItemId, agreementOf, BillingTerms.MONTHLY);
        }

        /** The agreement holding an addition (the lines' agreement when not known). */
        long agreementOf(long additionId) {
            Long a = agreementOf.get(additionId);
            return a != null ? a : agreementId;
        }
    }

    /** ConnectWise values could not be read; the message is safe to show (never secrets). */
    static class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final PartnerConnectionRepository connections;
    private final AgreementAdditions additions;
    private final ConnectWiseResources resources;

    PsaReader(NamedParameterJdbcTemplate jdbc, PartnerConnectionRepository connections, AgreementAdditions additions,
              ConnectWiseResources resources) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.additions = additions;
        this.resources = resources;
    }

    /**
     * R32 × R5 / R27: how agreement {@code agreementId} bills — yearly (its billing cycle's name says year or annual, as
     * ConnectWise lets the MSP name cycles) from its billing start, else by calendar month — and its next invoice date N.
     */
    static BillingTerms terms(Agreement agreement) {
        String cycle = agreement.billingCycleName().toLowerCase(java.util.Locale.ROOT);
        boolean yearly = cycle.contains("year") || cycle.contains("annual");
        return yearly && agreement.billingStart() != null
                ? BillingTerms.yearly(agreement.billingStart(), agreement.nextInvoiceDate())
                : BillingTerms.monthly(agreement.nextInvoiceDate());
    }

    /** How the agreement bills (see {@link #terms(Agreement)}); the agreement unreadable is {@link Unreadable}. */
    BillingTerms terms(ConnectWiseConnection cw, long agreementId) {
        try {
            return terms(resources.agreement(cw, agreementId));
        } catch (RuntimeException e) {
            throw new Unreadable("agreement " + agreementId + " could not be read: "
                    + (e instanceof ConnectWiseException cwe ? cwe.describe() : e.getClass().getSimpleName()));
        }
    }

    Read read(String partnerId, String subscriptionId) {
        ConnectWiseConnection cw = connections.find(partnerId)
                .orElseThrow(() -> new Unreadable("partner has no ConnectWise connection"));
        // R8: lines it left on an agreement it moved from still billed their days (subscription_line_moved)
        List<Map<String, Object>> rows = jdbc.queryForList("""
                SELECT agreement_id, addition_id, line_key, false AS moved FROM subscription_line WHERE partner_id = :p AND subscription_id = :s
                UNION ALL
                SELECT agreement_id, addition_id, line_key, true FROM subscription_line_moved WHERE partner_id = :p AND subscription_id = :s""",
                Map.of("p", partnerId, "s", subscriptionId));
        java.util.Set<Long> current = rows.stream().filter(r -> !Boolean.TRUE.equals(r.get("moved")))
                .map(r -> ((Number) r.get("agreement_id")).longValue()).collect(Collectors.toSet());
        Map<Long, List<Long>> byAgreement = rows.stream().collect(Collectors.groupingBy(
                r -> ((Number) r.get("agreement_id")).longValue(),
                Collectors.mapping(r -> ((Number) r.get("addition_id")).longValue(), Collectors.toList())));
        Map<Long, String> keys = new java.util.HashMap<>();
        rows.forEach(r -> keys.put(((Number) r.get("addition_id")).longValue(), (String) r.get("line_key")));
        Map<Long, Long> agreementOf = new java.util.HashMap<>();
        List<PsaLine> lines = new ArrayList<>();
        Long agreementId = null;
        Long catalogItemId = null;
        try {
            for (Map.Entry<Long, List<Long>> e : byAgreement.entrySet()) {
                for (AgreementAddition a : additions.withIds(cw, e.getKey(), e.getValue())) {
                    long id = a.id();
                    lines.add(line(a, keys.get(id)));
                    // an accepted delta goes where the subscription bills now, never to an agreement it left
                    if (current.contains(e.getKey())) agreementId = e.getKey();
                    agreementOf.put(id, e.getKey());
                    if (catalogItemId == null && a.catalogItemId() != null) catalogItemId = a.catalogItemId();
                }
            }
        } catch (RuntimeException e) {
            throw new Unreadable(e instanceof ConnectWiseException cwe ? cwe.describe() : e.getClass().getSimpleName());
        }
        if (agreementId == null || catalogItemId == null) {
            // No addition yet (an IaaS subscription before its usage line): the subscription's mappings.
            Map<String, Object> mapped = jdbc.queryForMap("""
                    SELECT (SELECT agreement_id FROM subscription_mapping WHERE partner_id = :p AND subscription_id = :s) AS agreement_id,
                           (SELECT pm.catalog_item_id FROM product_mapping pm
                             WHERE pm.partner_id = :p AND pm.product_id =
                                   (SELECT payload -> 'subscription' -> 'product' ->> 'id' FROM latest_subscription_event
                                     WHERE partner_id = :p AND subscription_id = :s)) AS catalog_item_id
                    """, Map.of("p", partnerId, "s", subscriptionId));
            if (agreementId == null && mapped.get("agreement_id") != null) agreementId = ((Number) mapped.get("agreement_id")).longValue();
            if (catalogItemId == null && mapped.get("catalog_item_id") != null) catalogItemId = ((Number) mapped.get("catalog_item_id")).longValue();
        }
        BillingTerms terms = agreementId == null ? BillingTerms.MONTHLY : terms(cw, agreementId);
        return new Read(lines, agreementId, catalogItemId, agreementOf, terms);
    }

    /**
     * One addition as ConnectWise answers it, as a line of the rules, by its subscription_line key (null: none known, a
     * licence line). An amount line (usage, setup) that R27 put on the next invoice date N counts on the day its key
     * names, the start of the period it bills (R24: February's usage billed from 1 March is February's charge), so
     * the reconciliation and the three-way check compare it with that month's invoices.
     */
    static PsaLine line(AgreementAddition a, String lineKey) {
        io.cwbridge.rules.LineKey key = null;
        try {
            key = lineKey == null ? null : io.cwbridge.sync.LineKeys.parse(lineKey);
        } catch (RuntimeException notALineKey) {
            // an older or hand-made row: a licence line on its own dates
        }
        boolean licences = key == null || key.role().countsLicences();
        java.time.LocalDate from = a.effectiveDate();
        java.time.LocalDate to = a.cancelledDate();
        if (!licences && from != null && key.effectiveDate().isBefore(from)) {
            from = key.effectiveDate();
            to = key.effectiveDate();
        }
        return new PsaLine(orZero(a.quantity()), orZero(a.unitCost()), orZero(a.unitPrice()), from, to, licences, a.id(),
                a.catalogItemId());
    }

    /** R34: every addition of one agreement, in one read (the three-way check reads each agreement once a month). */
    List<AgreementAddition> agreementAdditions(ConnectWiseConnection cw, long agreementId) {
        try {
            return additions.list(cw, agreementId, null);
        } catch (RuntimeException e) {
            throw new Unreadable(e instanceof ConnectWiseException cwe ? cwe.describe() : e.getClass().getSimpleName());
        }
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
