package io.cwbridge.reconciliation;

import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.reconciliation.ConnectWiseWrites.OperationLog;
import io.cwbridge.reconciliation.ConnectWiseWrites.WriteFailed;
import io.cwbridge.reconciliation.ReconciliationRepository.PostTarget;
import io.cwbridge.rules.reconciliation.FinalCharges;
import io.cwbridge.rules.reconciliation.FinalCharges.Charges;
import io.cwbridge.rules.reconciliation.PsaLine;
import io.cwbridge.rules.SyncRules;
import io.cwbridge.syncrules.SyncRulesRepository;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Posts a reconciliation's final charges (R32 v2), for the automatic post of the daily run and for
 * Accept alike: SaaS gets one new line carrying the deltas; IaaS has the deltas added to its usage
 * line's unit values (a new line while it has none, when the line is invoiced — it starts before the agreement's next
 * invoice date — or when ConnectWise refuses the edit of an invoiced line, R26). Under the kind's invoice values
 * COST_ONLY the price is never posted.
 */
@Component
class ReconciliationPosting {

    /** What was posted, in words for the reason, and the addition it went on. */
    record Posted(long additionId, String description) {}

    private final ReconciliationRepository repository;
    private final PsaReader psa;
    private final ConnectWiseWrites writes;
    private final SyncRulesRepository syncRules;
    private final PostedCatchUps catchUps;

    ReconciliationPosting(ReconciliationRepository repository, PsaReader psa, ConnectWiseWrites writes, SyncRulesRepository syncRules,
                          PostedCatchUps catchUps) {
        this.repository = repository;
        this.psa = psa;
        this.writes = writes;
        this.syncRules = syncRules;
        this.catchUps = catchUps;
    }

    /** The charges an accept or the automatic post sends for {@code r}: its deltas, the price left out under COST_ONLY. */
    Charges charges(ReconciliationView r) {
        SyncRules rules = syncRules.additionRules(r.partnerId());
        boolean costOnly = rules.invoiceValues(SubscriptionKind.valueOf(r.kind())) == SyncRules.InvoiceValues.COST_ONLY;
        return FinalCharges.toPost(r.deltaCost(), r.deltaPrice(), costOnly);
    }

    /**
     * Posts the charges; then the subscription's catch-ups of the month not posted (LISTED, FAILED) are settled by them
     * (R27 × R32: RESOLVED, naming this reconciliation), so the same days are not billed again by an adjustment.
     */
    Posted post(OperationLog log, ReconciliationView r, Charges charges) {
        Posted posted = postCharges(log, r, charges);
        List<Long> settled = catchUps.settleBy(r, posted.additionId());
        return settled.isEmpty() ? posted
                : new Posted(posted.additionId(), posted.description() + "; " + PostedCatchUps.named(settled) + " settled by it");
    }

    private Posted postCharges(OperationLog log, ReconciliationView r, Charges charges) {
        if (SubscriptionKind.IAAS.name().equals(r.kind())) {
            Optional<Posted> updated = updateIaasLine(log, r, charges);
            if (updated.isPresent()) return updated.get();
        }
        PostTarget target = repository.postTarget(r.id());
        long id = writes.postDeltaLine(log, r, target.agreementId(), target.catalogItemId(), charges);
        return new Posted(id, "delta cost " + charges.cost().toPlainString() + " and price " + charges.price().toPlainString()
                + " as addition " + id);
    }

    /** The IaaS usage line billed in the month takes the charges on its unit values; empty when it has none. */
    private Optional<Posted> updateIaasLine(OperationLog log, ReconciliationView r, Charges charges) {
        PsaReader.Read read;
        try {
            read = psa.read(r.partnerId(), r.subscriptionId());
        } catch (PsaReader.Unreadable e) {
            throw new WriteFailed("Posting to ConnectWise failed: the IaaS line could not be read: " + e.getMessage());
        }
        YearMonth period = YearMonth.parse(r.billingPeriod());
        Optional<PsaLine> usage = read.lines().stream()
                .filter(l -> !l.licences() && l.additionId() != null && l.activeDays(period) > 0)
                .max(Comparator.comparing(PsaLine::additionId));
        if (usage.isEmpty()) return Optional.empty();
        PsaLine line = usage.get();
        if (read.terms().invoiced(line)) {
            // R26 × R27 (P48-1): ConnectWise has invoiced the line (it starts before the agreement's next invoice date N): an
            // edit of it bills nothing more (or is refused), so the charges go on a new line from N, as a SaaS post's do
            return Optional.empty();
        }
        Charges values = FinalCharges.iaasLineValues(line, charges);
        boolean price = charges.price().signum() != 0;
        try {
            writes.updateUnits(log, ConnectWiseWrites.IAAS_LINE, r.partnerId(), read.agreementOf(line.additionId()), line.additionId(),
                    values.cost(), price ? values.price() : null, line.unitCost(), price ? line.unitPrice() : null);
        } catch (WriteFailed e) {
            // R26: ConnectWise refuses edits of a line it has invoiced ("Please end-date this addition and add a new one"):
            // the charges go on a new line (ConnectWiseWrites.deltaDates), as a SaaS post's do. Any other failure stays one.
            if (!e.invoicedLine()) throw e;
            return Optional.empty();
        }
        return Optional.of(new Posted(line.additionId(), "IaaS line " + line.additionId() + " updated to unit cost "
                + values.cost().toPlainString() + (price ? " and unit price " + values.price().toPlainString() : " (cost only)")));
    }
}
