package io.cwbridge.reconciliation;

import io.cwbridge.reconciliation.ReconciliationRepository.Candidate;
import io.cwbridge.reconciliation.ReconciliationRepository.PostTarget;
import io.cwbridge.reconciliation.rules.CutoverWindows;
import io.cwbridge.reconciliation.rules.Decision;
import io.cwbridge.reconciliation.rules.InvoiceTotals;
import io.cwbridge.reconciliation.rules.InvoiceType;
import io.cwbridge.reconciliation.rules.PsaValues;
import io.cwbridge.reconciliation.rules.ReconciliationStatus;
import io.cwbridge.reconciliation.rules.ReconciliationRules;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The daily billing reconciliation (R32), called by route {@code billing-reconciliation}: for each
 * provider whose cutover window holds today (by the sync clock), checks the previous month of each
 * of its subscriptions that is still PENDING or FAILED_REVIEW (or not yet checked).
 */
@Component("billingReconciliation")
public class BillingReconciliation {

    private static final Logger log = LoggerFactory.getLogger(BillingReconciliation.class);

    private final ReconciliationRepository repository;
    private final PsaReader psa;
    private final Clock clock;

    public BillingReconciliation(ReconciliationRepository repository, PsaReader psa, Clock clock) {
        this.repository = repository;
        this.psa = psa;
        this.clock = clock;
    }

    /** @return how many reconciliations each status got in this run (for the route's log) */
    public Map<String, Integer> runDaily() {
        LocalDate today = LocalDate.now(clock);
        Map<String, Integer> outcome = new LinkedHashMap<>();
        for (int providerId : CutoverWindows.all().keySet()) {
            Optional<YearMonth> period = CutoverWindows.periodToReconcile(providerId, today);
            if (period.isEmpty()) continue;
            for (Candidate c : repository.candidates(providerId, period.get())) {
                try {
                    check(c, period.get()).ifPresent(status -> outcome.merge(status, 1, Integer::sum));
                } catch (RuntimeException e) {
                    // One subscription's trouble (e.g. the database) must not stop the others; tomorrow tries again.
                    log.warn("Reconciliation of {} {} for {} failed: {}", c.partnerId(), c.subscriptionId(), period.get(), e.toString());
                    outcome.merge("ERROR", 1, Integer::sum);
                }
            }
        }
        return outcome;
    }

    /** Checks one subscription's month; empty when it waits for a user or is done. */
    Optional<String> check(Candidate c, YearMonth period) {
        ReconciliationView existing = repository.find(c.partnerId(), c.subscriptionId(), period).orElse(null);
        if (existing != null && !ReconciliationStatus.valueOf(existing.status()).checkedAgainDaily()) {
            return Optional.empty();
        }
        Map<InvoiceType, InvoiceTotals> invoices = repository.invoices(c.partnerId(), c.subscriptionId(), period);
        InvoiceTotals reseller = invoices.get(InvoiceType.RESELLER);
        InvoiceTotals customer = invoices.get(InvoiceType.CUSTOMER);
        PsaValues values = null;
        String error = null;
        PostTarget target = null;
        if (reseller != null && customer != null) {
            try {
                PsaReader.Read read = psa.read(c.partnerId(), c.subscriptionId());
                values = PsaValues.of(c.kind(), period, read.lines());
                target = new PostTarget(read.agreementId(), read.catalogItemId());
            } catch (PsaReader.Unreadable e) {
                error = e.getMessage();
            }
        }
        Decision decision = ReconciliationRules.decide(c.kind(), reseller, customer, values, error);
        repository.record(c, period, existing, decision, target);
        return Optional.of(decision.status().name());
    }
}
