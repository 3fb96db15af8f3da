package io.cwbridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseConnection;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Subscription → agreement mappings (R4). The agreement must exist, be active, and belong to the
 * company the subscription's customer is mapped to, when the events name that customer and it is
 * mapped: otherwise the customer's licences would be billed to another company.
 */
@Service
public class SubscriptionMappings {

    private final MappingRepository mappings;
    private final PartnerConnectWise connectWise;
    private final EventSnapshots events;
    private final MappingEvents published;

    SubscriptionMappings(MappingRepository mappings, PartnerConnectWise connectWise, EventSnapshots events,
                         MappingEvents published) {
        this.mappings = mappings;
        this.connectWise = connectWise;
        this.events = events;
        this.published = published;
    }

    public SubscriptionMapping find(String partnerId, String subscriptionId) {
        MappingIds.check(partnerId, "subscriptionId", subscriptionId);
        return mappings.subscription(partnerId, subscriptionId).orElseThrow(() -> ApiProblems.notFound(
                "Subscription " + subscriptionId + " of partner " + partnerId + " is not mapped."));
    }

    public SubscriptionMapping map(String partnerId, String subscriptionId, SubscriptionMappingRequest request) {
        MappingIds.check(partnerId, "subscriptionId", subscriptionId);
        ConnectWiseConnection c = connectWise.connection(partnerId);
        JsonNode agreement = connectWise.existing(c, "finance/agreements/" + request.agreementId(), "agreementId", "agreement");
        if (agreement.path("cancelledFlag").asBoolean(false) || "Cancelled".equals(agreement.path("agreementStatus").asText())) {
            throw ApiProblems.badRequest("agreementId", "the agreement is cancelled in ConnectWise");
        }
        Optional<String> customerId = events.customerOfSubscription(partnerId, subscriptionId);
        Optional<CustomerMapping> company = customerId.flatMap(id -> mappings.customer(partnerId, id));
        long agreementCompany = agreement.path("company").path("id").asLong();
        if (company.isPresent() && company.get().companyId() != agreementCompany) {
            throw ApiProblems.badRequest("agreementId", "the agreement belongs to company " + agreementCompany
                    + ", but the subscription's customer " + customerId.get() + " is mapped to company "
                    + company.get().companyId());
        }
        SubscriptionMapping saved = mappings.saveSubscription(partnerId, subscriptionId, request.agreementId(), request.fromDate());
        published.changed(new MappingChanged(partnerId, MappingChanged.SUBSCRIPTION, subscriptionId, true));
        return saved;
    }

    /** Unmaps the subscription; its additions in ConnectWise are left alone and no longer touched. */
    public void unmap(String partnerId, String subscriptionId) {
        MappingIds.check(partnerId, "subscriptionId", subscriptionId);
        if (!mappings.deleteSubscription(partnerId, subscriptionId)) {
            throw ApiProblems.notFound("Subscription " + subscriptionId + " of partner " + partnerId + " is not mapped.");
        }
        published.changed(new MappingChanged(partnerId, MappingChanged.SUBSCRIPTION, subscriptionId, false));
    }
}
