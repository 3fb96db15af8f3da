package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.rules.PlannedOperation.Kind;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Billing orders R24 (UsageRule). */
class UsageRuleTest {

    private static final List<String> DETAILS = List.of("vm-web-01: 720 h", "storage: 150 GB");

    private static SubscriptionLines iaasBase() {
        return lines(new AdditionLine(100L, LineKey.of(SUB, LineRole.BASE, date("2024-02-14")), CATALOG, BigDecimal.ONE,
                BigDecimal.ZERO, BigDecimal.ZERO, date("2024-02-14"), null, true, "Azure plan", null));
    }

    @Test
    @DisplayName("R24 IaaS usage: quantity 1, price = amount x overuse price, cost = amount x overuse cost, resource details described")
    void iaasUsage() {
        AdditionPlan plan = plan(usage(sub().iaas(), "2024-03-01", "2024-03-31", "150", "0.12", "0.095", DETAILS), iaasBase(),
                rules());
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.USAGE, date("2024-03-01")));
            assertThat(op.fields().quantity()).isEqualByComparingTo("1");
            assertThat(op.fields().unitPrice()).isEqualTo(dec("18.00"));
            assertThat(op.fields().unitCost()).isEqualTo(dec("14.250"));
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-01"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
            assertThat(op.fields().description()).contains("usage 2024-03-01 to 2024-03-31").contains("vm-web-01: 720 h; storage: 150 GB");
            assertThat(op.fields().invoiceDescription()).isEqualTo("vm-web-01: 720 h\nstorage: 150 GB");
            assertThat(op.reason()).isEqualTo("R24 usage 2024-03-01 to 2024-03-31: overuse price 150 x 0.12 = 18.00,"
                    + " overuse cost 150 x 0.095 = 14.250, billed whole in the billing period 2024-03-01 to 2024-03-31");
        });
        // usage lines are amounts, not licences (R10)
        assertThat(iaasBase().apply(plan).quantityOn(date("2024-03-15"))).isEqualByComparingTo("1");
    }

    @Test
    @DisplayName("R24 x §8.1 the amount does not depend on how a rate was written: 1234.567 x 0.0100, 0.010 and 0.01 all bill"
            + " 12.35 and x 0.0080 / 0.008 all cost 9.877 (the scale of the rate without trailing zeros, at least the"
            + " currency's), 1234.567 x 0.0125 bills 15.4321")
    void r24TheAmountDoesNotDependOnTrailingZerosOfTheRate() {
        for (String[] rates : new String[][] {{"0.0100", "0.0080"}, {"0.010", "0.00800"}, {"0.01", "0.008"}}) {
            AdditionPlan plan = plan(usage(sub().iaas(), "2024-03-01", "2024-03-31", "1234.567", rates[0], rates[1], DETAILS),
                    iaasBase(), rules());
            assertThat(plan.operations()).singleElement().satisfies(op -> {
                assertThat(op.fields().unitPrice()).as("x " + rates[0]).isEqualTo(dec("12.35"));
                assertThat(op.fields().unitCost()).as("x " + rates[1]).isEqualTo(dec("9.877"));
            });
        }
        AdditionPlan precise = plan(usage(sub().iaas(), "2024-03-01", "2024-03-31", "1234.567", "0.0125", "0.0100", DETAILS),
                iaasBase(), rules());
        assertThat(precise.operations()).singleElement().satisfies(op -> {
            assertThat(op.fields().unitPrice()).isEqualTo(dec("15.4321"));
            assertThat(op.fields().unitCost()).isEqualTo(dec("12.35"));
        });
    }

    @Test
    @DisplayName("R24 without the IaaS description flag no resource details are written")
    void flagOff() {
        AdditionPlan plan = plan(usage(sub().iaas(), "2024-03-01", "2024-03-31", "150", "0.12", "0.095", DETAILS), iaasBase(),
                rules().withIaasResourceDetailsInDescription(false));
        assertThat(plan.operations().get(0).fields().invoiceDescription()).isNull();
        assertThat(plan.operations().get(0).fields().description()).doesNotContain("vm-web-01");
    }

    @Test
    @DisplayName("R24 IaaS invoice values COST_ONLY: only the cost is written")
    void costOnly() {
        AdditionPlan plan = plan(usage(sub().iaas(), "2024-03-01", "2024-03-31", "150", "0.12", "0.095", DETAILS), iaasBase(),
                rules().withInvoiceValues(SyncRules.InvoiceValues.PRICE_AND_COST, SyncRules.InvoiceValues.COST_ONLY));
        assertThat(plan.operations().get(0).fields().unitPrice()).isNull();
        assertThat(plan.operations().get(0).fields().unitCost()).isEqualTo(dec("14.250"));
    }

    @Test
    @DisplayName("R24 SaaS overuse is a quantity-1 line too, without resource details")
    void saasOveruse() {
        AdditionPlan plan = plan(usage(sub(), "2024-03-01", "2024-03-31", "12.5", "0.0825", "0.066", DETAILS), openBase(), rules());
        assertThat(plan.operations().get(0).fields().unitPrice()).isEqualTo(dec("1.0313"));
        assertThat(plan.operations().get(0).fields().unitCost()).isEqualTo(dec("0.825"));
        assertThat(plan.operations().get(0).fields().invoiceDescription()).isNull();
    }

    @Test
    @DisplayName("R24 the same usage again does nothing; a corrected one updates the line, or adds the difference once invoiced (R26)")
    void repeatedAndCorrected() {
        SubscriptionLines lines = iaasBase();
        lines = lines.apply(plan(usage(sub().iaas(), "2024-03-01", "2024-03-31", "150", "0.12", "0.095", DETAILS), lines, rules()));
        assertThat(plan(usage(sub().iaas(), "2024-03-01", "2024-03-31", "150", "0.12", "0.095", DETAILS), lines, rules())
                .operations()).isEmpty();
        AdditionPlan corrected = plan(usage(sub().iaas(), "2024-03-01", "2024-03-31", "160", "0.12", "0.095", DETAILS), lines,
                rules());
        assertThat(corrected.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("19.20");
        });
        SubscriptionLines invoiced = lines.markAllInvoiced();
        AdditionPlan difference = plan(usage(sub().iaas(), "2024-03-01", "2024-03-31", "160", "0.12", "0.095", DETAILS), invoiced,
                rules());
        assertThat(difference.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.line().revision()).isEqualTo(1);
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("1.20");
            assertThat(op.fields().unitCost()).isEqualByComparingTo("0.950");
            assertThat(op.reason()).startsWith("R26");
        });
    }

    @Test
    @DisplayName("R24 x R27 the usage of an invoiced month bills once, whole, in the period N starts (dated over all of it,"
            + " probe 57 P57-4) under its own period's key: its correction updates that line, the usage of the month N starts"
            + " is a line of its own")
    void usageOfAnInvoicedMonthKeepsItsPeriod() {
        // February invoiced (N = 1 March), the agreement does not bill changes of invoiced periods itself
        MappingContext invoiced = mapping().withBilling(new AgreementBilling(date("2024-02-01"), date("2024-03-01"), false, false));
        SubscriptionLines lines = iaasBase();
        AdditionPlan february = AdditionRules.plan(usage(sub().iaas(), "2024-02-01", "2024-02-29", "100", "1.00", "0.50", DETAILS),
                lines, invoiced, rules());
        assertThat(february.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            // the subscription started on 14 February: its first usage period bills from then (the key's date)
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.USAGE, date("2024-02-14")));
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-01"));
            // P57-4: over the whole of March (a one-day line at N billed 1/31 of the amount on a prorating agreement)
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("100.00");
        });
        lines = lines.apply(february);

        // corrected: the same line (from N, not invoiced) takes the new amount; nothing is added next to it
        AdditionPlan corrected = AdditionRules.plan(usage(sub().iaas(), "2024-02-01", "2024-02-29", "130", "1.00", "0.50", DETAILS),
                lines, invoiced, rules());
        assertThat(corrected.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.UPDATE);
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.USAGE, date("2024-02-14")));
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("130.00");
            assertThat(op.fields().unitCost()).isEqualByComparingTo("65.00");
        });
        lines = lines.apply(corrected);

        // March's usage is March's: a line of its own, February's stays
        AdditionPlan march = AdditionRules.plan(usage(sub().iaas(), "2024-03-01", "2024-03-31", "10", "1.00", "0.50", DETAILS),
                lines, invoiced, rules());
        assertThat(march.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.USAGE, date("2024-03-01")));
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-01"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("10.00");
        });
        lines = lines.apply(march);
        // and each period again is already in ConnectWise
        assertThat(AdditionRules.plan(usage(sub().iaas(), "2024-02-01", "2024-02-29", "130", "1.00", "0.50", DETAILS), lines, invoiced,
                rules()).operations()).isEmpty();
        assertThat(AdditionRules.plan(usage(sub().iaas(), "2024-03-01", "2024-03-31", "10", "1.00", "0.50", DETAILS), lines, invoiced,
                rules()).operations()).isEmpty();
    }

    @Test
    @DisplayName("R24 (probe 57 P57-4) a usage line is dated over the whole billing period its usage starts in, so no proration"
            + " cuts its amount: 3 x 5.00 for 2024-04-08 to 04-09 is 15.00 from 2024-04-01 to 04-30 (dated 04-08 to 04-09 a"
            + " prorating agreement billed 2/30 of it, 1.00); the description keeps the usage period")
    void r24AUsageLineIsDatedOverItsWholeBillingPeriod() {
        MappingContext prorating = mapping().withBilling(new AgreementBilling(date("2024-01-01"), date("2024-01-01"), true, false));
        AdditionPlan plan = AdditionRules.plan(usage(sub().iaas(), "2024-04-08", "2024-04-09", "3", "5.00", "4.00", DETAILS),
                iaasBase(), prorating, rules());
        assertThat(plan.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.USAGE, date("2024-04-08")));
            assertThat(op.fields().quantity()).isEqualByComparingTo("1");
            assertThat(op.fields().unitPrice()).isEqualTo(dec("15.00"));
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-04-01"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-04-30"));
            assertThat(op.fields().description()).contains("usage 2024-04-08 to 2024-04-09").contains("vm-web-01: 720 h");
            assertThat(op.reason()).contains("R24").contains("2024-04-01 to 2024-04-30");
        });
        // the subscription's first usage period (it started 14 February) bills whole in February too: the line starts on the
        // first of the month, not on the subscription's start (the README demo: 15.00, not 16/29 of it, 8.28); never before
        // the agreement's billing start (R13: ConnectWise refuses it), here 1 February
        AdditionPlan first = AdditionRules.plan(usage(sub().iaas(), "2024-02-14", "2024-02-29", "3", "5.00", "4.00", DETAILS),
                iaasBase(), prorating, rules());
        assertThat(first.operations()).singleElement().satisfies(op -> {
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.USAGE, date("2024-02-14")));
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-02-01"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-02-29"));
        });
        MappingContext lateStart = new MappingContext(AGREEMENT, date("2024-02-10"), CATALOG, NEW_CATALOG, null)
                .withBilling(new AgreementBilling(date("2024-02-10"), date("2024-02-10"), true, false));
        AdditionPlan clamped = AdditionRules.plan(usage(sub().iaas(), "2024-02-14", "2024-02-29", "3", "5.00", "4.00", DETAILS),
                iaasBase(), lateStart, rules());
        assertThat(clamped.operations()).singleElement().satisfies(op -> {
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-02-10"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-02-29"));
        });
    }

    @Test
    @DisplayName("R24 x R27 x R26 (probe 57 P57-4) the usage of an invoiced period bills whole in the billing period N starts,"
            + " dated over all of it (1 to 31 March, not the one day 1 March that billed 1/31 of it); a correction of it"
            + " once that line is invoiced is a difference line over the period of the new N (1 to 30 April)")
    void r24R27R26LateUsageIsDatedOverTheWholePeriodOfN() {
        MappingContext invoiced = mapping().withBilling(new AgreementBilling(date("2024-02-01"), date("2024-03-01"), true, false));
        SubscriptionLines lines = iaasBase();
        AdditionPlan february = AdditionRules.plan(usage(sub().iaas(), "2024-02-14", "2024-02-29", "2", "5.00", "4.00", DETAILS),
                lines, invoiced, rules());
        assertThat(february.operations()).singleElement().satisfies(op -> {
            assertThat(op.line()).isEqualTo(LineKey.of(SUB, LineRole.USAGE, date("2024-02-14")));
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("10.00");
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-03-01"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-03-31"));
            assertThat(op.fields().description()).contains("usage 2024-02-14 to 2024-02-29");
            assertThat(op.reason()).contains("R27");
        });
        lines = lines.apply(february).markAllInvoiced();
        MappingContext april = mapping().withBilling(new AgreementBilling(date("2024-02-01"), date("2024-04-01"), true, false));
        AdditionPlan corrected = AdditionRules.plan(usage(sub().iaas(), "2024-02-14", "2024-02-29", "3", "5.00", "4.00", DETAILS),
                lines, april, rules());
        assertThat(corrected.operations()).singleElement().satisfies(op -> {
            assertThat(op.kind()).isEqualTo(Kind.CREATE);
            assertThat(op.line()).isEqualTo(new LineKey(SUB, LineRole.USAGE, date("2024-02-14"), 1));
            assertThat(op.fields().unitPrice()).isEqualByComparingTo("5.00");
            assertThat(op.fields().effectiveDate()).isEqualTo(date("2024-04-01"));
            assertThat(op.fields().cancelledDate()).isEqualTo(date("2024-04-30"));
            assertThat(op.reason()).startsWith("R26");
        });
    }
}
