package io.cwbridge.globalsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.connectwise.AdditionFields;
import io.cwbridge.connectwise.AdditionOperation;
import io.cwbridge.sync.OperationLedger;
import io.cwbridge.testsupport.TestEvents;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/**
 * R30 / R18 global sync of a whole partner in bulk (issue 14): an agreement holding more of the
 * bundle's lines than are read by id ({@link BulkMonthRoll#ID_CHUNK}) is read whole, in one page
 * of up to 1,000, and its subscriptions are compared in memory; only those with something to send
 * go through the one-by-one path. The clock is fixed at 2024-04-01T00:00Z (TimersTestBase).
 */
class BulkGlobalSyncTest extends TimersTestBase {

    private static final int INSERTED = BulkMonthRoll.ID_CHUNK + 10;

    /** Addition id to the subscription it is the base line of, for the subscriptions inserted as the pipeline leaves them. */
    private final Map<Long, String> insertedLines = new HashMap<>();

    @Autowired OperationLedger ledger;

    @Test
    void r30ChangedPriceAndR18RollAreWrittenOnceTheRestComparesEqualAndASecondRunWritesNothing() throws Exception {
        // sub-1 through the pipeline: a sale and an increase whose delta line ended with March (R18 rolls it into the base).
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533")), "SYNCED");
        awaitStatus(submit(event("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10, "65533")), "SYNCED");
        // 60 more on the same agreement; bulk-7's latest event carries a new unit price.
        insertSubscriptions(INSERTED, 7);
        putSyncRules(Map.of("companyFields", List.of(), "productFields", List.of())); // only the additions are under test here
        sandbox.resetCalls();

        JsonNode report = runGlobalSync();

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("COMPLETED");
        assertThat(report.path("lookedAt").path("subscriptions").asInt()).isEqualTo(INSERTED + 1);
        assertThat(report.path("changed").path("subscriptions").asInt()).isEqualTo(2);
        // The agreement is read whole once (no count, no read per subscription), sub-1's lines once more after its roll.
        assertThat(sandbox.calls("GET /finance/agreements/{parentId}/additions/count")).isZero();
        assertThat(sandbox.calls("GET /finance/agreements/{parentId}/additions")).isEqualTo(2);
        assertThat(sandbox.calls("GET /finance/agreements/{id}")).isEqualTo(1);
        // bulk-7's new price is one PATCH of its base line; the roll's writes are sub-1's; nothing else is written.
        List<JsonNode> changes = new ArrayList<>();
        report.path("changes").forEach(changes::add);
        long bulk7 = additionOf("bulk-7");
        assertThat(changes.stream().filter(c -> c.path("id").asLong() == bulk7)).singleElement()
                .satisfies(c -> assertThat(c.path("what").asText()).startsWith("UPDATE R30 unit price"));
        assertThat(changes.stream().filter(c -> insertedLines.containsKey(c.path("id").asLong()))).hasSize(1);
        assertThat(report.path("calls").path("writes").asLong()).isEqualTo(writeCalls()).isEqualTo(changes.size());

        // Every addition compares equal to what the events say.
        List<JsonNode> all = additions();
        Map<Long, JsonNode> byId = all.stream().collect(Collectors.toMap(a -> a.path("id").asLong(), a -> a));
        insertedLines.forEach((additionId, subscription) -> {
            JsonNode a = byId.get(additionId);
            assertThat(a).as(subscription).isNotNull();
            assertThat(a.path("quantity").decimalValue()).as(subscription).isEqualByComparingTo("10");
            assertThat(a.path("unitPrice").decimalValue()).as(subscription)
                    .isEqualByComparingTo(subscription.equals("bulk-7") ? "23.50" : "22.00");
            assertThat(a.path("cancelledDate").isNull() || a.path("cancelledDate").isMissingNode()).as(subscription).isTrue();
        });
        List<JsonNode> sub1 = all.stream().filter(a -> !insertedLines.containsKey(a.path("id").asLong())).toList();
        for (LocalDate d = LocalDate.parse("2024-02-14"); !d.isAfter(LocalDate.parse("2025-02-13")); d = d.plusDays(1)) {
            BigDecimal expected = d.isBefore(LocalDate.parse("2024-03-15")) ? BigDecimal.TEN : BigDecimal.valueOf(12);
            assertThat(GlobalSyncTest.billedOn(sub1, d)).as("R10 of sub-1 on " + d).isEqualByComparingTo(expected);
        }
        // The lines compared in memory keep the read as their copies (V15), under the agreement's next invoice date.
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM subscription_line WHERE partner_id = ? AND subscription_id LIKE 'bulk-%'
                AND copied_at IS NOT NULL AND quantity = 10 AND copy_next_invoice IS NOT NULL""", Long.class, partner))
                .isEqualTo(INSERTED);
        assertThat(jdbc.queryForObject("SELECT unit_price FROM subscription_line WHERE partner_id = ? AND subscription_id = 'bulk-7'",
                BigDecimal.class, partner)).as("bulk-7's copy is its PATCH's answer").isEqualByComparingTo("23.50");
        Object copiedAt = jdbc.queryForObject("SELECT max(copied_at) FROM subscription_line WHERE partner_id = ? AND subscription_id <> 'bulk-7'",
                Object.class, partner);

        sandbox.resetCalls();
        JsonNode second = runGlobalSync();

        assertThat(second.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(writeCalls()).isZero();
        assertThat(second.path("calls").path("writes").asInt()).isZero();
        assertThat(second.path("changes")).isEmpty();
        assertThat(second.path("changed").path("subscriptions").asInt()).isZero();
        assertThat(sandbox.calls("GET /finance/agreements/{parentId}/additions")).isEqualTo(1);
        assertThat(second.path("calls").path("reads").asLong()).isEqualTo(sandbox.totalCalls());
        assertThat(jdbc.queryForObject("SELECT max(copied_at) FROM subscription_line WHERE partner_id = ? AND subscription_id <> 'bulk-7'",
                Object.class, partner)).as("copies equal to the read are not written again").isEqualTo(copiedAt);
        assertThat(additions()).hasSize(all.size());
    }

    @Test
    void r30AnAdditionDeletedByHandIsReadAfreshForgottenAndReportedNothingIsWrittenForIt() throws Exception {
        insertSubscriptions(INSERTED, -1);
        putSyncRules(Map.of("companyFields", List.of(), "productFields", List.of()));
        long deleted = additionOf("bulk-3");
        client.delete(cw, "finance/agreements/" + agreement + "/additions/" + deleted);
        sandbox.resetCalls();

        JsonNode report = runGlobalSync();

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("COMPLETED");
        assertThat(report.path("failed").path("subscriptions").asInt()).isZero();
        assertThat(writeCalls()).isZero();
        // The whole read misses it, so bulk-3 alone is read by id (as the one-by-one path reads), and its line is forgotten.
        assertThat(sandbox.calls("GET /finance/agreements/{parentId}/additions")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM subscription_line WHERE partner_id = ? AND subscription_id = 'bulk-3'",
                Long.class, partner)).isZero();
        assertThat(report.path("changes")).singleElement().satisfies(c -> {
            assertThat(c.path("kind").asText()).isEqualTo("ADDITION");
            assertThat(c.path("id").asLong()).isEqualTo(deleted);
            assertThat(c.path("what").asText()).startsWith("FORGOTTEN deleted in ConnectWise");
        });
        assertThat(report.path("changed").path("subscriptions").asInt()).isZero();

        sandbox.resetCalls();
        JsonNode second = runGlobalSync();
        assertThat(second.path("changes")).isEmpty();
        assertThat(second.path("lookedAt").path("subscriptions").asInt()).isEqualTo(INSERTED - 1);
        assertThat(writeCalls()).isZero();
        assertThat(sandbox.calls("GET /finance/agreements/{parentId}/additions")).isEqualTo(1);
    }

    @Test
    void r30AnOperationARunLeftUnsentIsSentFirstThoughTheSnapshotShowsNothingToDo() throws Exception {
        insertSubscriptions(INSERTED, -1);
        putSyncRules(Map.of("companyFields", List.of(), "productFields", List.of()));
        // A run that stopped after storing bulk-5's operation and before sending it (a crash).
        long crashed = jdbc.queryForObject("INSERT INTO global_sync_run (partner_id, trigger, status, started_at) "
                + "VALUES (?, 'SCHEDULED', 'RUNNING', now()) RETURNING run_id", Long.class, partner);
        long bulk5 = additionOf("bulk-5");
        String request = ledger.write(AdditionOperation.update(agreement, bulk5,
                new AdditionFields(null, null, null, new BigDecimal("18.70"), null, null, false, null, null, null)));
        jdbc.update("INSERT INTO global_sync_operation (run_id, seq, partner_id, subscription_id, line_key, reason, request) "
                + "VALUES (?, 1, ?, 'bulk-5', 'bulk-5/BASE/2024-02-14', 'R30 unit price / cost of the latest event', ?::jsonb)",
                crashed, partner, request);
        sandbox.resetCalls();

        JsonNode report = runGlobalSync();

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("COMPLETED");
        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).isEqualTo(1);
        assertThat(writeCalls()).isEqualTo(1);
        assertThat(report.path("changes")).singleElement().satisfies(c -> assertThat(c.path("id").asLong()).isEqualTo(bulk5));
        assertThat(jdbc.queryForObject("SELECT status FROM global_sync_operation WHERE run_id = ?", String.class, crashed))
                .isEqualTo("DONE");

        sandbox.resetCalls();
        runGlobalSync();
        assertThat(writeCalls()).isZero();
    }

    @Test
    void subscriptionOfALineKeyKeepsSlashesInTheSubscriptionId() {
        assertThat(BulkMonthRoll.subscriptionOf("sub-1/BASE/2024-03-15")).isEqualTo("sub-1");
        assertThat(BulkMonthRoll.subscriptionOf("a/b/DELTA/2024-03-15#2")).isEqualTo("a/b");
    }

    private JsonNode runGlobalSync() throws Exception {
        ResponseEntity<String> response = post("/api/v1/partners/" + partner + "/global-sync", null);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        return mapper.readTree(response.getBody());
    }

    /**
     * {@code n} subscriptions bulk-0… with one base line each on the test agreement, as the pipeline leaves
     * them (the additions through the sandbox's API, the bundle's event and line records inserted);
     * subscription bulk-{@code newPrice}'s latest event says 23.50 where its line bills 22.00.
     */
    private void insertSubscriptions(int n, int newPrice) {
        for (int i = 0; i < n; i++) {
            String sub = "bulk-" + i;
            long additionId = client.create(cw, "finance/agreements/" + agreement + "/additions", Map.of("product", Map.of("id", catalogItem),
                    "quantity", 10, "unitPrice", new BigDecimal("22.00"), "unitCost", new BigDecimal("18.70"),
                    "effectiveDate", "2024-02-14T00:00:00Z", "billCustomer", "Billable"), null).path("id").asLong();
            ObjectNode event = TestEvents.event(partner, sub + "-sale-" + partner, sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);
            if (i == newPrice) ((ObjectNode) event.get("subscription")).put("unitPrice", new BigDecimal("23.50"));
            jdbc.update("INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source) "
                    + "VALUES (?, ?, ?, 'SALES_ORDER', 'NEW', '2024-02-14T09:00:00Z', ?::jsonb, 'HTTP')", sub + "-sale-" + partner, partner, sub,
                    event.toString());
            jdbc.update("INSERT INTO subscription_line (partner_id, subscription_id, line_key, agreement_id, addition_id) VALUES (?, ?, ?, ?, ?)",
                    partner, sub, sub + "/BASE/2024-02-14", agreement, additionId);
            jdbc.update("INSERT INTO subscription_mapping (partner_id, subscription_id, agreement_id) VALUES (?, ?, ?)", partner, sub, agreement);
            insertedLines.put(additionId, sub);
        }
        TestEvents.recordSyncedTasks(jdbc, partner);
    }

    private long additionOf(String subscription) {
        return insertedLines.entrySet().stream().filter(e -> e.getValue().equals(subscription)).findFirst().orElseThrow().getKey();
    }
}
