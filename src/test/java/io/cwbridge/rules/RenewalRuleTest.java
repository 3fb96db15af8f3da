package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.EventAction;
import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.rules.PlannedOperation.Kind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Renewals R23 (RenewalRule). */
class RenewalRuleTest {

    private static SubscriptionEvent renewal(String day, String newEnd, boolean autoRenew) {
        return event(EventAction.RENEWAL, day, sub().end(newEnd).autoRenew(autoRenew));
    }

    @Test
    @DisplayName("R23 auto-renew on with an open base line (R25): nothing to change")
    void openBaseRunsOn() {
        AdditionPlan plan = plan(renewal("2025-02-13", "2026-02-13", true), openBase(), rules());
        assertThat(plan.operations()).isEmpty();
        assertThat(plan.notes()).singleElement().asString().startsWith("R23");
    }

    @Test
    @DisplayName("R23 (v2) auto-renew on with an invoiced base: the same line's end moves, no second line")
    void invoicedBaseEndMoves() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", "2025-02-13").asInvoiced());
        AdditionPlan plan = plan(renewal("2025-02-01", "2026-02-13", true), lines, rules());
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.additionId()).isEqualTo(100L);
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2026-02-13"));
            assertThat(op.fields().quantity()).isNull();
            assertThat(op.reason()).startsWith("R23");
        });
    }

    @Test
    @DisplayName("R23+R27 a late renewal of a line that ended inside an invoiced period of a non-prorating agreement: the line continues from the next invoice date and the invoiced gap is a catch-up")
    void lateRenewalAcrossInvoicedDays() {
        // the base ended 13 Feb 2025; ConnectWise invoiced through 31 March (N = 1 April) before the renewal arrived
        MappingContext invoiced = mapping().withBilling(new AgreementBilling(date("2024-02-01"), date("2025-04-01"), false, false));
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", "2025-02-13"));
        AdditionPlan plan = AdditionRules.plan(renewal("2025-04-02", "2026-02-13", true), lines, invoiced, rules());
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2025-04-01"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2026-02-13"));
            assertThat(op.fields().quantity()).isEqualByComparingTo("10");
            assertThat(op.reason()).contains("R27");
        });
        // 14-28 Feb (15 days) and March (31 days) were not billed: 10 licences each day
        assertThat(plan.catchUps()).extracting(CatchUp::periodStart, CatchUp::licenceDays, CatchUp::amount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(date("2025-02-01"), dec("150"), dec("117.86")),
                        org.assertj.core.groups.Tuple.tuple(date("2025-03-01"), dec("310"), dec("220.00")));
    }

    @Test
    @DisplayName("R23 the renewed term starts at the current count: a decrease that fell after the old end starts with the new term")
    void renewedTermStartsAtCurrentCount() {
        SyncRules rules = rules().withNegativeChange(SyncRules.NegativeChange.FIRST_OF_NEXT_MONTH);
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", "2025-02-28"));
        SubscriptionLines afterDecrease = lines.apply(plan(event(EventAction.LICENSE_DECREASE, "2025-02-10",
                sub().end("2025-02-28").autoRenew(false).change(10, 8)), lines, rules));
        assertThat(afterDecrease).isEqualTo(lines); // effective 1 March: after the end, nothing to bill
        AdditionPlan plan = plan(event(EventAction.RENEWAL, "2025-02-20", sub().quantity(8).end("2026-02-28").autoRenew(true)),
                afterDecrease, rules);
        SubscriptionLines renewed = afterDecrease.apply(plan);
        assertThat(renewed.quantityOn(date("2025-02-28"))).isEqualByComparingTo("10");
        assertThat(renewed.quantityOn(date("2025-03-01"))).isEqualByComparingTo("8");
        assertThat(renewed.apply(MonthRoll.plan(renewed, AGREEMENT, date("2025-04-01"))).quantityOn(date("2025-04-01")))
                .isEqualByComparingTo("8");
    }

    @Test
    @DisplayName("R23 auto-renew off: the lines end at the existing end date, later lines go")
    void autoRenewOff() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, -2, "2025-03-01", "2025-03-31"));
        AdditionPlan plan = plan(renewal("2025-02-10", "2025-02-13", false), lines, rules());
        SubscriptionLines after = lines.apply(plan);
        assertThat(after.byAdditionId(100).orElseThrow().cancelledDate()).isEqualTo(date("2025-02-13"));
        assertThat(after.byAdditionId(101)).isEmpty();
        assertThat(after.quantityOn(date("2025-02-14"))).isZero();
    }
}
