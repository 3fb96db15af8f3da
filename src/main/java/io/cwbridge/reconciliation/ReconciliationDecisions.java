package io.cwbridge.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.reconciliation.ReconciliationRepository.PostTarget;
import io.cwbridge.reconciliation.rules.ReconciliationStatus;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A user's accept or reject of a reconciliation (R32). Accept posts the delta cost and price (never
 * the quantity) as one new addition line, once: a claim keeps two accepts at once from both
 * posting, the line's description identifies it so a repeat finds the line instead of making
 * another, and an accepted reconciliation answers a repeat without posting. Reject posts nothing.
 */
@Component
class ReconciliationDecisions {

    /** The states a person decides on: accepted or rejected alike. */
    private static final List<ReconciliationStatus> DECIDABLE = List.of(ReconciliationStatus.PENDING_REVIEW, ReconciliationStatus.FAILED);

    private final ReconciliationRepository repository;
    private final PartnerConnectionRepository connections;
    private final ConnectWiseClient client;
    private final Clock clock;

    ReconciliationDecisions(ReconciliationRepository repository, PartnerConnectionRepository connections,
                            ConnectWiseClient client, Clock clock) {
        this.repository = repository;
        this.connections = connections;
        this.client = client;
        this.clock = clock;
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
                    ? "an accept of this reconciliation is in progress"
                    : "only a PENDING_REVIEW or FAILED reconciliation can be accepted; this one is " + now.status());
        }
        try {
            BigDecimal deltaCost = orZero(r.deltaCost());
            BigDecimal deltaPrice = orZero(r.deltaPrice());
            if (deltaCost.signum() == 0 && deltaPrice.signum() == 0) {
                repository.changeStatus(id, DECIDABLE, ReconciliationStatus.RECONCILED, "Accepted: no cost or price difference to post", null);
                return existing(partnerId, id);
            }
            long additionId = post(r, repository.postTarget(id), deltaCost, deltaPrice);
            repository.changeStatus(id, DECIDABLE, ReconciliationStatus.RECONCILED,
                    "Accepted: posted delta cost " + deltaCost.toPlainString() + " and price " + deltaPrice.toPlainString()
                            + " as addition " + additionId, additionId);
        } catch (PostFailed e) {
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
            repository.changeStatus(id, DECIDABLE, ReconciliationStatus.REJECTED, "Rejected: the data was reviewed and found not accurate", null);
        } finally {
            repository.releaseClaim(id);
        }
        return existing(partnerId, id);
    }

    /** One line: quantity 1 carrying the deltas, billed once in the current month (by the sync clock). */
    private long post(ReconciliationView r, PostTarget target, BigDecimal deltaCost, BigDecimal deltaPrice) {
        if (target.agreementId() == null || target.catalogItemId() == null) {
            throw new PostFailed("Posting to ConnectWise failed: the subscription has no agreement or product to post the delta on");
        }
        ConnectWiseConnection cw = connections.find(r.partnerId())
                .orElseThrow(() -> new PostFailed("Posting to ConnectWise failed: partner has no ConnectWise connection"));
        String description = "Billing reconciliation " + r.billingPeriod() + " " + r.subscriptionId();
        String path = "finance/agreements/" + target.agreementId() + "/additions";
        String identity = "description=\"" + description.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        YearMonth month = YearMonth.now(clock);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("product", Map.of("id", target.catalogItemId()));
        body.put("billCustomer", "Billable");
        body.put("quantity", BigDecimal.ONE);
        body.put("unitCost", deltaCost);
        body.put("unitPrice", deltaPrice);
        body.put("effectiveDate", month.atDay(1) + "T00:00:00Z");
        body.put("cancelledDate", month.atEndOfMonth() + "T00:00:00Z");
        body.put("description", description);
        body.put("invoiceDescription", "Billing reconciliation " + r.billingPeriod() + ": delta cost "
                + deltaCost.toPlainString() + ", delta price " + deltaPrice.toPlainString());
        try {
            // A previous accept may have posted and then failed to record it: find its line first.
            List<JsonNode> landed = client.getAll(cw, path, identity);
            JsonNode addition = landed.isEmpty() ? client.create(cw, path, body, identity) : landed.get(0);
            return addition.path("id").asLong();
        } catch (ConnectWiseException e) {
            throw new PostFailed("Posting to ConnectWise failed: " + e.describe());
        } catch (RuntimeException e) {
            throw new PostFailed("Posting to ConnectWise failed: " + e.getClass().getSimpleName());
        }
    }

    private ReconciliationView existing(String partnerId, long id) {
        return repository.find(partnerId, id)
                .orElseThrow(() -> ApiProblems.notFound("no reconciliation " + id + " for partner " + partnerId));
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }

    private static final class PostFailed extends RuntimeException {
        PostFailed(String message) {
            super(message);
        }
    }
}
