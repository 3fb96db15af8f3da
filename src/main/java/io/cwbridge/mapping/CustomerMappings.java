package io.cwbridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.syncrules.SyncRulesRepository;
import org.springframework.stereotype.Service;

/** Customer → company mappings (R1): map to an existing company, or create it from the customer's fields. */
@Service
public class CustomerMappings {

    private final MappingRepository mappings;
    private final PartnerConnectWise connectWise;
    private final EventSnapshots events;
    private final SyncRulesRepository syncRules;
    private final MappingEvents published;
    private final MappingFailures failures;
    private final KnownSubscriptions known;
    private final MapAndSync mapAndSync;

    CustomerMappings(MappingRepository mappings, PartnerConnectWise connectWise, EventSnapshots events,
                     SyncRulesRepository syncRules, MappingEvents published, MappingFailures failures,
                     KnownSubscriptions known, MapAndSync mapAndSync) {
        this.mappings = mappings;
        this.connectWise = connectWise;
        this.events = events;
        this.syncRules = syncRules;
        this.published = published;
        this.failures = failures;
        this.known = known;
        this.mapAndSync = mapAndSync;
    }

    /**
     * Map, then with {@code sync} run the open tasks of the customer's subscriptions at once (map &amp; sync).
     * A failure of ConnectWise leaves the customer FAILED with the reason.
     */
    public CustomerMapping map(String partnerId, String customerId, CustomerMappingRequest request, boolean sync) {
        CustomerMapping saved;
        try {
            saved = map(partnerId, customerId, request);
        } catch (org.springframework.web.ErrorResponseException e) {
            if (e.getStatusCode().value() == 422 || e.getStatusCode().value() == 502) {
                failures.record(partnerId, MappingChanged.CUSTOMER, customerId, e.getBody().getDetail());
            }
            throw e;
        }
        if (!sync) return saved;
        return saved.withTasks(mapAndSync.run(partnerId, known.all(partnerId).stream()
                .filter(k -> customerId.equals(k.customerId())).map(KnownSubscriptions.Known::subscriptionId).toList()));
    }

    public CustomerMapping find(String partnerId, String customerId) {
        MappingIds.check(partnerId, "customerId", customerId);
        return mappings.customer(partnerId, customerId)
                .orElseThrow(() -> ApiProblems.notFound("Customer " + customerId + " of partner " + partnerId + " is not mapped."));
    }

    public CustomerMapping map(String partnerId, String customerId, CustomerMappingRequest request) {
        MappingIds.check(partnerId, "customerId", customerId);
        boolean create = Boolean.TRUE.equals(request.create());
        if (create == (request.companyId() != null)) {
            throw create
                    ? ApiProblems.badRequest("create", "give either companyId or create=true, not both")
                    : ApiProblems.badRequest("companyId", "is required unless create is true");
        }
        ConnectWiseConnection c = connectWise.connection(partnerId);
        CustomerMapping saved;
        if (create) {
            JsonNode customer = events.customer(partnerId, customerId).orElseThrow(() -> ApiProblems.notFound(
                    "No event of partner " + partnerId + " names customer " + customerId + "; the company cannot be built."));
            PartnerConnectWise.Outcome company = connectWise.findOrCreate(c, "company/companies",
                    NewRecords.companyIdentifier(customer), NewRecords.company(customer, syncRules.find(partnerId)), "company");
            saved = mappings.saveCustomer(partnerId, customerId, company.id()).withCreated(company.created());
        } else {
            JsonNode company = connectWise.existing(c, "company/companies/" + request.companyId(), "companyId", "company");
            if (company.path("deletedFlag").asBoolean(false)) {
                throw ApiProblems.badRequest("companyId", "the company is deleted in ConnectWise");
            }
            saved = mappings.saveCustomer(partnerId, customerId, request.companyId());
        }
        failures.clear(partnerId, MappingChanged.CUSTOMER, customerId);
        published.changed(new MappingChanged(partnerId, MappingChanged.CUSTOMER, customerId, true));
        return saved;
    }

    /** Unmaps the customer; its companies and additions in ConnectWise stay as they are. */
    public void unmap(String partnerId, String customerId) {
        MappingIds.check(partnerId, "customerId", customerId);
        if (!mappings.deleteCustomer(partnerId, customerId)) {
            throw ApiProblems.notFound("Customer " + customerId + " of partner " + partnerId + " is not mapped.");
        }
        published.changed(new MappingChanged(partnerId, MappingChanged.CUSTOMER, customerId, false));
    }
}
