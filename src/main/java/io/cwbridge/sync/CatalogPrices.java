package io.cwbridge.sync;

import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.CatalogItem;
import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.events.UpgradeTo;
import io.cwbridge.rules.MappingContext;
import org.springframework.stereotype.Component;

/**
 * R17, price source CONNECTWISE_CATALOG: the lines carry the mapped catalog item's price and cost instead of the
 * marketplace's. They are written on the line, not left out for ConnectWise to fill in: ConnectWise's API documents no
 * default price for an addition posted without one, and R17a's prorate amounts and R27's catch-ups need the price
 * anyway. The catalog item is read when a task is planned under that source (one {@code procurement/catalog/{id}} call,
 * two for an upgrade), so a price the MSP changed in the catalog is what the next line carries.
 */
@Component
public class CatalogPrices {

    private final ConnectWiseResources resources;

    public CatalogPrices(ConnectWiseResources resources) {
        this.resources = resources;
    }

    /** Whether the rules of {@code action} may write licence lines that carry a unit price (R17). */
    public static boolean writesLicencePrices(io.cwbridge.events.EventAction action) {
        return action != io.cwbridge.events.EventAction.USAGE && action != io.cwbridge.events.EventAction.PRICE_CHANGE;
    }

    /** The event with its subscription's (and upgrade target's) unit price and cost replaced by their catalog items'. */
    public SubscriptionEvent priced(SubscriptionEvent event, ConnectWiseConnection cw, MappingContext mapping) {
        Subscription s = event.subscription();
        Subscription priced = s;
        if (mapping.catalogItemId() != null) {
            CatalogItem item = resources.catalogItem(cw, mapping.catalogItemId());
            priced = withPrices(s, item);
        }
        UpgradeTo upgrade = event.upgradeTo();
        if (upgrade != null && mapping.upgradeCatalogItemId() != null) {
            CatalogItem item = resources.catalogItem(cw, mapping.upgradeCatalogItemId());
            upgrade = new UpgradeTo(upgrade.subscriptionId(), upgrade.product(), upgrade.quantity(), item.price(), item.cost(),
                    upgrade.endDate());
        }
        return new SubscriptionEvent(event.eventId(), event.partnerId(), event.type(), event.action(), event.occurredAt(), priced,
                upgrade, event.usage(), event.cancellationDate());
    }

    /**
     * The subscription as the partner's {@code rules} price its lines: with CONNECTWISE_CATALOG the catalog item's price
     * and cost (one read), else the marketplace's as they are (for the lines written outside task planning: an R6
     * cut-over's base line, an R8 move's line).
     */
    public Subscription pricedBy(io.cwbridge.rules.SyncRules rules, Subscription s, ConnectWiseConnection cw, long catalogItemId) {
        return rules.priceSource() == io.cwbridge.rules.SyncRules.PriceSource.CONNECTWISE_CATALOG
                ? withPrices(s, resources.catalogItem(cw, catalogItemId)) : s;
    }

    /**
     * R17 x SPEC 4 "sync unit price / cost" off (probe 45 F3, probe 48 P48-3): the mapping context with, per catalog item of
     * the event (its product, an upgrade's new one), the catalog's price (cost) for the field the rules do not sync, which a
     * new licence line then carries explicitly instead of relying on ConnectWise to default it (its guide says a POST sets
     * what it does not require to null; unitPrice / unitCost are not required). One read per catalog item.
     */
    public MappingContext unsynced(io.cwbridge.rules.SyncRules rules, MappingContext mapping, ConnectWiseConnection cw) {
        java.util.Map<Long, io.cwbridge.rules.MonthRoll.CurrentPrice> prices = new java.util.HashMap<>();
        for (Long id : new Long[] {mapping.catalogItemId(), mapping.upgradeCatalogItemId()}) {
            if (id == null || prices.containsKey(id)) continue;
            CatalogItem item = resources.catalogItem(cw, id);
            prices.put(id, new io.cwbridge.rules.MonthRoll.CurrentPrice(id, rules.syncUnitPrice() ? null : item.price(),
                    rules.syncUnitCost() ? null : item.cost()));
        }
        return mapping.withUnsyncedPrices(prices);
    }

    static Subscription withPrices(Subscription s, CatalogItem item) {
        return new Subscription(s.id(), s.customer(), s.product(), s.kind(), s.quantity(), s.previousQuantity(), item.price(),
                item.cost(), s.currency(), s.billingCycle(), s.termMonths(), s.startDate(), s.endDate(), s.autoRenew(), s.status(),
                s.setupAmount());
    }
}
