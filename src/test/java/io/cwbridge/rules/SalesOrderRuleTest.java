package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.rules.PlannedOperation.Kind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sales orders R25 (SalesOrderRule). */
class SalesOrderRuleTest {

    @Test
    @DisplayName("R17 x R17a, sync unit price off (probe 45 F3): the base line carries the catalog item's price explicitly (not left for"
            + " ConnectWise to default, nor null), and its prorate amounts are computed from it: 17/31 of 30.00 and of 18.70")
    void r17aWithSyncUnitPriceOffTheLineCarriesTheCatalogsPriceAndIsProratedFromIt() {
        SyncRules noPrice = rules().withSyncUnitPrice(false).withProration(SyncRules.ProrationRule.MARKETPLACE);
        MappingContext mapping = mapping().withUnsyncedPrices(java.util.Map.of(CATALOG,
                new MonthRoll.CurrentPrice(CATALOG, dec("30.00"), null)));
        AdditionPlan plan = AdditionRules.plan(salesOrder(sub().start("2024-03-15")), SubscriptionLines.of(), mapping, noPrice);
        assertThat(plan.ofKind(Kind.CREATE)).singleElement().satisfies(op -> {
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("30.00"); // it was null: ConnectWise's default assumed
            assertThat(op.fields().unitCost()).isEqualByComparingTo("18.70");  // synced: the marketplace's
            assertThat(op.fields().proratePrice()).isEqualByComparingTo("16.45"); // 17 x 30.00 / 31 = 16.4516..; it was null
            assertThat(op.fields().prorateCost()).isEqualByComparingTo("10.25");
            assertThat(op.prorated().price()).isEqualByComparingTo("16.45");
        });
        // without catalog prices known (sync on) nothing changes: the event's
        PlannedOperation synced = AdditionRules.plan(salesOrder(sub().start("2024-03-15")), SubscriptionLines.of(), mapping(),
                rules()).ofKind(Kind.CREATE).get(0);
        assertThat(synced.fields().unitPrice()).isEqualByComparingTo("22.00");
    }

