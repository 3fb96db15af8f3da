package io.cwbridge.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.connectwise.AdditionIdentity;
import io.cwbridge.connectwise.AgreementAdditions;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.connectwise.ConnectWiseLookup;
import io.cwbridge.connectwise.JsonPatchOperation;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.rules.reconciliation.FinalCharges.Charges;
import io.cwbridge.rules.reconciliation.Money;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Every write the billing reconciliation makes to ConnectWise (R32 v2), each one recorded in
 * reconciliation_operation with what was sent and what it replaced: a delta line, new unit values
 * of an existing line (the final reseller cost, an IaaS line), and the undo of a rejected post.
 */
@Component
class ConnectWiseWrites {

    /** Kinds of reconciliation_operation. */
    static final String UNIT_COST = "FINAL_UNIT_COST";
    static final String DELTA_LINE = "DELTA_LINE";
    static final String IAAS_LINE = "IAAS_LINE_VALUES";
    static final String UNDO_DELTA_LINE = "UNDO_DELTA_LINE";
    static final String UNDO_IAAS_LINE = "UNDO_IAAS_LINE_VALUES";
    static final String UNDO_UNIT_COST = "UNDO_FINAL_UNIT_COST";

    /** A write ConnectWise refused (or that could not be sent); the message is safe to show. */
    static final class WriteFailed extends RuntimeException {
        private final boolean invoicedLine;

        WriteFailed(String message) {
            this(message, false);
        }

        WriteFailed(String message, boolean invoicedLine) {
            super(message);
            this.invoicedLine = invoicedLine;
        }

        /** Whether ConnectWise refused the edit because it has invoiced the line's period: sending it again fails the same way. */
        boolean invoicedLine() {
            return invoicedLine;
        }
    }

    /**
     * ConnectWise's refusal of a change into a period it has invoiced, by its validation message ("Since this period has
     * already been invoiced there will not be an invoice generated for additional products for this period. Please end-date
     * this addition and add a new one.", shared/connectwise README "Billed periods").
     */
    static boolean refusedAsInvoiced(RuntimeException e) {
        if (!(e instanceof ConnectWiseException cwe) || cwe.isTransient() || cwe.status() != 400) return false;
        java.util.function.Predicate<String> invoiced = m -> m != null && m.toLowerCase(java.util.Locale.ROOT).contains("already been invoiced");
        return invoiced.test(cwe.getMessage()) || cwe.errors().stream().anyMatch(f -> invoiced.test(f.message()));
    }

    /** Where a write is recorded: straight into reconciliation_operation, or kept until the reconciliation's row exists. */
    interface OperationLog {
        void record(String kind, Long additionId, Object request, Object previous, String status, String error);
    }

    /** Operations of a reconciliation whose row is not written yet; {@link #flush} records them. */
    static final class Buffer implements OperationLog {
        private final List<Object[]> kept = new ArrayList<>();

        @Override
        public void record(String kind, Long additionId, Object request, Object previous, String status, String error) {
            kept.add(new Object[] {kind, additionId, request, previous, status, error});
        }

        void flush(ReconciliationRepository repository, long reconciliationId) {
            for (Object[] o : kept) {
                repository.recordOperation(reconciliationId, (String) o[0], (Long) o[1], o[2], o[3], (String) o[4], (String) o[5]);
            }
            kept.clear();
        }
    }

    OperationLog direct(long reconciliationId) {
        return (kind, additionId, request, previous, status, error) ->
                repository.recordOperation(reconciliationId, kind, additionId, request, previous, status, error);
    }

    private final ReconciliationRepository repository;
    private final PartnerConnectionRepository connections;
    private final ConnectWiseClient client;
    private final ConnectWiseResources resources;
    private final AgreementAdditions additions;
    private final Clock clock;

    ConnectWiseWrites(ReconciliationRepository repository, PartnerConnectionRepository connections, ConnectWiseResources resources,
                      AgreementAdditions additions, Clock clock) {
        this.repository = repository;
        this.connections = connections;
        this.client = resources.client();
        this.resources = resources;
        this.additions = additions;
        this.clock = clock;
    }

