package io.cwbridge.sync;

import io.cwbridge.tasks.store.OperationStatus;
import io.cwbridge.connectwise.ConnectWiseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * A task's write that ConnectWise refused (400, 404, 409: the plan did not fit what ConnectWise
 * holds, e.g. an addition deleted by hand, or a period invoiced since the agreement was read) may
 * have been planned from the agreement record this instance keeps ({@link AgreementCache}) or from
 * the bundle's copies of the lines ({@link LineCopies}). Both are dropped for the task's
 * agreements and subscriptions, and, when nothing of the task's plan was delivered yet, the plan
 * is dropped too so the task is planned once more from a fresh read ({@link SubscriptionSync}
 * runs it again, once). A second refusal, or one after part of the plan was delivered, fails the
 * task with ConnectWise's message, as before.
 */
@Component
public class RefusedWrites {

    private static final Logger log = LoggerFactory.getLogger(RefusedWrites.class);
    private static final Set<Integer> REFUSALS = Set.of(400, 404, 409);

    private final AgreementCache agreements;
    private final LineCopies copies;

    private final TaskOperations operations;

    public RefusedWrites(TaskOperations operations, AgreementCache agreements, LineCopies copies) {
        this.operations = operations;
        this.agreements = agreements;
        this.copies = copies;
    }

    /**
     * @return true when {@code failure} is ConnectWise refusing one of the task's writes and the
     *         task's plan was dropped, so running the task again plans it afresh
     */
    public boolean replan(long taskId, Exception failure) {
        Optional<ConnectWiseException> refused = refusal(failure);
        if (refused.isEmpty()) return false;
        List<Map<String, Object>> ops = operations.withTask(taskId);
        if (ops.isEmpty()) return false; // refused before the plan was stored: not a write of this task
        String partnerId = (String) ops.get(0).get("partner_id");
        Set<Long> agreementIds = new TreeSet<>();
        Set<String> subscriptions = new TreeSet<>();
        subscriptions.add((String) ops.get(0).get("subscription_id"));
        for (Map<String, Object> op : ops) {
            agreementIds.add(((Number) op.get("agreement_id")).longValue());
            subscriptions.add(LineKeys.parse((String) op.get("line_key")).subscriptionId());
        }
        agreementIds.forEach(a -> agreements.evict(partnerId, a));
        copies.clearSubscriptions(partnerId, subscriptions);
        boolean delivered = ops.stream().anyMatch(op -> OperationStatus.DONE.is(op.get("status")));
        if (delivered) {
            log.warn("ConnectWise refused a write of task {} after part of its plan was delivered ({}): agreements {} and the lines "
                    + "of {} will be read afresh; the task is not planned again", taskId, refused.get().describe(), agreementIds, subscriptions);
            return false;
        }
        // A refused write did not land (4xx), and nothing else of the plan was sent: the plan can go.
        int dropped = operations.dropUndelivered(taskId); // through the table's owner (issue 18)
        log.info("ConnectWise refused a write of task {} ({}): agreements {} and the lines of {} read afresh, {} planned operation(s) "
                + "dropped, planning again", taskId, refused.get().describe(), agreementIds, subscriptions, dropped);
        return true;
    }

    private static Optional<ConnectWiseException> refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectWiseException cw) {
                return !cw.isTransient() && REFUSALS.contains(cw.status()) ? Optional.of(cw) : Optional.empty();
            }
            if (t.getCause() == t) break;
        }
        return Optional.empty();
    }
}
