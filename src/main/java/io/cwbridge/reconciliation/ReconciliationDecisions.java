package io.cwbridge.reconciliation;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.reconciliation.ConnectWiseWrites.WriteFailed;
import io.cwbridge.rules.reconciliation.FinalCharges.Charges;
import io.cwbridge.rules.reconciliation.ReconciliationStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * A user's accept or reject of a reconciliation (R32), one or a selection. Accept posts the
 * charges (the delta cost and price, never the quantity; cost only under COST_ONLY) once: SaaS as
 * one new addition line, IaaS onto its usage line's values. When the daily run posted them already,
 * accept only confirms them and reject takes them back (deletes the line, or restores the IaaS
 * line's values). A claim keeps two decisions at once from both writing; an accepted
 * reconciliation answers a repeat without posting. Reject of a row never posted writes nothing.
 */
@Component
class ReconciliationDecisions {

    /** The states a person decides on: accepted or rejected alike. */
    private static final List<ReconciliationStatus> DECIDABLE = List.of(ReconciliationStatus.PENDING_REVIEW, ReconciliationStatus.FAILED);

    private final ReconciliationRepository repository;
    private final ReconciliationPosting posting;
    private final ConnectWiseWrites writes;
    private final PostedCatchUps catchUps;

    ReconciliationDecisions(ReconciliationRepository repository, ReconciliationPosting posting, ConnectWiseWrites writes,
                            PostedCatchUps catchUps) {
        this.catchUps = catchUps;
        this.repository = repository;
        this.posting = posting;
        this.writes = writes;
    }

    ReconciliationView accept(String partnerId, long id) {
        ReconciliationView r = existing(partnerId, id);
        if (ReconciliationStatus.RECONCILED.name().equals(r.status())) {
            return r; // accepted (or matched) already: nothing more to post
        }
        if (!repository.claimForPosting(id, DECIDABLE)) {
            ReconciliationView now = existing(partnerId, id);
            if (ReconciliationStatus.RECONCILED.name().equals(now.status())) return now;
            throw ApiProblems.conflict(DECIDABLE.contains(ReconciliationStatus.valueOf(now.status()))
                    ? "a decision on this reconciliation is in progress"
                    : "only a PENDING_REVIEW or FAILED reconciliation can be accepted; this one is " + now.status());
        }
        try {
            r = existing(partnerId, id);
            Charges charges = posting.charges(r);
            if (r.autoPostedAt() != null) {
                // R32 × R34: confirm only what ConnectWise still bills; a delta line removed there is posted again
                // (idempotent by its description), an IaaS line gone cannot be (its own charge went with it)
                ReconciliationRepository.Operation post = repository.operationsToUndo(id).stream()
                        .filter(o -> ConnectWiseWrites.DELTA_LINE.equals(o.kind()) || ConnectWiseWrites.IAAS_LINE.equals(o.kind()))
                        .findFirst().orElse(null);
                boolean stands;
                try {
                    stands = post == null || writes.exists(partnerId, post.request().path("agreementId").asLong(), post.additionId());
                } catch (WriteFailed e) {
                    ProblemDetail problem = ApiProblems.problem(HttpStatus.BAD_GATEWAY, "The accept could not check addition "
                            + post.additionId() + " in ConnectWise; the reconciliation stays " + r.status() + ". " + e.getMessage(), List.of());
                    throw new ErrorResponseException(HttpStatus.BAD_GATEWAY, problem, e);
                }
                if (stands) {
                    repository.changeStatus(id, DECIDABLE, ReconciliationStatus.RECONCILED,
                            "Accepted: the charges posted automatically stand (addition " + r.additionId() + ")", null);
                    return existing(partnerId, id);
                }
                if (ConnectWiseWrites.IAAS_LINE.equals(post.kind())) {
                    throw ApiProblems.conflict("reconciliation " + id + " is not accepted: the IaaS line " + post.additionId()
                            + " the charges were posted on is no longer in ConnectWise, and with it the month's usage charge;"
                            + " restore the line (or reject the reconciliation and bill the month by hand)");
                }
                ReconciliationPosting.Posted again = posting.post(writes.direct(id), r, charges);
                repository.changeStatus(id, DECIDABLE, ReconciliationStatus.RECONCILED, "Accepted: the line posted automatically"
                        + " (addition " + post.additionId() + ") is no longer in ConnectWise; posted again " + again.description(),
                        again.additionId());
                return existing(partnerId, id);
            }
            ReconciliationRepository.PostTarget target = repository.postTarget(id);
            if (!charges.nothing() && !io.cwbridge.events.SubscriptionKind.IAAS.name().equals(r.kind())
                    && (target.agreementId() == null || target.catalogItemId() == null)) {
                // nothing could be posted: say so rather than answer 200 with the row unchanged
                throw ApiProblems.conflict("reconciliation " + id + " cannot be posted: the subscription has no agreement or product"
                        + " in ConnectWise to post the delta on; map it, then the daily run checks the month again");
            }
            List<Long> inFlight = charges.nothing() ? List.of()
                    : catchUps.inFlight(partnerId, r.subscriptionId(), java.time.YearMonth.parse(r.billingPeriod()));
            if (!inFlight.isEmpty()) {
                // R32 × R27: the adjustment in flight or in doubt bills (or will bill) days the delta would bill again
                throw ApiProblems.conflict("reconciliation " + id + " is not posted now: " + PostedCatchUps.named(inFlight)
                        + " of the month " + (inFlight.size() == 1 ? "is" : "are") + " being posted as an agreement adjustment"
                        + " (POSTING) and may bill the same days; decide once it is posted or failed");
            }
            if (charges.nothing()) {
                // R32 v2: charges without a price while the row has a price difference only under the kind's invoice values
                // COST_ONLY (FinalCharges.toPost), where the price is never posted by rule
                boolean priceLeftOut = r.deltaPrice() != null && r.deltaPrice().signum() != 0;
                repository.changeStatus(id, DECIDABLE, ReconciliationStatus.RECONCILED, priceLeftOut
                        ? "Accepted: no cost difference to post; the price difference " + r.deltaPrice().toPlainString()
                                + " is not posted under COST_ONLY"
                        : "Accepted: no cost or price difference to post", null);
                return existing(partnerId, id);
            }
            ReconciliationPosting.Posted posted = posting.post(writes.direct(id), r, charges);
            repository.changeStatus(id, DECIDABLE, ReconciliationStatus.RECONCILED, "Accepted: posted " + posted.description(),
                    posted.additionId());
        } catch (WriteFailed e) {
            repository.changeStatus(id, DECIDABLE, ReconciliationStatus.FAILED, e.getMessage(), null);
        } finally {
            repository.releaseClaim(id);
        }
        return existing(partnerId, id);
    }

    ReconciliationView reject(String partnerId, long id) {
        ReconciliationView r = existing(partnerId, id);
        if (ReconciliationStatus.REJECTED.name().equals(r.status())) return r;
        if (!repository.claimForPosting(id, DECIDABLE)) {
            throw ApiProblems.conflict("only a PENDING_REVIEW or FAILED reconciliation can be rejected; this one is " + existing(partnerId, id).status());
        }
        try {
            r = existing(partnerId, id);
            String reason = "Rejected: the data was reviewed and found not accurate";
            // R32 v2: the final unit cost is the partner's cost from its billing statement, written when the reseller
            // invoice came, not a charge open to Accept / Reject: it stays, and the reason says so
            List<String> unitCosts = repository.operations(id).stream()
                    .filter(o -> ConnectWiseWrites.UNIT_COST.equals(o.kind()) && "DONE".equals(o.status()))
                    .map(o -> o.request().path("unitCost").asText() + " on addition " + o.additionId()).distinct().toList();
            if (r.autoPostedAt() != null) {
                writes.undoAutomaticPost(id, partnerId);
                repository.clearAutoPosted(id);
                reason += "; the charges posted automatically were taken back";
                // R27: what those charges settled is to be billed again, by a person's decision
                List<Long> listed = catchUps.unsettle(r);
                if (!listed.isEmpty()) reason += "; " + PostedCatchUps.named(listed) + " listed again";
            }
            if (!unitCosts.isEmpty()) {
                reason += "; the final unit cost from the reseller invoice stays (" + String.join(", ", unitCosts)
                        + "; the partner's cost, not a charge)";
            }
            repository.changeStatus(id, DECIDABLE, ReconciliationStatus.REJECTED, reason, null);
        } catch (WriteFailed e) {
            ProblemDetail problem = ApiProblems.problem(HttpStatus.BAD_GATEWAY,
                    "The reject could not take back the automatic post; the reconciliation stays " + r.status() + ". " + e.getMessage(),
                    List.of());
            throw new ErrorResponseException(HttpStatus.BAD_GATEWAY, problem, e);
        } finally {
            repository.releaseClaim(id);
        }
        return existing(partnerId, id);
    }

    /**
     * Accept or reject of a selection: each id decided on its own, in order; one that cannot be
     * decided (unknown, another status) reports its problem without stopping the others.
     */
    List<Map<String, Object>> decideAll(String partnerId, List<Long> ids, boolean accept) {
        return ids.stream().distinct().map(id -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", id);
            try {
                ReconciliationView v = accept ? accept(partnerId, id) : reject(partnerId, id);
                result.put("status", v.status());
                result.put("reason", v.reason());
            } catch (ErrorResponseException e) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("status", e.getStatusCode().value());
                error.put("detail", e.getBody().getDetail() == null ? "" : e.getBody().getDetail());
                result.put("error", error);
            }
            return result;
        }).toList();
    }

    private ReconciliationView existing(String partnerId, long id) {
        return repository.find(partnerId, id)
                .orElseThrow(() -> ApiProblems.notFound("no reconciliation " + id + " for partner " + partnerId));
    }
}
