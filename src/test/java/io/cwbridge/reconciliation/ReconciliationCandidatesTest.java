package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** R32: which subscriptions the daily run looks at for a month (ReconciliationRepository.candidates). */
class ReconciliationCandidatesTest extends ReconciliationTestBase {

    /**
     * A probe's finding: a subscription cancelled in February got a PENDING row "missing reseller and customer invoices" for
     * March and every month after, which no invoice would ever settle (and which the status digest kept listing).
     */
    @Test
    void r32ASubscriptionCancelledInAnEarlierMonthGetsNoRowForTheMonthsAfter() throws Exception {
        clock.set("2024-03-05");
        mapChairsOverTheApi();
        String sub = "sub-gone";
        sync(event("sale", "SALES_ORDER", "NEW", "2024-01-14T09:00:00Z", 10, "", sub, "2024-01-14"));
        sandbox.invoice(agreement, "2024-02-29"); // the cancellation ends the invoiced line (R21) instead of deleting it (R22)
        sync(event("cancel", "CANCELLATION_ORDER", "CANCEL", "2024-03-04T10:00:00Z", 10, "\"cancellationDate\":\"2024-02-20\",",
                sub, "2024-01-14"));

        runOn("2024-03-10");
        runOn("2024-04-10");

        assertThat(jdbc.queryForList("SELECT to_char(period_start, 'YYYY-MM') FROM billing_reconciliation WHERE partner_id = ? "
                + "AND subscription_id = ? ORDER BY period_start", String.class, partner, sub))
                .as("February is reconciled (the cancellation's month), March is not looked at").isEqualTo(List.of("2024-02"));
    }
}
