package io.cwbridge.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.catchup.CatchUpRepository;
import io.cwbridge.catchup.CatchUpView;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.partner.PartnerIds;
import io.cwbridge.sync.InvoicedCatchUps;
import io.cwbridge.sync.OperationInFlightException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The partner's catch-ups of invoiced periods (R27): list, post one as an adjustment, or mark one settled by hand. */
@RestController
@RequestMapping("/api/v1/partners/{partnerId}/catch-ups")
@Tag(name = "Tasks")
public class CatchUpController {

    private static final Set<String> STATUSES = Set.of(CatchUpView.LISTED, CatchUpView.POSTING, CatchUpView.POSTED,
            CatchUpView.FAILED, CatchUpView.RESOLVED);

    private final CatchUpRepository catchUps;
    private final InvoicedCatchUps invoicedCatchUps;

    public CatchUpController(CatchUpRepository catchUps, InvoicedCatchUps invoicedCatchUps) {
        this.catchUps = catchUps;
        this.invoicedCatchUps = invoicedCatchUps;
    }

    @GetMapping
    @Operation(summary = "The partner's catch-ups of invoiced periods (R27), newest first",
            description = "status LISTED (to review), POSTING, POSTED (adjustmentId), FAILED (message), RESOLVED; limit 1-500.")
    public List<CatchUpView> list(@PathVariable String partnerId, @RequestParam(required = false) String status,
                                  @RequestParam(defaultValue = "100") int limit, @RequestParam(defaultValue = "0") int offset) {
        PartnerIds.check(partnerId);
        if (status != null && !status.isBlank() && !STATUSES.contains(status)) {
            throw ApiProblems.badRequest("status", "must be one of LISTED, POSTING, POSTED, FAILED, RESOLVED");
        }
        if (limit < 1 || limit > 500) throw ApiProblems.badRequest("limit", "must be between 1 and 500");
        if (offset < 0) throw ApiProblems.badRequest("offset", "must not be negative");
        return catchUps.list(partnerId, status == null || status.isBlank() ? null : status, limit, offset);
    }

    @PostMapping("/{catchUpId}/post")
    @Operation(summary = "Post a LISTED (or FAILED) catch-up as an agreement adjustment now",
            description = "POST finance/agreements/{id}/adjustments with its amount, its description and the agreement's next "
                    + "invoice date, guarded against repeats; answers the catch-up (POSTED with adjustmentId, or FAILED with "
                    + "ConnectWise's message). 404 unknown, 409 resolved by hand or being posted, 503 ConnectWise unavailable, "
                    + "502 the agreement could not be read.")
    public CatchUpView post(@PathVariable String partnerId, @PathVariable long catchUpId) {
        PartnerIds.check(partnerId);
        try {
            return invoicedCatchUps.postNow(partnerId, catchUpId);
        } catch (NoSuchElementException e) {
            throw ApiProblems.notFound(e.getMessage());
        } catch (IllegalStateException | OperationInFlightException e) {
            throw ApiProblems.conflict(e.getMessage());
        } catch (ConnectWiseException e) {
            HttpStatus status = e.isTransient() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
            String detail = e.isTransient()
                    ? "ConnectWise is unavailable; the catch-up is looked up before it is posted again: " + e.describe()
                    : "ConnectWise refused to read the agreement: " + e.describe();
            throw new ErrorResponseException(status, ApiProblems.problem(status, detail, List.of()), e);
        }
    }

    @PostMapping("/{catchUpId}/resolve")
    @Operation(summary = "Mark a LISTED or FAILED catch-up as settled by hand (RESOLVED)",
            description = "Optional body {\"note\": \"…\"} (at most 1000 characters). It leaves the review lists and the digest. "
                    + "404 unknown, 409 when it is POSTING, POSTED or RESOLVED already.")
    public CatchUpView resolve(@PathVariable String partnerId, @PathVariable long catchUpId,
                               @RequestBody(required = false) JsonNode body) {
        PartnerIds.check(partnerId);
        CatchUpView c = catchUps.find(partnerId, catchUpId)
                .orElseThrow(() -> ApiProblems.notFound("no catch-up " + catchUpId + " of partner " + partnerId));
        JsonNode note = body == null ? null : body.get("note");
        if (note != null && !note.isNull() && (!note.isTextual() || note.asText().length() > 1000)) {
            throw ApiProblems.badRequest("note", "must be a text of at most 1000 characters");
        }
        if (!catchUps.resolve(catchUpId, note == null || note.isNull() ? null : note.asText())) {
            throw ApiProblems.conflict("catch-up " + catchUpId + " is " + c.status() + "; only LISTED or FAILED ones can be resolved");
        }
        return catchUps.find(partnerId, catchUpId).orElseThrow();
    }
}
