package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cwbridge.connectwise.AdditionFields;
import io.cwbridge.connectwise.AdditionOperation;
import io.cwbridge.events.EventAction;
import io.cwbridge.events.EventType;
import io.cwbridge.events.SubscriptionEvent;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The entry point and the plan's contract with the delivery side. */
class AdditionRulesTest {

    @Test
    @DisplayName("LineFields has exactly the components of connectwise.AdditionFields, in order (1:1 mapping)")
    void fieldsMirrorAdditionFields() {
        assertThat(names(LineFields.class)).isEqualTo(names(AdditionFields.class));
        assertThat(types(LineFields.class)).isEqualTo(types(AdditionFields.class));
    }

    @Test
    @DisplayName("PlannedOperation carries every component of connectwise.AdditionOperation")
    void operationMirrorsAdditionOperation() {
        assertThat(names(PlannedOperation.class)).containsAll(names(AdditionOperation.class));
        assertThat(Arrays.stream(PlannedOperation.Kind.values()).map(Enum::name))
                .containsExactlyElementsOf(Arrays.stream(AdditionOperation.Kind.values()).map(Enum::name).toList());
    }

    @Test
    @DisplayName("every planned operation maps onto a valid connectwise.AdditionOperation")
    void mapsOntoAdditionOperation() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null).asInvoiced(), delta(101, -2, "2024-04-01", "2024-04-30"));
        AdditionPlan plan = plan(cancel("2024-03-15", 8), lines, rules());
        assertThat(plan.operations()).extracting(PlannedOperation::kind).contains(PlannedOperation.Kind.CREATE,
                PlannedOperation.Kind.UPDATE, PlannedOperation.Kind.DELETE);
        for (PlannedOperation op : plan.operations()) {
            LineFields f = op.fields();
            AdditionFields fields = f == null ? null : new AdditionFields(f.catalogItemId(), f.quantity(), f.unitPrice(), f.unitCost(),
                    f.effectiveDate(), f.cancelledDate(), f.clearCancelledDate(), f.description(), f.invoiceDescription(),
                    f.billCustomer());
            AdditionOperation mapped = new AdditionOperation(AdditionOperation.Kind.valueOf(op.kind().name()), op.agreementId(),
                    op.additionId(), fields);
            assertThat(mapped.agreementId()).isEqualTo(AGREEMENT);
        }
    }

    @Test
    @DisplayName("the plan is a pure function of its inputs")
    void pure() {
        SubscriptionEvent event = increase("2024-03-15", 10, 12);
        assertThat(plan(event, openBase(), rules())).isEqualTo(plan(event, openBase(), rules()));
    }

    @Test
    @DisplayName("every reason names its rule")
    void reasonsNameRules() {
        List<AdditionPlan> plans = List.of(plan(salesOrder(sub().setup("10.00")), SubscriptionLines.none(), rules()),
                plan(increase("2024-03-15", 10, 12), openBase(), rules()),
                plan(fullUpgrade("2024-03-15", 10, SUB), invoicedBase(), rules()),
                plan(cancel("2024-03-15", 10), invoicedBase(), rules()),
                MonthRoll.plan(lines(base(100, 10, "2024-02-14", null), delta(101, 2, "2024-03-15", "2024-03-31")), AGREEMENT,
                        date("2024-04-02")));
        plans.forEach(p -> assertThat(p.operations()).allSatisfy(op -> assertThat(op.reason()).containsPattern("R\\d\\d")));
    }

    @Test
    @DisplayName("an action that does not belong to its type is refused")
    void actionMustMatchType() {
        SubscriptionEvent wrong = new SubscriptionEvent("e", "p", EventType.SALES_ORDER, EventAction.CANCEL,
                increase("2024-03-15", 10, 12).occurredAt(), sub().build(), null, null, null);
        assertThatThrownBy(() -> plan(wrong, openBase(), rules())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not belong");
    }

    @Test
    @DisplayName("R26 guard: a plan can never edit an invoiced line except to end it earlier")
    void invoicedGuard() {
        AdditionLine invoiced = base(100, 10, "2024-02-14", null).asInvoiced();
        PlanBuilder builder = new PlanBuilder(AGREEMENT, List.of(invoiced));
        builder.update(invoiced, l -> l.withQuantity(java.math.BigDecimal.ONE), "test");
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("R26");
        PlanBuilder ending = new PlanBuilder(AGREEMENT, List.of(invoiced));
        ending.update(invoiced, l -> l.withCancelledDate(date("2024-03-31")), "R21 test");
        assertThat(ending.build().operations()).singleElement()
                .satisfies(op -> assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31")));
        PlanBuilder deleting = new PlanBuilder(AGREEMENT, List.of(invoiced));
        deleting.delete(invoiced, "test");
        assertThatThrownBy(deleting::build).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("a line created and changed in the same plan is one CREATE with the final values")
    void foldsChangesIntoCreate() {
        PlanBuilder builder = new PlanBuilder(AGREEMENT, List.of());
        AdditionLine line = builder.create(delta(0, 2, "2024-03-15", "2024-03-31").withAdditionId(null), "R12 test");
        UnaryOperator<AdditionLine> more = l -> l.withQuantity(java.math.BigDecimal.valueOf(5));
        builder.update(line, more, "R16 test");
        AdditionPlan plan = builder.build();
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(PlannedOperation.Kind.CREATE);
            assertThat(op.fields().quantity()).isEqualByComparingTo("5");
            assertThat(op.reason()).isEqualTo("R12 test; R16 test");
        });
    }

    private static List<String> names(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    private static List<Class<?>> types(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType).collect(java.util.stream.Collectors.toList());
    }
}
