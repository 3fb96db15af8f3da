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

/** {@code /api/v1/partners/{p}/subscriptions/{subscriptionId}/mapping} (SPEC 3 R4, 8.2). */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/subscriptions/{subscriptionId}/mapping")
@Tag(name = "Mappings")
public class SubscriptionMappingController {

    private final SubscriptionMappings subscriptions;

    public SubscriptionMappingController(SubscriptionMappings subscriptions) {
        this.subscriptions = subscriptions;
    }

    @GetMapping
    @Operation(summary = "Show the subscription's agreement mapping", description = "404 when the subscription is not mapped.")
    public SubscriptionMapping get(@PathVariable String partnerId, @PathVariable String subscriptionId) {
        return subscriptions.find(partnerId, subscriptionId);
    }

    @PutMapping
    @Operation(summary = "Map the subscription to a ConnectWise agreement",
            description = "{\"agreementId\": n, \"fromDate\"?, \"additionId\"?, \"description\"?, \"effectiveDate\"?, \"replace\"?, \"cutover\"?}. Without agreementId the company's only "
                    + "eligible agreement is used (R4); with none or several it is a 400 on agreementId listing them. 400 on "
                    + "agreementId when ConnectWise does not know the agreement, when it is cancelled, when it belongs to "
                    + "another company than the one the subscription's customer is mapped to, or when it is not eligible "
                    + "for the known subscription (R5: billing cycle, currency, yearly start date; the reason is given). "
                    + "?sync=true runs the subscription's waiting tasks at once and lists them in tasks. "
                    + "409 when the partner has no ConnectWise connection, and (R1) when the subscription's customer is not "
                    + "mapped to a company (errors[].field customerId, member customerId). "
                    + "R6 adopt: with additionId an existing addition of the agreement becomes the subscription's base line "
                    + "(no second one is created): 400 on additionId when the agreement has no such addition, when it carries "
                    + "another catalog item than the mapped product's, or when it was cancelled before today; 409 naming the "
                    + "owner (member owner.subscriptionId) when another subscription owns it; 409 listing baseLines when the "
                    + "subscription already has a base line, unless replace=true (the old one is then forgotten and left as it "
                    + "is in ConnectWise). description / effectiveDate default to the addition's own; different ones are "
                    + "written to ConnectWise (JSON Patch), and a refusal (e.g. an invoiced period) is a 400 on that field. "
                    + "R6 cut-over: with additionId and \"cutover\": true the addition is ended the day before the agreement's "
                    + "nextInvoiceDate (deleted when it was never invoiced, R22; the bundle's line then starts on its effective "
                    + "date) and the bundle writes its own base line (current licences, R17 price / cost, to the subscription's "
                    + "end) from that day; the answer's cutover says what was done. 400 on cutover/additionId without "
                    + "additionId, on fromDate / effectiveDate / replace with cutover, on cutover when the subscription is not "
                    + "known or its product not mapped; 409 when it was cut over from another addition. A repeated request "
                    + "sends nothing; one interrupted between the two writes (422/502) is finished by repeating it.")
    public SubscriptionMapping put(@PathVariable String partnerId, @PathVariable String subscriptionId,
                                   @Valid @RequestBody SubscriptionMappingRequest request,
            @Parameter(description = "Map & sync: run the open tasks of the concerned subscriptions at once")
            @RequestParam(defaultValue = "false") boolean sync) {
        return subscriptions.map(partnerId, subscriptionId, request, sync);
    }

    @DeleteMapping
    @Operation(summary = "Unmap the subscription",
            description = "204; 404 when it was not mapped. Its additions in ConnectWise are left as they are and no "
                    + "longer updated: later changes wait as NEEDS_MAPPING (no R4 default) until it is mapped again. "
                    + "An adopted addition (R6) is forgotten: it is no longer the subscription's line.")
    public ResponseEntity<Void> delete(@PathVariable String partnerId, @PathVariable String subscriptionId) {
        subscriptions.unmap(partnerId, subscriptionId);
        return ResponseEntity.noContent().build();
    }
}
