package io.cwbridge.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.mapping.WorkbenchRows.CustomerRow;
import io.cwbridge.mapping.WorkbenchRows.Page;
import io.cwbridge.mapping.WorkbenchRows.ProductRow;
import io.cwbridge.mapping.WorkbenchRows.SubscriptionRow;
import io.cwbridge.mapping.WorkbenchRows.Summary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The mapping workbench (SPEC 3, 8.2): lists with status, summary, import, candidates, auto-map. */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}")
@Tag(name = "Mapping workbench")
public class WorkbenchController {

    private final MappingWorkbench workbench;
    private final AutoMatch autoMatch;
    private final Onboarding onboarding;
    private final AdditionCandidates additionCandidates;

    public WorkbenchController(MappingWorkbench workbench, AutoMatch autoMatch, Onboarding onboarding,
                               AdditionCandidates additionCandidates) {
        this.workbench = workbench;
        this.autoMatch = autoMatch;
        this.onboarding = onboarding;
        this.additionCandidates = additionCandidates;
    }

    @GetMapping("/customers")
    @Operation(summary = "The partner's customers with mapping status, company, last sync",
            description = "Known from events and imports. Filter by status (MAPPED, UNMAPPED, FAILED) and q (text in id or name); "
                    + "paged with limit (1-500) and offset; counts are per status over all customers.")
    public Page<CustomerRow> customers(@PathVariable String partnerId, @RequestParam(required = false) MappingStatus status,
                                       @RequestParam(required = false) String q, @RequestParam(defaultValue = "50") int limit,
                                       @RequestParam(defaultValue = "0") int offset) {
        return workbench.customers(partnerId, status, q, limit, offset);
    }

    @GetMapping("/products")
    @Operation(summary = "The partner's products with mapping status, catalog item, last sync")
    public Page<ProductRow> products(@PathVariable String partnerId, @RequestParam(required = false) MappingStatus status,
                                     @RequestParam(required = false) String q, @RequestParam(defaultValue = "50") int limit,
                                     @RequestParam(defaultValue = "0") int offset) {
        return workbench.products(partnerId, status, q, limit, offset);
    }

    @GetMapping("/subscriptions")
    @Operation(summary = "The partner's subscriptions with mapping status, agreement, additions, last sync",
            description = "FAILED: a mapped subscription whose latest task failed, or a failed mapping attempt (reason given).")
    public Page<SubscriptionRow> subscriptions(@PathVariable String partnerId, @RequestParam(required = false) MappingStatus status,
                                               @RequestParam(required = false) String q, @RequestParam(defaultValue = "50") int limit,
                                               @RequestParam(defaultValue = "0") int offset) {
        return workbench.subscriptions(partnerId, status, q, limit, offset);
    }

    @GetMapping("/summary")
    @Operation(summary = "Counts per status, unmapped customers and subscriptions, unsynchronised revenue",
            description = "Unsynchronised revenue: quantity × unit price of the subscriptions without an agreement, cancelled ones excluded, scale 2.")
    public Summary summary(@PathVariable String partnerId) {
        return workbench.summary(partnerId);
    }

    @PostMapping("/subscriptions/import")
    @Operation(summary = "Import existing subscriptions (array of SPEC 8.1 subscription objects) and onboard them (R7)",
            description = "All or nothing; 400 with field errors such as [3].customer.id. A re-import replaces the imported snapshot. "
                    + "Each active subscription (status ACTIVE or none) without a task gets an onboarding sales order "
                    + "(SALES_ORDER/NEW dated at its startDate, eventId onboard-{partnerId}/{subscriptionId}) and its task, which "
                    + "waits for its mappings (NEEDS_MAPPING) and then syncs; one exact unowned hand-made addition of the product "
                    + "on its agreement is adopted as its base line (R6). A repeated import creates nothing more. With "
                    + "dryRun=true nothing is saved or written: the report lists per customer what onboarding would do: "
                    + "CREATE (a new base line), ADOPT (the exact unowned addition), LEAVE (with the reason). With "
                    + "onboard=false only the snapshots are saved, for mapping and revenue review, and no task is created.")
    public Onboarding.Report importSubscriptions(@PathVariable String partnerId, @RequestBody JsonNode body,
                                                 @RequestParam(defaultValue = "false") boolean dryRun,
                                                 @RequestParam(defaultValue = "true") boolean onboard) {
        return onboarding.importAndOnboard(partnerId, body, dryRun, onboard);
    }

    @GetMapping("/customers/{customerId}/candidates")
    @Operation(summary = "ConnectWise companies closest to the customer's name (R1), best first")
    public List<AutoMatch.Candidate> customerCandidates(@PathVariable String partnerId, @PathVariable String customerId) {
        return autoMatch.customerCandidates(partnerId, customerId);
    }

    @GetMapping("/products/{productId}/candidates")
    @Operation(summary = "ConnectWise catalog items closest to the product's plan name (R2), best first")
    public List<AutoMatch.Candidate> productCandidates(@PathVariable String partnerId, @PathVariable String productId) {
        return autoMatch.productCandidates(partnerId, productId);
    }

    @GetMapping("/subscriptions/{subscriptionId}/agreements")
    @Operation(summary = "The agreements of the subscription's company, with eligibility and the reason when not (R5)")
    public List<AutoMatch.AgreementChoice> agreements(@PathVariable String partnerId, @PathVariable String subscriptionId) {
        return autoMatch.agreementChoices(partnerId, subscriptionId);
    }

    @GetMapping("/subscriptions/{subscriptionId}/addition-candidates")
    @Operation(summary = "Existing additions the subscription could adopt as its base line (R6), best first",
            description = "The agreement's active additions (not cancelled before today) with the subscription's catalog item "
                    + "(any item while its product is unmapped) that no other subscription owns; of agreementId, else of the "
                    + "mapped agreement, else of the company's only eligible agreement (R4; 400 on agreementId otherwise). "
                    + "Score 0-100: same quantity 40, same unit price 30, description names the subscription id 20 or the "
                    + "plan 10; exact = same quantity and price. Adopt one with PUT …/mapping {agreementId, additionId}. "
                    + "404 when no event or import names the subscription.")
    public List<AdditionCandidates.Candidate> additionCandidates(@PathVariable String partnerId, @PathVariable String subscriptionId,
                                                                 @RequestParam(required = false) Long agreementId) {
        return additionCandidates.candidates(partnerId, subscriptionId, agreementId);
    }

    @PostMapping("/auto-map")
    @Operation(summary = "Auto-map everything that matches exactly (R1 name, R2 part number, R4 only eligible agreement)",
            description = "With dryRun=true nothing is saved: the report says what would be mapped (WOULD_MAP). A subscription "
                    + "whose agreement already has additions it could adopt (R6) adopts the one exact candidate (same quantity "
                    + "and unit price); with none or several it is not mapped (AMBIGUOUS, candidates listed), so no second base "
                    + "line is created next to a hand-made one.")
    public AutoMatch.Report autoMap(@PathVariable String partnerId, @RequestParam(defaultValue = "false") boolean dryRun) {
        return autoMatch.autoMap(partnerId, dryRun);
    }
}
