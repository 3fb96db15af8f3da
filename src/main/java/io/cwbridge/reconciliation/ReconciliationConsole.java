package io.cwbridge.reconciliation;

import io.cwbridge.rules.reconciliation.ReconciliationStatus;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What the console (issue 16) uses of the reconciliation: the same log, decisions and CSV as the
 * API (R32) and the same three-way check (R34), so the screen and {@code /api/v1/…/reconciliation}
 * can never tell two stories. The package's own types stay package-private; this is the door.
 */
@Component
public class ReconciliationConsole {

    /** One row of the three-way report (R34), for a page. */
    public record ThreeWayLine(String customerId, String customerName, String subscriptionId, String planName, Long agreementId,
                               String mismatch, BigDecimal amount, BigDecimal marketplaceAmount, BigDecimal connectWiseAmount,
                               String detail) {}

    /** The three-way report of a month: totals per mismatch kind and its rows. */
    public record ThreeWayReport(String month, int subscriptions, int mismatches, Map<String, BigDecimal> totals,
                                 List<ThreeWayLine> rows, String csv) {}

    /** ConnectWise could not be read (the message names no secret). */
    public static class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    private final ReconciliationRepository repository;
    private final ReconciliationDecisions decisions;
    private final ThreeWayCheck threeWay;

    ReconciliationConsole(ReconciliationRepository repository, ReconciliationDecisions decisions, ThreeWayCheck threeWay) {
        this.repository = repository;
        this.decisions = decisions;
        this.threeWay = threeWay;
    }

    /** R32: the log's rows for billing months overlapping [from, to], any status when none given, in the API's order. */
    public List<ReconciliationView> list(String partnerId, LocalDate from, LocalDate to, Collection<ReconciliationStatus> statuses) {
        return repository.list(partnerId, from, to, statuses, null);
    }

    /** The API's CSV ({@code Accept: text/csv}) of these rows. */
    public String csv(List<ReconciliationView> rows) {
        return ReconciliationCsv.write(rows);
    }

    /** R32: accept or reject of a selection, each id on its own (status and reason, or an error with status and detail). */
    public List<Map<String, Object>> decide(String partnerId, List<Long> ids, boolean accept) {
        return decisions.decideAll(partnerId, ids, accept);
    }

    /** R34 for a month, with the API's CSV of the same rows. */
    public ThreeWayReport threeWay(String partnerId, YearMonth month) {
        ThreeWayCheck.Report report;
        try {
            report = threeWay.check(partnerId, month);
        } catch (PsaReader.Unreadable e) {
            throw new Unreadable(e.getMessage());
        }
        Map<String, BigDecimal> totals = new java.util.LinkedHashMap<>();
        report.totals().forEach((kind, amount) -> totals.put(kind.name(), amount));
        List<ThreeWayLine> rows = report.rows().stream().map(r -> new ThreeWayLine(r.customerId(), r.customerName(), r.subscriptionId(),
                r.planName(), r.agreementId(), r.mismatch(), r.amount(), r.marketplaceAmount(), r.connectWiseAmount(), r.detail())).toList();
        return new ThreeWayReport(report.month(), report.subscriptions(), report.mismatches(), totals, rows,
                ThreeWayCsv.write(report.rows()));
    }
}