    /**
     * New unit values of an existing addition (null: left as it is); recorded with the previous
     * values. Nothing is sent when both are null.
     */
    void updateUnits(OperationLog log, String kind, String partnerId, long agreementId, long additionId,
                     BigDecimal unitCost, BigDecimal unitPrice, BigDecimal previousCost, BigDecimal previousPrice) {
        List<JsonPatchOperation> ops = new ArrayList<>();
        Map<String, Object> request = new LinkedHashMap<>();
        Map<String, Object> previous = new LinkedHashMap<>();
        if (unitCost != null) {
            ops.add(JsonPatchOperation.replace("unitCost", unitCost));
            request.put("unitCost", unitCost);
            // as it was, every decimal (R32 v2: a final unit cost may have more than 2), so an undo puts back exactly that
            previous.put("unitCost", previousCost == null ? null : atLeastCents(previousCost));
        }
        if (unitPrice != null) {
            ops.add(JsonPatchOperation.replace("unitPrice", unitPrice));
            request.put("unitPrice", unitPrice);
            previous.put("unitPrice", previousPrice == null ? null : atLeastCents(previousPrice));
        }
        if (ops.isEmpty()) return;
        request.put("agreementId", agreementId);
        previous.put("agreementId", agreementId);
        String path = "finance/agreements/" + agreementId + "/additions/" + additionId;
        try {
            client.patch(connection(partnerId), path, ops);
        } catch (RuntimeException e) {
            String error = "Updating addition " + additionId + " in ConnectWise failed: " + describe(e);
            log.record(kind, additionId, request, previous, "FAILED", error);
            throw new WriteFailed(error, refusedAsInvoiced(e));
        }
        log.record(kind, additionId, request, previous, "DONE", null);
    }

