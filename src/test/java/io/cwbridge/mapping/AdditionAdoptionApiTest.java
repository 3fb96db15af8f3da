package io.cwbridge.mapping;

import io.cwbridge.sync.MappingChanged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * R6 over HTTP: a hand-made addition adopted as a subscription's base line, its candidates, auto-map,
 * and the mapping guards; events go through the real pipeline into the sandbox, whose API is read back.
 */
class AdditionAdoptionApiTest extends MappingApiTestBase {

    private static final String MAPPING = "/{p}/subscriptions/{s}/mapping";
    private static final String CANDIDATES = "/{p}/subscriptions/{s}/addition-candidates";
    private static final String SUB = "sub-1";

    @BeforeEach
    void mapCustomerAndProduct() {
        mapChairs("Chairs cloud");
    }

    // ---- fixtures -------------------------------------------------------------------------------

    /** An addition typed by hand in ConnectWise (through its API). */
    long handMade(long agreementId, long catalogItemId, int quantity, String price, String effective, String cancelled,
                  String description) {
        Map<String, Object> body = new HashMap<>(Map.of("product", Map.of("id", catalogItemId), "quantity", quantity,
                "unitPrice", new BigDecimal(price), "unitCost", new BigDecimal("18.70"), "billCustomer", "Billable",
                "effectiveDate", effective + "T00:00:00Z", "description", description));
        if (cancelled != null) body.put("cancelledDate", cancelled + "T00:00:00Z");
        return client.create(cw, "finance/agreements/" + agreementId + "/additions", body, null).path("id").asLong();
    }

    long submit(String eventId, String type, String action, String occurredAt, int quantity, Integer previous) {
        return submitEvent(SUB, eventId, type, action, occurredAt, quantity, previous);
    }

    static LocalDate day(JsonNode n) {
        return n.isTextual() ? LocalDate.parse(n.asText().substring(0, 10)) : null;
    }

    /** R10 read from ConnectWise: the licences the additions bill on each day equal the subscription's. */
    static void assertLicencesPerDay(List<JsonNode> additions, LocalDate from, LocalDate to, java.util.function.Function<LocalDate, Integer> expected) {
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            LocalDate on = d;
            BigDecimal billed = additions.stream()
                    .filter(a -> !on.isBefore(day(a.path("effectiveDate")))
                            && (day(a.path("cancelledDate")) == null || !on.isAfter(day(a.path("cancelledDate")))))
                    .map(a -> a.path("quantity").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(billed).as("licences billed on " + on).isEqualByComparingTo(BigDecimal.valueOf(expected.apply(on)));
        }
    }

    static Integer twelveFromTheIncrease(LocalDate d) {
        return !d.isBefore(LocalDate.of(2024, 3, 15)) && !d.isAfter(LocalDate.of(2024, 3, 31)) ? 12 : 10;
    }

    // ---- adopt ----------------------------------------------------------------------------------

