package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.rules.PlannedOperation.Kind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Sales orders R25 (SalesOrderRule). */
class SalesOrderRuleTest {

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
}
