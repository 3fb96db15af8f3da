package io.cwbridge.mapping;

import static io.cwbridge.mapping.AdditionAdoptionApiTest.assertLicencesPerDay;
import static io.cwbridge.mapping.AdditionAdoptionApiTest.day;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/**
 * R6 {@code "cutover": true} over HTTP: a hand-made addition ends at the end of the agreement's last
 * invoiced period and the bundle's own base line bills from the next invoice date; read back from
 * the sandbox, each day is billed exactly once (sum of active quantities = licences, R10).
 */
class AdditionCutoverApiTest extends MappingApiTestBase {

    private static final String MAPPING = "/{p}/subscriptions/{s}/mapping";
    private static final String CANDIDATES = "/{p}/subscriptions/{s}/addition-candidates";
    private static final String SUB = "sub-1";
    private static final LocalDate START = LocalDate.of(2024, 2, 14);
    private static final LocalDate END = LocalDate.of(2025, 2, 13);

    @Autowired AdditionCutover cutovers;

    @BeforeEach
    void mapCustomerAndProduct() {
        mapChairs("Chairs cloud");
        seedEvent(SUB, "2024-02-14T08:00:00Z", Map.of("id", SUB, "quantity", 10), Map.of());
    }

    long handMade(int quantity, String effective) {
        Map<String, Object> body = new HashMap<>(Map.of("product", Map.of("id", item), "quantity", quantity,
                "unitPrice", new BigDecimal("21.00"), "unitCost", new BigDecimal("18.00"), "billCustomer", "Billable",
                "effectiveDate", effective + "T00:00:00Z", "description", "M365 Business Premium, typed by hand"));
        return client.create(cw, "finance/agreements/" + agreement + "/additions", body, null).path("id").asLong();
    }

    Map<String, Object> cutover(long additionId) {
        return Map.of("agreementId", agreement, "additionId", additionId, "cutover", true);
    }

    static Integer tenFromTheStart(LocalDate d) {
        return d.isBefore(START) || d.isAfter(END) ? 0 : 10;
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R6 x R25 a cut-over base line starts at the subscription's start when it is later than the next "
            + "invoice date; the hand-made addition still ends the day before N (probe 47 F4: 9.60 billed before the subscription existed)")
    void r6R25ACutOverBaseLineStartsNoEarlierThanTheSubscription() throws Exception {
        String late = "sub-late";
        seedEvent(late, "2024-03-05T08:00:00Z", Map.of("id", late, "quantity", 10, "startDate", "2024-03-05",
                "endDate", "2025-03-04"), Map.of());
        long hand = handMade(10, "2024-02-14");
        sandbox.invoice(agreement, "2024-02-29");

        ResponseEntity<String> put = put(MAPPING, cutover(hand), partner, late);

        assertThat(put.getStatusCode().value()).as(put.getBody()).isEqualTo(200);
        JsonNode cut = json(put).path("cutover");
        assertThat(cut.path("handMade").asText()).isEqualTo("END");
        assertThat(cut.path("endedOn").asText()).isEqualTo("2024-02-29");
        assertThat(cut.path("cutOn").asText()).isEqualTo("2024-03-05");
        assertThat(json(get(MAPPING, partner, late)).path("cutover").path("endedOn").asText()).isEqualTo("2024-02-29");
        List<JsonNode> lines = additions(agreement);
        JsonNode own = lines.stream().filter(a -> a.path("id").asLong() == cut.path("baseAdditionId").asLong()).findFirst().orElseThrow();
        assertThat(day(own.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 3, 5));
        assertThat(day(own.path("cancelledDate"))).isEqualTo(LocalDate.of(2025, 3, 4));
        // R10: the hand-made addition to 29 February (invoiced), nothing 1-4 March, the subscription's 10 from 5 March
        assertLicencesPerDay(lines, LocalDate.of(2024, 2, 14), LocalDate.of(2025, 3, 6),
                d -> d.isBefore(LocalDate.of(2024, 3, 1)) ? 10 : d.isBefore(LocalDate.of(2024, 3, 5)) || d.isAfter(LocalDate.of(2025, 3, 4)) ? 0 : 10);
    }

