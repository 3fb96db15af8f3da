package io.cwbridge.rules;

import static io.cwbridge.rules.Fixtures.date;
import static io.cwbridge.rules.Fixtures.dec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cwbridge.events.BillingCycle;
import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * R17a (v2) proration, [(days in period − day of effective date + 1) × amount] / days in period (seeds
 * 001 and 004; the effective day counts, as in R10: 15–31 March is 17 days), and R24 overuse, overused amount × overuse price / cost (seed 001). The guides give the
 * formulas without numbers; these reproduce them on the §8.1 subscription (22.00 / 18.70) with exact
 * BigDecimal results.
 */
class ProrationTest {

    private static Proration.Period month(String day) {
        return Proration.billingPeriod(date(day), BillingCycle.MONTHLY, null);
    }

    @ParameterizedTest(name = "R17a {0}: {1} prorated on {2} = {3}")
    @CsvSource({
            // effective 15 March 2024, 31 days: (31 - 15 + 1) x 22.00 / 31 = 374 / 31 = 12.0645.. -> 12.06
            "price March 2024, 22.00, 2024-03-15, 12.06",
            // 17 x 18.70 / 31 = 317.9 / 31 = 10.2548.. -> 10.25
            "cost March 2024, 18.70, 2024-03-15, 10.25",
            // leap February, 29 days: 15 x 22.00 / 29 = 330 / 29 = 11.3793.. -> 11.38
            "price Feb 2024 (leap), 22.00, 2024-02-15, 11.38",
            "cost Feb 2024 (leap), 18.70, 2024-02-15, 9.67",
            // February 2023, 28 days: 14 x 22.00 / 28 = 11.00 exactly
            "price Feb 2023, 22.00, 2023-02-15, 11.00",
            // day 2 of a 30-day month: 29 x 22.00 / 30 = 21.2666.. -> 21.27
            "price 2 April, 22.00, 2024-04-02, 21.27",
            // HALF_UP: 17 x 10.00 / 31 = 5.48387.. -> 5.48 ; 16 x 0.10 / 30 = 0.0533.. -> 0.05
            "small price, 10.00, 2024-03-15, 5.48",
            "half cent, 0.10, 2024-04-15, 0.05",
            // four-decimal cost keeps four decimals: 17 x 18.7025 / 31 = 10.25621.. -> 10.2562
            "4-decimal cost, 18.7025, 2024-03-15, 10.2562",
            // the last day of the month bills one day: 1 x 22.00 / 31 = 0.7096.. -> 0.71
            "last day of month, 22.00, 2024-03-31, 0.71",
            "Feb 29 (leap last day), 22.00, 2024-02-29, 0.76"})
    void prorateMonthly(String what, String amount, String effective, String expected) {
        BigDecimal result = Proration.prorate(dec(amount), date(effective), month(effective), "USD");
        assertThat(result).isEqualTo(dec(expected)); // equal including the scale
    }

    @ParameterizedTest(name = "R17a an ended line {0}: {1} from {2} to {3} = {4}")
    @CsvSource({
            // probe 45 F5: 10-19 September (a price change ends it): 10 x 33.00 / 30 = 11.00, not 21 x 33.00 / 30 = 23.10
            "ended by a price change, 33.00, 2026-09-10, 2026-09-19, 11.00",
            "its cost, 27.00, 2026-09-10, 2026-09-19, 9.00",
            // a line on the period's first day ended on the 9th: 9 x 30.00 / 30 = 9.00
            "from the first day, 30.00, 2026-09-01, 2026-09-09, 9.00",
            // an end after the period changes nothing: SPEC's formula, 21 x 33.00 / 30 = 23.10
            "ending after the period, 33.00, 2026-09-10, 2026-10-19, 23.10",
            "open, 33.00, 2026-09-10, , 23.10",
            // one day: 1 x 22.00 / 31 = 0.7096.. -> 0.71
            "one day, 22.00, 2024-03-15, 2024-03-15, 0.71",
    })
    void r17aAnEndedLineIsProratedOverItsActiveDaysOfThePeriod(String what, String amount, String effective, String cancelled,
            String expected) {
        Proration.Period period = month(effective);
        assertThat(Proration.prorate(dec(amount), date(effective), cancelled == null ? null : date(cancelled), period, "USD"))
                .isEqualTo(dec(expected));
    }

