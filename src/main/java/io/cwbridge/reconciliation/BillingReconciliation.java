package io.cwbridge.reconciliation;

import io.cwbridge.reconciliation.ReconciliationRepository.Candidate;
import io.cwbridge.reconciliation.ReconciliationRepository.PostTarget;
import io.cwbridge.rules.reconciliation.CutoverWindows;
import io.cwbridge.rules.reconciliation.Decision;
import io.cwbridge.rules.reconciliation.InvoiceTotals;
import io.cwbridge.rules.reconciliation.InvoiceType;
import io.cwbridge.rules.reconciliation.PsaValues;
import io.cwbridge.rules.reconciliation.ReconciliationStatus;
import io.cwbridge.rules.reconciliation.ReconciliationRules;
import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.rules.reconciliation.FinalCharges;
import io.cwbridge.rules.reconciliation.Money;
import io.cwbridge.rules.reconciliation.PsaLine;
import io.cwbridge.syncrules.SyncRulesRepository;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
    private final SyncRulesRepository syncRules;
    private final ConnectWiseWrites writes;
    private final ReconciliationPosting posting;
    private final PostedCatchUps catchUps;

    BillingReconciliation(ReconciliationRepository repository, PsaReader psa, Clock clock, SyncRulesRepository syncRules,
                          ConnectWiseWrites writes, ReconciliationPosting posting, PostedCatchUps catchUps) {
        this.catchUps = catchUps;
        this.repository = repository;
        this.psa = psa;
        this.clock = clock;
        this.syncRules = syncRules;
        this.writes = writes;
        this.posting = posting;
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

    /**
     * Checks one subscription's month; empty when it waits for a user or is done. With the
     * reseller invoice in and the partner's rules pushing cost, the final reseller cost first
     * becomes the unit cost of the lines billed in the month; with both invoices in and a
     * discrepancy, the final charges are posted at once (the row stays open to Accept / Reject).
     */
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
        ConnectWiseWrites.Buffer operations = new ConnectWiseWrites.Buffer();
        // R32 × §2/R5: an invoice in another currency than the subscription's is no amount to compare with ConnectWise's;
        // nothing is read or written for the month (FAILED_REVIEW with the reason, checked again daily)
        Optional<String> otherCurrency = ReconciliationRules.otherCurrency(
                repository.invoiceCurrencies(c.partnerId(), c.subscriptionId(), period),
                repository.subscriptionCurrency(c.partnerId(), c.subscriptionId()));
        if (otherCurrency.isPresent()) {
            Decision refused = ReconciliationRules.notComparable(c.kind(), reseller, customer, otherCurrency.get());
            repository.record(c, period, existing, refused, null);
            return Optional.of(refused.status().name());
        }
        if (reseller != null) {
            try {
                PsaReader.Read read = psa.read(c.partnerId(), c.subscriptionId());
                if (read.agreementId() == null || read.catalogItemId() == null) {
                    // R32: no agreement or product mapped yet (the task waits for its mapping): ConnectWise's values cannot be
                    // read, which is FAILED_REVIEW, checked again on the next runs, not a post that failed
                    throw new PsaReader.Unreadable("the subscription has no agreement or product mapping in ConnectWise yet;"
                            + " checked again on the next run");
                }
                List<Long> inFlight = catchUps.inFlight(c.partnerId(), c.subscriptionId(), period);
                if (!inFlight.isEmpty()) {
                    // R32 × R27: an adjustment in flight or in doubt may bill the month's days already, or will on its next
                    // attempt; a delta posted now would bill them twice. The month waits (FAILED_REVIEW, checked again daily)
                    // until the catch-up is POSTED (then counted) or FAILED (then settled by the delta's post).
                    throw new PsaReader.Unreadable(PostedCatchUps.named(inFlight) + (inFlight.size() == 1 ? " is" : " are")
                            + " being posted as an agreement adjustment (POSTING) for days of the month; what ConnectWise bills"
                            + " is known once posted, checked again on the next run");
                }
                List<PsaLine> lines = read.lines();
                if (syncRules.additionRules(c.partnerId()).syncUnitCost()) {
                    lines = syncFinalCost(operations, c, period, reseller, read);
                }
                // R32 × R27: what ConnectWise bills for the month includes the catch-ups posted as agreement adjustments
                // R32 × R5: as the agreement bills them (a yearly line once for its agreement year)
                values = PsaValues.of(c.kind(), period, lines, catchUps.of(c.partnerId(), c.subscriptionId(), period), read.terms());
                target = new PostTarget(read.agreementId(), read.catalogItemId());
            } catch (PsaReader.Unreadable e) {
                error = e.getMessage();
            }
        }
        if (reseller == null && c.kind() == SubscriptionKind.IAAS) {
            // R32: "IaaS: PSA quantity is always 1; before the invoice, cost and price are 0 and the state is PENDING"
            values = new PsaValues(BigDecimal.ONE, Money.ZERO, Money.ZERO);
        }
        Decision decision = ReconciliationRules.decide(c.kind(), reseller, customer, values, error);
        repository.record(c, period, existing, decision, target);
        ReconciliationView now = repository.find(c.partnerId(), c.subscriptionId(), period).orElseThrow();
        operations.flush(repository, now.id());
        if (decision.status() == ReconciliationStatus.PENDING_REVIEW && ReconciliationStatus.PENDING_REVIEW.name().equals(now.status())
                && now.autoPostedAt() == null) {
            return Optional.of(autoPost(now));
        }
        return Optional.of(decision.status().name());
    }

    /**
     * R32 v2: the final reseller cost becomes the unit cost of every licence line billed in the
     * month (SaaS: invoice amount / licence-months, yearly / licences; IaaS: the usage line, quantity 1). Returns the
     * lines as they are now in ConnectWise. All or nothing (R26 × R27): when a line to patch is invoiced (it starts before
     * the agreement's next invoice date N) none is patched — an invoiced month's cost is history, the difference goes on
     * the delta line — and when ConnectWise still refuses one, the lines patched before it get their unit cost back, so a
     * subscription's lines never carry two unit costs of the bundle's making.
     */
    private List<PsaLine> syncFinalCost(ConnectWiseWrites.OperationLog ops, Candidate c, YearMonth period, InvoiceTotals reseller,
                                        PsaReader.Read read) {
        List<PsaLine> lines = new ArrayList<>(read.lines());
        boolean iaas = c.kind() == SubscriptionKind.IAAS;
        Optional<BigDecimal> unitCost;
        if (iaas) {
            List<PsaLine> usage = lines.stream().filter(l -> !l.licences() && l.activeDays(period) > 0).toList();
            unitCost = usage.size() == 1 && usage.get(0).quantity().signum() > 0
                    ? Optional.of(Money.of(reseller.amount()).divide(usage.get(0).quantity(), Money.SCALE, RoundingMode.HALF_UP))
                    : Optional.empty();
        } else {
            unitCost = FinalCharges.finalUnitCost(reseller, period, lines, read.terms());
        }
        if (unitCost.isEmpty()) return lines;
        List<Integer> targets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            PsaLine line = lines.get(i);
            boolean billed = iaas ? line.activeDays(period) > 0 : !read.terms().billedIn(line, period).isEmpty();
            boolean target = line.additionId() != null && billed && line.licences() != iaas;
            if (target && line.unitCost().compareTo(unitCost.get()) != 0) targets.add(i);
        }
        if (targets.stream().anyMatch(i -> read.terms().invoiced(lines.get(i)))) {
            log.info("Final cost of {} {} for {} not synced: a line to patch is invoiced (next invoice date {}); the cost"
                    + " difference is the delta line's", c.partnerId(), c.subscriptionId(), period, read.terms().nextInvoiceDate());
            return lines;
        }
        List<Integer> done = new ArrayList<>();
        for (int i : targets) {
            PsaLine line = lines.get(i);
            try {
                writes.updateUnits(ops, ConnectWiseWrites.UNIT_COST, c.partnerId(), read.agreementOf(line.additionId()), line.additionId(),
                        unitCost.get(), null, line.unitCost(), null);
                done.add(i);
            } catch (ConnectWiseWrites.WriteFailed e) {
                log.warn("Final cost of {} {} not synced: {}", c.partnerId(), c.subscriptionId(), e.getMessage());
                for (int j : done) {
                    PsaLine back = lines.get(j);
                    try {
                        writes.updateUnits(ops, ConnectWiseWrites.UNDO_UNIT_COST, c.partnerId(), read.agreementOf(back.additionId()),
                                back.additionId(), back.unitCost(), null, unitCost.get(), null);
                    } catch (ConnectWiseWrites.WriteFailed notBack) {
                        // recorded FAILED; the line keeps the final cost and the comparison below reads it so
                        lines.set(j, back.withUnits(unitCost.get(), back.unitPrice()));
                    }
                }
                return lines;
            }
        }
        for (int i : done) lines.set(i, lines.get(i).withUnits(unitCost.get(), lines.get(i).unitPrice()));
        return lines;
    }

    /** Posts the final charges by itself; the row stays PENDING_REVIEW (FAILED when ConnectWise refused). */
    private String autoPost(ReconciliationView r) {
        FinalCharges.Charges charges = posting.charges(r);
        if (charges.nothing() || !repository.claimForPosting(r.id(), List.of(ReconciliationStatus.PENDING_REVIEW))) {
            return r.status();
        }
        try {
            ReconciliationPosting.Posted posted = posting.post(writes.direct(r.id()), r, charges);
            repository.markAutoPosted(r.id(), posted.additionId(), "Posted automatically on " + LocalDate.now(clock) + ": "
                    + posted.description() + "; open to Accept or Reject. " + r.reason());
            return r.status();
        } catch (ConnectWiseWrites.WriteFailed e) {
            repository.changeStatus(r.id(), List.of(ReconciliationStatus.PENDING_REVIEW), ReconciliationStatus.FAILED, e.getMessage(), null);
            return ReconciliationStatus.FAILED.name();
        } finally {
            repository.releaseClaim(r.id());
        }
    }
}