    @Test
    void cutoverEndsTheHandMadeAdditionAtTheLastInvoicedDayAndBillsTheBundlesLineFromTheNextInvoiceDate() throws Exception {
        long hand = handMade(10, "2024-02-14");
        sandbox.invoice(agreement, "2024-02-29");

        ResponseEntity<String> put = put(MAPPING, cutover(hand), partner, SUB);

        assertThat(put.getStatusCode().value()).as(put.getBody()).isEqualTo(200);
        JsonNode cut = json(put).path("cutover");
        assertThat(cut.path("endedAdditionId").asLong()).isEqualTo(hand);
        assertThat(cut.path("handMade").asText()).isEqualTo("END");
        assertThat(cut.path("endedOn").asText()).isEqualTo("2024-02-29");
        assertThat(cut.path("cutOn").asText()).isEqualTo("2024-03-01");
        assertThat(cut.path("status").asText()).isEqualTo("DONE");
        assertThat(json(put).has("adoption")).isFalse();
        assertThat(json(put).path("fromDate").asText()).isEqualTo("2024-03-01");
        long base = cut.path("baseAdditionId").asLong();

        List<JsonNode> lines = additions(agreement);
        assertThat(lines).hasSize(2);
        JsonNode ended = lines.stream().filter(a -> a.path("id").asLong() == hand).findFirst().orElseThrow();
        assertThat(day(ended.path("cancelledDate"))).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(ended.path("unitPrice").decimalValue()).isEqualByComparingTo("21.00");
        JsonNode own = lines.stream().filter(a -> a.path("id").asLong() == base).findFirst().orElseThrow();
        assertThat(day(own.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 3, 1));
        assertThat(day(own.path("cancelledDate"))).isEqualTo(END);
        assertThat(own.path("quantity").decimalValue()).isEqualByComparingTo("10");
        // R17: the subscription's own price and cost, not the hand-typed ones
        assertThat(own.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(own.path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(own.path("description").asText()).isEqualTo("M365 Business Premium, typed by hand");
        assertLicencesPerDay(lines, LocalDate.of(2024, 2, 1), END.plusDays(3), AdditionCutoverApiTest::tenFromTheStart);
        assertThat(json(get(MAPPING, partner, SUB)).path("cutover").path("baseAdditionId").asLong()).isEqualTo(base);

        // A repeated PUT changes nothing; the ended addition is nobody's candidate again.
        sandbox.resetCalls();
        ResponseEntity<String> again = put(MAPPING, cutover(hand), partner, SUB);
        assertThat(again.getStatusCode().value()).as(again.getBody()).isEqualTo(200);
        assertThat(json(again).path("cutover").path("baseAdditionId").asLong()).isEqualTo(base);
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).isZero();
        assertThat(json(get(CANDIDATES, partner, SUB))).isEmpty();
        ResponseEntity<String> adoptEnded = put(MAPPING, Map.of("agreementId", agreement, "additionId", hand), partner, SUB);
        assertThat(adoptEnded.getStatusCode().value()).as(adoptEnded.getBody()).isEqualTo(400);
        ResponseEntity<String> otherCut = put(MAPPING, cutover(base), partner, SUB);
        assertThat(otherCut.getStatusCode().value()).as(otherCut.getBody()).isEqualTo(409);

        // The sale finds the bundle's base line; a later increase lands next to it.
        long sale = submitEvent(SUB, "sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);
        assertThat(awaitTask(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        long increase = submitEvent(SUB, "inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10);
        assertThat(awaitTask(increase, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        List<JsonNode> after = additions(agreement);
        assertThat(after).hasSize(3);
        assertThat(after.stream().filter(a -> a.path("id").asLong() == hand).findFirst().orElseThrow().path("cancelledDate").asText())
                .startsWith("2024-02-29");
        assertLicencesPerDay(after, LocalDate.of(2024, 2, 1), LocalDate.of(2024, 5, 31), d -> d.isBefore(START) ? 0
                : !d.isBefore(LocalDate.of(2024, 3, 15)) && !d.isAfter(LocalDate.of(2024, 3, 31)) ? 12 : 10);
    }

    /**
     * Changes that arrived before the cut-over wait for it, then each adds its own change: the cut-over's base line bills
     * the licences before the first of them (the latest snapshot's 12 would bill the waiting +2 twice).
     */
    @Test
    void changesWaitingForTheCutoverAreBilledOnceR6R10() throws Exception {
        long hand = handMade(10, "2024-02-14");
        sandbox.invoice(agreement, "2024-02-29");
        long sale = submitEvent(SUB, "sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);
        long increase = submitEvent(SUB, "inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10);
        // R6: the only eligible agreement bills an unowned addition of the product, so both wait
        assertThat(awaitTask(sale, "NEEDS_MAPPING", "SYNCED", "FAILED")).isEqualTo("NEEDS_MAPPING");
        assertThat(awaitTask(increase, "PENDING", "NEEDS_MAPPING", "SYNCED", "FAILED")).isIn("PENDING", "NEEDS_MAPPING");

        ResponseEntity<String> put = put(MAPPING + "?sync=true", cutover(hand), partner, SUB);

        assertThat(put.getStatusCode().value()).as(put.getBody()).isEqualTo(200);
        assertThat(awaitTask(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(awaitTask(increase, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        long base = json(put).path("cutover").path("baseAdditionId").asLong();
        List<JsonNode> lines = additions(agreement);
        assertThat(lines.stream().filter(a -> a.path("id").asLong() == base).findFirst().orElseThrow()
                .path("quantity").decimalValue()).isEqualByComparingTo("10");
        assertLicencesPerDay(lines, LocalDate.of(2024, 2, 1), LocalDate.of(2024, 4, 30), d -> d.isBefore(START) ? 0
                : !d.isBefore(LocalDate.of(2024, 3, 15)) && !d.isAfter(LocalDate.of(2024, 3, 31)) ? 12 : 10);
    }

    @Test
    void adoptOnOneSubscriptionCutOverOnAnotherThenReMapBothToANewAgreementBillEachDayOnceR6R8() throws Exception {
        seedEvent("sub-2", "2024-02-14T08:00:00Z", Map.of("id", "sub-2", "quantity", 4), Map.of());
        long handOne = handMade(10, "2024-02-14");
        long handTwo = handMade(4, "2024-02-14");
        sandbox.invoice(agreement, "2024-02-29");
        ResponseEntity<String> adopted = put(MAPPING, Map.of("agreementId", agreement, "additionId", handTwo), partner, "sub-2");
        assertThat(adopted.getStatusCode().value()).as(adopted.getBody()).isEqualTo(200);
        ResponseEntity<String> cut = put(MAPPING, cutover(handOne), partner, SUB);
        assertThat(cut.getStatusCode().value()).as(cut.getBody()).isEqualTo(200);
        awaitTask(submitEvent(SUB, "sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null), "SYNCED");
        awaitTask(submitEvent("sub-2", "sale2", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 4, null), "SYNCED");

        // R8: both move to agreement B from 2024-04-01, after A invoiced March.
        long b = agreement(company, "Chairs cloud B");
        sandbox.invoice(agreement, "2024-03-31");
        ResponseEntity<String> moved = api.put().uri("/{p}/customers/{c}/subscriptions/mapping", partner, "65533")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(Map.of("agreementId", b, "fromDate", "2024-04-01", "subscriptionIds", List.of(SUB, "sub-2")))
                .retrieve().toEntity(String.class);
        assertThat(moved.getStatusCode().value()).as(moved.getBody()).isEqualTo(200);

        List<JsonNode> all = new java.util.ArrayList<>(additions(agreement));
        all.addAll(additions(b));
        java.util.function.Predicate<JsonNode> one = a -> a.path("quantity").decimalValue().compareTo(BigDecimal.valueOf(4)) != 0;
        assertLicencesPerDay(all.stream().filter(one).toList(), LocalDate.of(2024, 2, 1), END.plusDays(3),
                AdditionCutoverApiTest::tenFromTheStart);
        assertLicencesPerDay(all.stream().filter(one.negate()).toList(), LocalDate.of(2024, 2, 1), END.plusDays(3),
                d -> d.isBefore(START) || d.isAfter(END) ? 0 : 4);
        assertThat(additions(b)).hasSize(2).allSatisfy(a -> assertThat(day(a.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 4, 1)));
    }

    @Test
    void aHandMadeAdditionACutoverEndedDoesNotHoldBackAnotherSubscriptionsFirstSaleR6R4() throws Exception {
        long hand = handMade(10, "2024-02-14");
        sandbox.invoice(agreement, "2024-02-29");
        assertThat(put(MAPPING, cutover(hand), partner, SUB).getStatusCode().value()).isEqualTo(200);

        // Another subscription of the same product, sold while the ended addition still bills (to 29 Feb):
        // that addition is sub-1's now, not an unowned one to adopt, so R4's one agreement is used.
        long other = submitEvent("sub-2", "sale-2", "SALES_ORDER", "NEW", "2024-02-20T09:00:00Z", 3, null);

        assertThat(awaitTask(other, "SYNCED", "FAILED", "NEEDS_MAPPING")).isEqualTo("SYNCED");
    }

    @Test
    void aHandMadeAdditionThatWasNeverInvoicedIsDeletedAndTheBaseLineTakesItsDaysR22() {
        long hand = handMade(10, "2024-02-14");

        ResponseEntity<String> put = put(MAPPING, cutover(hand), partner, SUB);

        assertThat(put.getStatusCode().value()).as(put.getBody()).isEqualTo(200);
        JsonNode cut = json(put).path("cutover");
        assertThat(cut.path("handMade").asText()).isEqualTo("DELETE");
        assertThat(cut.path("cutOn").asText()).isEqualTo("2024-02-14");
        List<JsonNode> lines = additions(agreement);
        assertThat(lines).singleElement().satisfies(a -> {
            assertThat(a.path("id").asLong()).isEqualTo(cut.path("baseAdditionId").asLong()).isNotEqualTo(hand);
            assertThat(day(a.path("effectiveDate"))).isEqualTo(START);
        });
        assertLicencesPerDay(lines, LocalDate.of(2024, 2, 1), END.plusDays(3), AdditionCutoverApiTest::tenFromTheStart);
    }

    @Test
    void aCutoverInterruptedBetweenItsTwoWritesIsFinishedWithoutASecondBaseLine() {
        long hand = handMade(10, "2024-02-14");
        sandbox.invoice(agreement, "2024-02-29");
        // ConnectWise refuses the end of the hand-made addition once: the base line is written, the end is not.
        sandbox.fault(Map.of("status", 400, "count", 1, "method", "PATCH", "pathContains", "/additions/" + hand));

        ResponseEntity<String> failed = put(MAPPING, cutover(hand), partner, SUB);

        assertThat(failed.getStatusCode().value()).as(failed.getBody()).isEqualTo(422);
        assertThat(json(failed).path("detail").asText()).contains("a repeated PUT finishes it");
        assertThat(get(MAPPING, partner, SUB).getStatusCode().value()).isEqualTo(404);
        assertThat(jdbc.queryForObject("SELECT status FROM subscription_cutover WHERE partner_id = ?", String.class, partner))
                .isEqualTo("BASE_DONE");
        assertThat(additions(agreement)).hasSize(2);

        // Start-up finishes it from the stored plan: nothing is created again.
        sandbox.resetCalls();
        cutovers.finishInterrupted();
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        List<JsonNode> lines = additions(agreement);
        assertThat(lines).hasSize(2);
        assertLicencesPerDay(lines, LocalDate.of(2024, 2, 1), END.plusDays(3), AdditionCutoverApiTest::tenFromTheStart);

        // The repeated PUT saves the mapping and sends nothing more.
        ResponseEntity<String> again = put(MAPPING, cutover(hand), partner, SUB);
        assertThat(again.getStatusCode().value()).as(again.getBody()).isEqualTo(200);
        assertThat(json(again).path("cutover").path("status").asText()).isEqualTo("DONE");
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        assertThat(additions(agreement)).hasSize(2);
    }

    @Test
    void cutoverNeedsAnAdditionAndSetsItsOwnDates() {
        long hand = handMade(10, "2024-02-14");

        ResponseEntity<String> noAddition = put(MAPPING, Map.of("agreementId", agreement, "cutover", true), partner, SUB);
        assertThat(noAddition.getStatusCode().value()).isEqualTo(400);
        assertThat(noAddition.getHeaders().getContentType().toString()).contains("problem+json");
        assertThat(errorFields(noAddition)).contains("cutover", "additionId");

        ResponseEntity<String> withFrom = put(MAPPING, Map.of("agreementId", agreement, "additionId", hand, "cutover", true,
                "fromDate", "2024-03-01"), partner, SUB);
        assertThat(withFrom.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(withFrom)).containsExactly("fromDate");

        ResponseEntity<String> unknown = put(MAPPING, cutover(hand), partner, "sub-unknown");
        assertThat(unknown.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(unknown)).containsExactly("cutover");
        assertThat(additions(agreement)).singleElement().satisfies(a -> assertThat(a.path("cancelledDate").isMissingNode()
                || a.path("cancelledDate").isNull()).isTrue());
    }
}
