package io.cwbridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.syncrules.SyncRulesRepository;
import org.springframework.stereotype.Service;

/** Product → catalog item mappings (R2): map to an existing item, or create it from the product's fields. */
@Service
public class ProductMappings {

    private final MappingRepository mappings;
    private final PartnerConnectWise connectWise;
    private final EventSnapshots events;
    private final SyncRulesRepository syncRules;
    private final MappingEvents published;
    private final MappingFailures failures;
    private final KnownSubscriptions known;
    private final MapAndSync mapAndSync;
    private final ProductDefaultRules defaultRules;

    ProductMappings(MappingRepository mappings, PartnerConnectWise connectWise, EventSnapshots events,
                    SyncRulesRepository syncRules, MappingEvents published, MappingFailures failures,
                    KnownSubscriptions known, MapAndSync mapAndSync, ProductDefaultRules defaultRules) {
        this.mappings = mappings;
        this.connectWise = connectWise;
        this.events = events;
        this.syncRules = syncRules;
        this.published = published;
        this.failures = failures;
        this.known = known;
        this.mapAndSync = mapAndSync;
        this.defaultRules = defaultRules;
    }

    /**
     * Map, then with {@code sync} run the open tasks of the product's subscriptions at once (map &amp; sync).
     * A failure of ConnectWise leaves the product FAILED with the reason.
     */
    public ProductMapping map(String partnerId, String productId, ProductMappingRequest request, boolean sync) {
        ProductMapping saved;
        try {
            saved = map(partnerId, productId, request);
        } catch (org.springframework.web.ErrorResponseException e) {
            if (e.getStatusCode().value() == 422 || e.getStatusCode().value() == 502) {
                failures.record(partnerId, MappingChanged.PRODUCT, productId, e.getBody().getDetail());
            }
            throw e;
        }
        if (!sync) return saved;
        return saved.withTasks(mapAndSync.run(partnerId, known.all(partnerId).stream()
                .filter(k -> productId.equals(k.productId())).map(KnownSubscriptions.Known::subscriptionId).toList()));
    }

    public ProductMapping find(String partnerId, String productId) {
        MappingIds.check(partnerId, "productId", productId);
        return mappings.product(partnerId, productId)
                .orElseThrow(() -> ApiProblems.notFound("Product " + productId + " of partner " + partnerId + " is not mapped."));
    }

    public ProductMapping map(String partnerId, String productId, ProductMappingRequest request) {
        MappingIds.check(partnerId, "productId", productId);
        boolean create = Boolean.TRUE.equals(request.create());
        if (create == (request.catalogItemId() != null)) {
            throw create
                    ? ApiProblems.badRequest("create", "give either catalogItemId or create=true, not both")
                    : ApiProblems.badRequest("catalogItemId", "is required unless create is true");
        }
        ConnectWiseConnection c = connectWise.connection(partnerId);
        ProductMapping saved;
        if (create) {
            EventSnapshots.ProductSnapshot product = events.product(partnerId, productId).orElseThrow(() -> ApiProblems.notFound(
                    "No event of partner " + partnerId + " names product " + productId + "; the catalog item cannot be built."));
            PartnerConnectWise.Outcome item = connectWise.findOrCreate(c, "procurement/catalog",
                    NewRecords.catalogIdentifier(product.product()), NewRecords.catalogItem(product, syncRules.find(partnerId),
                            defaultRules.choose(partnerId, KnownSubscriptions.fields(product.product()))),
                    "catalog item");
            saved = mappings.saveProduct(partnerId, productId, item.id()).withCreated(item.created());
        } else {
            JsonNode item = connectWise.existing(c, "procurement/catalog/" + request.catalogItemId(), "catalogItemId", "catalog item");
            if (item.path("inactiveFlag").asBoolean(false)) {
                throw ApiProblems.badRequest("catalogItemId", "the catalog item is inactive in ConnectWise");
            }
            saved = mappings.saveProduct(partnerId, productId, request.catalogItemId());
        }
        failures.clear(partnerId, MappingChanged.PRODUCT, productId);
        published.changed(new MappingChanged(partnerId, MappingChanged.PRODUCT, productId, true));
        return saved;
    }

    /** Unmaps the product; catalog items and additions in ConnectWise stay as they are. */
    public void unmap(String partnerId, String productId) {
        MappingIds.check(partnerId, "productId", productId);
        if (!mappings.deleteProduct(partnerId, productId)) {
            throw ApiProblems.notFound("Product " + productId + " of partner " + partnerId + " is not mapped.");
        }
        published.changed(new MappingChanged(partnerId, MappingChanged.PRODUCT, productId, false));
    }
}
