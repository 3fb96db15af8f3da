package io.cwbridge.rules;

import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.events.UpgradeTo;
import io.cwbridge.events.Usage;

/** Required parts of an event; the JSON schema has checked them, so missing ones are programming errors. */
final class Events {

    private Events() {
    }

    static int quantity(Subscription sub) {
        if (sub.quantity() == null) {
            throw new IllegalArgumentException("subscription.quantity is missing");
        }
        return sub.quantity();
    }

    static UpgradeTo upgradeTo(SubscriptionEvent event) {
        if (event.upgradeTo() == null) {
            throw new IllegalArgumentException(event.action() + " needs upgradeTo");
        }
        return event.upgradeTo();
    }

    static Usage usage(SubscriptionEvent event) {
        if (event.usage() == null) {
            throw new IllegalArgumentException(event.action() + " needs usage");
        }
        return event.usage();
    }

    static long catalog(MappingContext mapping) {
        if (mapping.catalogItemId() == null) {
            throw new MappingRequiredException("catalogItemId", "the product is not mapped to a catalog item");
        }
        return mapping.catalogItemId();
    }

    static long upgradeCatalog(MappingContext mapping) {
        if (mapping.upgradeCatalogItemId() == null) {
            throw new MappingRequiredException("upgradeCatalogItemId", "the upgrade's new product is not mapped to a catalog item");
        }
        return mapping.upgradeCatalogItemId();
    }
}
