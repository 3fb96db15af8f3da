package io.cwbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * R19 × R21 × R10 end to end (probe 57 P57-2): a full upgrade dated before the subscription's cancellation that arrives
 * after the cancellation was synced, on an agreement that prorates but does not invoice prorated additions, invoiced
 * through March (N = 1 April). Read back from the sandbox's ConnectWise API and the tasks' catch-ups.
 */
class LateUpgradeBeforeACancellationEndToEndTest extends BundleTestBase {

    private static final String SUB = "sub-lateup";

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired ConnectWiseClient client;
    @Autowired JdbcTemplate jdbc;

    private final ObjectMapper mapper = new ObjectMapper();
    private SandboxAdmin sandbox;
    private ConnectWiseConnection cw;
    private Tenant tenant;
    private String partner;
    private long company;
    private long bp;
    private long e3;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxAdmin(port, env);
        cw = sandbox.connection();
        tenant = Tenant.connected("lup", port);
        partner = tenant.partner();
        bp = tenant.catalogItem("M365-BP-" + partner, "M365 BP", "Cloud", Map.of());
        e3 = tenant.catalogItem("M365-E3-" + partner, "M365 E3", "Cloud", Map.of());
        company = tenant.company("Chairs-" + partner, "Chairs Unlimited " + partner);
        tenant.mapCustomer(Tenant.CUSTOMER, company);
        tenant.mapProduct(Tenant.PRODUCT, bp);
        tenant.mapProduct("CFQ7TTC0LFLZ:0001", e3);
    }

    @Test
    @DisplayName("R19 R21 R10 a full upgrade of 3 April arriving after the cancellation of 8 April: BP until 2 April, E3 3-7 April, nothing from 8 April")
    void r19R21ALateFullUpgradeBeforeASameMonthCancellationBillsNothingFromTheCancellationR10() throws Exception {
        long agreement = agreement();
        sync(agreement, event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z"));
        sandbox.invoice(agreement, "2024-03-31");
        ObjectNode cancel = event("cancel", "CANCELLATION_ORDER", "CANCEL", "2024-04-08T09:00:00Z");
        cancel.put("cancellationDate", "2024-04-08");
        sync(agreement, cancel);
        sync(agreement, TestEvents.upgradeToE3(event("fup", "CHANGE_ORDER", "FULL_UPGRADE", "2024-04-03T09:00:00Z"), SUB, 10,
                "2025-02-13"));

        List<JsonNode> lines = lines(agreement);
        // before: the cancellation's −10 line was deleted, BP billed 10 again 8-30 April (230 licence-days, 168.67)
        for (String[] day : new String[][] {{"2024-04-01", "10", "0"}, {"2024-04-02", "10", "0"}, {"2024-04-03", "0", "10"},
                {"2024-04-07", "0", "10"}, {"2024-04-08", "0", "0"}, {"2024-04-30", "0", "0"}, {"2024-05-01", "0", "0"}}) {
            assertThat(licences(lines, bp, day[0])).as("BP on %s: %s", day[0], lines).isEqualByComparingTo(day[1]);
            assertThat(licences(lines, e3, day[0])).as("E3 on %s: %s", day[0], lines).isEqualByComparingTo(day[2]);
        }
    }

    @Test
    @DisplayName("R19 R21 R27 R10 into the invoiced March: the upgrade of 20 March credits BP −35.48 (20-24 March) and bills E3 +58.06")
    void r19R21R27ALateFullUpgradeIntoTheInvoicedMonthCreditsTheOldProductUntilTheCancellation() throws Exception {
        long agreement = agreement();
        sandbox.invoice(agreement, "2024-03-31");
        sync(agreement, event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z"));
        ObjectNode cancel = event("cancel", "CANCELLATION_ORDER", "CANCEL", "2024-03-25T09:00:00Z");
        cancel.put("cancellationDate", "2024-03-25");
        sync(agreement, cancel);
        long upgrade = sync(agreement, TestEvents.upgradeToE3(event("fup", "CHANGE_ORDER", "FULL_UPGRADE", "2024-03-20T09:00:00Z"),
                SUB, 10, "2025-02-13"));

        JsonNode catchUps = get("/api/v1/tasks/" + upgrade).path("catchUps");
        BigDecimal old = BigDecimal.ZERO;
        BigDecimal upgraded = BigDecimal.ZERO;
        for (JsonNode c : catchUps) {
            BigDecimal amount = c.path("amount").decimalValue();
            if (c.path("catalogItemId").asLong() == bp) old = old.add(amount); else upgraded = upgraded.add(amount);
        }
        // before: BP +10 licence-days (+7.10) instead of −50 (−35.48), 42.58 over-billed
        assertThat(old).as(catchUps.toString()).isEqualByComparingTo("-35.48");
        assertThat(upgraded).as(catchUps.toString()).isEqualByComparingTo("58.06");
        List<JsonNode> lines = lines(agreement);
        assertThat(licences(lines, bp, "2024-04-01")).as(lines.toString()).isEqualByComparingTo("0");
        assertThat(licences(lines, e3, "2024-04-01")).as(lines.toString()).isEqualByComparingTo("0");
    }

    private long agreement() {
        return tenant.agreement(company, "Chairs cloud " + UUID.randomUUID().toString().substring(0, 4),
                Tenant.Terms.MONTHLY_USD.prorating(true, false));
    }

    private ObjectNode event(String name, String type, String action, String occurredAt) {
        return TestEvents.event(partner, name + "-" + partner, SUB, type, action, occurredAt, 10, null);
    }

    private long sync(long agreement, ObjectNode event) throws Exception {
        Integer mapped = jdbc.queryForObject("SELECT count(*) FROM subscription_mapping WHERE partner_id = ? AND subscription_id = ?",
                Integer.class, partner, SUB);
        if (mapped == 0) {
            ResponseEntity<String> put = tenant.bundle().put().uri("/api/v1/partners/{p}/subscriptions/" + SUB + "/mapping", partner)
                    .contentType(MediaType.APPLICATION_JSON).body(Map.of("agreementId", agreement)).retrieve().toEntity(String.class);
            assertThat(put.getStatusCode().is2xxSuccessful()).as(put.getBody()).isTrue();
        }
        ResponseEntity<String> response = tenant.post(event);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isIn(200, 202);
        long taskId = mapper.readTree(response.getBody()).path("taskId").asLong();
        JsonNode task = tenant.awaitSettled(taskId);
        assertThat(task.path("status").asText()).as("task of %s: %s", event.path("eventId").asText(), task).isEqualTo("SYNCED");
        return taskId;
    }

    private JsonNode get(String path) throws Exception {
        ResponseEntity<String> response = tenant.bundle().get().uri(path).retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        return mapper.readTree(response.getBody());
    }

    private List<JsonNode> lines(long agreement) {
        Set<Long> ids = Set.copyOf(jdbc.queryForList("SELECT addition_id FROM subscription_line WHERE partner_id = ? AND subscription_id = ?",
                Long.class, partner, SUB));
        return client.getAll(cw, "finance/agreements/" + agreement + "/additions", null).stream()
                .filter(a -> ids.contains(a.path("id").asLong())).toList();
    }

    /** R10: the licences the product's lines bill on the day. */
    private static BigDecimal licences(List<JsonNode> lines, long catalogItem, String day) {
        LocalDate d = LocalDate.parse(day);
        return lines.stream().filter(a -> a.path("product").path("id").asLong() == catalogItem).filter(a -> {
            LocalDate from = LocalDate.parse(a.path("effectiveDate").asText().substring(0, 10));
            String to = a.path("cancelledDate").asText("");
            return !from.isAfter(d) && (to.isEmpty() || !LocalDate.parse(to.substring(0, 10)).isBefore(d));
        }).map(a -> a.path("quantity").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
