package io.cwbridge.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.Subscription;
import io.cwbridge.events.SubscriptionKind;
import io.cwbridge.rules.AdditionPlan;
import io.cwbridge.rules.AgreementBilling;
import io.cwbridge.rules.LineFields;
import io.cwbridge.rules.LineKey;
import io.cwbridge.rules.LineOverride;
import io.cwbridge.rules.LineOverrides;
import io.cwbridge.rules.LineRole;
import io.cwbridge.rules.PlannedOperation;
import io.cwbridge.rules.ProratedAmounts;
import io.cwbridge.rules.SyncRules.PriceSource;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** R31 (issue 15) task overrides as a pure function: what they touch, what they refuse (R26, R27, R17a). */
class LineOverridesTest {

    static final LocalDate MAR_15 = LocalDate.parse("2024-03-15");
    static final LocalDate MAR_31 = LocalDate.parse("2024-03-31");
    static final Subscription SUBSCRIPTION = new Subscription("sub-1", null, null, SubscriptionKind.SAAS, 7, 5,
            new BigDecimal("22.00"), new BigDecimal("18.70"), "USD", null, 12, LocalDate.parse("2024-02-14"),
            LocalDate.parse("2025-02-13"), false, "ACTIVE", null);

    static LineOverride override(LocalDate effective, BigDecimal quantity, BigDecimal price, PriceSource source) {
        return new LineOverride(effective, null, null, quantity, price, null, null, null, source);
    }

    static PlannedOperation create(LineRole role, BigDecimal quantity, ProratedAmounts prorated) {
        LineFields fields = new LineFields(9L, quantity, new BigDecimal("22.00"), new BigDecimal("18.70"), MAR_15, MAR_31, false,
                "M365 | " + quantity.toPlainString() + " licences", null, null, prorated == null ? null : prorated.price(), prorated == null ? null : prorated.cost());
        return new PlannedOperation(PlannedOperation.Kind.CREATE, LineKey.of("sub-1", role, MAR_15), 1L, null, fields,
                "R14 decrease", prorated);
    }

    @Test
    void aDecreaseLineKeepsItsSignAndTheNewEffectiveDateRekeysTheLine() {
        AdditionPlan plan = new AdditionPlan(List.of(create(LineRole.DELTA, new BigDecimal("-2"), null)), List.of());
        AdditionPlan applied = LineOverrides.apply(plan, override(LocalDate.parse("2024-03-20"), new BigDecimal("3"), null, null),
                SUBSCRIPTION, AgreementBilling.unknown());
        PlannedOperation op = applied.operations().get(0);
        assertThat(op.fields().quantity()).isEqualByComparingTo("-3");
        assertThat(op.fields().effectiveDate()).isEqualTo(LocalDate.parse("2024-03-20"));
        assertThat(op.line().effectiveDate()).isEqualTo(LocalDate.parse("2024-03-20"));
        assertThat(op.reason()).contains("task override (R31): effectiveDate, quantity");
        assertThat(op.fields().description()).isEqualTo("M365 | -3 licences");
    }

    @Test
    void priceSourceIsPlannedWithNotAppliedOverThePlan() {
        // R17: task planning plans the task with the override's price source (sync/TaskPlanner); applying the override
        // afterwards leaves each line's price as its own product's plan gave it
        AdditionPlan plan = new AdditionPlan(List.of(create(LineRole.DELTA, BigDecimal.valueOf(2), null)), List.of());
        for (PriceSource source : PriceSource.values()) {
            AdditionPlan applied = LineOverrides.apply(plan, override(null, null, null, source), SUBSCRIPTION, AgreementBilling.unknown());
            assertThat(applied.operations()).isEqualTo(plan.operations());
        }
    }

