package io.cwbridge.events;

/** Billing frequency; an agreement of the same cycle is required (R5). */
public enum BillingCycle {
    MONTHLY,
    YEARLY
}