    @Test
    @DisplayName("R17a probe 45 F2: on a yearly agreement (2024-02-01..2025-01-31, 366 days) a base from 10 February ended on"
            + " 31 August by the month roll bills 204 days, a delta 15-31 August 17 days, so the year bills each day once")
    void r17aYearlyLinesEndedInsideTheAgreementYearBillTheirOwnDays() {
        Proration.Period year = Proration.billingPeriod(date("2024-02-10"), BillingCycle.YEARLY, date("2024-02-01"));
        assertThat(Proration.activeDays(date("2024-02-10"), date("2024-08-31"), year)).isEqualTo(204);
        assertThat(Proration.activeDays(date("2024-08-15"), date("2024-08-31"), year)).isEqualTo(17);
        assertThat(Proration.activeDays(date("2024-09-01"), date("2025-02-09"), year)).isEqualTo(153);
        // 120.00 x 204 / 366 = 66.885.. ; 120.00 x 17 / 366 = 5.573.. ; 120.00 x 153 / 366 = 50.163..
        assertThat(Proration.prorate(dec("120.00"), date("2024-02-10"), date("2024-08-31"), year, "USD")).isEqualTo(dec("66.89"));
        assertThat(Proration.prorate(dec("120.00"), date("2024-08-15"), date("2024-08-31"), year, "USD")).isEqualTo(dec("5.57"));
        assertThat(Proration.prorate(dec("120.00"), date("2024-09-01"), date("2025-02-09"), year, "USD")).isEqualTo(dec("50.16"));
        // 10 x 66.89 + 2 x 5.57 + 12 x 50.16 = 1281.96 for 10 x 357 + 2 x 170 licence-days (1281.97), not 1883.90
        assertThat(Proration.written(SyncRules.ProrationRule.MARKETPLACE, false, BillingCycle.YEARLY, date("2024-02-01"), "USD",
                date("2024-02-10"), date("2024-08-31"), dec("120.00"), dec("100.00")))
                .isEqualTo(new Proration.Written(dec("66.89"), dec("55.74")));
        // a line from the first day that runs through the period is not prorated
        assertThat(Proration.written(SyncRules.ProrationRule.MARKETPLACE, false, BillingCycle.YEARLY, date("2024-02-01"), "USD",
                date("2024-02-01"), date("2025-01-31"), dec("120.00"), dec("100.00"))).isNull();
    }

    @Test
    @DisplayName("R17a effective on the period start: the full amount, not prorated")
    void periodStartIsNotProrated() {
        assertThat(Proration.prorate(dec("22.00"), date("2024-03-01"), month("2024-03-01"), "USD")).isEqualTo(dec("22.00"));
    }

    @Test
    @DisplayName("R17a rounding follows the currency's minor unit: JPY has none")
    void yenHasNoDecimals() {
        // 17 x 2200 / 31 = 1206.45.. -> 1206
        assertThat(Proration.prorate(dec("2200"), date("2024-03-15"), month("2024-03-15"), "JPY")).isEqualTo(dec("1206"));
        // BHD has three: 17 x 8.250 / 31 = 4.524193.. -> 4.524
        assertThat(Proration.prorate(dec("8.250"), date("2024-03-15"), month("2024-03-15"), "BHD")).isEqualTo(dec("4.524"));
        // an unknown code falls back to two
        assertThat(Proration.prorate(dec("22"), date("2024-03-15"), month("2024-03-15"), "XXQ")).isEqualTo(dec("12.06"));
    }

    @Test
    @DisplayName("R17a yearly subscription: the agreement year is the period (2024-02-01..2025-01-31, 366 days)")
    void yearlyPeriod() {
        Proration.Period year = Proration.billingPeriod(date("2024-03-15"), BillingCycle.YEARLY, date("2024-02-01"));
        assertThat(year).isEqualTo(new Proration.Period(date("2024-02-01"), date("2025-01-31")));
        assertThat(year.days()).isEqualTo(366);
        assertThat(year.dayOf(date("2024-03-15"))).isEqualTo(44);
        // (366 - 44 + 1) x 264.00 / 366 = 232.9836.. -> 232.98
        assertThat(Proration.prorate(dec("264.00"), date("2024-03-15"), year, "USD")).isEqualTo(dec("232.98"));
    }

