package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.syncrules.SyncRulesRepository;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Product → catalog item mappings (R2): map to an existing item, or create it from the product's
 * fields with the attributes of the first matching product default rule (R3).
 */
@Service
public class ProductMappings extends TargetMappings<ProductMapping, ProductMappingRequest> {

    private final MappingRepository mappings;
    private final EventSnapshots events;
    private final SyncRulesRepository syncRules;
    private final ProductDefaultRules defaultRules;

    ProductMappings(MappingRepository mappings, PartnerConnectWise connectWise, EventSnapshots events,
                    SyncRulesRepository syncRules, MappingEvents published, MappingFailures failures,
                    KnownSubscriptions known, MapAndSync mapAndSync, ProductDefaultRules defaultRules) {
        super(new Kind(MappingChanged.PRODUCT, "Product", "productId", "catalogItemId",
                "catalog item"),
                connectWise, published, failures, known, mapAndSync);
        this.mappings = mappings;
        this.events = events;
        this.syncRules = syncRules;
        this.defaultRules = defaultRules;
    }

    @Override
    Optional<ProductMapping> stored(String partnerId, String productId) {
        return mappings.product(partnerId, productId);
    }

    @Override
    ProductMapping createAndSave(ConnectWiseConnection c, String partnerId, String productId) {
        EventSnapshots.ProductSnapshot product = events.product(partnerId, productId).orElseThrow(() -> ApiProblems.notFound(
                "No event of partner " + partnerId + " names product " + productId + "; the catalog item cannot be built."));
        PartnerConnectWise.Outcome item = connectWise.findOrCreate(c, "procurement/catalog",
                NewRecords.catalogIdentifier(product.product()), NewRecords.catalogItem(product, syncRules.find(partnerId),
                        defaultRules.choose(partnerId, KnownSubscriptions.fields(product.product()))),
                "catalog item", io.cwbridge.connectwise.model.CatalogItem.class, io.cwbridge.connectwise.model.CatalogItem::id);
        return mappings.saveProduct(partnerId, productId, item.id()).withCreated(item.created());
    }

    @Override
    Optional<String> createIdentifier(String partnerId, String productId) {
        return events.product(partnerId, productId).map(p -> NewRecords.catalogIdentifier(p.product()));
    }

    @Override
    ProductMapping linkAndSave(ConnectWiseConnection c, String partnerId, String productId, long catalogItemId) {
        if (connectWise.catalogItem(c, catalogItemId).inactiveFlag()) {
            throw ApiProblems.badRequest("catalogItemId", "the catalog item is inactive in ConnectWise");
        }
        return mappings.saveProduct(partnerId, productId, catalogItemId);
    }

    @Override
    TargetName targetName(ConnectWiseConnection c, long catalogItemId) {
        io.cwbridge.connectwise.model.CatalogItem item = connectWise.resources().catalogItem(c, catalogItemId);
        return new TargetName(item.identifier(), item.description());
    }

    @Override
    boolean delete(String partnerId, String productId) {
        return mappings.deleteProduct(partnerId, productId);
    }

    @Override
    String itemOf(KnownSubscriptions.Known subscription) {
        return subscription.productId();
    }
}