    /**
     * One line of quantity 1 carrying the charges, billed once for one billing period: the current month (by the sync
     * clock), or from the agreement's next invoice date N when that is later (R27: no line starts before N; a line in an
     * invoiced period is refused, or never billed), one period long (a month, or a year on a yearly agreement, R5); a
     * line already posted for the reconciliation (same description) is reused.
     */
    long postDeltaLine(OperationLog log, ReconciliationView r, Long agreementId, Long catalogItemId, Charges charges) {
        if (agreementId == null || catalogItemId == null) {
            String error = "Posting to ConnectWise failed: the subscription has no agreement or product to post the delta on";
            log.record(DELTA_LINE, null, Map.of("cost", charges.cost(), "price", charges.price()),
                    null, "FAILED", error);
            throw new WriteFailed(error);
        }
        // Names its subscription as the bundle's lines do ("… | Subscription {id}", rules' LineDescriptions), so the
        // R6 check of the agreement's next new subscription does not take it for a hand-made addition.
        String description = "Billing reconciliation " + r.billingPeriod() + " | Subscription " + r.subscriptionId();
        String path = "finance/agreements/" + agreementId + "/additions";
        // R16 / SPEC 4: asked by exact fields (product, quantity 1; no dates: a line an earlier month posted counts), the
        // description compared in Java: a ConnectWise string condition is a pattern (* wildcard, [ written [[]).
        ConnectWiseLookup identity = new AdditionIdentity(catalogItemId, BigDecimal.ONE, null, null, description).lookup();
        java.time.LocalDate from;
        java.time.LocalDate to;
        try {
            Dates dates = deltaDates(io.cwbridge.reconciliation.PsaReader.terms(resources.agreement(connection(r.partnerId()), agreementId)),
                    java.time.LocalDate.now(clock));
            from = dates.from();
            to = dates.to();
        } catch (RuntimeException e) {
            String error = "Posting to ConnectWise failed: agreement " + agreementId + " could not be read for its next invoice date: "
                    + describe(e);
            log.record(DELTA_LINE, null, Map.of("cost", charges.cost(), "price", charges.price(), "agreementId", agreementId),
                    null, "FAILED", error);
            throw new WriteFailed(error);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("product", Map.of("id", catalogItemId));
        body.put("billCustomer", "Billable");
        body.put("quantity", BigDecimal.ONE);
        body.put("unitCost", charges.cost());
        body.put("unitPrice", charges.price());
        body.put("effectiveDate", from + "T00:00:00Z");
        body.put("cancelledDate", to + "T00:00:00Z");
        body.put("description", description);
        body.put("invoiceDescription", "Billing reconciliation " + r.billingPeriod() + ": delta cost "
                + charges.cost().toPlainString() + ", delta price " + charges.price().toPlainString());
        Map<String, Object> request = new LinkedHashMap<>(body);
        request.put("agreementId", agreementId);
        try {
            ConnectWiseConnection cw = connection(r.partnerId());
            // A previous post may have landed and then failed to record it: find its line first.
            Optional<JsonNode> landed = client.find(cw, path, identity);
            long id = resources.addition(landed.isPresent() ? landed.get() : client.createOnce(cw, path, body, identity)).id();
            log.record(DELTA_LINE, id, request, null, "DONE", null);
            return id;
        } catch (RuntimeException e) {
            String error = "Posting to ConnectWise failed: " + describe(e);
            log.record(DELTA_LINE, null, request, null, "FAILED", error);
            throw new WriteFailed(error);
        }
    }

    /** The days a delta line bills: one billing period from its first day. */
    record Dates(java.time.LocalDate from, java.time.LocalDate to) {}

    /**
     * R32 × R27: a delta line bills once, for one billing period ConnectWise has not invoiced. Monthly: the month of
     * {@code today}, or from N when that is later, one month long (2024-04-01..2024-04-30 on a monthly agreement that has
     * invoiced March, reconciling February on 12 March). Yearly (R5): the agreement year from N (its next invoice; the
     * current agreement year when N is unknown), one year long, so the line bills its whole amount once (a line of one
     * month would bill 31/365 of it).
     */
    static Dates deltaDates(io.cwbridge.rules.reconciliation.BillingTerms terms, java.time.LocalDate today) {
        LocalDate n = terms.nextInvoiceDate();
        if (terms.yearly()) {
            LocalDate from = n != null ? n : terms.periodOf(today).start();
            return new Dates(from, from.plusYears(1).minusDays(1));
        }
        LocalDate from = today.withDayOfMonth(1);
        if (n != null && n.isAfter(from)) from = n;
        return new Dates(from, from.plusMonths(1).minusDays(1));
    }

    /** Whether the addition is still on the agreement (R32 × R34: an accept confirms only what ConnectWise still bills). */
    boolean exists(String partnerId, long agreementId, long additionId) {
        try {
            return !additions.withIds(connection(partnerId), agreementId, List.of(additionId)).isEmpty();
        } catch (RuntimeException e) {
            throw new WriteFailed("Reading addition " + additionId + " from ConnectWise failed: " + describe(e));
        }
    }

    /**
     * Takes back the charges the reconciliation posted (a rejected row, R32 "reject posts nothing"): deletes its delta
     * line, or restores the IaaS line's values; a delta line already gone from ConnectWise counts as taken back. The final
     * unit cost stays (R32 v2: it is the partner's cost from its billing statement, written when the reseller invoice came,
     * not one of the charges open to Accept / Reject). Any failure is {@link WriteFailed}.
     */
    void undo(long reconciliationId, String partnerId) {
        OperationLog log = direct(reconciliationId);
        for (ReconciliationRepository.Operation op : repository.operationsToUndo(reconciliationId)) {
            long agreementId = op.request().path("agreementId").asLong();
            if (DELTA_LINE.equals(op.kind())) {
                Map<String, Object> request = Map.of("agreementId", agreementId, "delete", op.additionId());
                try {
                    client.delete(connection(partnerId), "finance/agreements/" + agreementId + "/additions/" + op.additionId());
                } catch (RuntimeException e) {
                    if (e instanceof ConnectWiseException cwe && cwe.status() == 404) {
                        // gone already (removed in ConnectWise): nothing of it bills
                        log.record(UNDO_DELTA_LINE, op.additionId(), request, null, "DONE", "already removed in ConnectWise");
                        continue;
                    }
                    String error = "Removing addition " + op.additionId() + " from ConnectWise failed: " + describe(e);
                    log.record(UNDO_DELTA_LINE, op.additionId(), request, null, "FAILED", error);
                    throw new WriteFailed(error);
                }
                log.record(UNDO_DELTA_LINE, op.additionId(), request, null, "DONE", null);
            } else if (IAAS_LINE.equals(op.kind())) {
                JsonNode prev = op.previous();
                updateUnits(log, UNDO_IAAS_LINE, partnerId, agreementId, op.additionId(),
                        decimal(prev.path("unitCost")), decimal(prev.path("unitPrice")),
                        decimal(op.request().path("unitCost")), decimal(op.request().path("unitPrice")));
            }
        }
    }

    /** Takes back what an automatic post wrote (see {@link #undo}). */
    void undoAutomaticPost(long reconciliationId, String partnerId) {
        undo(reconciliationId, partnerId);
    }

    private static BigDecimal atLeastCents(BigDecimal value) {
        BigDecimal v = value.stripTrailingZeros();
        return v.scale() < Money.SCALE ? v.setScale(Money.SCALE) : v;
    }

    private ConnectWiseConnection connection(String partnerId) {
        return connections.find(partnerId).orElseThrow(() -> new WriteFailed("partner has no ConnectWise connection"));
    }

    private static BigDecimal decimal(JsonNode n) {
        return n.isNumber() || n.isTextual() ? new BigDecimal(n.asText()) : null;
    }

    private static String describe(RuntimeException e) {
        if (e instanceof WriteFailed w) return w.getMessage();
        return e instanceof ConnectWiseException cwe ? cwe.describe() : e.getClass().getSimpleName();
    }
}