    @Test
    @DisplayName("R25 base line +Q effective the start, dated at the subscription end also for auto-renew (v2), full unit price and cost, description with the subscription info")
    void autoRenewingBase() {
        AdditionPlan plan = plan(salesOrder(sub()), SubscriptionLines.none(), rules());
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.agreementId()).isEqualTo(AGREEMENT);
            assertThat(op.additionId()).isNull();
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.BASE, date("2024-02-14")));
            assertThat(op.fields().catalogItemId()).isEqualTo(CATALOG);
            assertThat(op.fields().quantity()).isEqualByComparingTo("10");
            assertThat(op.fields().unitPrice()).isEqualTo(dec("22.00"));
            assertThat(op.fields().unitCost()).isEqualTo(dec("18.70"));
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-02-14"));
            // R25 v2: dated at the subscription end also when it auto-renews (R23 moves it); a lost cancellation never bills for ever
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2025-02-13"));
            assertThat(op.fields().description()).isEqualTo("Microsoft 365 NCE - Microsoft 365 Business Premium | CFQ7TTC0LCHC:0002:P1"
                    + " | Subscription " + SUB + " | 10 licences");
            assertThat(op.reason()).startsWith("R25 sales order");
        });
    }

    @Test
    @DisplayName("R25 without auto-renew the base is cancelled at the subscription end")
    void endsAtSubscriptionEnd() {
        AdditionPlan plan = plan(salesOrder(sub().autoRenew(false)), SubscriptionLines.none(), rules());
        assertThat(plan.operations().get(0).fields().cancelledDate()).isEqualTo(date("2025-02-13"));
    }

    @Test
    @DisplayName("R25 the mapping's from date replaces the start; never before the agreement start")
    void fromDateAndAgreementStart() {
        AdditionPlan fromDate = AdditionRules.plan(salesOrder(sub()), SubscriptionLines.none(),
                mapping().withFromDate(date("2024-04-01")), rules());
        assertThat(fromDate.operations().get(0).fields().effectiveDate()).isEqualTo(date("2024-04-01"));
        AdditionPlan lateAgreement = AdditionRules.plan(salesOrder(sub()), SubscriptionLines.none(),
                new MappingContext(AGREEMENT, date("2024-03-01"), CATALOG, null, null), rules());
        assertThat(lateAgreement.operations().get(0).fields().effectiveDate()).isEqualTo(date("2024-03-01"));
    }

    @Test
    @DisplayName("R25 setup amount: a one-time line, quantity 1, price = setup amount, cost 0, for the first month")
    void setupLine() {
        AdditionPlan plan = plan(salesOrder(sub().setup("150.00")), SubscriptionLines.none(), rules());
        assertThat(plan.operations()).hasSize(2);
        PlannedOperation setup = plan.operations().get(1);
        assertThat(setup.line().role()).isEqualTo(LineRole.SETUP);
        assertThat(setup.fields().quantity()).isEqualByComparingTo("1");
        assertThat(setup.fields().unitPrice()).isEqualTo(dec("150.00"));
        assertThat(setup.fields().unitCost()).isZero();
        assertThat(setup.fields().effectiveDate()).isEqualTo(date("2024-02-14"));
        assertThat(setup.fields().cancelledDate()).isEqualTo(date("2024-02-29"));
        // a setup line is an amount, not licences (R10)
        assertThat(SubscriptionLines.none().apply(plan).quantityOn(date("2024-02-20"))).isEqualByComparingTo("10");
    }

    @Test
    @DisplayName("R25 without \"include subscription information\" the description is product and plan only")
    void descriptionWithoutSubscriptionInfo() {
        AdditionPlan plan = plan(salesOrder(sub()), SubscriptionLines.none(), rules().withIncludeSubscriptionInfo(false));
        assertThat(plan.operations().get(0).fields().description())
                .isEqualTo("Microsoft 365 NCE - Microsoft 365 Business Premium");
    }

    @Test
    @DisplayName("R25+R17 with CONNECTWISE_CATALOG the base carries the price and cost it is given (the catalog item's, sync/CatalogPrices)")
    void catalogPrices() {
        AdditionPlan plan = plan(salesOrder(sub()), SubscriptionLines.none(),
                rules().withPriceSource(SyncRules.PriceSource.CONNECTWISE_CATALOG));
        assertThat(plan.operations().get(0).fields().unitPrice()).isEqualByComparingTo(sub().build().unitPrice());
        assertThat(plan.operations().get(0).fields().unitCost()).isEqualByComparingTo(sub().build().unitCost());
    }

    @Test
    @DisplayName("R25+R24 IaaS: one line of quantity 1, price and cost 0 until the usage invoice")
    void iaasBase() {
        AdditionPlan plan = plan(salesOrder(sub().iaas()), SubscriptionLines.none(), rules());
        assertThat(plan.operations().get(0).fields().quantity()).isEqualByComparingTo("1");
        assertThat(plan.operations().get(0).fields().unitPrice()).isZero();
        assertThat(plan.operations().get(0).fields().unitCost()).isZero();
        assertThat(plan.operations().get(0).fields().description()).endsWith("| 1 licence");
    }

    @Test
    @DisplayName("R25 a repeated sales order does nothing")
    void repeated() {
        AdditionPlan plan = plan(salesOrder(sub()), openBase(), rules());
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.notes()).singleElement().asString().contains("already has its base line #100");
    }

    @Test
    @DisplayName("R25 a subscription ending before its billing start bills nothing")
    void endsBeforeStart() {
        AdditionPlan plan = AdditionRules.plan(salesOrder(sub().autoRenew(false).end("2024-03-31")), SubscriptionLines.none(),
                mapping().withFromDate(date("2024-04-01")), rules());
        assertThat(plan.operations()).isEmpty();
    }

    @Test
    @DisplayName("Money keeps an explicit scale: an event's 22 (no decimals) is written as 22.00 for USD, 2200 stays 2200 for JPY")
    void unitPricesCarryTheCurrencyScale() {
        AdditionPlan usd = plan(salesOrder(sub().price("22", "18.7")), SubscriptionLines.none(), rules());
        assertThat(usd.operations().get(0).fields().unitPrice()).isEqualTo(dec("22.00"));
        assertThat(usd.operations().get(0).fields().unitCost()).isEqualTo(dec("18.70"));
        AdditionPlan jpy = plan(salesOrder(sub().price("2200", "1870").currency("JPY")), SubscriptionLines.none(), rules());
        assertThat(jpy.operations().get(0).fields().unitPrice()).isEqualTo(dec("2200"));
        AdditionPlan fine = plan(salesOrder(sub().price("22.0125", "18.70")), SubscriptionLines.none(), rules());
        assertThat(fine.operations().get(0).fields().unitPrice()).isEqualTo(dec("22.0125"));
    }

    // ---- R6: a sale onto an adopted, hand-made base line ------------------------------------------

    /** A hand-made addition #500 (no subscription in its description) adopted as the base line. */
    private static AdditionLine handMade(int quantity, String effective, String cancelled) {
        return new AdditionLine(500L, LineKey.of(SUB, LineRole.BASE, date(effective)), CATALOG, java.math.BigDecimal.valueOf(quantity),
                dec("22.00"), dec("18.70"), date(effective), cancelled == null ? null : date(cancelled), false,
                "M365 BP typed by hand", null);
    }

    private static AdditionPlan saleOnAdopted(SubscriptionEvent sale, AdditionLine adopted) {
        return AdditionRules.plan(sale, lines(adopted), mapping().withAdoptedAdditionId(500L), rules());
    }

    @Test
    @DisplayName("R6+R25 an adopted addition with the subscription's licences and end is left as it is: no second base line")
    void adoptedInStepIsLeftAsItIs() {
        AdditionPlan plan = saleOnAdopted(salesOrder(sub()), handMade(10, "2024-02-14", "2025-02-13"));
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.notes()).anySatisfy(n -> assertThat(n).contains("R6 adopted addition #500"));
    }

    @Test
    @DisplayName("R6+R25 v2 an open adopted addition is dated at the subscription end; a later hand-typed end moves to it")
    void adoptedOpenAdditionGetsTheSubscriptionEnd() {
        for (String cancelled : new String[] {null, "2026-12-31"}) {
            AdditionPlan plan = saleOnAdopted(salesOrder(sub()), handMade(10, "2024-02-14", cancelled));
            assertThat(plan.operations()).singleElement().satisfies(op -> {
                assertThat(op.kind()).isEqualTo(Kind.UPDATE);
                assertThat(op.additionId()).isEqualTo(500L);
                assertThat(op.fields().cancelledDate()).isEqualTo(date("2025-02-13"));
                assertThat(op.reason()).contains("R25 cancelled at the subscription end 2025-02-13");
            });
        }
    }

    @Test
    @DisplayName("R6+R25+R10 an adopted addition typed to end before the subscription is dated at the subscription's end (probe 47 F10: 168.00 unbilled)")
    void r6R25AnAdoptedAdditionThatEndsBeforeTheSubscriptionIsDatedAtItsEnd() {
        AdditionLine adopted = handMade(10, "2024-02-14", "2024-06-30");
        AdditionPlan plan = saleOnAdopted(salesOrder(sub()), adopted);
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.additionId()).isEqualTo(500L);
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2025-02-13"));
            assertThat(op.reason()).contains("R25 cancelled at the subscription end 2025-02-13").contains("it ended 2024-06-30");
        });
        // R10: every day of the term bills the subscription's 10 licences
        assertLicences(lines(adopted).apply(plan), "2024-06-30", 10, "2024-07-01", 10, "2025-02-13", 10, "2025-02-14", 0);
        // a synced cancellation (R21) decided the end: the sale does not move it back
        AdditionPlan afterCancellation = AdditionRules.plan(salesOrder(sub()), lines(adopted),
                mapping().withAdoptedAdditionId(500L).withCancelledFrom(date("2024-07-01")), rules());
        assertThat(afterCancellation.operations()).noneSatisfy(op -> assertThat(op.additionId()).isEqualTo(500L));
    }

    @Test
    @DisplayName("R6+R10 an adopted addition with fewer licences than the subscription gets the difference as a licence change from the sale's date (R12)")
    void adoptedWithFewerLicencesIsCorrectedByADeltaLine() {
        SubscriptionEvent sale = event(io.cwbridge.events.EventAction.NEW, "2024-03-20", sub().quantity(12));
        AdditionLine adopted = handMade(10, "2024-02-14", "2025-02-13");
        AdditionPlan plan = saleOnAdopted(sale, adopted);
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.line().role()).isEqualTo(LineRole.DELTA);
            assertThat(op.fields().quantity()).isEqualByComparingTo("2");
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-20"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
            assertThat(op.reason()).contains("R6 adopted addition #500 bills 10 licences, the subscription 12 (R10)");
        });
        assertLicences(lines(adopted).apply(plan), "2024-03-19", 10, "2024-03-20", 12, "2024-03-31", 12);
    }

    @Test
    @DisplayName("R6+R10+R11 on the purchase date the adopted addition's own quantity is corrected, its description kept")
    void adoptedOnThePurchaseDateTakesTheQuantity() {
        AdditionPlan plan = saleOnAdopted(salesOrder(sub().quantity(8)), handMade(10, "2024-02-14", "2025-02-13"));
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.additionId()).isEqualTo(500L);
            assertThat(op.fields().quantity()).isEqualByComparingTo("8");
            assertThat(op.fields().description()).as("the hand-typed description is not patched").isNull();
        });
    }

    @Test
    @DisplayName("R6+R2 an adopted addition of another catalog item than the product's holds the sale for its mapping")
    void adoptedOfAnotherCatalogItemNeedsMapping() {
        AdditionLine other = new AdditionLine(500L, LineKey.of(SUB, LineRole.BASE, date("2024-02-14")), 99L,
                java.math.BigDecimal.TEN, dec("22.00"), dec("18.70"), date("2024-02-14"), null, false, "other product", null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> saleOnAdopted(salesOrder(sub()), other))
                .isInstanceOf(MappingRequiredException.class)
                .hasMessageContaining("catalog item 99").hasMessageContaining("mapped to catalog item " + CATALOG);
    }

    @Test
    @DisplayName("R25 a repeated sale on the bundle's own base line does not correct it (only an adopted one is brought in step)")
    void repeatedSaleOnOwnBaseKeepsIt() {
        AdditionPlan plan = AdditionRules.plan(salesOrder(sub().quantity(12)), openBase(), mapping().withAdoptedAdditionId(777L), rules());
        assertThat(plan.operations()).isEmpty();
    }
}