    @Test
    void adoptedAdditionIsTheBaseLineTheSaleFindsAndTheIncreaseAddsOnlyTheDelta() throws Exception {
        seedEvent(SUB, "2024-02-14T08:00:00Z", Map.of("id", SUB, "quantity", 10), Map.of());
        long hand = handMade(agreement, item, 10, "22.00", "2024-02-14", null, "M365 Business Premium, typed by hand");

        ResponseEntity<String> adopted = put(MAPPING, Map.of("agreementId", agreement, "additionId", hand), partner, SUB);

        assertThat(adopted.getStatusCode().value()).as(adopted.getBody()).isEqualTo(200);
        JsonNode adoption = json(adopted).path("adoption");
        assertThat(adoption.path("additionId").asLong()).isEqualTo(hand);
        assertThat(adoption.path("lineKey").asText()).isEqualTo(SUB + "/BASE/2024-02-14");
        assertThat(adoption.path("description").asText()).isEqualTo("M365 Business Premium, typed by hand");
        assertThat(adoption.path("effectiveDate").asText()).isEqualTo("2024-02-14");
        assertThat(adoption.path("patched")).isEmpty();
        assertThat(json(get(MAPPING, partner, SUB)).path("adoption").path("additionId").asLong()).isEqualTo(hand);

        sandbox.resetCalls();
        long sale = submit("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);
        assertThat(awaitTask(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")).isZero();
        assertThat(additions(agreement)).extracting(a -> a.path("id").asLong()).containsExactly(hand);

        long increase = submit("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10);
        assertThat(awaitTask(increase, "SYNCED", "FAILED")).isEqualTo("SYNCED");

        List<JsonNode> lines = additions(agreement);
        assertThat(lines).hasSize(2);
        JsonNode base = lines.stream().filter(a -> a.path("id").asLong() == hand).findFirst().orElseThrow();
        assertThat(base.path("quantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(base.path("description").asText()).isEqualTo("M365 Business Premium, typed by hand");
        JsonNode delta = lines.stream().filter(a -> a.path("id").asLong() != hand).findFirst().orElseThrow();
        assertThat(delta.path("quantity").decimalValue()).isEqualByComparingTo("2");
        assertThat(day(delta.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 3, 15));
        assertThat(day(delta.path("cancelledDate"))).isEqualTo(LocalDate.of(2024, 3, 31));
        assertLicencesPerDay(lines, LocalDate.of(2024, 2, 14), LocalDate.of(2024, 4, 30), AdditionAdoptionApiTest::twelveFromTheIncrease);

        // The bundle's own delta line is no candidate and cannot become the base line.
        assertThat(json(get(CANDIDATES, partner, SUB))).isEmpty();
        ResponseEntity<String> deltaAsBase = put(MAPPING, Map.of("agreementId", agreement, "additionId", delta.path("id").asLong(),
                "replace", true), partner, SUB);
        assertThat(deltaAsBase.getStatusCode().value()).isEqualTo(400);
        assertThat(firstErrorMessage(deltaAsBase)).contains("already another line of subscription " + SUB);
    }

    @Test
    void aFirstSaleOnTheOnlyEligibleAgreementWaitsWhenItAlreadyBillsAnUnownedAdditionOfTheProductR6() throws Exception {
        // one eligible agreement (R4 would default to it) that already bills the product by hand
        long hand = handMade(agreement, item, 10, "22.00", "2024-02-14", null, "Business Premium (typed by hand)");
        long sale = submit("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);
        assertThat(awaitTask(sale, "NEEDS_MAPPING", "SYNCED", "FAILED")).isEqualTo("NEEDS_MAPPING");
        JsonNode task = tenant.task(sale);
        assertThat(task.path("reason").asText()).contains("R6").contains(String.valueOf(hand)).contains("additionId");
        assertThat(additions(agreement)).hasSize(1);

        ResponseEntity<String> adopted = put(MAPPING + "?sync=true", Map.of("agreementId", agreement, "additionId", hand), partner, SUB);
        assertThat(adopted.getStatusCode().value()).as(adopted.getBody()).isEqualTo(200);
        assertThat(awaitTask(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(additions(agreement)).singleElement().satisfies(a -> assertThat(a.path("id").asLong()).isEqualTo(hand));
    }

    @Test
    void aCustomerMappedBeforeTheProductStillWaitsForTheAdoptionOnceTheProductIsMappedR4R6() throws Exception {
        // the product is mapped only after the first sale arrived: R4 must not have defaulted the agreement meanwhile
        assertThat(delete("/{p}/products/{id}/mapping", partner, io.cwbridge.testsupport.Tenant.PRODUCT).getStatusCode().value())
                .isIn(200, 204);
        long hand = handMade(agreement, item, 10, "22.00", "2024-02-14", null, "Business Premium (typed by hand)");
        long sale = submit("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);
        assertThat(awaitTask(sale, "NEEDS_MAPPING", "SYNCED", "FAILED")).isEqualTo("NEEDS_MAPPING");
        assertThat(tenant.task(sale).path("reason").asText()).contains("R2");
        assertThat(get(MAPPING, partner, SUB).getStatusCode().value()).as("no R4 default saved").isEqualTo(404);

        tenant.mapProduct(io.cwbridge.testsupport.Tenant.PRODUCT, item);

        await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(tenant.task(sale).path("reason").asText()).contains("R6").contains(String.valueOf(hand)));
        assertThat(tenant.task(sale).path("status").asText()).isEqualTo("NEEDS_MAPPING");
        assertThat(additions(agreement)).singleElement().satisfies(a -> assertThat(a.path("id").asLong()).isEqualTo(hand));
    }

    @Test
    void eventsThatArrivedBeforeTheAdoptWaitThenApplyToTheAdoptedLine() throws Exception {
        long second = agreement(company, "Chairs second"); // two eligible agreements: no R4 default, the events wait
        long hand = handMade(agreement, item, 10, "22.00", "2024-02-14", null, "Business Premium");
        long sale = submit("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);
        long increase = submit("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10);
        assertThat(awaitTask(sale, "NEEDS_MAPPING", "SYNCED", "FAILED")).isEqualTo("NEEDS_MAPPING");
        // the later change waits behind the one waiting for its mapping
        assertThat(awaitTask(increase, "PENDING", "NEEDS_MAPPING", "SYNCED", "FAILED")).isIn("PENDING", "NEEDS_MAPPING");
        assertThat(additions(agreement)).hasSize(1);

        ResponseEntity<String> adopted = put(MAPPING + "?sync=true", Map.of("agreementId", agreement, "additionId", hand), partner, SUB);

        assertThat(adopted.getStatusCode().value()).as(adopted.getBody()).isEqualTo(200);
        // map & sync runs them, unless the background retry on MappingChanged got there first
        assertThat(json(adopted).path("tasks").findValuesAsText("status")).allMatch("SYNCED"::equals);
        assertThat(awaitTask(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        assertThat(awaitTask(increase, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        List<JsonNode> lines = additions(agreement);
        assertThat(lines).hasSize(2);
        assertThat(lines.stream().filter(a -> a.path("id").asLong() == hand).findFirst().orElseThrow()
                .path("quantity").decimalValue()).isEqualByComparingTo("10");
        assertLicencesPerDay(lines, LocalDate.of(2024, 2, 14), LocalDate.of(2024, 4, 30), AdditionAdoptionApiTest::twelveFromTheIncrease);
        assertThat(additions(second)).isEmpty();
        JsonNode row = json(get("/{p}/subscriptions?status=MAPPED", partner)).path("items").path(0);
        assertThat(row.path("additionIds")).hasSize(2);
    }

    @Test
    void aChangedDescriptionIsPatchedInConnectWiseAndTheDateDefaultsToTheAdditionsOwn() {
        seedEvent(SUB, "2024-02-14T08:00:00Z");
        long hand = handMade(agreement, item, 12, "22.00", "2024-02-20", null, "typed by hand");
        sandbox.resetCalls();

        ResponseEntity<String> adopted = put(MAPPING, Map.of("agreementId", agreement, "additionId", hand,
                "description", "Microsoft 365 Business Premium – " + SUB), partner, SUB);

        assertThat(adopted.getStatusCode().value()).as(adopted.getBody()).isEqualTo(200);
        assertThat(json(adopted).path("adoption").path("patched").get(0).asText()).isEqualTo("description");
        assertThat(json(adopted).path("adoption").path("patched")).hasSize(1);
        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).isEqualTo(1);
        JsonNode now = client.get(cw, "finance/agreements/" + agreement + "/additions/" + hand, Map.of());
        assertThat(now.path("description").asText()).isEqualTo("Microsoft 365 Business Premium – " + SUB);
        assertThat(day(now.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 2, 20));
        assertThat(json(adopted).path("adoption").path("lineKey").asText()).isEqualTo(SUB + "/BASE/2024-02-20");

        // The same values again: nothing to write.
        sandbox.resetCalls();
        ResponseEntity<String> again = put(MAPPING, Map.of("agreementId", agreement, "additionId", hand,
                "description", "Microsoft 365 Business Premium – " + SUB, "effectiveDate", "2024-02-20"), partner, SUB);
        assertThat(again.getStatusCode().value()).as(again.getBody()).isEqualTo(200);
        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).isZero();
    }

    @Test
    void anEffectiveDateConnectWiseRefusesInAnInvoicedPeriodIsAFieldProblemAndNothingIsMapped() {
        seedEvent(SUB, "2024-02-14T08:00:00Z");
        // an agreement that keeps dates in invoiced periods (R27), so it is ConnectWise that refuses the invoiced addition's edit
        long keeps = tenant.agreement(company, "Chairs prorating", io.cwbridge.testsupport.Tenant.Terms.CLOUD_SERVICES.prorating(true, true));
        long hand = handMade(keeps, item, 12, "22.00", "2024-02-14", null, "typed by hand");
        sandbox.invoice(keeps, "2024-02-29");

        ResponseEntity<String> refused = put(MAPPING, Map.of("agreementId", keeps, "additionId", hand,
                "effectiveDate", "2024-02-20"), partner, SUB);

        assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(400);
        assertThat(errorFields(refused)).containsExactly("effectiveDate");
        assertThat(firstErrorMessage(refused)).contains("ConnectWise refused").contains(String.valueOf(hand));
        assertThat(get(MAPPING, partner, SUB).getStatusCode().value()).isEqualTo(404);
        assertThat(day(client.get(cw, "finance/agreements/" + keeps + "/additions/" + hand, Map.of())
                .path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 2, 14));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R6 x R10 an adoption's effectiveDate outside the subscription's term is a 400 on effectiveDate; "
            + "the addition's own date before the start moves to the start (probe 47 F3: 59.00 billed before the subscription existed)")
    void r6R10AnEffectiveDateOutsideTheSubscriptionsTermIsRefused() {
        seedEvent(SUB, "2024-02-14T08:00:00Z");
        long hand = handMade(agreement, item, 12, "22.00", "2024-02-20", null, "typed by hand");

        ResponseEntity<String> before = put(MAPPING, Map.of("agreementId", agreement, "additionId", hand,
                "effectiveDate", "2024-01-15"), partner, SUB);
        ResponseEntity<String> after = put(MAPPING, Map.of("agreementId", agreement, "additionId", hand,
                "effectiveDate", "2025-03-01"), partner, SUB);

        assertThat(before.getStatusCode().value()).as(before.getBody()).isEqualTo(400);
        assertThat(before.getHeaders().getContentType().toString()).contains("application/problem+json");
        assertThat(errorFields(before)).containsExactly("effectiveDate");
        assertThat(firstErrorMessage(before)).contains("before the start 2024-02-14");
        assertThat(errorFields(after)).containsExactly("effectiveDate");
        assertThat(firstErrorMessage(after)).contains("after the end 2025-02-13");
        assertThat(get(MAPPING, partner, SUB).getStatusCode().value()).isEqualTo(404);
        assertThat(day(client.get(cw, "finance/agreements/" + agreement + "/additions/" + hand, Map.of())
                .path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 2, 20));

        // typed from 1 February, never invoiced: by default it bills from the subscription's start
        long early = handMade(agreement, item, 12, "22.00", "2024-02-01", null, "typed by hand, early");
        ResponseEntity<String> adopted = put(MAPPING, Map.of("agreementId", agreement, "additionId", early), partner, SUB);
        assertThat(adopted.getStatusCode().value()).as(adopted.getBody()).isEqualTo(200);
        assertThat(json(adopted).path("adoption").path("effectiveDate").asText()).isEqualTo("2024-02-14");
        assertThat(json(adopted).path("adoption").path("patched").get(0).asText()).isEqualTo("effectiveDate");
        assertThat(day(client.get(cw, "finance/agreements/" + agreement + "/additions/" + early, Map.of())
                .path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 2, 14));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R6 x R27 an adoption's effectiveDate before the next invoice date of an agreement that does not "
            + "invoice prorated additions is a 400 on effectiveDate; one that does takes it (probe 47 F2: 48.26 billed nowhere)")
    void r6R27AnEffectiveDateIntoAnInvoicedPeriodIsRefusedUnlessTheAgreementInvoicesProratedAdditions() {
        seedEvent(SUB, "2024-02-14T08:00:00Z");
        sandbox.invoice(agreement, "2024-02-29");
        long hand = handMade(agreement, item, 12, "22.00", "2024-03-01", null, "typed by hand");

        ResponseEntity<String> refused = put(MAPPING, Map.of("agreementId", agreement, "additionId", hand,
                "effectiveDate", "2024-02-14"), partner, SUB);

        assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(400);
        assertThat(errorFields(refused)).containsExactly("effectiveDate");
        assertThat(firstErrorMessage(refused)).contains("R27").contains("next invoice date 2024-03-01").contains("give 2024-03-01 or later");
        assertThat(get(MAPPING, partner, SUB).getStatusCode().value()).isEqualTo(404);
        assertThat(day(client.get(cw, "finance/agreements/" + agreement + "/additions/" + hand, Map.of())
                .path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 3, 1));

        long keeps = tenant.agreement(company, "Chairs prorating", io.cwbridge.testsupport.Tenant.Terms.CLOUD_SERVICES.prorating(true, true));
        sandbox.invoice(keeps, "2024-02-29");
        long there = handMade(keeps, item, 12, "22.00", "2024-03-01", null, "typed by hand");
        ResponseEntity<String> taken = put(MAPPING, Map.of("agreementId", keeps, "additionId", there,
                "effectiveDate", "2024-02-14"), partner, SUB);
        assertThat(taken.getStatusCode().value()).as(taken.getBody()).isEqualTo(200);
        assertThat(json(taken).path("adoption").path("effectiveDate").asText()).isEqualTo("2024-02-14");
    }

    @Test
    void anAdditionOwnedByAnotherSubscriptionIs409NamingTheOwner() {
        seedEvent(SUB, "2024-02-14T08:00:00Z");
        seedEvent("sub-2", "2024-02-14T08:00:00Z", Map.of("id", "sub-2"), Map.of());
        long hand = handMade(agreement, item, 12, "22.00", "2024-02-14", null, "typed by hand");
        assertThat(put(MAPPING, Map.of("agreementId", agreement, "additionId", hand), partner, "sub-2").getStatusCode().value())
                .isEqualTo(200);

        ResponseEntity<String> taken = put(MAPPING, Map.of("agreementId", agreement, "additionId", hand), partner, SUB);

        assertThat(taken.getStatusCode().value()).isEqualTo(409);
        assertThat(taken.getHeaders().getContentType().toString()).contains("application/problem+json");
        assertThat(json(taken).path("owner").path("subscriptionId").asText()).isEqualTo("sub-2");
        assertThat(errorFields(taken)).containsExactly("additionId");
        assertThat(json(taken).path("detail").asText()).contains("sub-2");
        assertThat(get(MAPPING, partner, SUB).getStatusCode().value()).isEqualTo(404);

        // Unmap forgets the adoption: the addition is free again, and no longer sub-2's line.
        assertThat(delete(MAPPING, partner, "sub-2").getStatusCode().value()).isEqualTo(204);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM subscription_line WHERE partner_id = ?", Integer.class, partner)).isZero();
        assertThat(put(MAPPING, Map.of("agreementId", agreement, "additionId", hand), partner, SUB).getStatusCode().value())
                .isEqualTo(200);
    }

    @Test
    void aSecondAdoptionIs409UnlessItReplacesTheFirst() {
        seedEvent(SUB, "2024-02-14T08:00:00Z");
        long first = handMade(agreement, item, 12, "22.00", "2024-02-14", null, "first");
        long second = handMade(agreement, item, 12, "22.00", "2024-03-01", null, "second");
        assertThat(put(MAPPING, Map.of("agreementId", agreement, "additionId", first), partner, SUB).getStatusCode().value()).isEqualTo(200);

        ResponseEntity<String> again = put(MAPPING, Map.of("agreementId", agreement, "additionId", second), partner, SUB);

        assertThat(again.getStatusCode().value()).isEqualTo(409);
        assertThat(json(again).path("baseLines").path(0).path("additionId").asLong()).isEqualTo(first);
        assertThat(json(get(MAPPING, partner, SUB)).path("adoption").path("additionId").asLong()).isEqualTo(first);

        ResponseEntity<String> replaced = put(MAPPING, Map.of("agreementId", agreement, "additionId", second, "replace", true), partner, SUB);

        assertThat(replaced.getStatusCode().value()).as(replaced.getBody()).isEqualTo(200);
        assertThat(json(replaced).path("adoption").path("replaced").get(0).asLong()).isEqualTo(first);
        assertThat(jdbc.queryForList("SELECT line_key || ' ' || addition_id FROM subscription_line WHERE partner_id = ?",
                String.class, partner)).containsExactly(SUB + "/BASE/2024-03-01 " + second);
        // R10: the old one stops the day before the new one bills (it is no longer the subscription's line)
        assertThat(additions(agreement)).hasSize(2);
        assertThat(day(client.get(cw, "finance/agreements/" + agreement + "/additions/" + first, Map.of())
                .path("cancelledDate"))).isEqualTo(LocalDate.of(2024, 2, 29));
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R6 x R10 x R22 replace ends the bundle's own base line the day before the adopted addition "
            + "bills, or deletes it when it was never invoiced and has no day left (probe 47 F6: 528.00 billed twice)")
    void r6R10ReplaceStopsTheOldBaseLineWhereTheAdoptedAdditionTakesOver() throws Exception {
        long sale = submit("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 12, null);
        assertThat(awaitTask(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        long own = additions(agreement).get(0).path("id").asLong();
        long hand = handMade(agreement, item, 12, "22.00", "2024-03-01", null, "typed by hand");

        ResponseEntity<String> conflict = put(MAPPING, Map.of("agreementId", agreement, "additionId", hand), partner, SUB);
        assertThat(conflict.getStatusCode().value()).isEqualTo(409);
        assertThat(json(conflict).path("detail").asText()).contains("stops the day before").doesNotContain("left as it is");

        ResponseEntity<String> replaced = put(MAPPING, Map.of("agreementId", agreement, "additionId", hand, "replace", true), partner, SUB);

        assertThat(replaced.getStatusCode().value()).as(replaced.getBody()).isEqualTo(200);
        assertThat(json(replaced).path("adoption").path("replaced").get(0).asLong()).isEqualTo(own);
        List<JsonNode> lines = additions(agreement);
        assertThat(day(lines.stream().filter(a -> a.path("id").asLong() == own).findFirst().orElseThrow().path("cancelledDate")))
                .isEqualTo(LocalDate.of(2024, 2, 29));
        assertLicencesPerDay(lines, LocalDate.of(2024, 2, 1), LocalDate.of(2024, 12, 31),
                d -> d.isBefore(LocalDate.of(2024, 2, 14)) ? 0 : 12);

        // replaced again by an addition from the same day: the adopted one (never invoiced) has no day left, it is deleted
        long sameDay = handMade(agreement, item, 12, "22.00", "2024-03-01", null, "typed by hand, again");
        ResponseEntity<String> again = put(MAPPING, Map.of("agreementId", agreement, "additionId", sameDay, "replace", true),
                partner, SUB);
        assertThat(again.getStatusCode().value()).as(again.getBody()).isEqualTo(200);
        List<JsonNode> after = additions(agreement);
        assertThat(after).extracting(a -> a.path("id").asLong()).doesNotContain(hand);
        assertLicencesPerDay(after, LocalDate.of(2024, 2, 1), LocalDate.of(2024, 12, 31),
                d -> d.isBefore(LocalDate.of(2024, 2, 14)) ? 0 : 12);
    }

    @Test
    void anAdditionOfAnotherAgreementOrProductOrCancelledIsRefusedOnAdditionId() {
        seedEvent(SUB, "2024-02-14T08:00:00Z");
        long other = agreement(company, "Other");
        long elsewhere = handMade(other, item, 12, "22.00", "2024-02-14", null, "on another agreement");
        long otherItem = handMade(agreement, catalogItem("M365E3"), 12, "22.00", "2024-02-14", null, "E3");
        long ended = handMade(agreement, item, 12, "22.00", "2024-02-14", "2024-05-31", "ended");

        ResponseEntity<String> wrongAgreement = put(MAPPING, Map.of("agreementId", agreement, "additionId", elsewhere), partner, SUB);
        ResponseEntity<String> wrongItem = put(MAPPING, Map.of("agreementId", agreement, "additionId", otherItem), partner, SUB);
        ResponseEntity<String> cancelled = put(MAPPING, Map.of("agreementId", agreement, "additionId", ended), partner, SUB);

        assertThat(wrongAgreement.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(wrongAgreement)).containsExactly("additionId");
        assertThat(firstErrorMessage(wrongAgreement)).contains("agreement " + agreement + " has no addition " + elsewhere);
        assertThat(errorFields(wrongItem)).containsExactly("additionId");
        assertThat(firstErrorMessage(wrongItem)).contains("catalog item " + item);
        assertThat(errorFields(cancelled)).containsExactly("additionId");
        assertThat(firstErrorMessage(cancelled)).contains("cancelled on 2024-05-31");
        assertThat(get(MAPPING, partner, SUB).getStatusCode().value()).isEqualTo(404);
        Map<String, Object> stray = Map.of("agreementId", agreement, "description", "x");
        assertThat(errorFields(put(MAPPING, stray, partner, SUB))).containsExactly("description");
    }

    @Test
    void anAdoptedAdditionWithOtherLicencesAndNoEndIsBroughtInStepByTheSaleR6R10R25() throws Exception {
        seedEvent(SUB, "2024-02-14T08:00:00Z", Map.of("id", SUB, "quantity", 10), Map.of());
        long hand = handMade(agreement, item, 8, "22.00", "2024-02-14", null, "M365 BP, 8 typed by hand");
        assertThat(put(MAPPING, Map.of("agreementId", agreement, "additionId", hand), partner, SUB).getStatusCode().value()).isEqualTo(200);

        long sale = submit("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);

        assertThat(awaitTask(sale, "SYNCED", "FAILED")).isEqualTo("SYNCED");
        // on the purchase date the hand-made line itself takes the subscription's licences (R11) and its end (R25 v2)
        JsonNode base = additions(agreement).stream().filter(a -> a.path("id").asLong() == hand).findFirst().orElseThrow();
        assertThat(base.path("quantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(day(base.path("cancelledDate"))).isEqualTo(LocalDate.of(2025, 2, 13));
        assertThat(base.path("description").asText()).isEqualTo("M365 BP, 8 typed by hand");
        assertLicencesPerDay(additions(agreement), LocalDate.of(2024, 2, 14), LocalDate.of(2024, 4, 30), d -> 10);
    }

    /** Probe 56 (probe 47 F10 without a sale): adopted with no event to follow, the early end stayed and 8 months billed nothing. */
    @Test
    void r6R25AnAdditionEndingBeforeTheSubscriptionIsDatedAtItsEndWhenItIsAdoptedR10() {
        // known, no task; dates far ahead: an addition cancelled before today is refused on its own
        seedEvent(SUB, "2024-02-14T08:00:00Z", Map.of("endDate", "2099-02-13"), Map.of());
        long hand = handMade(agreement, item, 12, "22.00", "2024-02-14", "2098-06-30", "typed by hand");

        ResponseEntity<String> adopted = put(MAPPING, Map.of("agreementId", agreement, "additionId", hand), partner, SUB);

        assertThat(adopted.getStatusCode().value()).as(adopted.getBody()).isEqualTo(200);
        assertThat(json(adopted).path("adoption").path("patched").toString()).contains("cancelledDate");
        JsonNode now = client.get(cw, "finance/agreements/" + agreement + "/additions/" + hand, Map.of());
        assertThat(day(now.path("cancelledDate"))).isEqualTo(LocalDate.of(2099, 2, 13));
        assertThat(day(now.path("effectiveDate"))).isEqualTo(LocalDate.of(2024, 2, 14));
    }

    @Test
    void aKnownSubscriptionWhoseProductIsUnmappedCannotAdoptUntilItIsMappedR2() {
        seedEvent(SUB, "2024-02-14T08:00:00Z");
        long otherItem = handMade(agreement, catalogItem("M365E3"), 12, "22.00", "2024-02-14", null, "E3");
        assertThat(delete("/{p}/products/{id}/mapping", partner, io.cwbridge.testsupport.Tenant.PRODUCT).getStatusCode().value())
                .isIn(200, 204);

        ResponseEntity<String> refused = put(MAPPING, Map.of("agreementId", agreement, "additionId", otherItem), partner, SUB);

        assertThat(refused.getStatusCode().value()).as(refused.getBody()).isEqualTo(400);
        assertThat(errorFields(refused)).containsExactly("additionId");
        assertThat(firstErrorMessage(refused)).contains("not mapped to a catalog item (R2)");
        assertThat(get(MAPPING, partner, SUB).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void anAdoptionSavedBeforeTheSubscriptionWasKnownHoldsItsSaleWhenTheAdditionIsAnotherProductR2R6() throws Exception {
        long otherItem = handMade(agreement, catalogItem("M365E3"), 10, "22.00", "2024-02-14", null, "E3 typed by hand");
        ResponseEntity<String> adopted = put(MAPPING, Map.of("agreementId", agreement, "additionId", otherItem), partner, SUB);
        assertThat(adopted.getStatusCode().value()).as(adopted.getBody()).isEqualTo(200);

        long sale = submit("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null);

        assertThat(awaitTask(sale, "NEEDS_MAPPING", "SYNCED", "FAILED")).isEqualTo("NEEDS_MAPPING");
        assertThat(tenant.task(sale).path("reason").asText()).contains("R6 adopted addition").contains("mapped to catalog item " + item);
        assertThat(additions(agreement)).singleElement().satisfies(a -> {
            assertThat(a.path("id").asLong()).isEqualTo(otherItem);
            assertThat(day(a.path("cancelledDate"))).isNull();
        });
    }

    @Test
    void candidatesOfAnotherCompanysAgreementAreRefusedR4() {
        seedEvent(SUB, "2024-02-14T08:00:00Z");
        long stranger = company("Stranger", "Stranger Inc");
        long theirs = agreement(stranger, "Stranger cloud");
        handMade(theirs, item, 12, "22.00", "2024-02-14", null, "theirs");

        ResponseEntity<String> response = get(CANDIDATES + "?agreementId=" + theirs, partner, SUB);

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(400);
        assertThat(errorFields(response)).containsExactly("agreementId");
        assertThat(firstErrorMessage(response)).contains("belongs to company " + stranger);
    }

    // ---- candidates -----------------------------------------------------------------------------

    @Test
    void candidatesAreTheActiveUnownedAdditionsOfTheItemRankedBestFirstWithNames() {
        seedEvent(SUB, "2024-02-14T08:00:00Z"); // 12 licences at 22.00, plan Microsoft 365 Business Premium
        seedEvent("sub-2", "2024-02-14T08:00:00Z", Map.of("id", "sub-2"), Map.of());
        long exact = handMade(agreement, item, 12, "22.00", "2024-02-14", null, "M365 BP");
        long plan = handMade(agreement, item, 12, "20.00", "2024-02-14", null, "Microsoft 365 Business Premium");
        long named = handMade(agreement, item, 5, "22.00", "2024-02-14", null, "licences of " + SUB);
        handMade(agreement, catalogItem("M365E3"), 12, "22.00", "2024-02-14", null, "another product");
        handMade(agreement, item, 12, "22.00", "2024-01-01", "2024-01-31", "ended");
        long owned = handMade(agreement, item, 12, "22.00", "2024-02-14", null, "sub-2's");
        assertThat(put(MAPPING, Map.of("agreementId", agreement, "additionId", owned), partner, "sub-2").getStatusCode().value())
                .isEqualTo(200);

        ResponseEntity<String> response = get(CANDIDATES, partner, SUB);

        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        JsonNode list = json(response);
        assertThat(list.findValues("additionId")).extracting(JsonNode::asLong).containsExactly(exact, plan, named);
        JsonNode best = list.get(0);
        assertThat(best.path("score").asInt()).isEqualTo(70);
        assertThat(best.path("exact").asBoolean()).isTrue();
        assertThat(best.path("quantity").decimalValue()).isEqualByComparingTo("12");
        assertThat(best.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(best.path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(best.path("effectiveDate").asText()).isEqualTo("2024-02-14");
        assertThat(best.path("cancelledDate").isNull()).isTrue();
        assertThat(best.path("description").asText()).isEqualTo("M365 BP");
        assertThat(best.path("reasons").toString()).contains("same quantity").contains("same unit price");
        assertThat(best.path("agreementName").asText()).isEqualTo("Chairs cloud");
        assertThat(best.path("catalogItemId").asLong()).isEqualTo(item);
        assertThat(best.path("catalogItemIdentifier").asText()).isEqualTo("M365BP");
        assertThat(list.get(1).path("score").asInt()).isEqualTo(50);
        assertThat(list.get(1).path("reasons").toString()).contains("names the plan").contains("unit price 20.00");
        assertThat(list.get(2).path("score").asInt()).isEqualTo(50);
        assertThat(list.get(2).path("reasons").toString()).contains("names the subscription id").contains("quantity 5");

        // Another agreement by ?agreementId=; without one and without a mapping the company has two: 400.
        long other = agreement(company, "Other");
        long there = handMade(other, item, 12, "22.00", "2024-02-14", null, "there");
        assertThat(json(get(CANDIDATES + "?agreementId=" + other, partner, SUB)).findValues("additionId"))
                .extracting(JsonNode::asLong).containsExactly(there);
        ResponseEntity<String> ambiguous = get(CANDIDATES, partner, "sub-3-unknown");
        assertThat(ambiguous.getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void candidatesWithoutAgreementUseTheCompanysOnlyEligibleOne() {
        seedEvent(SUB, "2024-02-14T08:00:00Z");
        long hand = handMade(agreement, item, 12, "22.00", "2024-02-14", null, "hand");

        JsonNode list = json(get(CANDIDATES, partner, SUB));

        assertThat(list.findValues("additionId")).extracting(JsonNode::asLong).containsExactly(hand);
        agreement(company, "Second");
        ResponseEntity<String> choose = get(CANDIDATES, partner, SUB);
        assertThat(choose.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(choose)).containsExactly("agreementId");
    }

    // ---- auto-map -------------------------------------------------------------------------------

    @Test
    void autoMapAdoptsTheOneExactCandidateAndListsTheOthersWithoutCreatingAnything() {
        seedEvent(SUB, "2024-02-14T08:00:00Z"); // 12 at 22.00
        seedEvent("sub-2", "2024-02-14T08:00:00Z", Map.of("id", "sub-2", "quantity", 7), Map.of()); // 7 at 22.00
        long twelve = handMade(agreement, item, 12, "22.00", "2024-02-14", null, "twelve");
        long sevenA = handMade(agreement, item, 7, "20.00", "2024-02-14", null, "seven at 20");
        long sevenB = handMade(agreement, item, 7, "19.00", "2024-02-14", null, "seven at 19");

        JsonNode dry = json(api.post().uri("/{p}/auto-map?dryRun=true", partner).retrieve().toEntity(String.class));
        assertThat(item(dry, SUB).path("outcome").asText()).isEqualTo("WOULD_MAP");
        assertThat(item(dry, SUB).path("additionId").asLong()).isEqualTo(twelve);
        assertThat(get(MAPPING, partner, SUB).getStatusCode().value()).isEqualTo(404);

        ResponseEntity<String> run = api.post().uri("/{p}/auto-map", partner).retrieve().toEntity(String.class);

        assertThat(run.getStatusCode().value()).as(run.getBody()).isEqualTo(200);
        JsonNode report = json(run);
        JsonNode mapped = item(report, SUB);
        assertThat(mapped.path("outcome").asText()).isEqualTo("MAPPED");
        assertThat(mapped.path("additionId").asLong()).isEqualTo(twelve);
        assertThat(mapped.path("reason").asText()).contains("R6");
        assertThat(json(get(MAPPING, partner, SUB)).path("adoption").path("additionId").asLong()).isEqualTo(twelve);

        JsonNode listed = item(report, "sub-2");
        assertThat(listed.path("outcome").asText()).isEqualTo("AMBIGUOUS");
        assertThat(listed.path("reason").asText()).contains("R6").contains("none has the same quantity and unit price");
        assertThat(listed.path("candidates").findValues("additionId")).extracting(JsonNode::asLong).contains(sevenA, sevenB);
        assertThat(get(MAPPING, partner, "sub-2").getStatusCode().value()).isEqualTo(404);
        assertThat(additions(agreement)).hasSize(3);
        assertThat(jdbc.queryForList("SELECT addition_id FROM subscription_line WHERE partner_id = ?", Long.class, partner))
                .containsExactly(twelve);
    }

    private static JsonNode item(JsonNode report, String id) {
        for (JsonNode i : report.path("subscriptions")) {
            if (id.equals(i.path("id").asText())) return i;
        }
        throw new AssertionError(id + " not in " + report);
    }

    // ---- guards ---------------------------------------------------------------------------------

    @Test
    void aSubscriptionOfAnUnmappedCustomerCannotBeMappedR1() {
        seedEvent("sub-9", "2024-02-14T08:00:00Z", Map.of("id", "sub-9", "customer", Map.of("id", "777", "name", "Nobody Ltd")), Map.of());

        ResponseEntity<String> refused = put(MAPPING, Map.of("agreementId", agreement), partner, "sub-9");

        assertThat(refused.getStatusCode().value()).isEqualTo(409);
        assertThat(refused.getHeaders().getContentType().toString()).contains("application/problem+json");
        assertThat(errorFields(refused)).containsExactly("customerId");
        assertThat(json(refused).path("customerId").asText()).isEqualTo("777");
        assertThat(firstErrorMessage(refused)).contains("777").contains("R1");
        assertThat(get(MAPPING, partner, "sub-9").getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void createOnAMappedCustomerOrProductIs409WithTheExistingMappingUnlessItReplaces() {
        seedEvent(SUB, "2024-02-14T08:00:00Z");
        long typed = company("CHAIRS-HAND", "Chairs (typed by hand)"); // not the identifier create would use
        assertThat(put("/{p}/customers/{c}/mapping", Map.of("companyId", typed), partner, "65533").getStatusCode().value()).isEqualTo(200);
        sandbox.resetCalls();

        ResponseEntity<String> customer = put("/{p}/customers/{c}/mapping", Map.of("create", true), partner, "65533");
        ResponseEntity<String> product = put("/{p}/products/{id}/mapping", Map.of("create", true), partner, "CFQ7TTC0LCHC:0002");

        assertThat(customer.getStatusCode().value()).isEqualTo(409);
        assertThat(json(customer).path("existing").path("companyId").asLong()).isEqualTo(typed);
        assertThat(json(customer).path("existing").path("name").asText()).isEqualTo("Chairs (typed by hand)");
        assertThat(json(customer).path("detail").asText()).contains("company " + typed);
        assertThat(errorFields(customer)).containsExactly("create");
        assertThat(product.getStatusCode().value()).isEqualTo(409);
        assertThat(json(product).path("existing").path("catalogItemId").asLong()).isEqualTo(item);
        assertThat(json(product).path("existing").path("name").asText()).isEqualTo("M365BP");
        assertThat(sandbox.calls("POST /company/companies")).isZero();
        assertThat(sandbox.calls("POST /procurement/catalog")).isZero();
        assertThat(json(get("/{p}/customers/{c}/mapping", partner, "65533")).path("companyId").asLong()).isEqualTo(typed);

        ResponseEntity<String> replaced = put("/{p}/customers/{c}/mapping", Map.of("create", true, "replace", true), partner, "65533");
        assertThat(replaced.getStatusCode().value()).as(replaced.getBody()).isEqualTo(200);
        assertThat(json(replaced).path("companyId").asLong()).isEqualTo(company); // ChairsUnlimited, found by its identifier
        assertThat(sandbox.calls("POST /company/companies")).isZero();
        ResponseEntity<String> newItem = put("/{p}/products/{id}/mapping", Map.of("create", true, "replace", true), partner,
                "CFQ7TTC0LCHC:0002");
        assertThat(newItem.getStatusCode().value()).as(newItem.getBody()).isEqualTo(200);
        assertThat(json(newItem).path("created").asBoolean()).isTrue();
        assertThat(sandbox.calls("POST /procurement/catalog")).isEqualTo(1);
        // Now mapped to the record create makes: a repeated create is no conflict.
        assertThat(put("/{p}/customers/{c}/mapping", Map.of("create", true), partner, "65533").getStatusCode().value()).isEqualTo(200);
        assertThat(put("/{p}/products/{id}/mapping", Map.of("create", true), partner, "CFQ7TTC0LCHC:0002").getStatusCode().value())
                .isEqualTo(200);
        assertThat(sandbox.calls("POST /company/companies")).isZero();
        assertThat(sandbox.calls("POST /procurement/catalog")).isEqualTo(1);
    }

    @Test
    void theOpenApiDocumentDescribesAdoptAndCandidates() throws Exception {
        JsonNode docs = mapper.readTree(RestClient.create("http://localhost:" + port).get().uri("/v3/api-docs")
                .retrieve().body(String.class));

        assertThat(docs.path("paths").has("/api/v1/partners/{partnerId}/subscriptions/{subscriptionId}/addition-candidates")).isTrue();
        JsonNode request = docs.path("components").path("schemas").path("SubscriptionMappingRequest").path("properties");
        assertThat(request.has("additionId") && request.has("description") && request.has("effectiveDate") && request.has("replace")).isTrue();
        assertThat(docs.path("components").path("schemas").path("CustomerMappingRequest").path("properties").has("replace")).isTrue();
        assertThat(docs.path("components").path("schemas").path("AdditionCandidate").path("properties").has("reasons")).isTrue();
        // the company / catalog item candidates keep their own schema
        assertThat(docs.path("components").path("schemas").path("Candidate").path("properties").has("identifier")).isTrue();
    }
}
