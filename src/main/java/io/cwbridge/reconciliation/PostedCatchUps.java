package io.cwbridge.reconciliation;

import io.cwbridge.catchup.CatchUpRepository;
import io.cwbridge.catchup.CatchUpView;
import io.cwbridge.rules.reconciliation.PsaValues;
import io.cwbridge.sync.InvoicedCatchUps;
import io.cwbridge.rules.reconciliation.ThreeWay;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What ConnectWise bills for a month through R27 catch-ups POSTED as agreement adjustments, read one
 * way ({@link CatchUpRepository#postedFor}) for the billing reconciliation's PSA side (R32) and the
 * three-way check (R34): licence-days, price amount and cost amount (none recorded: 0).
 */
@Component
class PostedCatchUps {

    private final CatchUpRepository catchUps;
    private final InvoicedCatchUps adjustments;

    PostedCatchUps(CatchUpRepository catchUps, InvoicedCatchUps adjustments) {
        this.catchUps = catchUps;
        this.adjustments = adjustments;
    }

    /**
     * R32 × R27: the subscription's catch-ups of the month still POSTING, whose adjustment is in flight or in doubt: what
     * ConnectWise bills for the month is not known while there is one (the adjustment may bill the days already, or its next
     * attempt will). One whose adjustment ConnectWise holds is recorded POSTED first and so counts in {@link #of}.
     */
    List<Long> inFlight(String partnerId, String subscriptionId, YearMonth month) {
        return catchUps.postingFor(partnerId, subscriptionId, month.atDay(1), month.atEndOfMonth()).stream()
                .filter(c -> !adjustments.confirmIfLanded(partnerId, c)).map(CatchUpView::catchUpId).toList();
    }

    /** R32: the subscription's posted catch-ups of the month, as the rules count them with its lines. */
    List<PsaValues.Adjustment> of(String partnerId, String subscriptionId, YearMonth month) {
        return catchUps.postedFor(partnerId, subscriptionId, month.atDay(1), month.atEndOfMonth()).stream()
                .map(PostedCatchUps::adjustment)
                .toList();
    }

    /**
     * R34: the partner's posted catch-ups of the month, summed per subscription, each with its licence-days and days (so
     * the three-way check counts their licences as R32 does: a late cancellation's credit off the month's last day too).
     */
    Map<String, ThreeWay.Adjustments> bySubscription(String partnerId, YearMonth month) {
        Map<String, ThreeWay.Adjustments> out = new HashMap<>();
        for (CatchUpView c : catchUps.postedFor(partnerId, null, month.atDay(1), month.atEndOfMonth())) {
            out.merge(c.subscriptionId(), ThreeWay.Adjustments.of(adjustment(c)), ThreeWay.Adjustments::plus);
        }
        return out;
    }

    private static PsaValues.Adjustment adjustment(CatchUpView c) {
        return new PsaValues.Adjustment(c.licenceDays(), c.from(), c.to(), c.amount(), c.cost());
    }

    /**
     * R32 × R27: the reconciliation {@code r} posted its charges (automatically or on Accept) as addition {@code additionId};
     * they bill the subscription's month, so its catch-ups of that month still LISTED (or FAILED) are settled by them:
     * RESOLVED with a note naming the reconciliation, never to be posted as an adjustment too.
     */
    List<Long> settleBy(ReconciliationView r, long additionId) {
        YearMonth month = YearMonth.parse(r.billingPeriod());
        return catchUps.settleByReconciliation(r.partnerId(), r.subscriptionId(), month.atDay(1), month.atEndOfMonth(), r.id(),
                "Settled by billing reconciliation " + r.id() + " (" + r.billingPeriod() + "): its charges posted as addition "
                        + additionId + " bill these days");
    }

    /** A reject took back the charges of reconciliation {@code r}: the catch-ups they settled are LISTED again. */
    List<Long> unsettle(ReconciliationView r) {
        return catchUps.unsettleByReconciliation(r.partnerId(), r.id(), "Listed again: the charges of billing reconciliation "
                + r.id() + " (" + r.billingPeriod() + ") that had settled it were rejected and taken back");
    }

    /** The catch-ups by id for a reason: "catch-up 4" or "catch-ups 4, 5". */
    static String named(List<Long> ids) {
        return "catch-up" + (ids.size() == 1 ? " " : "s ") + ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
    }
}
