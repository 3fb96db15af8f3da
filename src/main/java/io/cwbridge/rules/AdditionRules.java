package io.cwbridge.rules;

import io.cwbridge.events.EventAction;
import io.cwbridge.events.EventType;
import io.cwbridge.events.SubscriptionEvent;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Entry points of the addition rules (SPEC 5), one per order type and change: the content-based
 * router that picks one is route {@code addition-rules} (routes/order-types.yaml); {@link #plan}
 * is the same decision in Java, for callers outside the routes. Pure: the same event, lines,
 * mapping and rules always give the same plan; the date that matters is the event's date of
 * change c, never the clock.
 *
 * <p>Every entry point takes a validated event, the subscription's known addition lines (may be
 * empty), the agreement and catalog items the subscription is mapped to and the partner's sync
 * rules; it throws {@link MappingRequiredException} when a catalog item needed for a new line is
 * not mapped, and {@link IllegalArgumentException} when the event is not of its order type or
 * lacks what its action needs.
 */
public final class AdditionRules {

    /** One entry point: what the rules make of the event (the order-type routes call one each). */
    @FunctionalInterface
    public interface Rule {
        AdditionPlan plan(SubscriptionEvent event, SubscriptionLines lines, MappingContext mapping, SyncRules rules);
    }

    private AdditionRules() {
    }

    /** The order type's entry point for the event's action: the router of route {@code addition-rules} in Java. */
    public static Rule ruleFor(EventAction action) {
        return switch (action) {
            case NEW -> AdditionRules::salesOrder;
            case LICENSE_INCREASE, LICENSE_DECREASE -> AdditionRules::quantityChange;
            case FULL_UPGRADE, PARTIAL_UPGRADE -> AdditionRules::upgrade;
            case RENEWAL -> AdditionRules::renewal;
            case PRICE_CHANGE -> AdditionRules::priceChange;
            case USAGE -> AdditionRules::billingOrder;
            case CANCEL -> AdditionRules::cancellationOrder;
        };
    }

    /** The addition operations that bring the subscription's lines in ConnectWise in step with the event. */
    public static AdditionPlan plan(SubscriptionEvent event, SubscriptionLines lines, MappingContext mapping, SyncRules rules) {
        Objects.requireNonNull(event, "event");
        if (event.action() == null) {
            throw new IllegalArgumentException("action " + event.action() + " does not belong to type " + event.type());
        }
        return ruleFor(event.action()).plan(event, lines, mapping, rules);
    }

    /** SALES_ORDER / NEW: the base line (R25, R13, R17a) and setup amount. */
    public static AdditionPlan salesOrder(SubscriptionEvent event, SubscriptionLines lines, MappingContext mapping, SyncRules rules) {
        return apply(event, lines, mapping, rules, Set.of(EventAction.NEW),
                plan -> SalesOrderRule.apply(plan, event, mapping, rules));
    }

    /** CHANGE_ORDER / LICENSE_INCREASE, LICENSE_DECREASE: delta lines or a split base (R11, R12, R14-R16, R18). */
    public static AdditionPlan quantityChange(SubscriptionEvent event, SubscriptionLines lines, MappingContext mapping,
            SyncRules rules) {
        return apply(event, lines, mapping, rules, Set.of(EventAction.LICENSE_INCREASE, EventAction.LICENSE_DECREASE),
                plan -> QuantityChangeRule.apply(plan, event, Events.quantity(event.subscription()), mapping, rules, ""));
    }

    /** CHANGE_ORDER / FULL_UPGRADE, PARTIAL_UPGRADE: the old product ends, the new one starts (R19, R20). */
    public static AdditionPlan upgrade(SubscriptionEvent event, SubscriptionLines lines, MappingContext mapping, SyncRules rules) {
        return apply(event, lines, mapping, rules, Set.of(EventAction.FULL_UPGRADE, EventAction.PARTIAL_UPGRADE),
                plan -> {
                    if (event.action() == EventAction.FULL_UPGRADE) UpgradeRule.full(plan, event, mapping, rules);
                    else UpgradeRule.partial(plan, event, mapping, rules);
                });
    }

    /** CHANGE_ORDER / RENEWAL: the base line's end moves to the renewed term's end (R23). */
    public static AdditionPlan renewal(SubscriptionEvent event, SubscriptionLines lines, MappingContext mapping, SyncRules rules) {
        return apply(event, lines, mapping, rules, Set.of(EventAction.RENEWAL),
                plan -> RenewalRule.apply(plan, event, mapping, rules));
    }

