package io.cwbridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import io.cwbridge.testsupport.Tenant;

/** R8 over HTTP: a synced subscription re-mapped to another agreement with a from date; ConnectWise is the sandbox. */
class RemapApiTest extends MappingApiTestBase {

    private static final String MAPPING = "/{p}/subscriptions/{s}/mapping";

    @org.springframework.beans.factory.annotation.Autowired AdditionCandidates candidates;

    long a;
    long b;

    @BeforeEach
    void mapCustomerAndProduct() {
        company = company("ChairsUnlimited", "Chairs Unlimited");
        a = agreement(company, "Chairs A");
        b = agreement(company, "Chairs B");
        item = catalogItem("M365BP");
        mapChairsCustomerAndProduct(company, item);
    }

    long submit(String sub, String eventId, String type, String action, String occurredAt, int quantity, Integer previous) {
        return submitEvent(sub, eventId + "-" + sub, type, action, occurredAt, quantity, previous);
    }

    /** sub-1 synced on A with 10 licences from 2024-02-14, A invoiced through February (N_A = 2024-03-01). */
    void syncedOnAAndInvoicedThroughFebruary(String sub) throws Exception {
        assertThat(put(MAPPING, Map.of("agreementId", a), partner, sub).getStatusCode().value()).isEqualTo(200);
        awaitTask(submit(sub, "sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null), "SYNCED");
    }

    @Test
    void aRemapAfterInvoicingEndsALinesAtTheLastInvoicedDayAndBillsBFromTheNextInvoiceDate() throws Exception {
        syncedOnAAndInvoicedThroughFebruary("sub-1");
        sandbox.invoice(a, "2024-02-29");

        ResponseEntity<String> moved = put(MAPPING, Map.of("agreementId", b, "fromDate", "2024-01-15"), partner, "sub-1");

        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);
        assertThat(json(moved).path("agreementId").asLong()).isEqualTo(b);
        List<JsonNode> onA = additions(a);
        assertThat(onA).hasSize(1);
        assertThat(AdditionAdoptionApiTest.day(onA.get(0).path("cancelledDate"))).isEqualTo(LocalDate.of(2024, 2, 29));
        List<JsonNode> onB = additions(b);
        assertThat(onB).hasSize(1);
        assertThat(AdditionAdoptionApiTest.day(onB.get(0).path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThat(AdditionAdoptionApiTest.day(onB.get(0).path("cancelledDate"))).isEqualTo(LocalDate.of(2025, 2, 13));
        assertThat(onB.get(0).path("quantity").decimalValue()).isEqualByComparingTo("10");
        List<JsonNode> both = new ArrayList<>(onA);
        both.addAll(onB);
        LocalDate start = LocalDate.of(2024, 2, 14);
        AdditionAdoptionApiTest.assertLicencesPerDay(both, LocalDate.of(2024, 2, 1), LocalDate.of(2025, 2, 13), d -> d.isBefore(start) ? 0 : 10);
        assertThat(jdbc.queryForList("SELECT agreement_id || ' ' || addition_id FROM subscription_line WHERE partner_id = ?",
                String.class, partner)).containsExactly(b + " " + onB.get(0).path("id").asLong());
        // R32 / R34: A's ended line still billed February (16 of 29 days at 10 x 22.00 = 121.38): kept as a moved line, the
        // three-way check sees it (no distributor invoice here, so billed but not on the invoice; nothing missing)
        assertThat(jdbc.queryForList("SELECT agreement_id || ' ' || addition_id FROM subscription_line_moved WHERE partner_id = ?",
                String.class, partner)).containsExactly(a + " " + onA.get(0).path("id").asLong());
        // R6: the ended line stays sub-1's, no candidate for another subscription of A (it may run until A's next invoice date)
        assertThat(candidates.owners(partner, List.of(onA.get(0).path("id").asLong())))
                .containsEntry(onA.get(0).path("id").asLong(), "sub-1");
        JsonNode february = json(get("/{p}/three-way?month=2024-02", partner));
        assertThat(february.path("rows").findValuesAsText("mismatch")).as(february.toString()).containsExactly("NOT_ON_INVOICE");
        assertThat(february.path("rows").get(0).path("connectWiseAmount").decimalValue()).isEqualByComparingTo("121.38");

        // a later change lands on B's line; A's ended line is no longer touched
        long increase = submit("sub-1", "inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10);
        awaitTask(increase, "SYNCED");
        assertThat(additions(a)).singleElement().satisfies(l ->
                assertThat(AdditionAdoptionApiTest.day(l.path("cancelledDate"))).isEqualTo(LocalDate.of(2024, 2, 29)));
        List<JsonNode> after = new ArrayList<>(additions(a));
        after.addAll(additions(b));
        AdditionAdoptionApiTest.assertLicencesPerDay(after, LocalDate.of(2024, 2, 1), LocalDate.of(2024, 4, 30),
                d -> d.isBefore(start) ? 0 : !d.isBefore(LocalDate.of(2024, 3, 15)) && !d.isAfter(LocalDate.of(2024, 3, 31)) ? 12 : 10);
    }

    @Test
    void aMoveCarriesEachDaysLicencesNotTodaysCountR8() throws Exception {
        // 10 licences from 14 February, 12 from 12 March (a delta to the end of March), A invoiced through February
        syncedOnAAndInvoicedThroughFebruary("sub-1");
        sandbox.invoice(a, "2024-02-29");
        awaitTask(submit("sub-1", "inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-12T10:00:00Z", 12, 10), "SYNCED");

        ResponseEntity<String> moved = put(MAPPING, Map.of("agreementId", b, "fromDate", "2024-03-01"), partner, "sub-1");

        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);
        List<JsonNode> onB = additions(b);
        assertThat(onB).extracting(l -> l.path("quantity").decimalValue().intValue()).containsExactlyInAnyOrder(10, 2);
        List<JsonNode> both = new ArrayList<>(additions(a));
        both.addAll(onB);
        LocalDate start = LocalDate.of(2024, 2, 14);
        AdditionAdoptionApiTest.assertLicencesPerDay(both, LocalDate.of(2024, 2, 1), LocalDate.of(2025, 2, 13), d -> d.isBefore(start) ? 0
                : !d.isBefore(LocalDate.of(2024, 3, 12)) && !d.isAfter(LocalDate.of(2024, 3, 31)) ? 12 : 10);
        // both lines are B's now: the month roll and later changes work on them
        assertThat(jdbc.queryForList("SELECT DISTINCT agreement_id FROM subscription_line WHERE partner_id = ?", Long.class, partner))
                .containsExactly(b);
        assertThat(jdbc.queryForList("SELECT line_key FROM subscription_line WHERE partner_id = ? ORDER BY line_key", String.class,
                partner)).containsExactly("sub-1/BASE/2024-03-01", "sub-1/DELTA/2024-03-12");
    }

    /**
     * R24 x R8: a usage amount is a line over its whole billing period (R24); a move in the middle of that period left it
     * ended the day before the move, so a prorating A billed part of it, and B does not carry amounts: it stays whole on A.
     */
    @Test
    void r8R24AMoveMidPeriodLeavesTheUsageAmountWholeOnTheOldAgreement() throws Exception {
        syncedOnAAndInvoicedThroughFebruary("sub-1");
        com.fasterxml.jackson.databind.node.ObjectNode usage = io.cwbridge.testsupport.TestEvents.event(partner, "use-sub-1-" + partner,
                "sub-1", "BILLING_ORDER", "USAGE", "2024-03-11T09:00:00Z", 10, null);
        usage.putObject("usage").put("periodStart", "2024-03-05").put("periodEnd", "2024-03-10").put("overusedAmount", 3)
                .put("overusePrice", new BigDecimal("5.00")).put("overuseCost", new BigDecimal("4.00"));
        awaitTask(tenant.submit(usage), "SYNCED");
        JsonNode line = additions(a).stream().filter(l -> l.path("quantity").decimalValue().compareTo(BigDecimal.ONE) == 0
                && l.path("unitPrice").decimalValue().compareTo(new BigDecimal("15.00")) == 0).findFirst().orElseThrow();
        assertThat(AdditionAdoptionApiTest.day(line.path("cancelledDate"))).isEqualTo(LocalDate.of(2024, 3, 31));

        ResponseEntity<String> moved = put(MAPPING, Map.of("agreementId", b, "fromDate", "2024-03-15"), partner, "sub-1");

        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);
        JsonNode after = additions(a).stream().filter(l -> l.path("id").asLong() == line.path("id").asLong()).findFirst().orElseThrow();
        assertThat(AdditionAdoptionApiTest.day(after.path("effectiveDate"))).isEqualTo(AdditionAdoptionApiTest.day(line.path("effectiveDate")));
        assertThat(AdditionAdoptionApiTest.day(after.path("cancelledDate"))).isEqualTo(LocalDate.of(2024, 3, 31));
        assertThat(additions(b)).noneMatch(l -> l.path("unitPrice").decimalValue().compareTo(new BigDecimal("15.00")) == 0);
    }

    @Test
    void aMoveMidMonthOntoAnAgreementThatDoesNotProrateWritesTheMarketplacesProratedAmountsR8R17a() throws Exception {
        // proration MARKETPLACE; neither agreement prorates: A's base (14 Feb) and B's (15 March) each bill their first
        // month's days only, as R17a's amounts say
        tenant.syncRules(Map.of("proration", "MARKETPLACE"));
        syncedOnAAndInvoicedThroughFebruary("sub-1");
        sandbox.invoice(a, "2024-02-29");
        JsonNode onA = additions(a).get(0);
        assertThat(onA.path("proratePrice").decimalValue()).isEqualByComparingTo("12.14"); // 16 of 29 days of 22.00

        ResponseEntity<String> moved = put(MAPPING, Map.of("agreementId", b, "fromDate", "2024-03-15"), partner, "sub-1");

        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);
        assertThat(additions(b)).singleElement().satisfies(l -> {
            assertThat(AdditionAdoptionApiTest.day(l.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 3, 15));
            assertThat(l.path("proratePrice").decimalValue()).isEqualByComparingTo("12.06"); // 17 of 31 days of 22.00
            assertThat(l.path("prorateCost").decimalValue()).isEqualByComparingTo("10.25");  // of 18.70
            assertThat(l.path("taxableFlag").asBoolean()).isEqualTo(onA.path("taxableFlag").asBoolean());
        });
    }

    @Test
    void aMoveCarriesAChangeTheMonthRollHasNotAbsorbedYetAndItsLineSaysItsOwnLicencesR8R18R25() throws Exception {
        // 10 from 14 February, +2 on 12-31 March; no global sync rolled it; A invoiced through March, so the move is 1 April
        syncedOnAAndInvoicedThroughFebruary("sub-1");
        awaitTask(submit("sub-1", "inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-12T10:00:00Z", 12, 10), "SYNCED");
        sandbox.invoice(a, "2024-03-31");

        ResponseEntity<String> moved = put(MAPPING, Map.of("agreementId", b, "fromDate", "2024-04-01"), partner, "sub-1");

        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);
        // R25: B's base describes its own 12 licences (a probe's finding: it carried A's base text, "10 licences")
        String baseOnA = additions(a).stream().filter(l -> l.path("quantity").decimalValue().intValue() == 10)
                .findFirst().orElseThrow().path("description").asText();
        assertThat(baseOnA).endsWith("Subscription sub-1 | 10 licences");
        assertThat(additions(b)).singleElement().satisfies(l -> {
            assertThat(AdditionAdoptionApiTest.day(l.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 4, 1));
            assertThat(l.path("quantity").decimalValue()).isEqualByComparingTo("12");
            assertThat(l.path("description").asText())
                    .isEqualTo(baseOnA.substring(0, baseOnA.length() - "10 licences".length()) + "12 licences");
        });
        List<JsonNode> both = new ArrayList<>(additions(a));
        both.addAll(additions(b));
        LocalDate start = LocalDate.of(2024, 2, 14);
        AdditionAdoptionApiTest.assertLicencesPerDay(both, LocalDate.of(2024, 2, 1), LocalDate.of(2025, 2, 13), d -> d.isBefore(start) ? 0
                : d.isBefore(LocalDate.of(2024, 3, 12)) ? 10 : 12);
    }

