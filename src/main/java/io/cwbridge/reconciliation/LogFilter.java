package io.cwbridge.reconciliation;

import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.rules.reconciliation.ReconciliationStatus;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * R32: which rows of the reconciliation log a request asks for, read the same way by the API and the console:
 * billing months overlapping [from, to] (last month when not given), to not before from, known statuses
 * (comma separated, any when none). Problems go to the caller's list; a date it cannot read is null.
 */
public record LogFilter(LocalDate from, LocalDate to, Set<ReconciliationStatus> statuses) {

    /** Reads one date (each caller words its own problem); {@code fallback} when the text is blank. */
    public interface DateReader {
        LocalDate read(String field, String text, LocalDate fallback, List<FieldProblem> problems);
    }

    public static LogFilter read(String fromText, String toText, String statusText, Clock clock, DateReader date,
                                 List<FieldProblem> problems) {
        YearMonth lastMonth = YearMonth.now(clock).minusMonths(1);
        LocalDate from = date.read("from", fromText, lastMonth.atDay(1), problems);
        LocalDate to = date.read("to", toText, lastMonth.atEndOfMonth(), problems);
        if (from != null && to != null && from.isAfter(to)) problems.add(new FieldProblem("to", "must not be before from"));
        Set<ReconciliationStatus> statuses = EnumSet.noneOf(ReconciliationStatus.class);
        if (statusText != null && !statusText.isBlank()) {
            for (String s : statusText.split(",")) {
                try {
                    statuses.add(ReconciliationStatus.valueOf(s.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    problems.add(new FieldProblem("status", "must be one or more of " + Arrays.toString(ReconciliationStatus.values())));
                    break;
                }
            }
        }
        return new LogFilter(from, to, statuses);
    }
}
