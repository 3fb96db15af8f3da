package io.cwbridge.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R32 v2 posting (ReconciliationPosting) where ConnectWise refuses the usual write. */
class ReconciliationPostingTest extends ReconciliationTestBase {

    /**
     * R32 v2 x R26 (a probe's finding): on an agreement that has invoiced the usage month, ConnectWise refuses the IaaS
     * line's new values; the row used to stay FAILED for good (Accept sent the same refused update again). The charges go
     * on a new line of the current month instead, as a SaaS post's do, and Reject takes that line back.
     */
    @Test
    void r32v2R26AnIaasPostOnAnInvoicedLineGoesOnANewLine() throws Exception {
        subscription("sub-iv", 1, "IAAS", "1", "0", "0"); // AWS: 6th–21st
        long usage = line("sub-iv", "USAGE", "1", "80.00", "100.00", "2024-02-01", "2024-02-29");
        sandbox.invoice(agreement, "2024-02-29");
        postInvoices("[" + invoice("sub-iv", 1, "IAAS", "RESELLER", "2024-02", "1", "85.00") + ","
                + invoice("sub-iv", 1, "IAAS", "CUSTOMER", "2024-02", "1", "110.00") + "]");

        runOn("2024-03-06");

        assertThat(row("sub-iv")).as(String.valueOf(row("sub-iv"))).containsEntry("status", "PENDING_REVIEW");
        assertThat(addition(usage).path("unitCost").decimalValue()).as("the invoiced line is left").isEqualByComparingTo("80.00");
        List<JsonNode> posted = additions().stream().filter(a -> a.path("id").asLong() != usage
                && a.path("description").asText().startsWith("Billing reconciliation 2024-02")).toList();
        assertThat(posted).singleElement().satisfies(a -> {
            assertThat(a.path("quantity").decimalValue()).isEqualByComparingTo("1");
            assertThat(a.path("unitCost").decimalValue()).isEqualByComparingTo("5.00");
            assertThat(a.path("unitPrice").decimalValue()).isEqualByComparingTo("10.00");
            assertThat(a.path("effectiveDate").asText()).startsWith("2024-03-01");
        });
        // P48-1: decided by the agreement's next invoice date (2024-03-01 > the line's 2024-02-01), not by a refused PATCH
        assertThat(operations("sub-iv")).containsExactly("DELTA_LINE:DONE");

        assertThat(mapper.readTree(decide("sub-iv", "reject").getBody()).path("status").asText()).isEqualTo("REJECTED");
        assertThat(additions()).extracting(a -> a.path("id").asLong()).doesNotContain(posted.get(0).path("id").asLong());
    }
}
