package io.cwbridge.rules.reconciliation;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;

/**
 * R32: each provider's billing cutover window (SPEC 6 table). The previous month is reconciled
 * from the cutover start day of the month through the cutover end day (daily, up to 15 days).
 */
public final class CutoverWindows {

    /** Days of the month a provider's window opens and closes (both included). */
    public record Window(int providerId, String provider, int startDay, int endDay) {
        public boolean contains(LocalDate day) {
            return day.getDayOfMonth() >= startDay && day.getDayOfMonth() <= endDay;
        }
    }

    private static final Map<Integer, Window> WINDOWS = Map.of(
            2, new Window(2, "Google Cloud Platform", 6, 21),
            1, new Window(1, "Amazon Web Services", 6, 21),
            3, new Window(3, "Azure Legacy", 6, 21),
            28, new Window(28, "Microsoft Modern Workplace", 10, 25),
            30, new Window(30, "Microsoft CSP", 10, 25),
            19, new Window(19, "Generic Web Service", 6, 21),
            32, new Window(32, "Sophos", 6, 21));

    private CutoverWindows() {}

    public static Optional<Window> of(int providerId) {
        return Optional.ofNullable(WINDOWS.get(providerId));
    }

    public static Map<Integer, Window> all() {
        return WINDOWS;
    }

    /**
     * The billing month this provider's reconciliation works on {@code today}: the previous month
     * while today is inside the window, else none (before the cutover start, after its end, or an
     * unknown provider).
     */
    public static Optional<YearMonth> periodToReconcile(int providerId, LocalDate today) {
        return of(providerId).filter(w -> w.contains(today)).map(w -> YearMonth.from(today).minusMonths(1));
    }
}