    /** Probe 43 §4: the same window when the agreement does not change (it was stored as given: 2099-01-01, 2023-01-01). */
    @Test
    void r8AFromDateOutsideTheBillingStartAndTodayIs400AlsoOnTheSameAgreement() throws Exception {
        syncedOnAAndInvoicedThroughFebruary("sub-1");
        JsonNode before = json(get(MAPPING, partner, "sub-1"));

        ResponseEntity<String> early = put(MAPPING, Map.of("agreementId", a, "fromDate", "2023-12-31"), partner, "sub-1");
        ResponseEntity<String> future = put(MAPPING, Map.of("agreementId", a, "fromDate", "2099-01-01"), partner, "sub-1");

        for (ResponseEntity<String> refused : List.of(early, future)) {
            assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(400);
            assertThat(errorFields(refused)).containsExactly("fromDate");
            assertThat(firstErrorMessage(refused)).contains("must lie between agreement " + a + "'s billing start").contains("(R8)");
        }
        assertThat(json(get(MAPPING, partner, "sub-1"))).isEqualTo(before);
        ResponseEntity<String> inside = put(MAPPING, Map.of("agreementId", a, "fromDate", "2024-02-01"), partner, "sub-1");
        assertThat(inside.getStatusCode().value()).as(inside.getBody()).isEqualTo(200);
        assertThat(json(inside).path("fromDate").asText()).isEqualTo("2024-02-01");
    }

