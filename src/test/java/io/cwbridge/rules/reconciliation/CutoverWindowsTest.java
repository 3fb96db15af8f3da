package io.cwbridge.rules.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** R32: the providers' billing cutover windows (SPEC 6 table) and the month each one reconciles. */
class CutoverWindowsTest {

    @Test
    void r32TableMatchesTheSpec() {
        Map<Integer, int[]> spec = Map.of(2, new int[] {6, 21}, 1, new int[] {6, 21}, 3, new int[] {6, 21},
                28, new int[] {10, 25}, 30, new int[] {10, 25}, 19, new int[] {6, 21}, 32, new int[] {6, 21});
        assertThat(CutoverWindows.all()).hasSize(spec.size());
        spec.forEach((id, days) -> assertThat(CutoverWindows.of(id)).hasValueSatisfying(w -> {
            assertThat(w.startDay()).as("start of %s", id).isEqualTo(days[0]);
            assertThat(w.endDay()).as("end of %s", id).isEqualTo(days[1]);
            assertThat(w.endDay() - w.startDay()).as("up to 15 days after the cutover start").isEqualTo(15);
        }));
    }

    @ParameterizedTest(name = "R32 provider {0} on {1} -> {2}")
    @CsvSource({
            // Google Cloud Platform: the January cycle runs from February 6th through February 21st.
            "2, 2024-02-05, ",
            "2, 2024-02-06, 2024-01",
            "2, 2024-02-21, 2024-01",
            "2, 2024-02-22, ",
            // Microsoft Modern Workplace and CSP: 10th through 25th.
            "28, 2024-02-09, ",
            "28, 2024-02-10, 2024-01",
            "28, 2024-02-25, 2024-01",
            "28, 2024-02-26, ",
            "30, 2024-03-10, 2024-02",
            "30, 2024-03-25, 2024-02",
            // The year turns: January reconciles December of the year before.
            "1, 2025-01-06, 2024-12",
            "32, 2024-12-21, 2024-11",
            "19, 2024-06-15, 2024-05",
            "3, 2024-03-01, ",
            // An unknown provider is never reconciled.
            "99, 2024-02-10, ",
    })
    void r32PeriodToReconcileIsThePreviousMonthInsideTheWindowOnly(int providerId, String today, String expected) {
        assertThat(CutoverWindows.periodToReconcile(providerId, LocalDate.parse(today)))
                .isEqualTo(expected == null ? java.util.Optional.empty() : java.util.Optional.of(YearMonth.parse(expected)));
    }

    @Test
    void r32EveryDayOfAYearIsInsideAtMostTheWindowItsDayOfMonthSays() {
        for (LocalDate d = LocalDate.of(2024, 1, 1); d.getYear() == 2024; d = d.plusDays(1)) {
            for (CutoverWindows.Window w : CutoverWindows.all().values()) {
                boolean inside = d.getDayOfMonth() >= w.startDay() && d.getDayOfMonth() <= w.endDay();
                assertThat(CutoverWindows.periodToReconcile(w.providerId(), d).isPresent()).as("%s %s", w.provider(), d).isEqualTo(inside);
            }
        }
    }
}