    /** CHANGE_ORDER / PRICE_CHANGE: the open lines continue at the new price (R26 for invoiced ones). */
    public static AdditionPlan priceChange(SubscriptionEvent event, SubscriptionLines lines, MappingContext mapping, SyncRules rules) {
        return apply(event, lines, mapping, rules, Set.of(EventAction.PRICE_CHANGE),
                plan -> PriceChangeRule.apply(plan, event, mapping, rules));
    }

    /** BILLING_ORDER / USAGE: one quantity-1 usage line per period (R24). */
    public static AdditionPlan billingOrder(SubscriptionEvent event, SubscriptionLines lines, MappingContext mapping, SyncRules rules) {
        return apply(event, lines, mapping, rules, Set.of(EventAction.USAGE),
                plan -> UsageRule.apply(plan, event, mapping, rules));
    }

    /** CANCELLATION_ORDER / CANCEL: nothing bills from the cancellation date on (R21, R22). */
    public static AdditionPlan cancellationOrder(SubscriptionEvent event, SubscriptionLines lines, MappingContext mapping,
            SyncRules rules) {
        return apply(event, lines, mapping, rules, Set.of(EventAction.CANCEL),
                plan -> CancellationRule.apply(plan, event, mapping, rules));
    }

    /** The actions whose rules read the base line's licences on c (see {@link #apply}). */
    private static final Set<EventAction> ROLLS_FIRST = Set.of(EventAction.CANCEL, EventAction.PRICE_CHANGE,
            EventAction.FULL_UPGRADE, EventAction.PARTIAL_UPGRADE);

    private interface Step {
        void apply(PlanBuilder plan);
    }

    private static AdditionPlan apply(SubscriptionEvent event, SubscriptionLines lines, MappingContext mapping, SyncRules rules,
            Set<EventAction> actions, Step step) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(lines, "lines");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(rules, "rules");
        if (!event.actionMatchesType()) {
            throw new IllegalArgumentException("action " + event.action() + " does not belong to type " + event.type());
        }
        if (!actions.contains(event.action())) {
            EventType type = actions.iterator().next().type();
            throw new IllegalArgumentException("a " + event.type() + " / " + event.action() + " event is not for the rules of "
                    + type + " / " + actions);
        }
        if (event.subscription() == null || event.subscription().id() == null) {
            throw new IllegalArgumentException("event has no subscription id");
        }
        if (event.changeDate() == null) {
            throw new IllegalArgumentException("event has no occurredAt");
        }
        Optional<AdditionPlan> cancelled = CancelledSubscription.skipped(event, lines, mapping);
        if (cancelled.isPresent()) return cancelled.get();
        PlanBuilder plan = new PlanBuilder(mapping.agreementId(), lines.all(), PlanContext.of(event.subscription(), mapping, rules));
        plan.fillUnsyncedPrices(mapping.unsyncedPrices()); // R17 x "sync unit price / cost" off: the catalog's, sent explicitly
        if (rules.priceSource() == SyncRules.PriceSource.CONNECTWISE_CATALOG && event.action() != EventAction.PRICE_CHANGE
                && event.action() != EventAction.USAGE && event.subscription() != null) {
            // R17 x R18 (probe 45 F4): a roll's continuation takes the catalog item's current price and cost, which the planner
            // handed in as the subscription's (sync/CatalogPrices; not for a price change or usage, which it does not price
            // from the catalog), not the price of the base it continues
            plan.priceNewLines(new MonthRoll.CurrentPrice(mapping.catalogItemId(), event.subscription().unitPrice(),
                    event.subscription().unitCost()));
        }
        if (ROLLS_FIRST.contains(event.action())) {
            // R18, R10: the rules that take the base's licences (the −Q of a cancellation, an upgrade's Q, a price split)
            // first do the month roll due before c that the global sync has not done yet (it may be off, the default):
            // else the base's old count is cancelled, moved or repriced, and the later roll bills the difference again.
            MonthRoll.roll(plan, event.changeDate(), event.subscription().id());
        }
        step.apply(plan);
        // R18 × R10 × R27: a delta line of a month the global sync already rolled also changes the base it rolled into
        MonthRoll.rollIntoRolledBases(plan, event.subscription().id());
        CancelledSubscription.endByTheCancellation(plan, event, mapping, rules);
        UpgradeRule.endByTheUpgrade(plan, event);
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