    @Test
    void aFromDateOutsideBsBillingStartAndTodayIs400AndMovesNothing() throws Exception {
        syncedOnAAndInvoicedThroughFebruary("sub-1");
        sandbox.resetCalls();

        ResponseEntity<String> early = put(MAPPING, Map.of("agreementId", b, "fromDate", "2023-12-31"), partner, "sub-1");
        ResponseEntity<String> future = put(MAPPING, Map.of("agreementId", b, "fromDate", LocalDate.now().plusDays(2).toString()), partner, "sub-1");

        assertThat(early.getStatusCode().value()).as(early.getBody()).isEqualTo(400);
        assertThat(errorFields(early)).containsExactly("fromDate");
        assertThat(future.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(future)).containsExactly("fromDate");
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).isZero();
        assertThat(additions(b)).isEmpty();
        assertThat(json(get(MAPPING, partner, "sub-1")).path("agreementId").asLong()).isEqualTo(a);
    }

    @Test
    void bulkMovesTwoSubscriptionsOfTheCustomerToOneAgreement() throws Exception {
        syncedOnAAndInvoicedThroughFebruary("sub-1");
        syncedOnAAndInvoicedThroughFebruary("sub-2");
        sandbox.invoice(a, "2024-02-29");
        String bulk = "/{p}/customers/{c}/subscriptions/mapping";

        ResponseEntity<String> stranger = put(bulk, Map.of("agreementId", b, "subscriptionIds", List.of("sub-1", "sub-unknown")), partner, "65533");
        assertThat(stranger.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(stranger)).containsExactly("subscriptionIds");
        assertThat(additions(b)).isEmpty();

        ResponseEntity<String> moved = put(bulk, Map.of("agreementId", b, "subscriptionIds", List.of("sub-1", "sub-2")), partner, "65533");

        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);
        assertThat(json(moved).findValuesAsText("subscriptionId")).containsExactly("sub-1", "sub-2");
        assertThat(additions(a)).hasSize(2).allSatisfy(l ->
                assertThat(AdditionAdoptionApiTest.day(l.path("cancelledDate"))).isEqualTo(LocalDate.of(2024, 2, 29)));
        assertThat(additions(b)).hasSize(2).allSatisfy(l ->
                assertThat(AdditionAdoptionApiTest.day(l.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 3, 1)));
        List<JsonNode> both = new ArrayList<>(additions(a));
        both.addAll(additions(b));
        LocalDate start = LocalDate.of(2024, 2, 14);
        AdditionAdoptionApiTest.assertLicencesPerDay(both, LocalDate.of(2024, 2, 1), LocalDate.of(2024, 12, 31), d -> d.isBefore(start) ? 0 : 20);
        assertThat(jdbc.queryForList("SELECT DISTINCT agreement_id FROM subscription_line WHERE partner_id = ?", Long.class, partner))
                .containsExactly(b);
    }

    @Test
    void aLineNeverInvoicedIsDeletedAndBBillsFromTheFromDate() throws Exception {
        syncedOnAAndInvoicedThroughFebruary("sub-1");
        LocalDate nextInvoice = AdditionAdoptionApiTest.day(client.get(cw, "finance/agreements/" + a, Map.of()).path("nextInvoiceDate"));
        LocalDate from = LocalDate.of(2024, 2, 14);
        LocalDate movedOn = nextInvoice != null && nextInvoice.isAfter(from) ? nextInvoice : from;
        long onA = additions(a).get(0).path("id").asLong();

        ResponseEntity<String> moved = put(MAPPING, Map.of("agreementId", b, "fromDate", from.toString()), partner, "sub-1");

        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);
        assertThat(additions(b)).singleElement().satisfies(l ->
                assertThat(AdditionAdoptionApiTest.day(l.path("effectiveDate"))).isEqualTo(movedOn));
        if (movedOn.equals(from)) {
            assertThat(additions(a)).as("never invoiced (N_A %s): deleted", nextInvoice).isEmpty();
        } else {
            assertThat(additions(a)).singleElement().satisfies(l -> {
                assertThat(l.path("id").asLong()).isEqualTo(onA);
                assertThat(AdditionAdoptionApiTest.day(l.path("cancelledDate"))).isEqualTo(movedOn.minusDays(1));
            });
        }
        List<JsonNode> both = new ArrayList<>(additions(a));
        both.addAll(additions(b));
        AdditionAdoptionApiTest.assertLicencesPerDay(both, LocalDate.of(2024, 2, 1), LocalDate.of(2024, 12, 31), d -> d.isBefore(from) ? 0 : 10);
        // a repeated move changes nothing more
        sandbox.resetCalls();
        ResponseEntity<String> again = put(MAPPING, Map.of("agreementId", b, "fromDate", from.toString()), partner, "sub-1");
        assertThat(again.getStatusCode().value()).as(again.getBody()).isEqualTo(200);
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        assertThat(additions(b)).hasSize(1);
    }
    @Test
    void aMoveNeverBillsBeforeTheSubscriptionStartedR8() throws Exception {
        // the subscription starts 2024-02-14; B bills from 2024-01-01 and A never invoiced: the default from date (B's
        // billing start) and A's next invoice date both lie before the start
        syncedOnAAndInvoicedThroughFebruary("sub-1");
        LocalDate start = LocalDate.of(2024, 2, 14);

        ResponseEntity<String> moved = put(MAPPING, Map.of("agreementId", b), partner, "sub-1");

        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);
        assertThat(json(moved).path("fromDate").asText()).isEqualTo(start.toString());
        assertThat(additions(b)).singleElement().satisfies(l ->
                assertThat(AdditionAdoptionApiTest.day(l.path("effectiveDate"))).isEqualTo(start));
        List<JsonNode> both = new ArrayList<>(additions(a));
        both.addAll(additions(b));
        AdditionAdoptionApiTest.assertLicencesPerDay(both, LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31),
                d -> d.isBefore(start) ? 0 : 10);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R8 x R27: a move onto an agreement that has invoiced the from date's month writes no line before ITS"
            + " next invoice date; A, which has not invoiced those days, keeps billing them, so no day is dropped or billed twice")
    void r8R27AMoveOntoAnAgreementThatInvoicedTheFromDatesMonthStartsItsLinesAtItsNextInvoiceDate() throws Exception {
        // sub-1: 10 x 22.00 from 14 February on A (never invoiced); B invoiced through February (N_B = 1 March), B
        // prorates but does not invoice prorated additions (probe 47's agreement 3): ConnectWise takes a line back-dated
        // into February on B but never bills those days
        syncedOnAAndInvoicedThroughFebruary("sub-1");
        long b = tenant.agreement(company, "Chairs B prorating", Tenant.Terms.CLOUD_SERVICES.prorating(true, false));
        sandbox.invoice(b, "2024-02-29");
        long onA = additions(a).get(0).path("id").asLong();

        ResponseEntity<String> moved = put(MAPPING, Map.of("agreementId", b, "fromDate", "2024-02-14"), partner, "sub-1");

        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);
        // before: A's line deleted and B's from 14 February, 16/29 x 10 x 22.00 = 121.38 billed nowhere
        assertThat(json(moved).path("fromDate").asText()).isEqualTo("2024-03-01");
        assertThat(additions(b)).singleElement().satisfies(l -> {
            assertThat(AdditionAdoptionApiTest.day(l.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 3, 1));
            assertThat(l.path("quantity").decimalValue()).isEqualByComparingTo("10");
        });
        assertThat(additions(a)).singleElement().satisfies(l -> {
            assertThat(l.path("id").asLong()).isEqualTo(onA);
            assertThat(AdditionAdoptionApiTest.day(l.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 2, 14));
            assertThat(AdditionAdoptionApiTest.day(l.path("cancelledDate"))).isEqualTo(LocalDate.of(2024, 2, 29));
        });
        List<JsonNode> both = new ArrayList<>(additions(a));
        both.addAll(additions(b));
        LocalDate start = LocalDate.of(2024, 2, 14);
        AdditionAdoptionApiTest.assertLicencesPerDay(both, LocalDate.of(2024, 1, 1), LocalDate.of(2025, 2, 13), d -> d.isBefore(start) ? 0 : 10);
        // nothing of the move is left for a catch-up: A bills 14-29 February on its next invoice
        assertThat(jdbc.queryForObject("SELECT count(*) FROM invoiced_catch_up WHERE partner_id = ?", Integer.class, partner)).isZero();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R8 x R27: the default from date onto an agreement that invoiced it starts at that agreement's next"
            + " invoice date too; onto one that prorates and invoices prorated additions the line keeps the from date")
    void r8R27TheDefaultFromDateIsClampedToTheNewAgreementsNextInvoiceDateUnlessItInvoicesProratedAdditions() throws Exception {
        syncedOnAAndInvoicedThroughFebruary("sub-1");
        sandbox.invoice(b, "2024-02-29");
        ResponseEntity<String> moved = put(MAPPING, Map.of("agreementId", b), partner, "sub-1");
        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);
        assertThat(additions(b)).singleElement().satisfies(l ->
                assertThat(AdditionAdoptionApiTest.day(l.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 3, 1)));
        assertThat(additions(a)).singleElement().satisfies(l ->
                assertThat(AdditionAdoptionApiTest.day(l.path("cancelledDate"))).isEqualTo(LocalDate.of(2024, 2, 29)));

        // a third agreement that prorates and invoices prorated additions bills the invoiced days itself (R27): no clamp
        long c = tenant.agreement(company, "Chairs C", Tenant.Terms.CLOUD_SERVICES.prorating(true, true));
        sandbox.invoice(c, "2024-03-31");
        ResponseEntity<String> again = put(MAPPING, Map.of("agreementId", c, "fromDate", "2024-03-10"), partner, "sub-1");
        assertThat(again.getStatusCode().value()).as(again.getBody()).isEqualTo(200);
        assertThat(additions(c)).singleElement().satisfies(l ->
                assertThat(AdditionAdoptionApiTest.day(l.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 3, 10)));
        List<JsonNode> all = new ArrayList<>(additions(a));
        all.addAll(additions(b));
        all.addAll(additions(c));
        LocalDate start = LocalDate.of(2024, 2, 14);
        AdditionAdoptionApiTest.assertLicencesPerDay(all, LocalDate.of(2024, 1, 1), LocalDate.of(2025, 2, 13), d -> d.isBefore(start) ? 0 : 10);
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R8 / R6: after a move the mapping no longer shows the cut-over whose base line the move took away")
    void r8TheMappingShowsNoStaleCutoverAfterAMove() throws Exception {
        // a hand-made addition on A, cut over (A invoiced through February: it ends on 29 February, the bundle's base from 1 March)
        assertThat(api.post().uri("/{p}/subscriptions/import?onboard=false", partner).contentType(MediaType.APPLICATION_JSON)
                .body(List.of(OnboardingApiTest.subscription("sub-c", "65533", "Chairs Unlimited", "CFQ7TTC0LCHC:0002", 10)))
                .retrieve().toEntity(String.class).getStatusCode().value()).isEqualTo(200);
        long hand = client.create(cw, "finance/agreements/" + a + "/additions", new java.util.HashMap<>(Map.of("product",
                Map.of("id", item), "quantity", 10, "unitPrice", new java.math.BigDecimal("22.00"), "unitCost",
                new java.math.BigDecimal("18.70"), "billCustomer", "Billable", "effectiveDate", "2024-02-14T00:00:00Z",
                "description", "Business Premium, typed by hand")), null).path("id").asLong();
        sandbox.invoice(a, "2024-02-29");
        ResponseEntity<String> cut = put(MAPPING, Map.of("agreementId", a, "additionId", hand, "cutover", true), partner, "sub-c");
        assertThat(cut.getStatusCode().value()).as(cut.getBody()).isEqualTo(200);
        long base = json(cut).path("cutover").path("baseAdditionId").asLong();
        assertThat(base).isPositive();
        assertThat(json(get(MAPPING, partner, "sub-c")).path("cutover").path("baseAdditionId").asLong()).isEqualTo(base);

        ResponseEntity<String> moved = put(MAPPING, Map.of("agreementId", b), partner, "sub-c");

        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);
        assertThat(additions(b)).singleElement().satisfies(l ->
                assertThat(AdditionAdoptionApiTest.day(l.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 3, 1)));
        // before: "cutover":{"baseAdditionId":<base>, …} although that line is no longer the subscription's
        assertThat(json(moved).has("cutover")).as(moved.getBody()).isFalse();
        JsonNode mapping = json(get(MAPPING, partner, "sub-c"));
        assertThat(mapping.path("agreementId").asLong()).isEqualTo(b);
        assertThat(mapping.has("cutover")).as(mapping.toString()).isFalse();
    }
}