    @Test
    void r26AnInvoicedLinesNewEndTakesOnlyTheCancelledDateAndDeletionsStay() {
        PlannedOperation end = new PlannedOperation(PlannedOperation.Kind.UPDATE, LineKey.of("sub-1", LineRole.BASE,
                LocalDate.parse("2024-02-14")), 1L, 77L, new LineFields(null, null, null, null, null, MAR_31, false, null, null, null),
                "R21 cancel");
        PlannedOperation delete = new PlannedOperation(PlannedOperation.Kind.DELETE, LineKey.of("sub-1", LineRole.DELTA, MAR_15), 1L,
                78L, null, "R22");
        LineOverride o = new LineOverride(null, LocalDate.parse("2024-03-25"), "new text", new BigDecimal("4"),
                new BigDecimal("10"), null, "NoCharge", true, null);
        AdditionPlan applied = LineOverrides.apply(new AdditionPlan(List.of(end, delete), List.of()), o, SUBSCRIPTION,
                AgreementBilling.unknown());
        LineFields fields = applied.operations().get(0).fields();
        assertThat(fields.cancelledDate()).isEqualTo(LocalDate.parse("2024-03-25"));
        assertThat(fields.quantity()).isNull();
        assertThat(fields.unitPrice()).isNull();
        assertThat(fields.description()).isNull();
        assertThat(fields.billCustomer()).isNull();
        assertThat(applied.operations().get(1)).isSameAs(delete);
    }

    @Test
    void r27ADateTheAgreementInvoicedSinceIsNotAppliedAndThePlanSaysSo() {
        AgreementBilling invoicedThroughMarch = new AgreementBilling(LocalDate.parse("2024-01-01"), LocalDate.parse("2024-04-01"),
                false, false);
        LineOverride o = override(LocalDate.parse("2024-03-20"), null, null, null);
        assertThat(LineOverrides.check(o, SUBSCRIPTION, invoicedThroughMarch)).extracting(LineOverrides.Problem::field)
                .containsExactly("effectiveDate");
        AdditionPlan plan = new AdditionPlan(List.of(create(LineRole.DELTA, BigDecimal.valueOf(2), null)), List.of());
        AdditionPlan applied = LineOverrides.apply(plan, o, SUBSCRIPTION, invoicedThroughMarch);
        assertThat(applied.operations().get(0).fields().effectiveDate()).isEqualTo(MAR_15);
        assertThat(applied.notes()).anySatisfy(n -> assertThat(n).contains("not applied", "R27"));
        // An agreement that prorates and invoices prorated additions keeps any date (R27).
        assertThat(LineOverrides.check(o, SUBSCRIPTION, new AgreementBilling(null, LocalDate.parse("2024-04-01"), true, true)))
                .isEmpty();
    }

    @Test
    void r17aAmountsFollowTheOverriddenDateAndPrice() {
        // 15-31 March = 17/31 of 22.00 = 12.06; 20-31 March at 31.00 = 12/31 × 31.00 = 12.00.
        ProratedAmounts prorated = new ProratedAmounts(LocalDate.parse("2024-03-01"), MAR_31, 17, 31, new BigDecimal("12.06"),
                new BigDecimal("10.25"), true);
        AdditionPlan plan = new AdditionPlan(List.of(create(LineRole.DELTA, BigDecimal.valueOf(2), prorated)), List.of());
        PlannedOperation op = LineOverrides.apply(plan, override(LocalDate.parse("2024-03-20"), null, new BigDecimal("31.00"), null),
                SUBSCRIPTION, AgreementBilling.unknown()).operations().get(0);
        assertThat(op.prorated().billedDays()).isEqualTo(12);
        assertThat(op.prorated().price()).isEqualByComparingTo("12.00");
        assertThat(op.fields().proratePrice()).isEqualByComparingTo("12.00");
    }

    @Test
    void checksQuantityMoneyAndTheTerm() {
        LineOverride bad = new LineOverride(LocalDate.parse("2024-02-13"), LocalDate.parse("2025-02-14"), null, new BigDecimal("1.5"),
                new BigDecimal("1.001"), new BigDecimal("-0.01"), "Billable", null, null);
        assertThat(LineOverrides.check(bad, SUBSCRIPTION, AgreementBilling.unknown())).extracting(LineOverrides.Problem::field)
                .containsExactly("quantity", "unitPrice", "unitCost", "effectiveDate", "cancelledDate");
        LineOverride huge = new LineOverride(null, null, null, new BigDecimal("1E12"), new BigDecimal("1E13"), null, null, null, null);
        assertThat(LineOverrides.check(huge, SUBSCRIPTION, AgreementBilling.unknown())).extracting(LineOverrides.Problem::field)
                .containsExactly("quantity", "unitPrice");
        LineOverride good = new LineOverride(LocalDate.parse("2024-02-14"), LocalDate.parse("2025-02-13"), null, new BigDecimal("0"),
                new BigDecimal("1.50"), new BigDecimal("0"), "NoCharge", false, null);
        assertThat(LineOverrides.check(good, SUBSCRIPTION, AgreementBilling.unknown())).isEmpty();
    }
}
