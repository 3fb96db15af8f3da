package io.cwbridge.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Snapshot of the subscription after the event (SPEC §8.1). For changes {@code quantity} is the new
 * licence count and {@code previousQuantity} the one before; renewals carry the new {@code endDate}.
 *
 * @param termMonths  optional term length
 * @param setupAmount optional one-time setup amount (R25)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subscription(
        String id,
        Customer customer,
        Product product,
        SubscriptionKind kind,
        Integer quantity,
        Integer previousQuantity,
        BigDecimal unitPrice,
        BigDecimal unitCost,
        String currency,
        BillingCycle billingCycle,
        Integer termMonths,
        LocalDate startDate,
        LocalDate endDate,
        Boolean autoRenew,
        String status,
        BigDecimal setupAmount) {

    /** The same subscription with {@code value} licences (no previous quantity): e.g. its licences before a change. */
    public Subscription withQuantity(Integer value) {
        return new Subscription(id, customer, product, kind, value, null, unitPrice, unitCost, currency, billingCycle, termMonths,
                startDate, endDate, autoRenew, status, setupAmount);
    }

    /** Null-safe autoRenew: a missing flag means no auto-renew. (Not named isAutoRenew: Jackson would merge it with the component.) */
    public boolean renewsAutomatically() {
        return Boolean.TRUE.equals(autoRenew);
    }

    /** Null-safe: a missing kind is treated as licence-based. */
    @JsonIgnore
    public boolean isIaas() {
        return kind == SubscriptionKind.IAAS;
    }
}
