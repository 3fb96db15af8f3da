package io.cwbridge.syncrules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.partner.PartnerIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A partner's global sync rules (SPEC §4, 8.2). */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/sync-rules")
@Tag(name = "Sync rules")
public class SyncRulesController {

    private final SyncRulesRepository rules;

    public SyncRulesController(SyncRulesRepository rules) {
        this.rules = rules;
    }

    @GetMapping
    @Operation(summary = "Show the partner's sync rules",
            description = "A partner that never saved rules gets the SPEC §4 defaults: effective dates ACTUAL_DATE, "
                    + "cancellation CANCEL_PER_CANCELLATION_DATE, price source MARKETPLACE, unit price and cost synced, "
                    + "PRICE_AND_COST for SaaS and IaaS, resource details and subscription information in descriptions, "
                    + "every company and product field pushed, global sync (automaticSync) off, task sync IMMEDIATE "
                    + "(legacy syncPeriod reads DAILY), proration CONNECTWISE "
                    + "(the agreement's Prorate setting decides) and invoiced catch-up REVIEW.")
    public PartnerSyncRules get(@PathVariable String partnerId) {
        PartnerIds.check(partnerId);
        return rules.find(partnerId);
    }

    @PutMapping
    @Operation(summary = "Change the partner's sync rules (partial update)",
            description = "The body may name any subset of the rules: a rule that is absent keeps its current value "
                    + "(the default when none was saved). The answer is the complete rule set after the change. "
                    + "A value outside a rule's options, a non-boolean flag, a field list with an unknown field or an "
                    + "unknown rule name is refused with 400 problem+json naming each such field in `errors`; nothing "
                    + "is changed then. `companyFields` and `productFields` replace the whole list.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = PartnerSyncRules.class,
                    description = "Any subset of the sync rules"))))
    public PartnerSyncRules put(@PathVariable String partnerId, @RequestBody JsonNode body) {
        PartnerIds.check(partnerId);
        if (body == null || !body.isObject()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST,
                    ApiProblems.problem(HttpStatus.BAD_REQUEST, "The body must be a JSON object of sync rules.",
                            List.of(new FieldProblem("$", "must be a JSON object of sync rules"))), null);
        }
        List<FieldProblem> errors = new ArrayList<>();
        ObjectNode changes = SyncRulesJson.changes(body, errors);
        if (errors.isEmpty()) SyncRulesJson.legacyPeriod(changes, errors);
        if (!errors.isEmpty()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST,
                    ApiProblems.problem(HttpStatus.BAD_REQUEST, "The sync rules are invalid; nothing was changed.", errors), null);
        }
        return rules.update(partnerId, changes);
    }
}
