package io.cwbridge.reconciliation;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.reconciliation.rules.ReconciliationStatus;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.ProducerTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The billing reconciliation log (SPEC 8.2, R32): list with date-range and status filters as JSON
 * or CSV ({@code Accept: text/csv}), accept, reject, and a run on demand.
 */
@RestController
class ReconciliationController {

    static final String CSV = "text/csv";

    private final ReconciliationRepository repository;
    private final ReconciliationDecisions decisions;
    private final ProducerTemplate camel;
    private final Clock clock;

    ReconciliationController(ReconciliationRepository repository, ReconciliationDecisions decisions, ProducerTemplate camel, Clock clock) {
        this.repository = repository;
        this.decisions = decisions;
        this.camel = camel;
        this.clock = clock;
    }

    /** Billing months overlapping [from, to] (default: last month by the sync clock); status may list several, comma-separated. */
    @GetMapping(path = "/api/v1/partners/{p}/reconciliation", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> list(@PathVariable("p") String partnerId, @RequestParam(name = "from", required = false) String from,
                             @RequestParam(name = "to", required = false) String to,
                             @RequestParam(name = "status", required = false) String status) {
        Query q = query(from, to, status);
        return Map.of("partnerId", partnerId, "from", q.from().toString(), "to", q.to().toString(),
                "items", repository.list(partnerId, q.from(), q.to(), q.statuses()));
    }

    @GetMapping(path = "/api/v1/partners/{p}/reconciliation", produces = CSV)
    ResponseEntity<String> csv(@PathVariable("p") String partnerId, @RequestParam(name = "from", required = false) String from,
                               @RequestParam(name = "to", required = false) String to,
                               @RequestParam(name = "status", required = false) String status) {
        Query q = query(from, to, status);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(CSV + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"reconciliation-" + q.from() + "-" + q.to() + ".csv\"")
                .body(ReconciliationCsv.write(repository.list(partnerId, q.from(), q.to(), q.statuses())));
    }

    @PostMapping("/api/v1/partners/{p}/reconciliation/{id}/accept")
    ReconciliationView accept(@PathVariable("p") String partnerId, @PathVariable("id") long id) {
        return decisions.accept(partnerId, id);
    }

    @PostMapping("/api/v1/partners/{p}/reconciliation/{id}/reject")
    ReconciliationView reject(@PathVariable("p") String partnerId, @PathVariable("id") long id) {
        return decisions.reject(partnerId, id);
    }

    /** Runs today's reconciliation now (what the daily timer does), for all partners. */
    @PostMapping("/api/v1/reconciliation/run")
    Object run() {
        return camel.requestBody("direct:billing-reconciliation", (Object) null);
    }

    private record Query(LocalDate from, LocalDate to, Set<ReconciliationStatus> statuses) {}

    private Query query(String fromText, String toText, String statusText) {
        List<FieldProblem> problems = new ArrayList<>();
        YearMonth lastMonth = YearMonth.now(clock).minusMonths(1);
        LocalDate from = date("from", fromText, lastMonth.atDay(1), problems);
        LocalDate to = date("to", toText, lastMonth.atEndOfMonth(), problems);
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
        if (!problems.isEmpty()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST,
                    ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.", problems), null);
        }
        return new Query(from, to, statuses);
    }

    private static LocalDate date(String field, String text, LocalDate fallback, List<FieldProblem> problems) {
        if (text == null || text.isBlank()) return fallback;
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(field, "must be a date, e.g. 2024-02-01"));
            return null;
        }
    }
}
