package io.cwbridge.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.globalsync.TimersTestBase;
import io.cwbridge.notifications.DigestQueries;
import io.cwbridge.notifications.ServiceMappingRow;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * R31: a FAILED task stays listed (?status=FAILED, the digest's query) until that task itself succeeds —
 * a later task of the same subscription that succeeds does not hide it. (Dismissing it, and a later task
 * waiting behind a failure it depends on, are in {@link TaskSyncModesTest}.)
 */
class FailuresStayVisibleTest extends TimersTestBase {

    @Autowired DigestQueries digests;

    long failedTotal() throws Exception {
        return mapper.readTree(api.get().uri("/api/v1/partners/{p}/tasks?status=FAILED", partner).retrieve().body(String.class))
                .path("total").asLong();
    }

    @Test
    void aFailureStaysListedThroughALaterSuccessAndGoesOnlyWhenItsRetrySucceeds() throws Exception {
        long sale = submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 5, null, "65533"));
        assertThat(awaitStatus(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        sandbox.fault(Map.of("status", 400, "count", 1, "method", "GET", "pathContains", "finance/agreements"));
        long up1 = submit(event("up1", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-01T09:00:00Z", 7, 5, "65533"));
        assertThat(awaitStatus(up1, "SYNCED", "FAILED")).isEqualTo("FAILED");
        long up2 = submit(event("up2", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-05T09:00:00Z", 9, 7, "65533"));
        assertThat(awaitStatus(up2, "SYNCED", "FAILED")).isEqualTo("SYNCED");

        assertThat(failedTotal()).isEqualTo(1);
        assertThat(digests.servicesNeedingAction(partner)).extracting(ServiceMappingRow::status).containsExactly(ServiceMappingRow.FAILED);
        int additionsBefore = additions().size();

        JsonNode retried = mapper.readTree(post("/api/v1/tasks/" + up1 + "/retry", null).getBody());
        assertThat(retried.path("status").asText()).as(retried.toString()).isEqualTo("SYNCED");
        assertThat(additions()).hasSizeGreaterThan(additionsBefore); // the failed change is in ConnectWise now
        assertThat(failedTotal()).isZero();
        assertThat(digests.servicesNeedingAction(partner)).isEmpty();
    }
}
