package io.cwbridge.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.connectwise.model.Agreement;
import io.cwbridge.rules.AdditionLine;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The bundle's copy of a subscription line (V15 columns of {@code subscription_line}) as
 * ConnectWise last answered it: from the bundle's own writes (POST / PATCH answer the whole
 * addition) and its reads. A copy holds only under the agreement's next invoice date N it was
 * taken under ({@code copy_next_invoice}): once ConnectWise invoices, N moves and the copy is read
 * afresh. Copies are stamped {@code copied_at}, never {@code updated_at} (that one marks the
 * bundle's writes, which planning and the global sync compare against). Written through the
 * table's owner, {@link SubscriptionLineRepository}.
 */
@Component
public class LineCopies {

    private final SubscriptionLineRepository lines;
    private final AgreementCache agreements;
    private final ConnectWiseResources resources;

    public LineCopies(SubscriptionLineRepository lines, AgreementCache agreements, ConnectWiseResources resources) {
        this.lines = lines;
        this.agreements = agreements;
        this.resources = resources;
    }

    /**
     * Keeps {@code addition} as the copy of the line its id holds, taken under the agreement's next
     * invoice date as this instance knows it; with no addition, or the agreement not known here,
     * the line has no copy (it is read from ConnectWise next time).
     */
    public void store(String partnerId, long agreementId, long additionId, AgreementAddition addition) {
        Optional<LocalDate> next = agreements.peek(partnerId, agreementId).map(Agreement::nextInvoiceDate);
        if (addition == null || next.isEmpty()) {
            clear(partnerId, additionId);
            return;
        }
        lines.storeCopy(partnerId, additionId, columns(addition, next.get()));
    }

    /**
     * The copy's columns as named parameters (see {@link #SET_COPY}) of the addition a write answered
     * (null or no record: none), or empty: the line keeps no copy.
     */
    Optional<Map<String, Object>> columns(String partnerId, long agreementId, JsonNode answer) {
        Optional<LocalDate> next = agreements.peek(partnerId, agreementId).map(Agreement::nextInvoiceDate);
        if (answer == null || !answer.isObject() || next.isEmpty()) return Optional.empty();
        return Optional.of(columns(resources.addition(answer), next.get()));
    }

    /** Assignments of the copy's columns from the parameters of {@link #columns}, for a statement's SET. */
    static final String SET_COPY = """
            catalog_item_id = CAST(:item AS bigint), quantity = CAST(:qty AS numeric), unit_price = CAST(:price AS numeric),
            unit_cost = CAST(:cost AS numeric), effective_date = CAST(:eff AS date), cancelled_date = CAST(:cxl AS date),
            description = CAST(:desc AS text), invoice_description = CAST(:inv AS text), copied_at = clock_timestamp(),
            copy_next_invoice = CAST(:next AS date)""";

    /** The copy's columns and their values (the parameters of {@link #SET_COPY}), in an INSERT. */
    static final String COPY_COLUMNS = "catalog_item_id, quantity, unit_price, unit_cost, effective_date, cancelled_date, "
            + "description, invoice_description, copied_at, copy_next_invoice";
    static final String COPY_VALUES = "CAST(:item AS bigint), CAST(:qty AS numeric), CAST(:price AS numeric), CAST(:cost AS numeric), "
            + "CAST(:eff AS date), CAST(:cxl AS date), CAST(:desc AS text), CAST(:inv AS text), clock_timestamp(), CAST(:next AS date)";

    /** The copy's columns of an addition (the parameters of {@link #SET_COPY}), taken under {@code nextInvoice}. */
    public static Map<String, Object> columns(AgreementAddition a, LocalDate nextInvoice) {
        Map<String, Object> params = new HashMap<>();
        params.put("item", a.catalogItemId());
        params.put("qty", a.quantity());
        params.put("price", a.unitPrice());
        params.put("cost", a.unitCost());
        params.put("eff", sqlDate(a.effectiveDate()));
        params.put("cxl", sqlDate(a.cancelledDate()));
        params.put("desc", a.description());
        params.put("inv", a.invoiceDescription());
        params.put("next", sqlDate(nextInvoice));
        return params;
    }

    /** The line has no copy any more: it is read from ConnectWise next time. */
    public void clear(String partnerId, long additionId) {
        lines.clearCopy(partnerId, additionId);
    }

    /** Every line of these subscriptions is read from ConnectWise next time (a write to them was refused). */
    public void clearSubscriptions(String partnerId, Collection<String> subscriptionIds) {
        lines.clearCopies(partnerId, subscriptionIds);
    }

    /**
     * The line from its copy in a row of sql/subscription-lines.sql, when there is one taken under
     * {@code nextInvoice} (the agreement's next invoice date now); else empty: read it.
     */
    static Optional<AdditionLine> line(Map<String, Object> row, LocalDate nextInvoice) {
        if (row.get("copied_at") == null || row.get("quantity") == null || row.get("effective_date") == null) return Optional.empty();
        if (!Objects.equals(localDate(row.get("copy_next_invoice")), nextInvoice)) return Optional.empty();
        return Optional.of(new AdditionLine(((Number) row.get("addition_id")).longValue(), LineKeys.parse((String) row.get("line_key")),
                row.get("catalog_item_id") == null ? null : ((Number) row.get("catalog_item_id")).longValue(),
                (BigDecimal) row.get("quantity"), SubscriptionLinesReader.money((BigDecimal) row.get("unit_price")),
                SubscriptionLinesReader.money((BigDecimal) row.get("unit_cost")),
                localDate(row.get("effective_date")), localDate(row.get("cancelled_date")),
                false, // R22 v2: judged by the rules from the agreement's next invoice date
                (String) row.get("description"), (String) row.get("invoice_description")));
    }

    /** A JDBC date column's value (DATE, or its text) as a LocalDate; null stays null. */
    public static LocalDate localDate(Object value) {
        if (value == null) return null;
        if (value instanceof Date d) return d.toLocalDate();
        if (value instanceof LocalDate d) return d;
        return LocalDate.parse(value.toString().substring(0, 10));
    }

    /** A LocalDate as a JDBC DATE parameter; null stays null. */
    public static Date sqlDate(LocalDate d) {
        return d == null ? null : Date.valueOf(d);
    }
}
