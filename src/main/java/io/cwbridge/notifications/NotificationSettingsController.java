package io.cwbridge.notifications;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.partner.PartnerIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A partner's notification preferences (R33). */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/notifications")
@Tag(name = "Notifications")
public class NotificationSettingsController {

    private final NotificationSettingsRepository settings;
    private final PartnerConnectionRepository partners;

    public NotificationSettingsController(NotificationSettingsRepository settings, PartnerConnectionRepository partners) {
        this.settings = settings;
        this.partners = partners;
    }

    @GetMapping
    @Operation(summary = "Show the partner's notification preferences",
            description = "A partner that never saved preferences has notifications off, no recipients, both digests selected, "
                    + "notifyErrorsAndActionNeeded on, notifyAllTasks off and no accountName (the digests greet the partner id). "
                    + "404 problem+json for a partner without a ConnectWise connection.")
    public NotificationSettings get(@PathVariable String partnerId) {
        knownPartner(partnerId);
        return settings.find(partnerId);
    }

    @PutMapping
    @Transactional
    @Operation(summary = "Change the partner's notification preferences (partial update)",
            description = "Any subset of enabled, recipients, serviceMappingDigest, billingReconciliationDigest, accountName, "
                    + "notifyErrorsAndActionNeeded, notifyAllTasks; an absent field "
                    + "keeps its value and recipients replaces the whole list. A non-boolean flag, a recipient that is not a plain "
                    + "e-mail address, a recipient named twice, an unknown field, or notifications enabled without any recipient "
                    + "is refused with 400 problem+json naming each field in `errors`; nothing is changed then.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = "application/json", schema = @Schema(implementation = NotificationSettings.class))))
    public NotificationSettings put(@PathVariable String partnerId, @RequestBody JsonNode body) {
        knownPartner(partnerId);
        if (body == null || !body.isObject()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, ApiProblems.problem(HttpStatus.BAD_REQUEST,
                    "The body must be a JSON object of notification settings.", List.of()), null);
        }
        List<FieldProblem> errors = new ArrayList<>();
        NotificationSettings changed = NotificationSettingsJson.apply(settings.find(partnerId), body, errors);
        if (!errors.isEmpty()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, ApiProblems.problem(HttpStatus.BAD_REQUEST,
                    "The notification settings are invalid; nothing was changed.", errors), null);
        }
        settings.save(partnerId, changed);
        return settings.find(partnerId);
    }

    private void knownPartner(String partnerId) {
        PartnerIds.check(partnerId);
        // Settings outlive a removed connection: only a partner that never existed is unknown.
        if (!partners.known(partnerId)) {
            throw ApiProblems.notFound("unknown partner " + partnerId);
        }
    }
}
