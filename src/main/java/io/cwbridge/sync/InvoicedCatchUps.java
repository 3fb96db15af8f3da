package io.cwbridge.sync;

import io.cwbridge.catchup.CatchUpRepository;
import io.cwbridge.catchup.CatchUpView;
import io.cwbridge.connectwise.AdjustmentIdentity;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.connectwise.ConnectWiseException;
import io.cwbridge.connectwise.ConnectWiseLookup;
import io.cwbridge.connectwise.ConnectWiseResources;
import io.cwbridge.connectwise.model.AgreementAdjustment;
import io.cwbridge.connectwise.ConnectWiseSettings;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.rules.SyncRules.InvoicedCatchUp;
import io.cwbridge.syncrules.SyncRulesRepository;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * R27 catch-ups after delivery: with the partner's rule invoicedCatchUp ADJUSTMENT each catch-up is
 * posted as an agreement adjustment ({@code POST finance/agreements/{id}/adjustments} with its amount,
 * its description and the agreement's next invoice date); with REVIEW they stay LISTED for a person.
 *
 * <p>ConnectWise has no idempotency keys, so an adjustment is claimed (POSTING) before it is sent;
 * after an ambiguous failure the client looks it up by its description before sending it again, and
 * a POSTING catch-up left by an earlier attempt is looked up first, so each is posted once. A
 * refusal (4xx) marks it FAILED with ConnectWise's message and never fails the task; ConnectWise
 * being unavailable leaves the task PENDING for its usual retry.
 */
@Component("invoicedCatchUps")
public class InvoicedCatchUps {

    private static final Logger log = LoggerFactory.getLogger(InvoicedCatchUps.class);

    private final CatchUpRepository catchUps;
    private final SyncRulesRepository syncRules;
    private final PartnerConnectionRepository connections;
    private final ConnectWiseResources resources;
    private final Duration lease;

    public InvoicedCatchUps(CatchUpRepository catchUps, SyncRulesRepository syncRules, PartnerConnectionRepository connections,
            ConnectWiseResources resources, ConnectWiseSettings settings) {
        this.catchUps = catchUps;
        this.syncRules = syncRules;
        this.connections = connections;
        this.resources = resources;
        this.lease = settings.deliveryLease();
    }

    /** Route step of {@code subscription-task-sync} once the task's operations are delivered (headers taskId, partnerId). */
    public void settle(Message message) {
        settle(message.getHeader("taskId", Long.class), message.getHeader("partnerId", String.class),
                message.getHeader(TaskOperations.SYNC_RUN, String.class));
    }

    /** The same from the route's variables (taskId, the event's partnerId, syncRunId; run null: a run of its own). */
    public void settle(long taskId, String partnerId, String run) {
        List<CatchUpView> open = catchUps.forTask(taskId).stream().filter(InvoicedCatchUps::open).toList();
        if (open.isEmpty() || syncRules.additionRules(partnerId).invoicedCatchUp() != InvoicedCatchUp.ADJUSTMENT) return;
        post(partnerId, open, run == null ? UUID.randomUUID().toString() : run, taskId);
    }

    /** The month roll's catch-ups of a subscription (global sync), posted when the partner's rule says so. */
    public void settleRolls(String partnerId, String subscriptionId, long runId, InvoicedCatchUp rule) {
        if (rule != InvoicedCatchUp.ADJUSTMENT) return;
        List<CatchUpView> open = catchUps.openForRolls(partnerId, subscriptionId);
        if (!open.isEmpty()) post(partnerId, open, "global-sync-" + runId, -runId);
    }

    /**
     * A person posts one catch-up as an adjustment now, whatever the partner's rule (a LISTED one, or a
     * FAILED one again); one already POSTED is answered as it is.
     */
    public CatchUpView postNow(String partnerId, long catchUpId) {
        CatchUpView c = catchUps.find(partnerId, catchUpId).orElseThrow(() -> new java.util.NoSuchElementException(
                "no catch-up " + catchUpId + " of partner " + partnerId));
        if (CatchUpView.RESOLVED.equals(c.status())) {
            throw new IllegalStateException("catch-up " + catchUpId + " was resolved by hand; it is not posted");
        }
        if (CatchUpView.FAILED.equals(c.status())) catchUps.relist(catchUpId);
        if (CatchUpView.LISTED.equals(c.status()) || CatchUpView.FAILED.equals(c.status())) {
            // Posted later than the sync that found it: effective the agreement's next invoice date as it is now.
            ConnectWiseConnection cw = connections.find(partnerId)
                    .orElseThrow(() -> new IllegalStateException("partner " + partnerId + " has no ConnectWise connection"));
            LocalDate next = MappingResolver.billing(resources.agreement(cw, c.agreementId())).nextInvoiceDate();
            if (next != null) catchUps.effectiveDate(catchUpId, next);
        }
        if (!CatchUpView.POSTED.equals(c.status())) {
            post(partnerId, catchUps.find(partnerId, catchUpId).stream().toList(), "manual-" + UUID.randomUUID(),
                    c.taskId() == null ? -1 : c.taskId());
        }
        return catchUps.find(partnerId, catchUpId).orElseThrow();
    }

    /**
     * R32 × R27: whether a catch-up left POSTING (in flight, or in doubt after a lost answer or a crash) is known to be billed:
     * when ConnectWise holds its adjustment (looked up as its next attempt would), it is recorded POSTED now and true is
     * answered; otherwise (not found, or ConnectWise cannot be asked) it stays POSTING and false is answered, nothing posted.
     */
    public boolean confirmIfLanded(String partnerId, CatchUpView c) {
        if (CatchUpView.POSTED.equals(c.status())) return true;
        if (!CatchUpView.POSTING.equals(c.status())) return false;
        Optional<ConnectWiseConnection> cw = connections.find(partnerId);
        if (cw.isEmpty()) return false;
        try {
            Optional<AgreementAdjustment> landed = lookUp(partnerId, cw.get(), c);
            if (landed.isEmpty()) return false;
            log.info("Catch-up {} left POSTING had been posted as adjustment {}; recorded as posted", c.catchUpId(), landed.get().id());
            catchUps.posted(c.catchUpId(), landed.get().id());
            return true;
        } catch (ConnectWiseException e) {
            log.warn("Catch-up {} left POSTING could not be looked up: {}", c.catchUpId(), e.describe());
            return false;
        }
    }

    private static boolean open(CatchUpView c) {
        return CatchUpView.LISTED.equals(c.status()) || CatchUpView.POSTING.equals(c.status());
    }

    private void post(String partnerId, List<CatchUpView> open, String run, long owner) {
        ConnectWiseConnection cw = connections.find(partnerId)
                .orElseThrow(() -> new IllegalStateException("partner " + partnerId + " has no ConnectWise connection"));
        for (CatchUpView c : open) {
            Optional<String> previous = catchUps.claim(c.catchUpId(), run, lease);
            if (previous.isEmpty()) {
                // Another run claimed it a moment ago and may be posting it now.
                throw new OperationInFlightException(owner, (int) c.catchUpId(), lease);
            }
            String path = "finance/agreements/" + c.agreementId() + "/adjustments";
            try {
                if (CatchUpView.POSTING.equals(previous.get())) {
                    Optional<AgreementAdjustment> landed = lookUp(partnerId, cw, c);
                    if (landed.isPresent()) {
                        log.info("Catch-up {} had been posted as adjustment {} before; not posting it again", c.catchUpId(),
                                landed.get().id());
                        catchUps.posted(c.catchUpId(), landed.get().id());
                        continue;
                    }
                }
                AgreementAdjustment adjustment = resources.as(resources.client().createOnce(cw, path, body(c),
                        identity(partnerId, c)), AgreementAdjustment.class);
                catchUps.posted(c.catchUpId(), adjustment.id());
                log.info("Catch-up {} of subscription {} posted as adjustment {} ({} on agreement {})", c.catchUpId(),
                        c.subscriptionId(), adjustment.id(), c.amount().toPlainString(), c.agreementId());
            } catch (ConnectWiseException e) {
                if (e.isTransient()) {
                    catchUps.release(c.catchUpId(), "will retry: ConnectWise: " + e.describe());
                    throw e;
                }
                catchUps.failed(c.catchUpId(), "ConnectWise: " + e.describe());
                log.warn("Catch-up {} of subscription {} could not be posted: {}", c.catchUpId(), c.subscriptionId(), e.describe());
            }
        }
    }

    /** Agreement.Adjustment: amount, description (at most 1000 characters), effectiveDate. */
    static Map<String, Object> body(CatchUpView c) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount", c.amount());
        body.put("description", c.description());
        LocalDate effective = c.effectiveDate() != null ? c.effectiveDate() : c.to().plusDays(1);
        body.put("effectiveDate", effective + "T00:00:00Z");
        return body;
    }

    /**
     * The adjustment this catch-up makes, not another catch-up's: ConnectWise is asked by amount and effective day, the
     * description is compared in Java (R16 / SPEC 4: a ConnectWise string condition is a pattern, * a wildcard and [
     * written [[], so description="…" could miss the adjustment, and post it twice, or take another's).
     */
    private ConnectWiseLookup identity(String partnerId, CatchUpView c) {
        List<Long> taken = catchUps.adjustmentIds(partnerId, c.agreementId());
        LocalDate effective = c.effectiveDate() != null ? c.effectiveDate() : c.to().plusDays(1);
        return new AdjustmentIdentity(c.amount(), effective, c.description()).lookup()
                .and(a -> !taken.contains(a.path("id").asLong()));
    }

    /** The adjustment an earlier attempt left, if any: same description, amount and day, not another catch-up's. */
    private Optional<AgreementAdjustment> lookUp(String partnerId, ConnectWiseConnection cw, CatchUpView c) {
        return resources.client().find(cw, "finance/agreements/" + c.agreementId() + "/adjustments", identity(partnerId, c))
                .map(a -> resources.as(a, AgreementAdjustment.class));
    }
}
