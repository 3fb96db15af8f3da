package io.cwbridge.events;

import java.util.EnumSet;
import java.util.Set;

/** The four order (task) types of SPEC §2. */
public enum EventType {
    /** A new subscription. */
    SALES_ORDER,
    /** An existing subscription changed: licences, upgrade, renewal, price. */
    CHANGE_ORDER,
    /** An existing usage-based (IaaS / consumption) subscription has usage to bill. */
    BILLING_ORDER,
    /** The subscription was cancelled. */
    CANCELLATION_ORDER;

    /** The actions an event of this type may carry (SPEC §8.1). */
    public Set<EventAction> actions() {
        Set<EventAction> actions = EnumSet.noneOf(EventAction.class);
        for (EventAction action : EventAction.values()) {
            if (action.type() == this) {
                actions.add(action);
            }
        }
        return actions;
    }

    public boolean allows(EventAction action) {
        return action != null && action.type() == this;
    }
}
