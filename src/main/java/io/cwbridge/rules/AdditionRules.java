package io.cwbridge.rules;

import io.cwbridge.events.SubscriptionEvent;
import java.util.Objects;

/**
 * Entry point of the addition rules: the content-based router's decision for one event. Pure: the
 * same event, lines, mapping and rules always give the same plan; the date that matters is the
 * event's date of change c, never the clock.
 */
public final class AdditionRules {

    private AdditionRules() {
    }

    /**
     * The addition operations that bring the subscription's lines in ConnectWise in step with the
     * event.
     *
     * @param event   a validated event
     * @param lines   the subscription's known addition lines (may be empty)
     * @param mapping the agreement and catalog items the subscription is mapped to
     * @param rules   the partner's sync rules
     * @throws MappingRequiredException when a catalog item needed for a new line is not mapped
     * @throws IllegalArgumentException when the event lacks what its action needs
     */
    public static AdditionPlan plan(SubscriptionEvent event, SubscriptionLines lines, MappingContext mapping, SyncRules rules) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(lines, "lines");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(rules, "rules");
        if (!event.actionMatchesType()) {
            throw new IllegalArgumentException("action " + event.action() + " does not belong to type " + event.type());
        }
        if (event.subscription() == null || event.subscription().id() == null) {
            throw new IllegalArgumentException("event has no subscription id");
        }
        if (event.changeDate() == null) {
            throw new IllegalArgumentException("event has no occurredAt");
        }
        PlanBuilder plan = new PlanBuilder(mapping.agreementId(), lines.all(), PlanContext.of(event.subscription(), mapping, rules));
        switch (event.action()) {
            case NEW -> SalesOrderRule.apply(plan, event, mapping, rules);
            case LICENSE_INCREASE, LICENSE_DECREASE ->
                    QuantityChangeRule.apply(plan, event, Events.quantity(event.subscription()), mapping, rules, "");
            case FULL_UPGRADE -> UpgradeRule.full(plan, event, mapping, rules);
            case PARTIAL_UPGRADE -> UpgradeRule.partial(plan, event, mapping, rules);
            case RENEWAL -> RenewalRule.apply(plan, event, mapping, rules);
            case PRICE_CHANGE -> PriceChangeRule.apply(plan, event, mapping, rules);
            case USAGE -> UsageRule.apply(plan, event, mapping, rules);
            case CANCEL -> CancellationRule.apply(plan, event, mapping, rules);
        }
        AdditionPlan result = plan.build();
        if (result.isEmpty() && result.notes().isEmpty() && result.catchUps().isEmpty()) {
            return AdditionPlan.empty(event.action() + " " + event.changeDate() + ": ConnectWise is already in step");
        }
        return result;
    }

    /** R18 month roll for the global sync (see {@link MonthRoll}). */
    public static AdditionPlan monthRoll(SubscriptionLines lines, long agreementId, java.time.LocalDate today) {
        return MonthRoll.plan(lines, agreementId, today);
    }

    /** R18 month roll on an agreement that invoices as {@code billing} says (R22, R27). */
    public static AdditionPlan monthRoll(SubscriptionLines lines, long agreementId, java.time.LocalDate today,
            AgreementBilling billing) {
        return MonthRoll.plan(lines, agreementId, today, billing);
    }
}
