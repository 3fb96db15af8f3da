package io.cwbridge.globalsync;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.partner.PartnerIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/partners/{p}/global-sync} (SPEC §8.2) runs R30 now through route global-sync, or for one
 * customer, product or subscription ({@code ?customerId=} / {@code productId=} / {@code subscriptionId=}, seed 000);
 * the runs can be listed.
 */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/global-sync")
@Tag(name = "Global sync", description = "R30: push changed company, catalog and addition fields; month roll (R18)")
public class GlobalSyncController {

    private final GlobalSync globalSync;
    private final GlobalSyncRuns runs;
    private final ProducerTemplate producer;

    public GlobalSyncController(GlobalSync globalSync, GlobalSyncRuns runs, ProducerTemplate producer) {
        this.globalSync = globalSync;
        this.runs = runs;
        this.producer = producer;
    }

    @PostMapping
    @Operation(summary = "Run the global sync now; answers the run's report",
            description = "Without parameters for all of the partner's records (route global-sync). On demand for one record "
                    + "only (seed 000), with exactly one of customerId (its company's fields), productId (its catalog item's "
                    + "fields) or subscriptionId (its addition lines and month roll, R18): nothing else is read or written. "
                    + "404 problem for a customer or product not mapped, or a subscription without lines; 400 for more than one.")
    public GlobalSyncReport run(@PathVariable String partnerId, @RequestParam(required = false) String customerId,
                                @RequestParam(required = false) String productId,
                                @RequestParam(required = false) String subscriptionId) throws java.sql.SQLException {
        known(partnerId);
        GlobalSyncScope scope = scope(customerId, productId, subscriptionId);
        if (scope == null) {
            return producer.requestBodyAndHeaders("direct:global-sync", null,
                    Map.of("partnerId", partnerId, "globalSyncTrigger", "ON_DEMAND"), GlobalSyncReport.class);
        }
        if (!globalSync.knows(partnerId, scope)) {
            throw ApiProblems.notFound("Partner " + partnerId + " has no " + switch (scope.kind()) {
                case CUSTOMER -> "mapped customer " + scope.id();
                case PRODUCT -> "mapped product " + scope.id();
                case SUBSCRIPTION -> "subscription " + scope.id() + " with addition lines";
            } + ".");
        }
        // One record: the same run, restricted (route global-sync takes the partner-wide run only).
        return globalSync.run(partnerId, "ON_DEMAND", scope);
    }

    private static GlobalSyncScope scope(String customerId, String productId, String subscriptionId) {
        List<GlobalSyncScope> given = new java.util.ArrayList<>();
        List<ApiProblems.FieldProblem> problems = new java.util.ArrayList<>();
        add(given, problems, "customerId", GlobalSyncScope.Kind.CUSTOMER, customerId);
        add(given, problems, "productId", GlobalSyncScope.Kind.PRODUCT, productId);
        add(given, problems, "subscriptionId", GlobalSyncScope.Kind.SUBSCRIPTION, subscriptionId);
        if (given.size() > 1) problems.add(new ApiProblems.FieldProblem("customerId", "give one of customerId, productId, subscriptionId"));
        if (!problems.isEmpty()) {
            throw new org.springframework.web.ErrorResponseException(org.springframework.http.HttpStatus.BAD_REQUEST,
                    ApiProblems.problem(org.springframework.http.HttpStatus.BAD_REQUEST, "The request is invalid.", problems), null);
        }
        return given.isEmpty() ? null : given.get(0);
    }

    private static void add(List<GlobalSyncScope> given, List<ApiProblems.FieldProblem> problems, String field,
            GlobalSyncScope.Kind kind, String value) {
        if (value == null) return;
        if (value.isBlank() || value.length() > 200 || value.chars().anyMatch(Character::isISOControl)) {
            problems.add(new ApiProblems.FieldProblem(field, "must be an id (1-200 characters, no control characters)"));
            return;
        }
        given.add(new GlobalSyncScope(kind, value));
    }

    @GetMapping("/runs")
    @Operation(summary = "The partner's latest global sync runs, newest first")
    public List<GlobalSyncReport> runs(@PathVariable String partnerId, @RequestParam(defaultValue = "20") int limit) {
        if (limit < 1 || limit > 200) throw ApiProblems.badRequest("limit", "must be between 1 and 200");
        known(partnerId);
        return runs.latest(partnerId, limit);
    }

    private void known(String partnerId) {
        PartnerIds.check(partnerId);
        if (!globalSync.knows(partnerId)) {
            throw ApiProblems.notFound("Partner " + partnerId + " has no ConnectWise connection.");
        }
    }
}
