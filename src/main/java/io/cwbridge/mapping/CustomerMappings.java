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

    @Override
    boolean delete(String partnerId, String customerId) {
        return mappings.deleteCustomer(partnerId, customerId);
    }

    @Override
    String itemOf(KnownSubscriptions.Known subscription) {
        return subscription.customerId();
    }
}