    @Test
    @DisplayName("R17a yearly anchor on Feb 29 comes back on Feb 29 in leap years, Feb 28 otherwise")
    void yearlyLeapAnchor() {
        assertThat(Proration.billingPeriod(date("2025-03-01"), BillingCycle.YEARLY, date("2024-02-29")))
                .isEqualTo(new Proration.Period(date("2025-02-28"), date("2026-02-27")));
        assertThat(Proration.billingPeriod(date("2028-03-01"), BillingCycle.YEARLY, date("2024-02-29")))
                .isEqualTo(new Proration.Period(date("2028-02-29"), date("2029-02-27")));
        assertThat(Proration.billingPeriod(date("2024-01-10"), BillingCycle.YEARLY, date("2024-02-01")))
                .isEqualTo(new Proration.Period(date("2023-02-01"), date("2024-01-31")));
    }

    @Test
    @DisplayName("R17a an effective date outside the period is a programming error")
    void outsidePeriod() {
        assertThatThrownBy(() -> Proration.prorate(dec("1"), date("2024-04-01"), month("2024-03-01"), "USD"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "R24 overuse {0} x {1} = {2}")
    @CsvSource({
            "150, 0.12, 18.00",
            "12.5, 0.0825, 1.0313",   // 1.03125 -> four decimals like the unit amount, HALF_UP
            "12.5, 0.066, 0.825",
            "3, 7.50, 22.50",
            "0, 4.00, 0.00",
            "1.333, 3.00, 4.00"})     // 3.999 -> 4.00
    void overuse(String amount, String unit, String expected) {
        assertThat(Proration.overuse(dec(amount), dec(unit), "USD")).isEqualTo(dec(expected));
    }

    @Test
    @DisplayName("R24 a missing overuse price gives no amount")
    void overuseMissing() {
        assertThat(Proration.overuse(dec("1"), null, "USD")).isNull();
    }

    @ParameterizedTest(name = "R17a written {0} prorates={1} {2} from {3}: {4} / {5}")
    @CsvSource({
            // rule, agreement prorates, cycle, effective, price, cost (empty: none written)
            "MARKETPLACE, false, MONTHLY, 2024-03-15, 12.06, 10.25",  // 17 of 31 days of 22.00 / 18.70
            "MARKETPLACE, false, MONTHLY, 2024-03-01, ,",              // the period's first day: the unit price itself, nothing written
            "MARKETPLACE, true, MONTHLY, 2024-03-15, ,",               // ConnectWise prorates itself
            "CONNECTWISE, false, MONTHLY, 2024-03-15, ,",              // ConnectWise's rule
            "MARKETPLACE, false, YEARLY, 2024-03-15, 19.42, 16.50",    // 323 of 366 days of the year from 1 Feb 2024
            "MARKETPLACE, false, YEARLY, 2024-02-01, ,"})              // the agreement year's first day
    void writtenOutsideAPlan(SyncRules.ProrationRule rule, boolean prorates, BillingCycle cycle, String effective, String price,
                             String cost) {
        Proration.Written written = Proration.written(rule, prorates, cycle, date("2024-02-01"), "USD", date(effective),
                dec("22.00"), dec("18.70"));
        if (price == null) {
            assertThat(written).isNull();
        } else {
            assertThat(written).isEqualTo(new Proration.Written(dec(price), dec(cost)));
        }
    }

    @Test
    @DisplayName("R17a a line with neither price nor cost (CONNECTWISE_CATALOG without sync) writes nothing")
    void writtenWithoutAmounts() {
        assertThat(Proration.written(SyncRules.ProrationRule.MARKETPLACE, false, BillingCycle.MONTHLY, null, "USD",
                date("2024-03-15"), null, null)).isNull();
        assertThat(Proration.written(SyncRules.ProrationRule.MARKETPLACE, false, BillingCycle.MONTHLY, null, "USD",
                date("2024-03-15"), dec("31.00"), null)).isEqualTo(new Proration.Written(dec("17.00"), null));
    }
}
