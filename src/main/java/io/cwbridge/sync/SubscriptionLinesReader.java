package io.cwbridge.sync;

import io.cwbridge.connectwise.AgreementAdditions;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.model.AgreementAddition;
import io.cwbridge.rules.AdditionLine;
import io.cwbridge.rules.AdditionPlan;
import io.cwbridge.rules.MappingContext;
import io.cwbridge.rules.PlannedOperation;
import io.cwbridge.rules.LineKey;
import io.cwbridge.rules.SubscriptionLines;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Reads a subscription's lines as ConnectWise holds them now: our record says which addition is
 * which line, ConnectWise says its quantity, prices and dates. Whether a line was invoiced is the
 * rules' to judge from the agreement's next invoice date (R22 v2); {@code billedQuantity} is
 * ConnectWise's quantity less included and says nothing about it, so it is not read.
 * A line whose addition was deleted in ConnectWise is forgotten. What it reads is kept as the
 * lines' copies ({@link LineCopies}), from which {@link #plan} plans when it may.
 */
@Component
public class SubscriptionLinesReader {

    private final AgreementAdditions additions;
    private final SubscriptionLineRepository subscriptionLines;
    private final LineCopies copies;

    public SubscriptionLinesReader(AgreementAdditions additions, SubscriptionLineRepository subscriptionLines, LineCopies copies) {
        this.additions = additions;
        this.subscriptionLines = subscriptionLines;
        this.copies = copies;
    }

    /**
     * The plan {@code planner} makes from the subscription's lines, reading from ConnectWise only
     * what the bundle's copies cannot tell ({@link LineCopies}): a line is taken from its copy when
     * it has one, on the agreement being planned ({@code context}), taken under that agreement's
     * next invoice date now. The rest is read. When the plan made so would edit or delete a line
     * (an UPDATE or DELETE) and any line came from a copy, every line is read from ConnectWise and
     * the plan made again from what it holds, so an edit is never computed from a copy (and a line
     * deleted in ConnectWise by hand is noticed and forgotten before anything is sent for it).
     *
     * @param rows rows of sql/subscription-lines.sql (line_key, agreement_id, addition_id and the copy)
     */
    public AdditionPlan plan(String partnerId, ConnectWiseConnection cw, List<Map<String, Object>> rows, MappingContext context,
                             Function<SubscriptionLines, AdditionPlan> planner) {
        LocalDate next = context.billing() == null ? null : context.billing().nextInvoiceDate();
        List<AdditionLine> fromCopies = new ArrayList<>();
        List<Map<String, Object>> toRead = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Optional<AdditionLine> copy = ((Number) row.get("agreement_id")).longValue() == context.agreementId() && next != null
                    ? LineCopies.line(row, next) : Optional.empty();
            copy.ifPresentOrElse(fromCopies::add, () -> toRead.add(row));
        }
        List<AdditionLine> lines = new ArrayList<>(fromCopies);
        if (!toRead.isEmpty()) lines.addAll(read(partnerId, cw, toRead).all());
        AdditionPlan plan = planner.apply(SubscriptionLines.of(lines));
        boolean edits = plan.operations().stream().anyMatch(o -> o.kind() != PlannedOperation.Kind.CREATE);
        if (fromCopies.isEmpty() || !edits) return plan;
        return planner.apply(read(partnerId, cw, rows));
    }

    /** ConnectWise calls {@link #read} makes for {@code ids} lines of one agreement ({@link AgreementAdditions#withIds}). */
    public static int calls(int ids) {
        return AgreementAdditions.calls(ids);
    }

    /** @param rows rows of sql/subscription-lines.sql: line_key, agreement_id, addition_id */
    public SubscriptionLines read(String partnerId, ConnectWiseConnection cw, List<Map<String, Object>> rows) {
        Map<Long, List<Map<String, Object>>> byAgreement = rows.stream()
                .collect(Collectors.groupingBy(r -> ((Number) r.get("agreement_id")).longValue()));
        List<AdditionLine> lines = new ArrayList<>();
        byAgreement.forEach((agreementId, agreementRows) -> {
            Map<Long, LineKey> keys = new HashMap<>();
            agreementRows.forEach(r -> keys.put(((Number) r.get("addition_id")).longValue(), LineKeys.parse((String) r.get("line_key"))));
            Map<Long, AgreementAddition> found = new HashMap<>();
            additions.withIds(cw, agreementId, keys.keySet()).forEach(a -> found.put(a.id(), a));
            keys.forEach((additionId, key) -> {
                AgreementAddition a = found.get(additionId);
                if (a == null) {
                    forget(partnerId, key, additionId);
                } else {
                    lines.add(line(additionId, key, a));
                    copies.store(partnerId, agreementId, additionId, a);
                }
            });
        });
        return SubscriptionLines.of(lines);
    }

    /**
     * The lines of {@code rows} from additions already read (an agreement read whole), or empty when
     * one of them is not among them (created since, or deleted in ConnectWise): then read afresh.
     */
    public static java.util.Optional<SubscriptionLines> from(List<Map<String, Object>> rows, Map<Long, AgreementAddition> additions) {
        List<AdditionLine> lines = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            long additionId = ((Number) r.get("addition_id")).longValue();
            AgreementAddition a = additions.get(additionId);
            if (a == null) return java.util.Optional.empty();
            lines.add(line(additionId, LineKeys.parse((String) r.get("line_key")), a));
        }
        return java.util.Optional.of(SubscriptionLines.of(lines));
    }

    static AdditionLine line(long additionId, LineKey key, AgreementAddition a) {
        return new AdditionLine(additionId, key, a.catalogItemId(),
                a.quantity() == null ? BigDecimal.ZERO : a.quantity(), money(a.unitPrice()), money(a.unitCost()),
                a.effectiveDate(), a.cancelledDate(),
                false, // R22 v2: judged by the rules from AgreementBilling.nextInvoiceDate, never from billedQuantity
                a.description(), a.invoiceDescription());
    }

    private void forget(String partnerId, LineKey key, long additionId) {
        subscriptionLines.forget(partnerId, key.subscriptionId(), key.toString(), additionId);
    }

    /** ConnectWise answers 22 or 22.0 for 22.00: money keeps at least two decimals (descriptions, catch-ups). */
    static BigDecimal money(BigDecimal value) {
        return value == null || value.scale() >= 2 ? value : value.setScale(2);
    }
}
