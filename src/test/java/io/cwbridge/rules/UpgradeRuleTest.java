package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cwbridge.rules.PlannedOperation.Kind;
import io.cwbridge.rules.SyncRules.Cancellation;
import io.cwbridge.rules.SyncRules.NegativeChange;
import io.cwbridge.rules.SyncRules.PositiveChange;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Full (R19) and partial (R20) upgrades (UpgradeRule). */
class UpgradeRuleTest {

    @Test
    @DisplayName("R19 a pending R15 decrease of the old product is removed; old product bills 0 from c, the new one Q")
    void fullUpgradeRemovesPendingDecrease() {
        SyncRules rules = rules(PositiveChange.ACTUAL_DATE, NegativeChange.FIRST_OF_NEXT_MONTH, Cancellation.CANCEL_PER_CANCELLATION_DATE);
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null).asInvoiced(), delta(101, -2, "2024-04-01", "2024-04-30"));
        AdditionPlan plan = plan(fullUpgrade("2024-03-20", 8, SUB), lines, rules);
        assertThat(plan.operations()).anySatisfy(op -> {
            assertThat(op.kind()).isEqualTo(Kind.DELETE);
            assertThat(op.additionId()).isEqualTo(101L);
        });
        SubscriptionLines after = lines.apply(plan);
        assertThat(after.quantityOn(date("2024-03-19"))).isEqualByComparingTo("10");
        assertThat(after.quantityOn(date("2024-03-20"))).isEqualByComparingTo("8");
        assertThat(after.quantityOn(date("2024-04-15"))).isEqualByComparingTo("8");
        assertThat(after.where(l -> l.catalogItemId() == NEW_CATALOG)).singleElement()
                .satisfies(l -> assertThat(l.effectiveDate()).isEqualTo(date("2024-03-20")));
    }

    @Test
    @DisplayName("R19 to a new subscription id: the new base belongs to the new subscription, the old one bills 0 from c")
    void fullUpgradeNewSubscription() {
        AdditionPlan plan = plan(fullUpgrade("2024-03-15", 10, "sub-2"), invoicedBase(), rules());
        assertThat(plan.ofKind(Kind.CREATE)).anySatisfy(op -> {
            assertThat(op.line()).isEqualTo(LineKey.of("sub-2", LineRole.BASE, date("2024-03-15")));
            assertThat(op.fields().description()).contains("Microsoft 365 E3").contains("Subscription sub-2");
        });
        SubscriptionLines after = invoicedBase().apply(plan);
        assertThat(after.forSubscription(SUB).quantityOn(date("2024-03-15"))).isZero();
        assertThat(after.forSubscription("sub-2").quantityOn(date("2024-03-15"))).isEqualByComparingTo("10");
    }

    @Test
    @DisplayName("R19 on the purchase date is handled like after it (our decision)")
    void fullUpgradeOnPurchaseDate() {
        AdditionPlan plan = plan(fullUpgrade("2024-02-14", 10, SUB), openBase(), rules());
        SubscriptionLines after = openBase().apply(plan);
        assertThat(after.quantityOn(date("2024-02-14"))).isEqualByComparingTo("10");
        assertThat(after.where(l -> l.role() == LineRole.UPGRADE)).hasSize(1);
    }

    @Test
    @DisplayName("R19 replayed: nothing happens the second time")
    void fullUpgradeReplay() {
        SubscriptionLines after = invoicedBase().apply(plan(fullUpgrade("2024-03-15", 10, SUB), invoicedBase(), rules()));
        assertThat(plan(fullUpgrade("2024-03-15", 10, SUB), after, rules()).operations()).isEmpty();
    }

    @Test
    @DisplayName("R19 with the new product not mapped: NEEDS_MAPPING")
    void fullUpgradeUnmapped() {
        MappingContext mapping = mapping().withUpgradeCatalogItemId(null);
        assertThatThrownBy(() -> AdditionRules.plan(fullUpgrade("2024-03-15", 10, SUB), openBase(), mapping, rules()))
                .isInstanceOf(MappingRequiredException.class);
    }

    @Test
    @DisplayName("R20 partial upgrade on the purchase date: the old base changes (R11), the new subscription starts on c")
    void partialOnPurchaseDate() {
        AdditionPlan plan = plan(partialUpgrade("2024-02-15", 10, 7, "sub-3"), openBase(), rules());
        assertThat(plan.operations()).anySatisfy(op -> {
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.fields().quantity()).isEqualByComparingTo("7");
            assertThat(op.reason()).startsWith("R20 partial upgrade, old subscription: R11");
        });
        assertThat(plan.ofKind(Kind.CREATE)).singleElement().satisfies(op -> {
            assertThat(op.line().subscriptionId()).isEqualTo("sub-3");
            assertThat(op.fields().quantity()).isEqualByComparingTo("3");
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-02-15"));
        });
    }

    @Test
    @DisplayName("R20 without the new subscription's id the event is incomplete")
    void partialNeedsNewSubscription() {
        assertThatThrownBy(() -> plan(partialUpgrade("2024-03-15", 10, 7, null), openBase(), rules()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
