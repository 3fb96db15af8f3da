package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.syncrules.SyncRulesRepository;
import java.util.Optional;
import org.springframework.stereotype.Service;

/** Customer → company mappings (R1): map to an existing company, or create it from the customer's fields. */
@Service
public class CustomerMappings extends TargetMappings<CustomerMapping, CustomerMappingRequest> {

    private final MappingRepository mappings;
    private final EventSnapshots events;
    private final SyncRulesRepository syncRules;

    CustomerMappings(MappingRepository mappings, PartnerConnectWise connectWise, EventSnapshots events,
                     SyncRulesRepository syncRules, MappingEvents published, MappingFailures failures,
                     KnownSubscriptions known, MapAndSync mapAndSync) {
        super(new Kind(MappingChanged.CUSTOMER, "Customer", "customerId", "companyId",
                "company"),
                connectWise, published, failures, known, mapAndSync);
        this.mappings = mappings;
        this.events = events;
        this.syncRules = syncRules;
    }

    @Override
    Optional<CustomerMapping> stored(String partnerId, String customerId) {
        return mappings.customer(partnerId, customerId);
    }

    @Override
    CustomerMapping createAndSave(ConnectWiseConnection c, String partnerId, String customerId) {
        JsonNode customer = events.customer(partnerId, customerId).orElseThrow(() -> ApiProblems.notFound(
                "No event of partner " + partnerId + " names customer " + customerId + "; the company cannot be built."));
        PartnerConnectWise.Outcome company = connectWise.findOrCreate(c, "company/companies",
                NewRecords.companyIdentifier(customer), NewRecords.company(customer, syncRules.find(partnerId)), "company",
                io.cwbridge.connectwise.model.Company.class, io.cwbridge.connectwise.model.Company::id);
        return mappings.saveCustomer(partnerId, customerId, company.id()).withCreated(company.created());
    }

    @Override
    Optional<String> createIdentifier(String partnerId, String customerId) {
        return events.customer(partnerId, customerId).map(NewRecords::companyIdentifier);
    }

    @Override
    CustomerMapping linkAndSave(ConnectWiseConnection c, String partnerId, String customerId, long companyId) {
        if (connectWise.company(c, companyId).deletedFlag()) {
            throw ApiProblems.badRequest("companyId", "the company is deleted in ConnectWise");
        }
        return mappings.saveCustomer(partnerId, customerId, companyId);
    }

    @Override
    TargetName targetName(ConnectWiseConnection c, long companyId) {
        io.cwbridge.connectwise.model.Company company = connectWise.resources().company(c, companyId);
        return new TargetName(company.identifier(), company.name());
    }

    /**
     * SPEC 3 (R1 v2): a subscription is mapped only to an agreement of its customer's company. Re-mapping the customer to
     * another company, or unmapping it, while some of its subscriptions are mapped to agreements of the old company would
     * leave exactly the state the subscription mapping refuses (probe 43 §5: silently, 200 / 204). So it is a 409 naming
     * them, unless {@code replace} (they then keep their agreements until they are re-mapped themselves).
     */
    @Override
    void refuseStranding(ConnectWiseConnection c, String partnerId, String customerId, Long companyId, boolean replace) {
        if (replace) return;
        Optional<CustomerMapping> current = mappings.customer(partnerId, customerId);
        if (current.isEmpty() || (companyId != null && current.get().companyId() == companyId)) return;
        long oldCompany = current.get().companyId();
        java.util.List<String> stranded = new java.util.ArrayList<>();
        java.util.Map<Long, Long> companyOfAgreement = new java.util.HashMap<>();
        ConnectWiseConnection connection = c;
        for (KnownSubscriptions.Known k : known.all(partnerId)) {
            if (!customerId.equals(itemOf(k))) continue;
            Optional<SubscriptionMapping> mapped = mappings.subscription(partnerId, k.subscriptionId());
            if (mapped.isEmpty()) continue;
            if (connection == null) connection = connectWise.connection(partnerId);
            ConnectWiseConnection cw = connection;
            long company = companyOfAgreement.computeIfAbsent(mapped.get().agreementId(), a -> {
                io.cwbridge.connectwise.model.Agreement agreement = connectWise.agreement(cw, a);
                return agreement.company() == null ? 0L : agreement.company().id();
            });
            if (company == oldCompany) stranded.add(k.subscriptionId());
        }
        if (stranded.isEmpty()) return;
        String change = companyId == null ? "unmapped" : "mapped to company " + companyId;
        throw MappingProblems.conflict("Customer " + customerId + " of partner " + partnerId + " cannot be " + change
                + ": its subscriptions " + stranded + " are mapped to agreements of company " + oldCompany + " (R1). Map them "
                + "to an agreement of the new company first, or send \"replace\": true (DELETE: ?replace=true) to change "
                + "the customer anyway; they keep their agreements until re-mapped.",
                companyId == null ? "customerId" : "companyId", "subscriptions " + stranded + " are mapped to agreements of company "
                        + oldCompany, java.util.Map.of("subscriptionIds", stranded, "companyId", oldCompany));
    }

    @Override
    boolean delete(String partnerId, String customerId) {
        return mappings.deleteCustomer(partnerId, customerId);
    }

    @Override
    String itemOf(KnownSubscriptions.Known subscription) {
        return subscription.customerId();
    }
}
