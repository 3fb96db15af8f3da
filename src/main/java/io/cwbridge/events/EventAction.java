package io.cwbridge.events;

/** What happened to the subscription; every action belongs to exactly one {@link EventType} (SPEC §8.1). */
public enum EventAction {
    NEW(EventType.SALES_ORDER),
    LICENSE_INCREASE(EventType.CHANGE_ORDER),
    LICENSE_DECREASE(EventType.CHANGE_ORDER),
    FULL_UPGRADE(EventType.CHANGE_ORDER),
    PARTIAL_UPGRADE(EventType.CHANGE_ORDER),
    RENEWAL(EventType.CHANGE_ORDER),
    PRICE_CHANGE(EventType.CHANGE_ORDER),
    USAGE(EventType.BILLING_ORDER),
    CANCEL(EventType.CANCELLATION_ORDER);

    private final EventType type;

    EventAction(EventType type) {
        this.type = type;
    }

    public EventType type() {
        return type;
    }

    /** Licence count changes (R11–R16). */
    public boolean isQuantityChange() {
        return this == LICENSE_INCREASE || this == LICENSE_DECREASE;
    }

    public boolean isUpgrade() {
        return this == FULL_UPGRADE || this == PARTIAL_UPGRADE;
    }
}
