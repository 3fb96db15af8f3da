package io.cwbridge.reconciliation.rules;

import io.cwbridge.events.SubscriptionKind;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;

/**
 * R32: what ConnectWise bills for a subscription in a billing month: the sums over the
 * subscription's additions active in that month of quantity, quantity × unit cost and
 * quantity × unit price. An IaaS subscription's PSA quantity is always 1.
 */
public record PsaValues(BigDecimal quantity, BigDecimal cost, BigDecimal price) {

    public static PsaValues of(SubscriptionKind kind, YearMonth period, List<PsaLine> lines) {
        BigDecimal quantity = BigDecimal.ZERO;
        BigDecimal cost = BigDecimal.ZERO;
        BigDecimal price = BigDecimal.ZERO;
        for (PsaLine line : lines) {
            if (!line.activeIn(period.atDay(1), period.atEndOfMonth())) continue;
            quantity = quantity.add(line.quantity());
            cost = cost.add(line.quantity().multiply(line.unitCost()));
            price = price.add(line.quantity().multiply(line.unitPrice()));
        }
        return new PsaValues(kind == SubscriptionKind.IAAS ? BigDecimal.ONE : quantity, Money.of(cost), Money.of(price));
    }
}
