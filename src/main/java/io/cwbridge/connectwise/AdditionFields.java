package io.cwbridge.connectwise;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The addition fields the bundle writes (SPEC 4: units, unit price, unit cost, dates and
 * description; extended amounts are ConnectWise's to derive). A null field is left as it is on
 * an update; {@code clearCancelledDate} reopens a line (auto-renew). {@code proratePrice} /
 * {@code prorateCost} are sent only when set: under proration MARKETPLACE on an agreement that does
 * not prorate (R17a); otherwise ConnectWise computes them.
 */
public record AdditionFields(
        Long catalogItemId,
        BigDecimal quantity,
        BigDecimal unitPrice,
        BigDecimal unitCost,
        LocalDate effectiveDate,
        LocalDate cancelledDate,
        boolean clearCancelledDate,
        String description,
        String invoiceDescription,
        String billCustomer,
        BigDecimal proratePrice,
        BigDecimal prorateCost,
        Boolean taxableFlag) {

    /** Without a taxable flag (sent only when set: a task override, issue 15). */
    public AdditionFields(Long catalogItemId, BigDecimal quantity, BigDecimal unitPrice, BigDecimal unitCost,
            LocalDate effectiveDate, LocalDate cancelledDate, boolean clearCancelledDate, String description,
            String invoiceDescription, String billCustomer, BigDecimal proratePrice, BigDecimal prorateCost) {
        this(catalogItemId, quantity, unitPrice, unitCost, effectiveDate, cancelledDate, clearCancelledDate, description,
                invoiceDescription, billCustomer, proratePrice, prorateCost, null);
    }

    /** Without prorate amounts (ConnectWise's own, R17). */
    public AdditionFields(Long catalogItemId, BigDecimal quantity, BigDecimal unitPrice, BigDecimal unitCost,
            LocalDate effectiveDate, LocalDate cancelledDate, boolean clearCancelledDate, String description,
            String invoiceDescription, String billCustomer) {
        this(catalogItemId, quantity, unitPrice, unitCost, effectiveDate, cancelledDate, clearCancelledDate, description,
                invoiceDescription, billCustomer, null, null);
    }

    /** ConnectWise takes dates as UTC midnight date-times. */
    static String dateTime(LocalDate date) {
        return ConnectWiseConditions.dateTime(date);
    }

    /** Body of a POST: every field that is set, with ConnectWise's names. */
    Map<String, Object> toCreateBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (catalogItemId != null) body.put("product", Map.of("id", catalogItemId));
        body.put("billCustomer", billCustomer == null ? "Billable" : billCustomer);
        values().forEach(body::put);
        return body;
    }

    /** Body of a PATCH: a replace per field that is set. */
    List<JsonPatchOperation> toPatch() {
        List<JsonPatchOperation> ops = new ArrayList<>();
        if (catalogItemId != null) ops.add(JsonPatchOperation.replace("product", Map.of("id", catalogItemId)));
        if (billCustomer != null) ops.add(JsonPatchOperation.replace("billCustomer", billCustomer));
        values().forEach((field, value) -> ops.add(JsonPatchOperation.replace(field, value)));
        if (clearCancelledDate) ops.add(JsonPatchOperation.remove("cancelledDate"));
        return ops;
    }

    /**
     * The line a create would make, to find it after an ambiguous failure: ConnectWise is asked by exact fields only,
     * the description is compared exactly on the answer (R16; {@link AdditionIdentity}).
     */
    public AdditionIdentity identity() {
        return AdditionIdentity.of(this);
    }

    private Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        if (quantity != null) values.put("quantity", quantity);
        if (unitPrice != null) values.put("unitPrice", unitPrice);
        if (unitCost != null) values.put("unitCost", unitCost);
        if (effectiveDate != null) values.put("effectiveDate", dateTime(effectiveDate));
        if (cancelledDate != null) values.put("cancelledDate", dateTime(cancelledDate));
        if (description != null) values.put("description", description);
        if (invoiceDescription != null) values.put("invoiceDescription", invoiceDescription);
        if (proratePrice != null) values.put("proratePrice", proratePrice);
        if (prorateCost != null) values.put("prorateCost", prorateCost);
        if (taxableFlag != null) values.put("taxableFlag", taxableFlag);
        return values;
    }
}
