package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.events.SubscriptionEvent;
import io.cwbridge.rules.SyncRules.Cancellation;
import io.cwbridge.rules.SyncRules.NegativeChange;
import io.cwbridge.rules.SyncRules.PositiveChange;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The R10 checker and the independent expected-licences model. */
class InvariantR10Test {

    @Test
    @DisplayName("R10 checker: active means effectiveDate <= d <= cancelledDate, open without a cancelled date; usage and setup do not count")
    void quantityOn() {
        AdditionLine usage = new AdditionLine(9L, LineKey.of(SUB, LineRole.USAGE, date("2024-03-01")), CATALOG, BigDecimal.ONE,
                dec("5"), dec("4"), date("2024-03-01"), date("2024-03-31"), false, "usage", null);
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, 2, "2024-03-15", "2024-03-31"), usage);
        assertThat(InvariantR10.quantityOn(lines.all(), date("2024-02-13"))).isZero();
        assertThat(InvariantR10.quantityOn(lines.all(), date("2024-03-14"))).isEqualByComparingTo("10");
        assertThat(InvariantR10.quantityOn(lines.all(), date("2024-03-15"))).isEqualByComparingTo("12");
        assertThat(InvariantR10.quantityOn(lines.all(), date("2024-03-31"))).isEqualByComparingTo("12");
        assertThat(InvariantR10.quantityOn(lines.all(), date("2030-01-01"))).isEqualByComparingTo("10");
    }

    @Test
    @DisplayName("R10 checker reports every day where lines and expectation differ")
    void reportsViolations() {
        SubscriptionLines lines = lines(base(100, 10, "2024-02-14", null), delta(101, 2, "2024-03-15", "2024-03-31"));
        var violations = InvariantR10.check(lines.all(), day -> BigDecimal.TEN, date("2024-03-30"), date("2024-04-01"));
        assertThat(violations).extracting(InvariantR10.Violation::day).containsExactly(date("2024-03-30"), date("2024-03-31"));
        assertThat(violations.get(0).toString()).isEqualTo("2024-03-30: lines bill 12, expected 10");
    }

    @Test
    @DisplayName("R10 model: increase under FIRST_OF_CURRENT_MONTH counts from the 1st, decrease under FIRST_OF_NEXT_MONTH from the next 1st")
    void modelEffectiveDates() {
        SyncRules rules = rules(PositiveChange.FIRST_OF_CURRENT_MONTH, NegativeChange.FIRST_OF_NEXT_MONTH,
                Cancellation.LAST_DAY_OF_MONTH);
        ExpectedLicences model = ExpectedLicences.of(rules, mapping())
                .apply(salesOrder(sub()))
                .apply(increase("2024-03-15", 10, 12))
                .apply(decrease("2024-03-20", 12, 9));
        assertThat(model.licencesOn(SUB, date("2024-02-13"))).isZero();
        assertThat(model.licencesOn(SUB, date("2024-02-29"))).isEqualTo(10);
        assertThat(model.licencesOn(SUB, date("2024-03-01"))).isEqualTo(12);
        assertThat(model.licencesOn(SUB, date("2024-03-31"))).isEqualTo(12);
        assertThat(model.licencesOn(SUB, date("2024-04-01"))).isEqualTo(9);
    }

    @Test
    @DisplayName("R10 model: a cancellation before ConnectWise ever invoiced bills nothing (R22); after an invoice run it stops at c (R21)")
    void modelCancellation() {
        ExpectedLicences sold = ExpectedLicences.of(rules(), mapping()).apply(salesOrder(sub()));
        assertThat(sold.apply(cancel("2024-03-15", 10)).licencesOn(SUB, date("2024-03-01"))).isZero();
        ExpectedLicences invoiced = sold.invoiceRun().apply(cancel("2024-03-15", 10));
        assertThat(invoiced.licencesOn(SUB, date("2024-03-14"))).isEqualTo(10);
        assertThat(invoiced.licencesOn(SUB, date("2024-03-15"))).isZero();
    }

    @Test
    @DisplayName("R10 holds for a plan-by-plan history against the model (increase, decrease, roll, cancellation)")
    void holdsAlongAHistory() {
        SyncRules rules = rules();
        SubscriptionLines lines = SubscriptionLines.none();
        ExpectedLicences model = ExpectedLicences.of(rules, mapping());
        for (SubscriptionEvent event : new SubscriptionEvent[] {salesOrder(sub()), increase("2024-03-10", 10, 13),
                decrease("2024-03-25", 13, 11)}) {
            lines = lines.apply(AdditionRules.plan(event, lines, mapping(), rules));
            model = model.apply(event);
        }
        lines = lines.apply(MonthRoll.plan(lines, AGREEMENT, date("2024-04-01"))).markAllInvoiced();
        model = model.invoiceRun();
        SubscriptionEvent cancel = cancel("2024-04-12", 11);
        lines = lines.apply(AdditionRules.plan(cancel, lines, mapping(), rules));
        model = model.apply(cancel);
        assertThat(InvariantR10.check(lines, model, SUB, date("2024-01-01"), date("2024-12-31"))).isEmpty();
        // and it can fail: drop the cancellation's −Q line
        SubscriptionLines broken = SubscriptionLines.of(lines.where(l -> l.role() != LineRole.CANCELLATION));
        assertThat(InvariantR10.check(broken, model, SUB, date("2024-01-01"), date("2024-12-31"))).isNotEmpty();
    }
}
