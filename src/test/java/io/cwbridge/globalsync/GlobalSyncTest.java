package io.cwbridge.globalsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.testsupport.TestEvents;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.ResponseEntity;

/** R30 global sync and R18 month roll against the sandbox over HTTP; the clock is fixed at 2024-04-01T00:00Z. */
class GlobalSyncTest extends TimersTestBase {

    JsonNode runGlobalSync() throws Exception {
        ResponseEntity<String> response = post("/api/v1/partners/" + partner + "/global-sync", null);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        return mapper.readTree(response.getBody());
    }

    /** Licences the additions bill on day d (effectiveDate ≤ d ≤ cancelledDate). */
    static BigDecimal billedOn(List<JsonNode> additions, LocalDate d) {
        return additions.stream().filter(a -> {
            LocalDate from = LocalDate.parse(a.path("effectiveDate").asText().substring(0, 10));
            String to = a.path("cancelledDate").asText("");
            return !d.isBefore(from) && (to.length() < 10 || !d.isAfter(LocalDate.parse(to.substring(0, 10))));
        }).map(a -> a.path("quantity").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void r18MonthRollBaseAbsorbsTheEndedDeltaR10HoldsAndASecondRunWritesNothing() throws Exception {
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533")), "SYNCED");
        awaitStatus(submit(event("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10, "65533")), "SYNCED");
        assertThat(additions()).hasSize(2);

        JsonNode report = runGlobalSync();

        assertThat(report.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(report.path("lookedAt").path("subscriptions").asInt()).isEqualTo(1);
        assertThat(report.path("changed").path("subscriptions").asInt()).isEqualTo(1);
        List<JsonNode> lines = additions();
        // The base line from 2024-04-01 carries the 12 licences; the delta (+2) ended with March.
        JsonNode newBase = lines.stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-04-01")).findFirst()
                .orElseThrow(() -> new AssertionError("no base line from 2024-04-01 in " + lines));
        assertThat(newBase.path("quantity").decimalValue()).isEqualByComparingTo("12");
        assertThat(lines.stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-02-14")).findFirst().orElseThrow()
                .path("cancelledDate").asText()).startsWith("2024-03-31");
        // R10: every day bills the licences the events say, before, during and after the roll.
        for (LocalDate d = LocalDate.parse("2024-02-14"); !d.isAfter(LocalDate.parse("2025-02-13")); d = d.plusDays(1)) {
            BigDecimal expected = d.isBefore(LocalDate.parse("2024-03-15")) ? BigDecimal.TEN : BigDecimal.valueOf(12);
            assertThat(billedOn(lines, d)).as("R10 on " + d).isEqualByComparingTo(expected);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM global_sync_operation WHERE partner_id = ? AND status <> 'DONE'",
                Long.class, partner)).isZero();

        sandbox.resetCalls();
        JsonNode second = runGlobalSync();

        assertThat(writeCalls()).isZero();
        assertThat(second.path("calls").path("writes").asInt()).isZero();
        assertThat(second.path("changes")).isEmpty();
        assertThat(second.path("lookedAt").path("companies").asInt()).isEqualTo(1);
        assertThat(second.path("lookedAt").path("catalogItems").asInt()).isEqualTo(1);
        assertThat(additions()).hasSize(lines.size());
    }

    /**
     * R18 × R10 × R30 (probe 58 F1): 4 licences from 15 March, +2 on 25 March, rolled on 1 April (continuation 6). A
     * billing person then credits March in ConnectWise: the ended delta +2 becomes +1. The next global sync carried that
     * into the continuation (5 from April on: 22.00 a month under-billed, silently); the continuation now stays at the 6 the
     * marketplace says, the past line keeps the person's 1 and the run lists it as differing from what the bundle wrote.
     */
    @Test
    void r18R10R30AHandEditOfAnEndedDeltaLineIsNotCarriedIntoTheContinuation() throws Exception {
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-03-15T09:00:00Z", 4, null, "65533")), "SYNCED");
        awaitStatus(submit(event("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-25T14:02:00Z", 6, 4, "65533")), "SYNCED");
        runGlobalSync();
        JsonNode delta = additions().stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-03-25")).findFirst()
                .orElseThrow();
        String path = "finance/agreements/" + agreement + "/additions/" + delta.path("id").asLong();
        client.patch(cw, path, List.of(io.cwbridge.connectwise.JsonPatchOperation.replace("quantity", new BigDecimal("1"))));

        JsonNode report = runGlobalSync();

        List<JsonNode> lines = additions();
        assertThat(billedOn(lines, LocalDate.parse("2024-04-01"))).as("R10 from the roll on: the marketplace's 6").isEqualByComparingTo("6");
        assertThat(billedOn(lines, LocalDate.parse("2024-12-31"))).isEqualByComparingTo("6");
        assertThat(client.get(cw, path, Map.of()).path("quantity").decimalValue()).as("the hand edit stays").isEqualByComparingTo("1");
        assertThat(report.path("calls").path("writes").asInt()).isZero();
        assertThat(report.path("changes").toString()).contains("differs from what the bundle wrote")
                .contains("addition " + delta.path("id").asLong());
    }

    /**
     * R19 × R27 / R18 × R10 (probe 42 D1): 10 licences from 14 February, upgraded in full to E3 (sub-2) on 5 April, then a
     * decrease 10 → 8 dated 25 March arrives. With March invoiced, R27 continues the old base from N = 1 April at 8 (the
     * task and {@code /api/v1/plan}); with nothing invoiced the global sync's month roll does. Either way the upgrade's −Q
     * line nets the 8, so the old product bills 8 until 4 April and nothing from the upgrade on, next to the 10 E3. Before,
     * the −10 line stayed and the old product billed −2 licences from 5 to 30 April (−38.13 at 22.00).
     */
    @ParameterizedTest(name = "March invoiced: {0}")
    @ValueSource(booleans = {true, false})
    void r19R27R18ALateDecreaseBeforeAFullUpgradeLeavesTheOldProductBillingNothingFromTheUpgradeR10(boolean marchInvoiced)
            throws Exception {
        clock.setInstant("2024-04-10T09:00:00Z");
        long e3 = tenant.catalogItem("M365-E3", "M365 E3", "Cloud", Map.of());
        tenant.mapProduct("CFQ7TTC0LFLZ:0001", e3);
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533")), "SYNCED");
        if (marchInvoiced) sandbox.invoice(agreement, "2024-03-31");
        ObjectNode upgrade = (ObjectNode) mapper.readTree(event("up", "CHANGE_ORDER", "FULL_UPGRADE", "2024-04-05T10:00:00Z", 10, 10,
                "65533"));
        assertThat(awaitStatus(submit(TestEvents.upgradeToE3(upgrade, "sub-2", 10, "2025-04-04").toString()), "SYNCED", "FAILED"))
                .isEqualTo("SYNCED");
        String late = event("dec", "CHANGE_ORDER", "LICENSE_DECREASE", "2024-03-25T10:00:00Z", 8, 10, "65533");
        if (marchInvoiced) {
            // the dry run plans what the task then does: the −Q line of 5 April nets the 8 licences R27 continues from N
            JsonNode plan = mapper.readTree(post("/api/v1/plan", late).getBody());
            assertThat(plan.path("operations").findValues("reason")).as(plan.toString())
                    .anySatisfy(reason -> assertThat(reason.asText()).contains("R19, R10").contains("nets -8"));
        }
        assertThat(awaitStatus(submit(late), "SYNCED", "FAILED")).isEqualTo("SYNCED");

        runGlobalSync();

        List<JsonNode> lines = additions();
        List<JsonNode> old = lines.stream().filter(a -> a.path("product").path("id").asLong() == catalogItem).toList();
        List<JsonNode> upgraded = lines.stream().filter(a -> a.path("product").path("id").asLong() == e3).toList();
        for (LocalDate d = LocalDate.parse("2024-02-14"); !d.isAfter(LocalDate.parse("2024-05-31")); d = d.plusDays(1)) {
            // invoiced, 25–31 March stay billed at 10 in ConnectWise: their 2 licences are the catch-up
            LocalDate eight = LocalDate.parse(marchInvoiced ? "2024-04-01" : "2024-03-25");
            int expected = d.isBefore(eight) ? 10 : d.isBefore(LocalDate.parse("2024-04-05")) ? 8 : 0;
            assertThat(billedOn(old, d)).as("R10, the old product on " + d + ": " + lines).isEqualByComparingTo(BigDecimal.valueOf(expected));
            assertThat(billedOn(upgraded, d)).as("R10, E3 on " + d).isEqualByComparingTo(d.isBefore(LocalDate.parse("2024-04-05"))
                    ? BigDecimal.ZERO : BigDecimal.TEN);
        }
        JsonNode catchUps = mapper.readTree(api.get().uri("/api/v1/partners/{p}/catch-ups", partner).retrieve().body(String.class));
        assertThat(catchUps.findValues("licenceDays")).as(catchUps.toString()).extracting(JsonNode::decimalValue)
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactlyElementsOf(marchInvoiced ? List.of(new BigDecimal("-14")) : List.of());
        sandbox.resetCalls();
        runGlobalSync();
        assertThat(writeCalls()).as("a second run finds nothing to roll").isZero();
    }

    @Test
    void r30ABaseLineEndingWithinSevenDaysWhileTheMarketplaceRenewsIsListedUntilTheRenewalArrives() throws Exception {
        String renewing = "\"endDate\":\"2024-04-05\",\"autoRenew\":true";
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533")
                .replace("\"endDate\":\"2025-02-13\",\"autoRenew\":false", renewing)), "SYNCED");

        JsonNode report = runGlobalSync();

        // The clock is 2024-04-01: the base line (R25, dated at the subscription end) ends in 4 days.
        assertThat(report.path("renewalsDue")).hasSize(1);
        JsonNode due = report.path("renewalsDue").get(0);
        assertThat(due.path("subscriptionId").asText()).isEqualTo("sub-1");
        assertThat(due.path("baseLineEnds").asText()).isEqualTo("2024-04-05");
        assertThat(due.path("daysLeft").asLong()).isEqualTo(4);
        // Listed only: the line still ends when it did.
        assertThat(additions()).singleElement().satisfies(a -> assertThat(a.path("cancelledDate").asText()).startsWith("2024-04-05"));

        // The renewal (R23) moves the same line's end: nothing to list any more.
        awaitStatus(submit(event("renewal", "CHANGE_ORDER", "RENEWAL", "2024-04-02T09:00:00Z", 10, null, "65533")
                .replace("\"endDate\":\"2025-02-13\",\"autoRenew\":false", "\"endDate\":\"2025-04-05\",\"autoRenew\":true")),
                "SYNCED");
        assertThat(runGlobalSync().path("renewalsDue")).isEmpty();
    }

    @Test
    void changedCompanyNameAndCatalogPriceArePushedExcludedFieldsAreNot() throws Exception {
        putSyncRules(Map.of("companyFields", List.of("name"), "productFields", List.of("price")));
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533")), "SYNCED");
        sandbox.resetCalls();

        JsonNode report = runGlobalSync();

        JsonNode companyNow = client.get(cw, "company/companies/" + company, Map.of());
        assertThat(companyNow.path("name").asText()).isEqualTo("Chairs Unlimited");
        assertThat(companyNow.path("city").asText()).isEqualTo("Old City"); // city is not in companyFields
        JsonNode itemNow = client.get(cw, "procurement/catalog/" + catalogItem, Map.of());
        assertThat(itemNow.path("price").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(itemNow.path("cost").decimalValue()).isEqualByComparingTo("15"); // cost is not in productFields
        assertThat(itemNow.path("description").asText()).isEqualTo("M365 BP"); // nor the name
        assertThat(report.path("changed").path("companies").asInt()).isEqualTo(1);
        assertThat(report.path("changed").path("catalogItems").asInt()).isEqualTo(1);
        assertThat(report.path("changes").findValuesAsText("what")).contains("name", "price");
        assertThat(sandbox.calls("PATCH /company/companies/{id}")).isEqualTo(1);
        assertThat(sandbox.calls("PATCH /procurement/catalog/{id}")).isEqualTo(1);
        assertThat(writeCalls()).isEqualTo(2);
        assertThat(report.path("calls").path("writes").asInt()).isEqualTo(2);

        // The report is stored and listed, newest first.
        ResponseEntity<String> runs = api.get().uri("/api/v1/partners/{p}/global-sync/runs", partner).retrieve().toEntity(String.class);
        assertThat(runs.getStatusCode().value()).isEqualTo(200);
        JsonNode listed = mapper.readTree(runs.getBody());
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("runId").asLong()).isEqualTo(report.path("runId").asLong());
        assertThat(listed.get(0).path("trigger").asText()).isEqualTo("ON_DEMAND");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R17 x R30: under price source CONNECTWISE_CATALOG the global sync leaves the catalog item's price and cost, "
            + "whatever productFields says, so a later sale bills the partner's ConnectWise price")
    void r17UnderTheCatalogPriceSourceTheGlobalSyncKeepsTheCatalogsPriceAndCost() throws Exception {
        putSyncRules(Map.of("priceSource", "CONNECTWISE_CATALOG", "productFields", List.of("price", "cost", "name")));
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533")), "SYNCED");

        JsonNode report = runGlobalSync();

        JsonNode itemNow = client.get(cw, "procurement/catalog/" + catalogItem, Map.of());
        // probe 45 F1: the event's 22.00 was pushed and every later line billed 22.00 instead of the catalog's 20.00
        assertThat(itemNow.path("price").decimalValue()).as(report.toString()).isEqualByComparingTo("20");
        assertThat(itemNow.path("cost").decimalValue()).isEqualByComparingTo("15");
        assertThat(report.path("changes").findValuesAsText("what")).noneMatch(w -> w.contains("price") || w.contains("cost"));
        JsonNode fields = mapper.readTree(api.get().uri("/api/v1/partners/{p}/products/{id}/sync-fields", partner, PRODUCT_ID)
                .retrieve().body(String.class));
        assertThat(fields.path("fields").toString()).doesNotContain("price").doesNotContain("cost").contains("name");
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R17 CONNECTWISE_CATALOG x R18 (probe 45 F4): after the partner raises the catalog price to 32.00 / 26.00, the"
            + " month roll's new base line carries the catalog's current price, not the 20.00 / 15 of the base it continues")
    void r17TheMonthRollsNewBaseTakesTheCatalogsCurrentPrice() throws Exception {
        theMonthRollsNewBaseTakesTheCatalogsCurrentPrice(Map.of("priceSource", "CONNECTWISE_CATALOG", "productFields", List.of("name")));
    }

    /** Probe 59 N1: with "sync unit price" off the continuation copied the old base's 20.00 (the catalog and the delta said 32.00). */
    @Test
    void r17TheMonthRollsNewBaseTakesTheCatalogsCurrentPriceAlsoWithSyncUnitPriceOff() throws Exception {
        theMonthRollsNewBaseTakesTheCatalogsCurrentPrice(Map.of("priceSource", "CONNECTWISE_CATALOG", "productFields", List.of("name"),
                "syncUnitPrice", false));
    }

    private void theMonthRollsNewBaseTakesTheCatalogsCurrentPrice(Map<String, Object> syncRules) throws Exception {
        putSyncRules(syncRules);
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533")), "SYNCED");
        client.patch(cw, "procurement/catalog/" + catalogItem, List.of(io.cwbridge.connectwise.JsonPatchOperation.replace("price",
                new BigDecimal("32.00")), io.cwbridge.connectwise.JsonPatchOperation.replace("cost", new BigDecimal("26.00"))));
        awaitStatus(submit(event("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10, "65533")), "SYNCED");
        sandbox.resetCalls();

        JsonNode report = runGlobalSync();

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("COMPLETED");
        // the new base is created at the catalog's price: the old base's end is the one PATCH (no re-pricing after the create)
        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).as(report.toString()).isEqualTo(1);
        List<JsonNode> lines = additions();
        JsonNode oldBase = lines.stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-02-14")).findFirst().orElseThrow();
        assertThat(oldBase.path("unitPrice").decimalValue()).isEqualByComparingTo("20");
        JsonNode delta = lines.stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-03-15")).findFirst().orElseThrow();
        assertThat(delta.path("unitPrice").decimalValue()).isEqualByComparingTo("32.00");
        JsonNode newBase = lines.stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-04-01")).findFirst()
                .orElseThrow(() -> new AssertionError("no base line from 2024-04-01 in " + lines));
        assertThat(newBase.path("quantity").decimalValue()).isEqualByComparingTo("12");
        // 12 x 32.00 = 384.00 a month; it copied 20.00 (240.00) and the two licences that billed 32.00 in March dropped to 20.00
        assertThat(newBase.path("unitPrice").decimalValue()).as(newBase.toString()).isEqualByComparingTo("32.00");
        assertThat(newBase.path("unitCost").decimalValue()).isEqualByComparingTo("26.00");
        JsonNode item = client.get(cw, "procurement/catalog/" + catalogItem, Map.of());
        assertThat(item.path("price").decimalValue()).isEqualByComparingTo("32.00");

        sandbox.resetCalls();
        runGlobalSync();
        assertThat(writeCalls()).isZero();
    }

    @Test
    @org.junit.jupiter.api.DisplayName("R17 x SPEC 4 sync unit price off (probe 45 F3 / probe 48 P48-3): the base line is posted with the catalog"
            + " item's price 20 explicitly, not without a unitPrice for ConnectWise to default; the cost is the marketplace's")
    void r17WithSyncUnitPriceOffTheCreateSendsTheCatalogsPriceExplicitly() throws Exception {
        putSyncRules(Map.of("syncUnitPrice", false));
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533")), "SYNCED");
        String request = jdbc.queryForObject("""
                SELECT o.request::text FROM task_operation o JOIN sync_task t ON t.task_id = o.task_id
                WHERE t.event_id = ? AND o.kind = 'CREATE'""", String.class, "sale-" + partner);
        JsonNode fields = mapper.readTree(request).path("fields");
        assertThat(fields.path("unitPrice").decimalValue()).as(request).isEqualByComparingTo("20");
        assertThat(fields.path("unitCost").decimalValue()).isEqualByComparingTo("18.70");
        assertThat(additions()).singleElement().satisfies(a -> assertThat(a.path("unitPrice").decimalValue()).isEqualByComparingTo("20"));
    }

    @Test
    void r27ARollIntoAnInvoicedMonthBillsFromTheNextInvoiceDateAndPostsTheMonthAsOneAdjustment() throws Exception {
        putSyncRules(Map.of("invoicedCatchUp", "ADJUSTMENT"));
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533")), "SYNCED");
        awaitStatus(submit(event("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10, "65533")), "SYNCED");
        // April is invoiced in advance on this agreement, which does not prorate (N = 1 May).
        sandbox.invoice(agreement, "2024-04-30");

        JsonNode report = runGlobalSync();

        assertThat(report.path("status").asText()).as(report.toString()).isEqualTo("COMPLETED");
        List<JsonNode> lines = additions();
        for (LocalDate d = LocalDate.parse("2024-02-14"); !d.isAfter(LocalDate.parse("2025-02-13")); d = d.plusDays(1)) {
            // April stays as it was invoiced (10); from N on the 12 licences bill.
            int expected = d.isBefore(LocalDate.parse("2024-03-15")) ? 10 : d.isBefore(LocalDate.parse("2024-04-01")) ? 12
                    : d.isBefore(LocalDate.parse("2024-05-01")) ? 10 : 12;
            assertThat(billedOn(lines, d)).as("on " + d + ": " + lines).isEqualByComparingTo(BigDecimal.valueOf(expected));
        }
        // April's 2 licences × 30 days at 22.00 were not billed: one catch-up of the roll, posted as an adjustment.
        JsonNode catchUps = mapper.readTree(api.get().uri("/api/v1/partners/{p}/catch-ups", partner).retrieve().body(String.class));
        assertThat(catchUps).as(catchUps.toString()).hasSize(1);
        JsonNode april = catchUps.get(0);
        assertThat(april.path("runId").asLong()).isEqualTo(report.path("runId").asLong());
        assertThat(april.path("taskId").isNull()).isTrue();
        assertThat(april.path("periodStart").asText()).isEqualTo("2024-04-01");
        assertThat(april.path("licenceDays").decimalValue()).isEqualByComparingTo("60");
        assertThat(april.path("amount").decimalValue()).isEqualByComparingTo("44.00");
        assertThat(april.path("status").asText()).isEqualTo("POSTED");
        List<JsonNode> adjustments = client.getAll(cw, "finance/agreements/" + agreement + "/adjustments", null);
        assertThat(adjustments).singleElement().satisfies(a -> {
            assertThat(a.path("id").asLong()).isEqualTo(april.path("adjustmentId").asLong());
            assertThat(a.path("amount").decimalValue()).isEqualByComparingTo("44.00");
            assertThat(a.path("effectiveDate").asText()).startsWith("2024-05-01");
        });

        sandbox.resetCalls();
        runGlobalSync();
        assertThat(writeCalls()).as("a second run finds nothing to roll or to post").isZero();
        assertThat(client.getAll(cw, "finance/agreements/" + agreement + "/adjustments", null)).hasSize(1);
    }

    @Test
    void r27R18R10ALateDecreaseIntoARolledMonthOfAProratingAgreementChangesTheRolledBaseInTheTask() throws Exception {
        // R27 first branch: the agreement prorates and invoices prorated additions, so lines keep the rules' dates
        client.patch(cw, "finance/agreements/" + agreement, List.of(io.cwbridge.connectwise.JsonPatchOperation.replace("prorateFlag", true),
                io.cwbridge.connectwise.JsonPatchOperation.replace("invoiceProratedAdditionsFlag", true)));
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533")), "SYNCED");
        awaitStatus(submit(event("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10, "65533")), "SYNCED");
        sandbox.invoice(agreement, "2024-03-31");
        runGlobalSync(); // R18: base 10 ends 31 March, base 12 from 1 April

        // a decrease 12 -> 9 dated 20 March arrives after the roll
        awaitStatus(submit(event("dec", "CHANGE_ORDER", "LICENSE_DECREASE", "2024-03-20T10:00:00Z", 9, 12, "65533")), "SYNCED");

        List<JsonNode> lines = additions();
        for (LocalDate d = LocalDate.parse("2024-02-14"); !d.isAfter(LocalDate.parse("2025-02-13")); d = d.plusDays(1)) {
            int expected = d.isBefore(LocalDate.parse("2024-03-15")) ? 10 : d.isBefore(LocalDate.parse("2024-03-20")) ? 12 : 9;
            assertThat(billedOn(lines, d)).as("R10 on " + d + ": " + lines).isEqualByComparingTo(BigDecimal.valueOf(expected));
        }
        // the delta keeps its March dates (R14, R27) and the rolled base itself says 9 from 1 April
        assertThat(lines).anySatisfy(a -> {
            assertThat(a.path("effectiveDate").asText()).startsWith("2024-03-20");
            assertThat(a.path("cancelledDate").asText()).startsWith("2024-03-31");
            assertThat(a.path("quantity").decimalValue()).isEqualByComparingTo("-3");
        });
        assertThat(lines).filteredOn(a -> a.path("effectiveDate").asText().startsWith("2024-04-01")).singleElement()
                .satisfies(a -> {
                    assertThat(a.path("quantity").decimalValue()).isEqualByComparingTo("9");
                    assertThat(a.path("description").asText()).endsWith("9 licences");
                });

        // April bills 9 x 22.00, and the next global sync has nothing left to roll
        sandbox.resetCalls();
        runGlobalSync();
        assertThat(writeCalls()).as("the task already carried the decrease into the rolled base").isZero();
        sandbox.invoice(agreement, "2024-04-30");
        List<JsonNode> invoices = client.getAll(cw, "finance/invoices", "agreement/id=" + agreement);
        assertThat(invoices.stream().max(java.util.Comparator.comparingLong(i -> i.path("id").asLong())).orElseThrow()
                .path("total").decimalValue()).as(invoices.toString()).isEqualByComparingTo("198.00");
    }

    @Test
    void r30AnAgreementWithManySubscriptionsIsReadWholeOnceAndALineWrittenSinceIsReadAfresh() throws Exception {
        for (int i = 1; i <= 4; i++) {
            awaitStatus(submit(onSubscription(i, event("sale-" + i, "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533"))),
                    "SYNCED");
        }
        awaitStatus(submit(onSubscription(3, event("inc-3", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10,
                "65533"))), "SYNCED");
        sandbox.resetCalls();

        JsonNode report = runGlobalSync();

        // 4 subscriptions on one agreement: one read of their additions by id (issue 14: no count first), instead of 4
        // reads; sub-3's lines once more after its roll.
        assertThat(report.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(sandbox.calls("GET /finance/agreements/{parentId}/additions/count")).isZero();
        assertThat(sandbox.calls("GET /finance/agreements/{parentId}/additions")).isEqualTo(2);
        // How the agreement invoices (R22, R27): read once per agreement per run, not per subscription.
        assertThat(sandbox.calls("GET /finance/agreements/{id}")).isEqualTo(1);
        assertThat(report.path("calls").path("reads").asInt()).as(report.toString()).isEqualTo(readCalls());
        assertThat(report.path("changed").path("subscriptions").asInt()).isEqualTo(1);
        List<JsonNode> lines = additions();
        assertThat(lines.stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-04-01")).toList())
                .singleElement().satisfies(base -> assertThat(base.path("quantity").decimalValue()).isEqualByComparingTo("12"));
        for (LocalDate d = LocalDate.parse("2024-02-14"); !d.isAfter(LocalDate.parse("2025-02-13")); d = d.plusDays(1)) {
            BigDecimal expected = BigDecimal.valueOf(d.isBefore(LocalDate.parse("2024-03-15")) ? 40 : 42);
            assertThat(billedOn(lines, d)).as("R10 on " + d + " over the 4 subscriptions").isEqualByComparingTo(expected);
        }

        // The bundle wrote one of sub-2's lines after the snapshot was read (as a task running meanwhile would):
        // sub-2 is read afresh, the others come from the snapshot; nothing to change, nothing written.
        jdbc.update("UPDATE subscription_line SET updated_at = now() + interval '1 hour' WHERE partner_id = ? AND subscription_id = 'sub-2'",
                partner);
        sandbox.resetCalls();
        runGlobalSync();
        assertThat(writeCalls()).isZero();
        assertThat(sandbox.calls("GET /finance/agreements/{parentId}/additions")).isEqualTo(2);
    }

    private static String onSubscription(int i, String event) {
        return event.replace("\"id\":\"sub-1\"", "\"id\":\"sub-" + i + "\"");
    }

    private long readCalls() {
        return sandbox.calls("GET /finance/agreements/{parentId}/additions/count") + sandbox.calls("GET /finance/agreements/{parentId}/additions")
                + sandbox.calls("GET /finance/agreements/{id}") + sandbox.calls("GET /company/companies/{id}") + sandbox.calls("GET /procurement/catalog/{id}");
    }

    @Test
    void baseLinePriceEditedInConnectWiseIsSetBackCostIsLeftWhenSyncUnitCostIsOff() throws Exception {
        putSyncRules(Map.of("syncUnitCost", false));
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-03-01T09:00:00Z", 10, null, "65533")), "SYNCED");
        JsonNode base = additions().get(0);
        String path = "finance/agreements/" + agreement + "/additions/" + base.path("id").asLong();
        client.patch(cw, path, List.of(io.cwbridge.connectwise.JsonPatchOperation.replace("unitPrice", new BigDecimal("25.00")),
                io.cwbridge.connectwise.JsonPatchOperation.replace("unitCost", new BigDecimal("10.00"))));
        sandbox.resetCalls();

        JsonNode report = runGlobalSync();

        JsonNode now = client.get(cw, path, Map.of());
        assertThat(now.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(now.path("unitCost").decimalValue()).isEqualByComparingTo("10.00");
        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).isEqualTo(1);
        assertThat(report.path("changed").path("subscriptions").asInt()).isEqualTo(1);

        sandbox.resetCalls();
        runGlobalSync();
        assertThat(writeCalls()).isZero();
    }

    /**
     * R30 x R31 (a probe's finding): a price change waiting for a person's approval (MANUAL) has sent nothing, so the global
     * sync takes its unit price from the latest event that did reach ConnectWise; it used to push the waiting 25.00 onto the
     * base line (re-pricing every day from the sale on) and leave the task with an empty plan.
     */
    @Test
    void r30R31APriceChangeWaitingForApprovalIsNotPushedByTheGlobalSync() throws Exception {
        putSyncRules(Map.of("taskSync", "MANUAL"));
        long sale = submit(event("sale", "SALES_ORDER", "NEW", "2024-03-01T09:00:00Z", 3, null, "65533"));
        awaitStatus(sale, "AWAITING_APPROVAL");
        assertThat(post("/api/v1/tasks/" + sale + "/approve", null).getStatusCode().value()).isEqualTo(200);
        awaitStatus(sale, "SYNCED");
        com.fasterxml.jackson.databind.node.ObjectNode change = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
                event("price", "CHANGE_ORDER", "PRICE_CHANGE", "2024-03-20T09:00:00Z", 3, 3, "65533"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) change.path("subscription")).put("unitPrice", new BigDecimal("25.00"));
        long price = submit(change.toString());
        awaitStatus(price, "AWAITING_APPROVAL");
        sandbox.resetCalls();

        JsonNode report = runGlobalSync();

        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).as(report.toString()).isZero();
        List<JsonNode> lines = additions();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        // the change still waits with the operations it would send: end the 22.00 line on 19 March, 25.00 from the 20th (R17)
        JsonNode waiting = tenant.awaitTask(price, "AWAITING_APPROVAL");
        assertThat(waiting.path("plan").path("operations")).hasSize(2);

        assertThat(post("/api/v1/tasks/" + price + "/approve", null).getStatusCode().value()).isEqualTo(200);
        awaitStatus(price, "SYNCED");
        List<JsonNode> after = additions();
        assertThat(after).extracting(a -> a.path("unitPrice").decimalValue().stripTrailingZeros().toPlainString(),
                a -> a.path("effectiveDate").asText().substring(0, 10)).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("22", "2024-02-14"), org.assertj.core.groups.Tuple.tuple("25", "2024-03-20"));
        sandbox.resetCalls();
        // approved, the 25.00 reaches the catalog item too (it waited with the task); the lines stay as the task wrote them
        JsonNode approved = runGlobalSync();
        assertThat(approved.path("changes")).as(approved.toString()).singleElement().satisfies(c -> {
            assertThat(c.path("kind").asText()).isEqualTo("CATALOG_ITEM");
            assertThat(c.path("what").asText()).isEqualTo("price");
        });
        assertThat(writeCalls()).isEqualTo(1);
        sandbox.resetCalls();
        runGlobalSync();
        assertThat(writeCalls()).isZero();
    }

    /**
     * R30 x R31 (a probe's finding): the catalog item's price and cost and the company's name and address follow the same truth
     * as the additions, the latest event whose task is SYNCED. A change waiting for approval under MANUAL (25.00 / 19.90, the
     * customer renamed and moved) used to reach ConnectWise through the catalog item and the company on the next global sync
     * (whole partner and scoped to the product or customer) without anyone approving it; once approved, the next run pushes it.
     */
    @Test
    void r30R31ACatalogAndCompanyChangesWaitingForApprovalAreNotPushedByTheGlobalSync() throws Exception {
        putSyncRules(Map.of("taskSync", "MANUAL"));
        long sale = submit(event("sale", "SALES_ORDER", "NEW", "2024-03-01T09:00:00Z", 3, null, "65533"));
        awaitStatus(sale, "AWAITING_APPROVAL");
        assertThat(post("/api/v1/tasks/" + sale + "/approve", null).getStatusCode().value()).isEqualTo(200);
        awaitStatus(sale, "SYNCED");
        runGlobalSync(); // the approved sale's values: price 22.00, cost 18.70, "Chairs Unlimited" in Tampa
        com.fasterxml.jackson.databind.node.ObjectNode change = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
                event("price", "CHANGE_ORDER", "PRICE_CHANGE", "2024-03-20T09:00:00Z", 3, 3, "65533"));
        com.fasterxml.jackson.databind.node.ObjectNode subscription = (com.fasterxml.jackson.databind.node.ObjectNode) change.path("subscription");
        subscription.put("unitPrice", new BigDecimal("25.00")).put("unitCost", new BigDecimal("19.90"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) subscription.path("customer")).put("name", "Chairs Unlimited Ltd")
                .with("address").put("city", "Orlando");
        long price = submit(change.toString());
        awaitStatus(price, "AWAITING_APPROVAL");
        sandbox.resetCalls();

        JsonNode product = mapper.readTree(post("/api/v1/partners/" + partner + "/global-sync?productId=" + PRODUCT_ID, null).getBody());
        JsonNode customer = mapper.readTree(post("/api/v1/partners/" + partner + "/global-sync?customerId="
                + io.cwbridge.testsupport.Tenant.CUSTOMER, null).getBody());
        JsonNode whole = runGlobalSync();

        assertThat(writeCalls()).as(product + "\n" + customer + "\n" + whole).isZero();
        JsonNode item = client.get(cw, "procurement/catalog/" + catalogItem, Map.of());
        assertThat(item.path("price").decimalValue()).isEqualByComparingTo("22.00");
        assertThat(item.path("cost").decimalValue()).isEqualByComparingTo("18.70");
        JsonNode companyNow = client.get(cw, "company/companies/" + company, Map.of());
        assertThat(companyNow.path("name").asText()).isEqualTo("Chairs Unlimited");
        assertThat(companyNow.path("city").asText()).isEqualTo("Tampa");

        assertThat(post("/api/v1/tasks/" + price + "/approve", null).getStatusCode().value()).isEqualTo(200);
        awaitStatus(price, "SYNCED");
        JsonNode approved = runGlobalSync();
        assertThat(approved.path("changed").path("catalogItems").asInt()).as(approved.toString()).isEqualTo(1);
        assertThat(approved.path("changed").path("companies").asInt()).isEqualTo(1);
        item = client.get(cw, "procurement/catalog/" + catalogItem, Map.of());
        assertThat(item.path("price").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(item.path("cost").decimalValue()).isEqualByComparingTo("19.90");
        companyNow = client.get(cw, "company/companies/" + company, Map.of());
        assertThat(companyNow.path("name").asText()).isEqualTo("Chairs Unlimited Ltd");
        assertThat(companyNow.path("city").asText()).isEqualTo("Orlando");
    }

    /**
     * R30 x R31 (a probe's finding): a person's override of the synced task's unit price (21.50 instead of the marketplace's
     * 22.00, through the tasks API under MANUAL) is the line's truth for the global sync; the next run used to set the base
     * line back to 22.00 ("R30 unit price / cost of the latest event"), one by one and in bulk. The catalog item takes the
     * marketplace's 22.00 (it prices the product for every subscription), not the one task's 21.50. A later price change,
     * approved without an override, is the new decision: its 25.00 is the truth from then on.
     */
    @Test
    void r30R31APriceOverrideOnTheSyncedTaskIsNotSetBackByTheGlobalSyncALaterApprovedPriceChangeIsTheNewTruth() throws Exception {
        putSyncRules(Map.of("taskSync", "MANUAL"));
        long sale = submit(event("sale", "SALES_ORDER", "NEW", "2024-03-01T09:00:00Z", 3, null, "65533"));
        awaitStatus(sale, "AWAITING_APPROVAL");
        ResponseEntity<String> override = api.put().uri("/api/v1/tasks/{id}/override", sale)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(Map.of("unitPrice", new BigDecimal("21.50"), "reason", "agreed discount")).retrieve().toEntity(String.class);
        assertThat(override.getStatusCode().value()).as(override.getBody()).isEqualTo(200);
        assertThat(post("/api/v1/tasks/" + sale + "/approve", null).getStatusCode().value()).isEqualTo(200);
        awaitStatus(sale, "SYNCED");
        assertThat(additions()).singleElement().satisfies(a -> assertThat(a.path("unitPrice").decimalValue()).isEqualByComparingTo("21.50"));
        sandbox.resetCalls();

        JsonNode one = mapper.readTree(post("/api/v1/partners/" + partner + "/global-sync?subscriptionId=sub-1", null).getBody());
        JsonNode whole = runGlobalSync();

        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).as(one + "\n" + whole).isZero();
        assertThat(additions()).singleElement().satisfies(a -> assertThat(a.path("unitPrice").decimalValue()).isEqualByComparingTo("21.50"));
        // the company and the catalog item take the marketplace's values (the setup's old name, price 20.00); no addition
        assertThat(whole.path("changes")).extracting(c -> c.path("kind").asText()).containsExactlyInAnyOrder("COMPANY", "CATALOG_ITEM");
        JsonNode item = client.get(cw, "procurement/catalog/" + catalogItem, Map.of());
        assertThat(item.path("price").decimalValue()).isEqualByComparingTo("22.00");
        sandbox.resetCalls();
        runGlobalSync();
        assertThat(writeCalls()).isZero();

        com.fasterxml.jackson.databind.node.ObjectNode change = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(
                event("price", "CHANGE_ORDER", "PRICE_CHANGE", "2024-03-20T09:00:00Z", 3, 3, "65533"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) change.path("subscription")).put("unitPrice", new BigDecimal("25.00"));
        long price = submit(change.toString());
        awaitStatus(price, "AWAITING_APPROVAL");
        assertThat(post("/api/v1/tasks/" + price + "/approve", null).getStatusCode().value()).isEqualTo(200);
        awaitStatus(price, "SYNCED");
        // the days before the change keep the person's 21.50; the new line bills the marketplace's 25.00 (R17)
        JsonNode newLine = additions().stream().filter(a -> a.path("effectiveDate").asText().startsWith("2024-03-20")).findFirst()
                .orElseThrow();
        assertThat(additions()).extracting(a -> a.path("unitPrice").decimalValue().stripTrailingZeros().toPlainString(),
                a -> a.path("effectiveDate").asText().substring(0, 10)).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("21.5", "2024-02-14"), org.assertj.core.groups.Tuple.tuple("25", "2024-03-20"));
        // someone sets the running line back to the old 21.50 by hand: the global sync puts the approved 25.00 back
        String path = "finance/agreements/" + agreement + "/additions/" + newLine.path("id").asLong();
        client.patch(cw, path, List.of(io.cwbridge.connectwise.JsonPatchOperation.replace("unitPrice", new BigDecimal("21.50"))));
        sandbox.resetCalls();

        JsonNode after = runGlobalSync();

        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).as(after.toString()).isEqualTo(1);
        assertThat(client.get(cw, path, Map.of()).path("unitPrice").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(client.get(cw, "procurement/catalog/" + catalogItem, Map.of()).path("price").decimalValue())
                .isEqualByComparingTo("25.00");
        sandbox.resetCalls();
        runGlobalSync();
        assertThat(writeCalls()).isZero();
    }

    /**
     * R30 x R31: an override covers the lines its task writes (docs/tasks.md). An increase approved with unitPrice 21.00 puts
     * the two extra licences on a delta line at 21.00; the base line keeps the marketplace's 22.00 through the month roll
     * (R18) and the price sync, so the delta's price is not spread over the base's licences.
     */
    @Test
    void r30R31APriceOverrideOfAnIncreaseStaysOnItsDeltaLineTheBaseKeepsTheEventsPrice() throws Exception {
        putSyncRules(Map.of("taskSync", "MANUAL"));
        long sale = submit(event("sale", "SALES_ORDER", "NEW", "2024-03-01T09:00:00Z", 3, null, "65533"));
        awaitStatus(sale, "AWAITING_APPROVAL");
        assertThat(post("/api/v1/tasks/" + sale + "/approve", null).getStatusCode().value()).isEqualTo(200);
        awaitStatus(sale, "SYNCED");
        long increase = submit(event("increase", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-20T09:00:00Z", 5, 3, "65533"));
        awaitStatus(increase, "AWAITING_APPROVAL");
        ResponseEntity<String> override = api.put().uri("/api/v1/tasks/{id}/override", increase)
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .body(Map.of("unitPrice", new BigDecimal("21.00"), "reason", "extra seats at the old rate")).retrieve().toEntity(String.class);
        assertThat(override.getStatusCode().value()).as(override.getBody()).isEqualTo(200);
        assertThat(post("/api/v1/tasks/" + increase + "/approve", null).getStatusCode().value()).isEqualTo(200);
        awaitStatus(increase, "SYNCED");

        JsonNode report = runGlobalSync();

        List<JsonNode> lines = additions();
        assertThat(billedOn(lines, LocalDate.parse("2024-04-01"))).as(report.toString()).isEqualByComparingTo("5");
        assertThat(lines).as(report.toString()).allSatisfy(a -> assertThat(a.path("unitPrice").decimalValue())
                .isEqualByComparingTo(a.path("effectiveDate").asText().startsWith("2024-03-20") ? "21.00" : "22.00"));
        sandbox.resetCalls();
        runGlobalSync();
        assertThat(writeCalls()).isZero();
    }

    /**
     * SPEC 3, Unmap (a probe's finding): an unmapped subscription's additions are no longer touched; the global sync used to
     * roll its lines (R18) all the same, ending the base line and writing a new one, on the partner's run and its own.
     */
    @Test
    void r30R18AnUnmappedSubscriptionsLinesAreNotRolled() throws Exception {
        awaitStatus(submit(event("sale", "SALES_ORDER", "NEW", "2024-02-14T09:00:00Z", 10, null, "65533")), "SYNCED");
        awaitStatus(submit(event("inc", "CHANGE_ORDER", "LICENSE_INCREASE", "2024-03-15T14:02:00Z", 12, 10, "65533")), "SYNCED");
        List<JsonNode> before = additions();
        assertThat(before).hasSize(2);
        assertThat(api.delete().uri("/api/v1/partners/{p}/subscriptions/{s}/mapping", partner, "sub-1").retrieve().toBodilessEntity()
                .getStatusCode().value()).isEqualTo(204);
        sandbox.resetCalls();

        JsonNode own = mapper.readTree(post("/api/v1/partners/" + partner + "/global-sync?subscriptionId=sub-1", null).getBody());
        JsonNode whole = runGlobalSync();

        assertThat(sandbox.calls("POST /finance/agreements/{parentId}/additions")
                + sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).as(own + " " + whole).isZero();
        assertThat(additions()).usingRecursiveFieldByFieldElementComparator().containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void unknownPartnerIs404AndABadPartnerIdIs400() throws Exception {
        ResponseEntity<String> unknown = post("/api/v1/partners/nobody-here/global-sync", null);
        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        assertThat(unknown.getHeaders().getContentType().toString()).contains("application/problem+json");

        ResponseEntity<String> bad = post("/api/v1/partners/bad$id/global-sync", null);
        assertThat(bad.getStatusCode().value()).isEqualTo(400);
        assertThat(mapper.readTree(bad.getBody()).path("errors").get(0).path("field").asText()).isEqualTo("partnerId");

        ResponseEntity<String> badLimit = api.get().uri("/api/v1/partners/{p}/global-sync/runs?limit=0", partner).retrieve()
                .toEntity(String.class);
        assertThat(badLimit.getStatusCode().value()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM global_sync_run WHERE partner_id = 'nobody-here'", Long.class)).isZero();
    }
}
