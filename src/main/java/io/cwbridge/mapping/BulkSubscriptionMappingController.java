package io.cwbridge.mapping;

import io.cwbridge.api.ApiProblems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** R8 bulk: several subscriptions of one customer mapped (or moved) to one agreement in one call. */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/customers/{customerId}/subscriptions/mapping")
@Tag(name = "Mappings")
public class BulkSubscriptionMappingController {

    static final int MAX = 500;

    private final SubscriptionMappings subscriptions;
    private final EventSnapshots events;

    public BulkSubscriptionMappingController(SubscriptionMappings subscriptions, EventSnapshots events) {
        this.subscriptions = subscriptions;
        this.events = events;
    }

    /** Body of {@code PUT …/customers/{customerId}/subscriptions/mapping}. */
    public record BulkSubscriptionMappingRequest(
            @NotNull @Positive @Schema(description = "The agreement all of them go to", example = "17") Long agreementId,
            @Schema(description = "R8: first billing day on the agreement for a subscription moved from another; default the "
                    + "agreement's billing start; within [billing start, today]", example = "2024-03-01") LocalDate fromDate,
            @NotEmpty @Size(max = MAX) @Schema(description = "Subscriptions of the customer") List<String> subscriptionIds) {}

    @PutMapping
    @Operation(summary = "Map (or move, R8) several subscriptions of one customer to one agreement",
            description = "Each subscription is mapped as by PUT …/subscriptions/{id}/mapping {agreementId, fromDate}, in the "
                    + "order given; a subscription synced on another agreement moves (R8). 400 on subscriptionIds when one is "
                    + "not known as a subscription of the customer (nothing is mapped then); a failure of one stops the call "
                    + "with that error, the ones before it stay mapped (each is one complete mapping).")
    public List<SubscriptionMapping> put(@PathVariable String partnerId, @PathVariable String customerId,
                                         @Valid @RequestBody BulkSubscriptionMappingRequest request) {
        MappingIds.check(partnerId, "customerId", customerId);
        List<String> ids = List.copyOf(new LinkedHashSet<>(request.subscriptionIds()));
        for (String id : ids) {
            MappingIds.check(partnerId, "subscriptionIds", id);
            Optional<String> customer = events.customerOfSubscription(partnerId, id);
            if (customer.isEmpty() || !customer.get().equals(customerId)) {
                throw ApiProblems.badRequest("subscriptionIds", "subscription " + id + " is not known as one of customer " + customerId);
            }
        }
        return ids.stream().map(id -> subscriptions.map(partnerId, id, new SubscriptionMappingRequest(request.agreementId(),
                request.fromDate()))).toList();
    }
}
