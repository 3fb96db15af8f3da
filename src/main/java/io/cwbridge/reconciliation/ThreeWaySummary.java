package io.cwbridge.reconciliation;

import io.cwbridge.rules.reconciliation.ThreeWay;
import java.time.YearMonth;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** The three-way check (R34) as one line of the "Billing Reconciliation Status" digest (R33). */
@Component
public class ThreeWaySummary {

    private static final Logger log = LoggerFactory.getLogger(ThreeWaySummary.class);

    private final ThreeWayCheck check;

    ThreeWaySummary(ThreeWayCheck check) {
        this.check = check;
    }

    /**
     * The line for the partner's month when something is off; empty when it all agrees, or when
     * ConnectWise could not be read (logged: the digest goes out without the line rather than with a wrong one).
     */
    public Optional<String> digestLine(String partnerId, YearMonth month) {
        try {
            ThreeWayCheck.Report r = check.check(partnerId, month);
            return ThreeWay.digestLine(month, r.mismatches(), r.totals().get(ThreeWay.Kind.UNDER_BILLED),
                    r.totals().get(ThreeWay.Kind.OVER_BILLED));
        } catch (PsaReader.Unreadable e) {
            log.warn("Three-way check of {} for {} left out of the digest: {}", partnerId, month, e.getMessage());
            return Optional.empty();
        }
    }
}
