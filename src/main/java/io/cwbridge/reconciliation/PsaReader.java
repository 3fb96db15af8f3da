package io.cwbridge.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.reconciliation.rules.PsaLine;
import java.math.BigDecimal;
import java.time.LocalDate;
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

    /** The additions read, and where a delta line would be posted (either may be null). */
    record Read(List<PsaLine> lines, Long agreementId, Long catalogItemId) {}

    /** ConnectWise values could not be read; the message is safe to show (never secrets). */
    static class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final PartnerConnectionRepository connections;
    private final ConnectWiseClient client;

    PsaReader(NamedParameterJdbcTemplate jdbc, PartnerConnectionRepository connections, ConnectWiseClient client) {
        this.jdbc = jdbc;
        this.connections = connections;
        this.client = client;
    }

    Read read(String partnerId, String subscriptionId) {
        ConnectWiseConnection cw = connections.find(partnerId)
                .orElseThrow(() -> new Unreadable("partner has no ConnectWise connection"));
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT agreement_id, addition_id FROM subscription_line WHERE partner_id = :p AND subscription_id = :s",
                Map.of("p", partnerId, "s", subscriptionId));
        Map<Long, List<Long>> byAgreement = rows.stream().collect(Collectors.groupingBy(
                r -> ((Number) r.get("agreement_id")).longValue(),
                Collectors.mapping(r -> ((Number) r.get("addition_id")).longValue(), Collectors.toList())));
        List<PsaLine> lines = new ArrayList<>();
        Long agreementId = null;
        Long catalogItemId = null;
        try {
            for (Map.Entry<Long, List<Long>> e : byAgreement.entrySet()) {
                String in = e.getValue().stream().map(String::valueOf).collect(Collectors.joining(","));
                for (JsonNode a : client.getAll(cw, "finance/agreements/" + e.getKey() + "/additions", "id in (" + in + ")")) {
                    lines.add(new PsaLine(decimal(a.path("quantity")), decimal(a.path("unitCost")), decimal(a.path("unitPrice")),
                            date(a.path("effectiveDate")), date(a.path("cancelledDate"))));
                    agreementId = e.getKey();
                    if (catalogItemId == null && a.path("product").hasNonNull("id")) catalogItemId = a.path("product").path("id").asLong();
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
                                   (SELECT payload -> 'subscription' -> 'product' ->> 'id' FROM subscription_event
                                     WHERE partner_id = :p AND subscription_id = :s ORDER BY occurred_at DESC LIMIT 1)) AS catalog_item_id
                    """, Map.of("p", partnerId, "s", subscriptionId));
            if (agreementId == null && mapped.get("agreement_id") != null) agreementId = ((Number) mapped.get("agreement_id")).longValue();
            if (catalogItemId == null && mapped.get("catalog_item_id") != null) catalogItemId = ((Number) mapped.get("catalog_item_id")).longValue();
        }
        return new Read(lines, agreementId, catalogItemId);
    }

    private static BigDecimal decimal(JsonNode n) {
        return n.isNumber() ? n.decimalValue() : n.isTextual() ? new BigDecimal(n.asText()) : BigDecimal.ZERO;
    }

    /** ConnectWise dates are UTC midnight date-times; the date part is the day. */
    private static LocalDate date(JsonNode n) {
        return n.isTextual() && n.asText().length() >= 10 ? LocalDate.parse(n.asText().substring(0, 10)) : null;
    }
}
