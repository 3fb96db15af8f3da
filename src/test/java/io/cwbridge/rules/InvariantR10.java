package io.cwbridge.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * R10: for every day d, the licences of a subscription's additions active on d (effectiveDate ≤ d ≤
 * cancelledDate, no cancelledDate = open) equal the licences to be billed on d under the partner's
 * rules. Usage and setup lines are amounts, not licences, and do not count.
 */
public final class InvariantR10 {

    private InvariantR10() {
    }

    /** A day on which the lines and the expectation differ. */
    public record Violation(LocalDate day, BigDecimal actual, BigDecimal expected) {

        @Override
        public String toString() {
            return day + ": lines bill " + actual.toPlainString() + ", expected " + expected.toPlainString();
        }
    }

    /** The licences the lines bill on day d. */
    public static BigDecimal quantityOn(Collection<AdditionLine> lines, LocalDate day) {
        return lines.stream()
                .filter(AdditionLine::countsLicences)
                .filter(line -> line.activeOn(day))
                .map(AdditionLine::quantity)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Every day from {@code from} to {@code to} (inclusive) where the lines differ from {@code expected}. */
    public static List<Violation> check(Collection<AdditionLine> lines, Function<LocalDate, BigDecimal> expected, LocalDate from,
            LocalDate to) {
        List<Violation> violations = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            BigDecimal actual = quantityOn(lines, day);
            BigDecimal want = expected.apply(day);
            if (actual.compareTo(want) != 0) {
                violations.add(new Violation(day, actual, want));
            }
        }
        return violations;
    }

    /** R10 for one subscription against the independent model. */
    public static List<Violation> check(SubscriptionLines lines, ExpectedLicences model, String subscriptionId, LocalDate from,
            LocalDate to) {
        return check(lines.forSubscription(subscriptionId).all(),
                day -> BigDecimal.valueOf(model.licencesOn(subscriptionId, day)), from, to);
    }
}
