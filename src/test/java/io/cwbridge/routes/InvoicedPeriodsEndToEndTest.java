package io.cwbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.sync.InvoicedCatchUps;
import io.cwbridge.connectwise.ConnectWiseClient;
import io.cwbridge.connectwise.ConnectWiseConnection;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/**
 * SPEC v2 on a tenant that invoices (R17, R17a, R22, R27), end to end over HTTP: events through the
 * routes to the local ConnectWise sandbox, which follows ConnectWise (next invoice date, prorate
 * settings, refusals inside invoiced periods, agreement adjustments), read back over its API.
 * The plain web context of the API tests (TasksApiTest), no extra configuration.
 */
class InvoicedPeriodsEndToEndTest extends BundleTestBase {

    private static final String SUB = "sub-late";

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired ConnectWiseClient client;
    @Autowired JdbcTemplate jdbc;
    @Autowired CamelContext camel;
    @Autowired InvoicedCatchUps invoicedCatchUps;

    private final ObjectMapper mapper = new ObjectMapper();
    private SandboxAdmin sandbox;
    private ConnectWiseConnection cw;
    private RestClient api;
    private Tenant tenant;
    private String partner;
    private long company;
    private long catalogItem;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxAdmin(port, env);
        cw = sandbox.connection();
        tenant = Tenant.connected("inv", port);
        partner = tenant.partner();
        api = tenant.bundle();
        catalogItem = tenant.catalogItem("M365-BP-" + partner, "M365 BP", "Cloud", Map.of());
        company = tenant.company("Chairs-" + partner, "Chairs Unlimited " + partner);
        tenant.mapCustomer(Tenant.CUSTOMER, company);
        tenant.mapProduct(Tenant.PRODUCT, catalogItem);
    }

    // ---- R17 / R17a: unit price never prorated by the bundle; prorate amounts written only where they should be

    @Test
    void marketplaceProrationWritesProrateAmountsOnlyOnAnAgreementThatDoesNotProrate() throws Exception {
        putRules(Map.of("proration", "MARKETPLACE"));
        long plain = agreement(false, false);
        JsonNode delta = increaseOn(plain, "plain");
        // 15-31 March: 17 of 31 days of 22.00 and 18.70 (R17a), the unit price stays 22.00 (R17).
        assertThat(delta.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(delta.path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(delta.path("proratePrice").decimalValue()).isEqualByComparingTo("12.06");
        assertThat(delta.path("prorateCost").decimalValue()).isEqualByComparingTo("10.25");
        assertThat(sentProrate("increase-plain")).containsEntry("proratePrice", "12.06").containsEntry("prorateCost", "10.25");
        JsonNode shown = taskOperation("increase-plain").path("prorated");
        assertThat(shown.path("price").decimalValue()).isEqualByComparingTo("12.06");
        assertThat(shown.path("billedDays").asLong()).isEqualTo(17);
        assertThat(shown.path("written").asBoolean()).isTrue();

        long prorating = agreement(true, true);
        JsonNode serverProrated = increaseOn(prorating, "prorating");
        assertThat(serverProrated.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        // ConnectWise prorates itself there: the bundle sends no prorate amount.
        assertThat(sentProrate("increase-prorating")).isEmpty();
        // The task still shows what the first period bills (R17a), as ConnectWise's to compute.
        JsonNode shown2 = taskOperation("increase-prorating").path("prorated");
        assertThat(shown2.path("price").decimalValue()).isEqualByComparingTo("12.06");
        assertThat(shown2.path("written").asBoolean()).isFalse();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R17a probe 45 F5 end to end: a second price change in March ends the line the first began on the 10th;"
            + " ConnectWise's line is re-prorated in the same PATCH to 10-19 March (10/31) and the next from the 20th bills 12/31")
    void r17aALineEndedInsideItsMonthByASecondPriceChangeIsReproratedInConnectWise() throws Exception {
        putRules(Map.of("proration", "MARKETPLACE"));
        long plain = agreement(false, false);
        sync(plain, event("sale-f5", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null));
        ObjectNode first = event("price-f5a", "CHANGE_ORDER", "PRICE_CHANGE", "2024-03-10T10:00:00Z", 10, null);
        ((ObjectNode) first.path("subscription")).put("unitPrice", new BigDecimal("24.00")).put("unitCost", new BigDecimal("20.00"));
        sync(plain, first);
        ObjectNode second = event("price-f5b", "CHANGE_ORDER", "PRICE_CHANGE", "2024-03-20T10:00:00Z", 10, null);
        ((ObjectNode) second.path("subscription")).put("unitPrice", new BigDecimal("26.00")).put("unitCost", new BigDecimal("21.00"));
        JsonNode planned = plan(second);
        JsonNode end = null;
        for (JsonNode op : planned.path("operations")) if (op.path("kind").asText().equals("UPDATE")) end = op;
        assertThat(end).as(planned.toString()).isNotNull();
        assertThat(end.path("prorated").path("billedDays").asLong()).isEqualTo(10);
        assertThat(end.path("fields").path("proratePrice").decimalValue()).isEqualByComparingTo("7.74");
        sync(plain, second);

        List<JsonNode> lines = client.getAll(cw, "finance/agreements/" + plain + "/additions", null);
        JsonNode tenth = lines.stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-03-10")).findFirst().orElseThrow();
        assertThat(tenth.path("cancelledDate").asText()).startsWith("2024-03-19");
        // 10 x 24.00 / 31 = 7.7419.. and 10 x 20.00 / 31 = 6.4516..; it kept 22 x 24.00 / 31 = 17.03 before
        assertThat(tenth.path("proratePrice").decimalValue()).as(tenth.toString()).isEqualByComparingTo("7.74");
        assertThat(tenth.path("prorateCost").decimalValue()).isEqualByComparingTo("6.45");
        JsonNode twentieth = lines.stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-03-20")).findFirst().orElseThrow();
        assertThat(twentieth.path("proratePrice").decimalValue()).isEqualByComparingTo("10.06"); // 12 x 26.00 / 31
        assertThat(twentieth.path("prorateCost").decimalValue()).isEqualByComparingTo("8.13");
    }

    @Test
    void connectWiseProrationNeverWritesProrateAmounts() throws Exception {
        long plain = agreement(false, false);
        JsonNode delta = increaseOn(plain, "default");
        assertThat(delta.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(delta.path("quantity").decimalValue()).isEqualByComparingTo("2");
        assertThat(delta.path("effectiveDate").asText()).startsWith("2024-03-15");
        assertThat(delta.path("cancelledDate").asText()).startsWith("2024-03-31");
        assertThat(delta.has("proratePrice") && !delta.path("proratePrice").isNull()).as(delta.toString()).isFalse();
        assertThat(sentProrate("increase-default")).isEmpty();
    }

    @Test
    void thePlanShowsTheProratedAmountsWhateverTheRule() throws Exception {
        long plain = agreement(false, false);
        sync(plain, event("sale-plan", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null));
        JsonNode plan = plan(event("increase-plan", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10));
        JsonNode op = plan.path("operations").get(0);
        assertThat(op.path("kind").asText()).isEqualTo("CREATE");
        assertThat(op.path("fields").path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        JsonNode prorated = op.path("prorated");
        assertThat(prorated.path("periodStart").asText()).isEqualTo("2024-03-01");
        assertThat(prorated.path("periodEnd").asText()).isEqualTo("2024-03-31");
        assertThat(prorated.path("billedDays").asLong()).isEqualTo(17);
        assertThat(prorated.path("daysInPeriod").asLong()).isEqualTo(31);
        assertThat(prorated.path("price").decimalValue()).isEqualByComparingTo("12.06");
        assertThat(prorated.path("written").asBoolean()).isFalse();
        assertThat(plan.path("catchUps")).isEmpty();
    }

    // ---- R22 / R27: a cancellation dated two months into invoiced periods of an agreement that does not prorate

    @Test
    void aLateCancellationIsSyncedAndItsCreditIsListedForReview() throws Exception {
        long agreement = lateCancellationSetUp();
        JsonNode plan = plan(cancellation());
        assertThat(plan.path("catchUps")).hasSize(2);
        assertThat(plan.path("catchUps").get(0).path("settlement").asText()).isEqualTo("LISTED");

        long taskId = sync(agreement, cancellation());

        assertLinesEndAtTheNextInvoiceDate(agreement);
        JsonNode task = get("/api/v1/tasks/" + taskId);
        assertThat(task.path("status").asText()).isEqualTo("SYNCED");
        List<JsonNode> catchUps = list(task.path("catchUps"));
        assertCredits(catchUps);
        assertThat(catchUps).allSatisfy(c -> {
            assertThat(c.path("status").asText()).isEqualTo("LISTED");
            assertThat(c.path("adjustmentId").isNull()).isTrue();
        });
        assertThat(adjustments(agreement)).isEmpty();
        // The partner's task list and the workbench show them too.
        JsonNode listed = get("/api/v1/partners/" + partner + "/tasks?subscriptionId=" + SUB);
        JsonNode cancelTask = list(listed.path("items")).stream().filter(t -> t.path("taskId").asLong() == taskId).findFirst().orElseThrow();
        assertThat(cancelTask.path("catchUps")).hasSize(2);
        JsonNode summary = get("/api/v1/partners/" + partner + "/summary").path("catchUps");
        assertThat(summary.path("toReview").asLong()).isEqualTo(2);
        assertThat(summary.path("amountToReview").decimalValue()).isEqualByComparingTo("-305.16");
        assertThat(summary.path("amountToReviewByCurrency").path("USD").decimalValue()).isEqualByComparingTo("-305.16");

        // A person settles April by hand and has March posted as an adjustment; each only once.
        long march = catchUps.stream().filter(c -> c.path("periodStart").asText().equals("2024-03-01")).findFirst().orElseThrow()
                .path("catchUpId").asLong();
        long april = catchUps.stream().filter(c -> c.path("periodStart").asText().equals("2024-04-01")).findFirst().orElseThrow()
                .path("catchUpId").asLong();
        String base = "/api/v1/partners/" + partner + "/catch-ups/";
        JsonNode resolved = mapper.readTree(post(base + april + "/resolve", "{\"note\":\"credited on invoice 1042\"}").getBody());
        assertThat(resolved.path("status").asText()).isEqualTo("RESOLVED");
        assertThat(resolved.path("message").asText()).isEqualTo("credited on invoice 1042");
        assertThat(post(base + april + "/resolve", "{}").getStatusCode().value()).isEqualTo(409);
        assertThat(post(base + april + "/post", "").getStatusCode().value()).isEqualTo(409);
        sandbox.resetCalls();
        ResponseEntity<String> posted = post(base + march + "/post", "");
        assertThat(posted.getStatusCode().value()).as(posted.getBody()).isEqualTo(200);
        JsonNode marchPosted = mapper.readTree(posted.getBody());
        assertThat(marchPosted.path("status").asText()).isEqualTo("POSTED");
        assertThat(post(base + march + "/post", "").getStatusCode().value()).isEqualTo(200);
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/adjustments")).isEqualTo(1);
        List<JsonNode> adjustments = adjustments(agreement);
        assertThat(adjustments).singleElement().satisfies(a -> {
            assertThat(a.path("id").asLong()).isEqualTo(marchPosted.path("adjustmentId").asLong());
            assertThat(a.path("amount").decimalValue()).isEqualByComparingTo("-85.16");
            assertThat(a.path("effectiveDate").asText()).startsWith("2024-05-01");
        });
        assertThat(get(base.substring(0, base.length() - 1) + "?status=POSTED")).singleElement()
                .satisfies(c -> assertThat(c.path("catchUpId").asLong()).isEqualTo(march));
        assertThat(get("/api/v1/partners/" + partner + "/summary").path("catchUps").path("toReview").asLong()).isZero();
        assertThat(api.get().uri(base.substring(0, base.length() - 1) + "?status=DONE").retrieve().toEntity(String.class)
                .getStatusCode().value()).isEqualTo(400);
    }

    @Test
    void withTheAdjustmentRuleTheCreditIsPostedOnceEvenWhenThePostIsRetried() throws Exception {
        putRules(Map.of("invoicedCatchUp", "ADJUSTMENT"));
        long agreement = lateCancellationSetUp();
        JsonNode plan = plan(cancellation());
        assertThat(plan.path("catchUps").get(0).path("settlement").asText()).isEqualTo("ADJUSTMENT");
        assertThat(plan.path("catchUps").get(0).path("effectiveDate").asText()).isEqualTo("2024-05-01");
        // The first adjustment is stored, then answered with a 500: the client must find it, not post it again.
        sandbox.resetCalls();
        sandbox.fault(Map.of("status", 500, "count", 1, "method", "POST", "pathContains", "adjustments", "afterCommit", true));

        long taskId = sync(agreement, cancellation());

        assertThat(sandbox.pendingFaults()).as("the 500 was answered to an adjustment POST").isEmpty();
        assertLinesEndAtTheNextInvoiceDate(agreement);
        List<JsonNode> catchUps = list(get("/api/v1/tasks/" + taskId).path("catchUps"));
        assertCredits(catchUps);
        List<JsonNode> adjustments = adjustments(agreement);
        assertThat(adjustments).hasSize(2);
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/adjustments")).isEqualTo(2);
        Map<Long, JsonNode> byId = adjustments.stream().collect(Collectors.toMap(a -> a.path("id").asLong(), a -> a));
        for (JsonNode c : catchUps) {
            assertThat(c.path("status").asText()).as(c.toString()).isEqualTo("POSTED");
            JsonNode adjustment = byId.get(c.path("adjustmentId").asLong());
            assertThat(adjustment).as("adjustment of %s", c).isNotNull();
            assertThat(adjustment.path("amount").decimalValue()).isEqualByComparingTo(c.path("amount").decimalValue());
            assertThat(adjustment.path("description").asText()).isEqualTo(c.path("description").asText()).contains(SUB);
            assertThat(adjustment.path("effectiveDate").asText()).startsWith("2024-05-01");
        }
        assertThat(byId.keySet()).hasSize(2);

        // A crash right after a POST leaves a catch-up claimed but not recorded: the next attempt finds it in ConnectWise.
        long catchUpId = catchUps.get(1).path("catchUpId").asLong();
        jdbc.update("UPDATE invoiced_catch_up SET status = 'POSTING', adjustment_id = NULL, claimed_by = NULL WHERE catch_up_id = ?",
                catchUpId);
        sandbox.resetCalls();
        Exchange again = new DefaultExchange(camel);
        again.getMessage().setHeader("taskId", taskId);
        again.getMessage().setHeader("partnerId", partner);
        invoicedCatchUps.settle(again.getMessage());
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/adjustments")).isZero();
        assertThat(adjustments(agreement)).hasSize(2);
        assertThat(jdbc.queryForObject("SELECT status || ' ' || adjustment_id FROM invoiced_catch_up WHERE catch_up_id = ?",
                String.class, catchUpId)).isEqualTo("POSTED " + catchUps.get(1).path("adjustmentId").asLong());
        assertThat(get("/api/v1/partners/" + partner + "/summary").path("catchUps").path("toReview").asLong()).isZero();
    }

    @Test
    void anAdjustmentConnectWiseRefusesIsFailedWithItsMessageAndTheTaskStillSyncs() throws Exception {
        putRules(Map.of("invoicedCatchUp", "ADJUSTMENT"));
        long agreement = lateCancellationSetUp();
        sandbox.fault(Map.of("status", 400, "count", 1, "method", "POST", "pathContains", "adjustments"));

        long taskId = sync(agreement, cancellation());

        List<JsonNode> catchUps = list(get("/api/v1/tasks/" + taskId).path("catchUps"));
        assertThat(catchUps).extracting(c -> c.path("status").asText()).containsExactly("FAILED", "POSTED");
        assertThat(catchUps.get(0).path("message").asText()).startsWith("ConnectWise: 400");
        assertThat(adjustments(agreement)).hasSize(1);
        assertThat(get("/api/v1/partners/" + partner + "/summary").path("catchUps").path("toReview").asLong()).isEqualTo(1);
        // Posted again by a person once the cause is fixed.
        JsonNode again = mapper.readTree(post("/api/v1/partners/" + partner + "/catch-ups/" + catchUps.get(0).path("catchUpId").asLong()
                + "/post", "").getBody());
        assertThat(again.path("status").asText()).as(again.toString()).isEqualTo("POSTED");
        assertThat(adjustments(agreement)).hasSize(2);
    }

    @Test
    void aLaterTaskSeesTheCatchUpLinesOfAnEarlierOne() throws Exception {
        long agreement = agreement(false, false);
        sync(agreement, event("sale-seen", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null));
        sandbox.invoice(agreement, "2024-03-31");
        // A late increase to 12 as of 3 March: 2 licences x 29 invoiced days are a catch-up, 12 bill from N = 1 April.
        long increase = sync(agreement, event("increase-seen", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-03T09:00:00Z", 12, 10));
        JsonNode charge = get("/api/v1/tasks/" + increase).path("catchUps");
        assertThat(charge).as(charge.toString()).singleElement().satisfies(c -> {
            assertThat(c.path("licenceDays").decimalValue()).isEqualByComparingTo("58");
            assertThat(c.path("amount").decimalValue()).isEqualByComparingTo("41.16");
        });
        assertThat(activeLicences(lines(agreement), "2024-04-01")).isEqualByComparingTo("12");
        // Then a cancellation as of 20 March: the credit is for the 12 licences the catch-up billed, not ConnectWise's 10.
        ObjectNode cancel = event("cancel-seen", "CANCELLATION_ORDER", "CANCEL", "2024-04-02T09:00:00Z", 12, null);
        cancel.put("cancellationDate", "2024-03-20");
        long cancelled = sync(agreement, cancel);
        JsonNode credit = get("/api/v1/tasks/" + cancelled).path("catchUps");
        assertThat(credit).as(credit.toString()).singleElement().satisfies(c -> {
            assertThat(c.path("licenceDays").decimalValue()).isEqualByComparingTo("-144");
            assertThat(c.path("amount").decimalValue()).isEqualByComparingTo("-102.19");
        });
        List<JsonNode> lines = lines(agreement);
        assertThat(activeLicences(lines, "2024-03-31")).as(lines.toString()).isEqualByComparingTo("10");
        assertThat(activeLicences(lines, "2024-04-01")).isEqualByComparingTo("0");
    }

    /**
     * R27 x R17: 10 licences at 22.00 from 14 February, repriced to 24.00 on 10 March (the base is split), March invoiced,
     * then a decrease to 8 dated 5 March: ConnectWise billed 5-9 March at 22.00 and 10-31 March at 24.00, so the credit is
     * -2 x (5 x 22.00 + 22 x 24.00) / 31 = -41.16 (it was one catch-up of -54 licence-days at 24.00, -41.81).
     */
    @Test
    void r27ALateDecreaseDatedBeforeAPriceChangeIsCreditedAtThePricesConnectWiseBilledTheDaysAt() throws Exception {
        long agreement = repricedOnTheTenthOfMarchAndInvoicedThroughMarch();

        long decrease = sync(agreement, at24(event("decrease-repriced", "CHANGE_ORDER", "LICENSE_DECREASE", "2024-03-05T10:00:00Z",
                8, 10)));

        List<JsonNode> catchUps = list(get("/api/v1/tasks/" + decrease).path("catchUps"));
        assertThat(catchUps).as(catchUps.toString()).extracting(c -> c.path("from").asText() + ".." + c.path("to").asText(),
                        c -> c.path("unitPrice").decimalValue().setScale(2).toPlainString(),
                        c -> c.path("licenceDays").decimalValue().stripTrailingZeros().toPlainString(),
                        c -> c.path("amount").decimalValue().setScale(2).toPlainString())
                .containsExactly(tuple("2024-03-05..2024-03-09", "22.00", "-10", "-7.10"),
                        tuple("2024-03-10..2024-03-31", "24.00", "-44", "-34.06"));
        assertThat(catchUps.stream().map(c -> c.path("amount").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("-41.16");
        List<JsonNode> lines = lines(agreement);
        assertThat(activeLicences(lines, "2024-03-31")).as(lines.toString()).isEqualByComparingTo("10");
        assertThat(activeLicences(lines, "2024-04-01")).isEqualByComparingTo("8");
    }

    /**
     * R27 per period: the same set-up, cancelled as of 5 March: -10 x (5 x 22.00 + 22 x 24.00) / 31 = -205.81 for March,
     * in one part per price, -35.48 at 22.00 and the rest, -170.33, at 24.00 (rounded per part they made -205.80).
     */
    @Test
    void r27ALateCancellationOverAPriceChangeCreditsTheMonthRoundedOnceInOnePartPerPrice() throws Exception {
        long agreement = repricedOnTheTenthOfMarchAndInvoicedThroughMarch();
        ObjectNode cancel = event("cancel-repriced", "CANCELLATION_ORDER", "CANCEL", "2024-04-05T10:00:00Z", 10, null);
        cancel.put("cancellationDate", "2024-03-05");

        long cancelled = sync(agreement, cancel);

        List<JsonNode> catchUps = list(get("/api/v1/tasks/" + cancelled).path("catchUps"));
        assertThat(catchUps).as(catchUps.toString()).extracting(c -> c.path("unitPrice").decimalValue().setScale(2).toPlainString(),
                        c -> c.path("amount").decimalValue().setScale(2).toPlainString())
                .containsExactly(tuple("22.00", "-35.48"), tuple("24.00", "-170.33"));
        assertThat(get("/api/v1/partners/" + partner + "/summary").path("catchUps").path("amountToReview").decimalValue())
                .isEqualByComparingTo("-205.81");
        assertThat(activeLicences(lines(agreement), "2024-04-01")).isEqualByComparingTo("0");
    }

    /**
     * R24 x §8.1: a usage rate written with trailing zeros (0.0100 / 0.0080) prices the line the same in /api/v1/plan and in
     * the task, whose stored event keeps no trailing zeros: 1234.567 x 0.01 = 12.35, x 0.008 = 9.877 (the plan said 12.3457 /
     * 9.8765 and ConnectWise got 12.35 / 9.877).
     */
    @Test
    void r24APlanAndItsTaskPriceAUsageRateWrittenWithTrailingZerosAlike() throws Exception {
        long agreement = agreement(false, false);
        sync(agreement, event("sale-rate", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null));
        ObjectNode usage = event("usage-rate", "BILLING_ORDER", "USAGE", "2024-04-02T08:00:00Z", 10, null);
        usage.putObject("usage").put("periodStart", "2024-03-01").put("periodEnd", "2024-03-31")
                .put("overusedAmount", new BigDecimal("1234.567")).put("overusePrice", new BigDecimal("0.0100"))
                .put("overuseCost", new BigDecimal("0.0080"));
        assertThat(usage.toString()).contains("0.0100");

        JsonNode planned = list(plan(usage).path("operations")).stream().filter(o -> o.path("kind").asText().equals("CREATE"))
                .findFirst().orElseThrow();
        long taskId = sync(agreement, usage);

        assertThat(planned.path("fields").path("unitPrice").decimalValue().toPlainString()).as(planned.toString()).isEqualTo("12.35");
        assertThat(planned.path("fields").path("unitCost").decimalValue().toPlainString()).isEqualTo("9.877");
        JsonNode done = list(get("/api/v1/tasks/" + taskId).path("operations")).stream()
                .filter(o -> o.path("kind").asText().equals("CREATE")).findFirst().orElseThrow();
        assertThat(done.path("reason").asText()).as(done.toString()).contains("= 12.35").contains("= 9.877");
        assertThat(planned.path("reason").asText()).contains("= 12.35").contains("= 9.877");
        JsonNode line = lines(agreement).stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-03-01"))
                .findFirst().orElseThrow();
        assertThat(line.path("unitPrice").decimalValue()).isEqualByComparingTo("12.35");
        assertThat(line.path("unitCost").decimalValue()).isEqualByComparingTo("9.877");
    }

    /**
     * R24 x R27 (probe 57 P57-4) through the sandbox on an agreement that prorates (and does not invoice prorated additions
     * of invoiced periods): a usage amount bills once and whole. 3 x 5.00 for 8-9 April is a line over all of April, so
     * the invoice of January to April bills 10 x 22.00 x (16/29 + 1 + 1) = 561.38 plus 15.00 = 576.38 (dated 8-9 April it
     * billed 2/30 of it, 1.00: 562.38); a usage of the invoiced April arriving in May bills its 10.00 whole on May's
     * invoice, 220.00 + 10.00 = 230.00 (a one-day line at N = 1 May billed 1/31 of it, 0.32).
     */
    @Test
    void r24R27AUsageAmountBillsWholeOnAProratingAgreement() throws Exception {
        long agreement = agreement(true, false);
        sync(agreement, event("sale-whole", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null));
        ObjectNode usage = event("usage-whole", "BILLING_ORDER", "USAGE", "2024-04-10T08:00:00Z", 10, null);
        usage.putObject("usage").put("periodStart", "2024-04-08").put("periodEnd", "2024-04-09")
                .put("overusedAmount", new BigDecimal("3")).put("overusePrice", new BigDecimal("5.00"))
                .put("overuseCost", new BigDecimal("4.00"));
        sync(agreement, usage);
        JsonNode usageLine = lines(agreement).stream().filter(a -> a.path("quantity").decimalValue().compareTo(BigDecimal.ONE) == 0)
                .findFirst().orElseThrow();
        assertThat(usageLine.path("effectiveDate").asText()).startsWith("2024-04-01");
        assertThat(usageLine.path("cancelledDate").asText()).startsWith("2024-04-30");
        assertThat(usageLine.path("description").asText()).contains("2024-04-08").contains("2024-04-09");
        assertThat(sandbox.invoiced(agreement, "2024-04-30").path("total").decimalValue()).isEqualByComparingTo("576.38");

        ObjectNode late = event("usage-late", "BILLING_ORDER", "USAGE", "2024-05-02T08:00:00Z", 10, null);
        late.putObject("usage").put("periodStart", "2024-04-10").put("periodEnd", "2024-04-20")
                .put("overusedAmount", new BigDecimal("2")).put("overusePrice", new BigDecimal("5.00"))
                .put("overuseCost", new BigDecimal("4.00"));
        sync(agreement, late);
        assertThat(sandbox.invoiced(agreement, "2024-05-31").path("total").decimalValue()).isEqualByComparingTo("230.00");
    }

    /** 10 licences at 22.00 sold 14 February, repriced to 24.00 on 10 March (R17 splits the base), March invoiced (N = 1 April). */
    private long repricedOnTheTenthOfMarchAndInvoicedThroughMarch() throws Exception {
        long agreement = agreement(false, false);
        sync(agreement, event("sale-repriced", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null));
        sync(agreement, at24(event("price-repriced", "CHANGE_ORDER", "PRICE_CHANGE", "2024-03-10T10:00:00Z", 10, null)));
        sandbox.invoice(agreement, "2024-03-31");
        return agreement;
    }

    private static ObjectNode at24(ObjectNode event) {
        ((ObjectNode) event.path("subscription")).put("unitPrice", new BigDecimal("24.00"));
        return event;
    }

    /**
     * The README's events block (SPEC v2 version) on an agreement set up like the demo tenant's (it
     * prorates, but does not invoice prorated additions of invoiced periods): sale, usage, increase,
     * March invoiced, then a cancellation as of 20 March that arrives on 5 April.
     */
    @Test
    void theReadmeEventsBlockBillsAsItsTableSays() throws Exception {
        long agreement = agreement(true, false);
        String sub = "sub-readme";
        ObjectNode sale = readme(TestEvents.event(partner, "demo-sale-" + partner, sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z",
                10, null));
        sync(agreement, sale);
        ObjectNode usage = readme(TestEvents.event(partner, "demo-usage-" + partner, sub, "BILLING_ORDER", "USAGE",
                "2024-03-02T08:00:00Z", 10, null));
        usage.putObject("usage").put("periodStart", "2024-02-14").put("periodEnd", "2024-02-29").put("overusedAmount", 3)
                .put("overusePrice", new BigDecimal("5.00")).put("overuseCost", new BigDecimal("4.00"));
        sync(agreement, usage);
        sync(agreement, readme(TestEvents.event(partner, "demo-increase-" + partner, sub, "CHANGE_ORDER", "LICENSE_INCREASE",
                "2024-03-15T14:02:00Z", 12, 10)));
        sandbox.invoice(agreement, "2024-03-31");
        ObjectNode cancel = readme(TestEvents.event(partner, "demo-cancel-" + partner, sub, "CANCELLATION_ORDER", "CANCEL",
                "2024-04-05T10:00:00Z", 12, null));
        cancel.put("cancellationDate", "2024-03-20");
        long cancelTask = sync(agreement, cancel);

        List<JsonNode> additions = client.getAll(cw, "finance/agreements/" + agreement + "/additions", null);
        List<String> rows = additions.stream().map(a -> String.join(" | ", a.path("quantity").decimalValue().stripTrailingZeros()
                        .toPlainString(), a.path("unitPrice").decimalValue().setScale(2).toPlainString(),
                a.path("unitCost").decimalValue().setScale(2).toPlainString(), a.path("effectiveDate").asText().substring(0, 10),
                a.path("cancelledDate").asText("-").substring(0, Math.min(10, a.path("cancelledDate").asText("-").length())))).toList();
        assertThat(rows).as(additions.toString()).containsExactly(
                "10 | 22.00 | 18.70 | 2024-02-14 | 2024-03-31",
                // R24 (probe 57 P57-4): the usage of 14 to 29 February over the whole of February, so the prorating
                // agreement bills its 15.00 (dated 14 to 29 February it billed 16/29 of it, 8.28)
                "1 | 15.00 | 12.00 | 2024-02-01 | 2024-02-29",
                "2 | 22.00 | 18.70 | 2024-03-15 | 2024-03-31");
        // The agreement prorates, so ConnectWise's own prorate amount stands on the delta line: 17/31 of 22.00.
        assertThat(additions.get(2).path("proratePrice").decimalValue()).isEqualByComparingTo("12.06");
        JsonNode task = get("/api/v1/tasks/" + cancelTask);
        assertThat(task.path("status").asText()).isEqualTo("SYNCED");
        JsonNode credit = task.path("catchUps").get(0);
        assertThat(task.path("catchUps")).as(task.toString()).hasSize(1);
        assertThat(credit.path("periodStart").asText()).isEqualTo("2024-03-01");
        assertThat(credit.path("licenceDays").decimalValue()).isEqualByComparingTo("-144");
        assertThat(credit.path("amount").decimalValue()).isEqualByComparingTo("-102.19");
        assertThat(credit.path("cost").decimalValue()).isEqualByComparingTo("-86.86");
        assertThat(credit.path("status").asText()).isEqualTo("LISTED");
        System.out.println("README table: " + rows + "\ncatch-up: " + credit);
    }

    private static ObjectNode readme(ObjectNode event) {
        ((ObjectNode) event.path("subscription")).put("autoRenew", true);
        return event;
    }

    // ---- scenario helpers

    /** A monthly agreement that does not prorate; 10 licences sold 14 February; invoiced through 30 April (N = 1 May). */
    private long lateCancellationSetUp() throws Exception {
        long agreement = agreement(false, false);
        sync(agreement, event("sale-late", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null));
        sandbox.invoice(agreement, "2024-04-30");
        JsonNode read = client.get(cw, "finance/agreements/" + agreement, Map.of());
        assertThat(read.path("nextInvoiceDate").asText()).startsWith("2024-05-01");
        return agreement;
    }

    /** Cancelled as of 20 March, told on 10 May: two months back, into invoiced periods. */
    private ObjectNode cancellation() {
        ObjectNode cancel = event("cancel-late", "CANCELLATION_ORDER", "CANCEL", "2024-05-10T10:00:00Z", 10, null);
        cancel.put("cancellationDate", "2024-03-20");
        return cancel;
    }

    /** From N on nothing bills; the invoiced days before N are left as ConnectWise billed them (R27). */
    private void assertLinesEndAtTheNextInvoiceDate(long agreement) {
        List<JsonNode> lines = lines(agreement);
        assertThat(activeLicences(lines, "2024-04-30")).as(lines.toString()).isEqualByComparingTo("10");
        assertThat(activeLicences(lines, "2024-05-01")).isEqualByComparingTo("0");
        assertThat(activeLicences(lines, "2024-12-01")).isEqualByComparingTo("0");
        for (JsonNode line : lines) {
            assertThat(LocalDate.parse(line.path("effectiveDate").asText().substring(0, 10)))
                    .as("no new line inside the invoiced periods").isBefore(LocalDate.parse("2024-03-01"));
        }
    }

    /** 20-31 March: −10 × 12/31 × 22.00; April: −10 × 30/30 × 22.00 (R27, credits). */
    private static void assertCredits(List<JsonNode> catchUps) {
        assertThat(catchUps).hasSize(2);
        Map<String, JsonNode> byPeriod = new LinkedHashMap<>();
        catchUps.forEach(c -> byPeriod.put(c.path("periodStart").asText(), c));
        JsonNode march = byPeriod.get("2024-03-01");
        JsonNode april = byPeriod.get("2024-04-01");
        assertThat(march).as(catchUps.toString()).isNotNull();
        assertThat(april).as(catchUps.toString()).isNotNull();
        assertThat(march.path("periodEnd").asText()).as(catchUps.toString()).isEqualTo("2024-03-31");
        // (from / to, the first and last day concerned, are the rules' to decide; the amounts below are what bills.)
        assertThat(march.path("to").asText()).isEqualTo("2024-03-31");
        assertThat(march.path("licenceDays").decimalValue()).isEqualByComparingTo("-120");
        assertThat(march.path("daysInPeriod").asInt()).isEqualTo(31);
        assertThat(march.path("amount").decimalValue()).isEqualByComparingTo("-85.16");
        assertThat(march.path("cost").decimalValue()).isEqualByComparingTo("-72.39");
        assertThat(april.path("licenceDays").decimalValue()).isEqualByComparingTo("-300");
        assertThat(april.path("amount").decimalValue()).isEqualByComparingTo("-220.00");
        assertThat(april.path("cost").decimalValue()).isEqualByComparingTo("-187.00");
        assertThat(catchUps).allSatisfy(c -> {
            assertThat(c.path("subscriptionId").asText()).isEqualTo(SUB);
            assertThat(c.path("reason").asText()).isNotBlank();
            assertThat(c.path("currency").asText()).isEqualTo("USD");
        });
    }

    /** A +2 licence increase on 15 March after a sale of 10 on 14 February; the delta line as ConnectWise holds it. */
    private JsonNode increaseOn(long agreement, String name) throws Exception {
        String sub = "sub-" + name;
        sync(agreement, TestEvents.event(partner, "sale-" + name + "-" + partner, sub, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z",
                10, null));
        sync(agreement, TestEvents.event(partner, "increase-" + name + "-" + partner, sub, "CHANGE_ORDER", "LICENSE_INCREASE",
                "2024-03-15T14:02:00Z", 12, 10));
        Set<Long> ids = Set.copyOf(jdbc.queryForList("SELECT addition_id FROM subscription_line WHERE partner_id = ? AND subscription_id = ?",
                Long.class, partner, sub));
        List<JsonNode> lines = client.getAll(cw, "finance/agreements/" + agreement + "/additions", null).stream()
                .filter(a -> ids.contains(a.path("id").asLong())).toList();
        assertThat(lines).hasSize(2);
        JsonNode base = lines.stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-02-14")).findFirst().orElseThrow();
        assertThat(base.path("cancelledDate").asText()).as("R25 v2: dated at the subscription end").startsWith("2025-02-13");
        return lines.stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-03-15")).findFirst().orElseThrow();
    }

    /** The single operation of the event's task, as GET /api/v1/tasks/{id} shows it. */
    private JsonNode taskOperation(String eventName) throws Exception {
        long taskId = jdbc.queryForObject("SELECT task_id FROM sync_task WHERE event_id = ?", Long.class, eventName + "-" + partner);
        JsonNode operations = get("/api/v1/tasks/" + taskId).path("operations");
        assertThat(operations).hasSize(1);
        return operations.get(0);
    }

    /** The prorate amounts the task's stored create request sent to ConnectWise (empty when none). */
    private Map<String, String> sentProrate(String eventName) throws Exception {
        String request = jdbc.queryForObject("""
                SELECT o.request::text FROM task_operation o JOIN sync_task t ON t.task_id = o.task_id
                WHERE t.event_id = ? AND o.kind = 'CREATE'""", String.class, eventName + "-" + partner);
        JsonNode fields = mapper.readTree(request).path("fields");
        Map<String, String> sent = new LinkedHashMap<>();
        for (String f : List.of("proratePrice", "prorateCost")) {
            if (fields.hasNonNull(f)) sent.put(f, fields.path(f).decimalValue().toPlainString());
        }
        return sent;
    }

    private long agreement(boolean prorate, boolean invoiceProrated) {
        return tenant.agreement(company, "Chairs cloud " + UUID.randomUUID().toString().substring(0, 4),
                Tenant.Terms.MONTHLY_USD.prorating(prorate, invoiceProrated));
    }

    private ObjectNode event(String name, String type, String action, String occurredAt, int quantity, Integer previous) {
        return TestEvents.event(partner, name + "-" + partner, SUB, type, action, occurredAt, quantity, previous);
    }

    // ---- HTTP

    /** Maps the event's subscription to {@code agreement}, posts the event and waits until its task is SYNCED. */
    private long sync(long agreement, ObjectNode event) throws Exception {
        String sub = event.path("subscription").path("id").asText();
        Integer mapped = jdbc.queryForObject("SELECT count(*) FROM subscription_mapping WHERE partner_id = ? AND subscription_id = ?",
                Integer.class, partner, sub);
        if (mapped == 0) put("/api/v1/partners/{p}/subscriptions/" + sub + "/mapping", Map.of("agreementId", agreement));
        ResponseEntity<String> response = tenant.post(event);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isIn(200, 202);
        long taskId = mapper.readTree(response.getBody()).path("taskId").asLong();
        JsonNode task = tenant.awaitSettled(taskId);
        assertThat(task.path("status").asText()).as("task of %s: %s", event.path("eventId").asText(), task).isEqualTo("SYNCED");
        return taskId;
    }

    private JsonNode plan(ObjectNode event) throws Exception {
        ResponseEntity<String> response = post("/api/v1/plan", event.toString());
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        return mapper.readTree(response.getBody());
    }

    private void putRules(Map<String, Object> rules) {
        tenant.syncRules(rules);
    }

    private JsonNode get(String path) throws Exception {
        ResponseEntity<String> response = api.get().uri(path).retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        return mapper.readTree(response.getBody());
    }

    private ResponseEntity<String> post(String path, String body) {
        return api.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    private void put(String path, Object body) {
        ResponseEntity<String> response = api.put().uri(path, partner).contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().is2xxSuccessful()).as(response.getBody()).isTrue();
    }

    // ---- reading back from the sandbox's ConnectWise API

    private List<JsonNode> lines(long agreement) {
        Set<Long> ids = Set.copyOf(jdbc.queryForList("SELECT addition_id FROM subscription_line WHERE partner_id = ? AND subscription_id = ?",
                Long.class, partner, SUB));
        return client.getAll(cw, "finance/agreements/" + agreement + "/additions", null).stream()
                .filter(a -> ids.contains(a.path("id").asLong())).toList();
    }

    private List<JsonNode> adjustments(long agreement) {
        return client.getAll(cw, "finance/agreements/" + agreement + "/adjustments", null);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    /** R10: licences billed on a day = sum of the quantities of the lines active that day. */
    private static BigDecimal activeLicences(List<JsonNode> lines, String day) {
        LocalDate d = LocalDate.parse(day);
        return lines.stream().filter(a -> {
            LocalDate from = LocalDate.parse(a.path("effectiveDate").asText().substring(0, 10));
            String to = a.path("cancelledDate").asText("");
            return !from.isAfter(d) && (to.isEmpty() || !LocalDate.parse(to.substring(0, 10)).isBefore(d));
        }).map(a -> a.path("quantity").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
