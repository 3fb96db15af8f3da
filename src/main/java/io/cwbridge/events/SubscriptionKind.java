package io.cwbridge.events;

/** Licence-based (SaaS) or usage-based (IaaS / consumption) subscription. */
public enum SubscriptionKind {
    SAAS,
    IAAS
}
