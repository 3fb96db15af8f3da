package io.cwbridge.mapping;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/partners/{p}/customers/{customerId}/mapping} (SPEC 3 R1, 8.2). */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/customers/{customerId}/mapping")
@Tag(name = "Mappings")
public class CustomerMappingController {

    private final CustomerMappings customers;

    public CustomerMappingController(CustomerMappings customers) {
        this.customers = customers;
    }

    @GetMapping
    @Operation(summary = "Show the customer's company mapping", description = "404 when the customer is not mapped.")
    public CustomerMapping get(@PathVariable String partnerId, @PathVariable String customerId) {
        return customers.find(partnerId, customerId);
    }

    @PutMapping
    @Operation(summary = "Map the customer to a ConnectWise company",
            description = "{\"companyId\": n} maps to an existing company: a company ConnectWise does not know is a 400 "
                    + "on companyId. {\"create\": true} creates the company from the customer's fields in the partner's "
                    + "latest event naming it (identifier: the name without non-alphanumerics, at most 25 characters; "
                    + "address fields as the partner's companyFields rule allows). A company with that identifier that "
                    + "already exists is mapped instead of creating a second one (\"created\": false). 404 when no event "
                    + "names the customer; 409 when the partner has no ConnectWise connection. A saved mapping replaces "
                    + "the previous one; tasks waiting for it are retried. {\"companyId\": n} on a customer mapped to another "
                    + "company whose subscriptions are mapped to agreements of that company is a 409 naming them "
                    + "(subscriptionIds) unless \"replace\": true (R1).")
    public CustomerMapping put(@PathVariable String partnerId, @PathVariable String customerId,
                               @Valid @RequestBody CustomerMappingRequest request,
            @Parameter(description = "Map & sync: run the open tasks of the concerned subscriptions at once")
            @RequestParam(defaultValue = "false") boolean sync) {
        return customers.map(partnerId, customerId, request, sync);
    }

    @DeleteMapping
    @Operation(summary = "Unmap the customer", description = "204; 404 when it was not mapped; 409 naming its subscriptions "
            + "(subscriptionIds) that are mapped to agreements of the customer's company, unless ?replace=true (R1). Nothing "
            + "in ConnectWise changes.")
    public ResponseEntity<Void> delete(@PathVariable String partnerId, @PathVariable String customerId,
            @Parameter(description = "Unmap even when subscriptions of the customer are mapped to agreements of its company")
            @RequestParam(defaultValue = "false") boolean replace) {
        customers.unmap(partnerId, customerId, replace);
        return ResponseEntity.noContent().build();
    }
}
