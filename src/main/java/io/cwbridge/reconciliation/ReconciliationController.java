package io.cwbridge.reconciliation;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.rules.reconciliation.ReconciliationStatus;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The billing reconciliation log (SPEC 8.2, R32): list with date-range and status filters as JSON
 * or CSV ({@code Accept: text/csv}), accept, reject, and a run on demand.
 */
@RestController
class ReconciliationController {

    private static final int MIN_YEAR = 1;
    private static final int MAX_YEAR = 9999;

    static final String CSV = "text/csv";

    private final ReconciliationRepository repository;
    private final ReconciliationDecisions decisions;
    private final ProducerTemplate camel;
    private final Clock clock;
    private final ThreeWayCheck threeWay;
    private final io.cwbridge.partner.PartnerConnectionRepository partners;

    ReconciliationController(ReconciliationRepository repository, ReconciliationDecisions decisions, ProducerTemplate camel, Clock clock,
                             ThreeWayCheck threeWay, io.cwbridge.partner.PartnerConnectionRepository partners) {
        this.repository = repository;
        this.decisions = decisions;
        this.camel = camel;
        this.clock = clock;
        this.threeWay = threeWay;
        this.partners = partners;
    }

    /** R34: the three-way check of a month (invoice × marketplace × ConnectWise), every mismatch with its amount. */
    @GetMapping(path = "/api/v1/partners/{p}/three-way", produces = MediaType.APPLICATION_JSON_VALUE)
    ThreeWayCheck.Report threeWay(@PathVariable("p") String partnerId, @RequestParam(name = "month", required = false) String month) {
        return threeWayReport(partnerId, month);
    }

    /** The same rows as the JSON report, as CSV. */
    @GetMapping(path = "/api/v1/partners/{p}/three-way", produces = CSV)
    ResponseEntity<String> threeWayCsv(@PathVariable("p") String partnerId, @RequestParam(name = "month", required = false) String month) {
        ThreeWayCheck.Report report = threeWayReport(partnerId, month);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(CSV + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"three-way-" + report.month() + ".csv\"")
                .body(ThreeWayCsv.write(report.rows()));
    }

    private ThreeWayCheck.Report threeWayReport(String partnerId, String monthText) {
        YearMonth month;
        try {
            month = YearMonth.parse(monthText == null ? "" : monthText.trim());
        } catch (DateTimeParseException e) {
            throw ApiProblems.badRequest("month", "must be a month, e.g. 2024-04");
        }
        // java.time takes years PostgreSQL's date cannot hold (a 500 otherwise): four-digit years only.
        if (month.getYear() < MIN_YEAR || month.getYear() > MAX_YEAR) {
            throw ApiProblems.badRequest("month", "must be a month between 0001-01 and 9999-12");
        }
        if (!partners.known(partnerId)) throw ApiProblems.notFound("unknown partner " + partnerId);
        // A partner whose connection was removed is known, but ConnectWise cannot be read for it.
        if (!partners.exists(partnerId)) throw ApiProblems.conflict("Partner " + partnerId + " has no ConnectWise connection.");
        try {
            return threeWay.check(partnerId, month);
        } catch (PsaReader.Unreadable e) {
            throw new ErrorResponseException(HttpStatus.BAD_GATEWAY,
                    ApiProblems.problem(HttpStatus.BAD_GATEWAY, "ConnectWise could not be read: " + e.getMessage(), List.of()), null);
        }
    }

    /**
     * Billing months overlapping [from, to] (default: last month by the sync clock); status may list
     * several, comma-separated; q searches subscription id, customer, provider and plan. With
     * {@code groupBy=customer} (customer → provider → plan → rows) the same rows come grouped.
     */
    @GetMapping(path = "/api/v1/partners/{p}/reconciliation", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> list(@PathVariable("p") String partnerId, @RequestParam(name = "from", required = false) String from,
                             @RequestParam(name = "to", required = false) String to,
                             @RequestParam(name = "status", required = false) String status,
                             @RequestParam(name = "q", required = false) String search,
                             @RequestParam(name = "groupBy", required = false) String groupBy) {
        Query q = query(from, to, status, search, groupBy);
        List<ReconciliationView> rows = repository.list(partnerId, q.from(), q.to(), q.statuses(), q.search());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("partnerId", partnerId);
        answer.put("from", q.from().toString());
        answer.put("to", q.to().toString());
        answer.put("count", rows.size());
        if (q.grouped()) {
            answer.put("groupBy", "customer,provider,plan");
            answer.put("customers", ReconciliationGroups.group(rows));
        } else {
            answer.put("items", rows);
        }
        return answer;
    }

    /** The same rows as the JSON log for the same query, as CSV. */
    @GetMapping(path = "/api/v1/partners/{p}/reconciliation", produces = CSV)
    ResponseEntity<String> csv(@PathVariable("p") String partnerId, @RequestParam(name = "from", required = false) String from,
                               @RequestParam(name = "to", required = false) String to,
                               @RequestParam(name = "status", required = false) String status,
                               @RequestParam(name = "q", required = false) String search,
                               @RequestParam(name = "groupBy", required = false) String groupBy) {
        Query q = query(from, to, status, search, groupBy);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(CSV + ";charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"reconciliation-" + q.from() + "-" + q.to() + ".csv\"")
                .body(ReconciliationCsv.write(repository.list(partnerId, q.from(), q.to(), q.statuses(), q.search())));
    }

    /** One subscription: every month of its reconciliation, newest first, each with what was written to ConnectWise. */
    @GetMapping(path = "/api/v1/partners/{p}/reconciliation/subscriptions/{subscriptionId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> subscription(@PathVariable("p") String partnerId, @PathVariable("subscriptionId") String subscriptionId) {
        List<ReconciliationView> months = repository.ofSubscription(partnerId, subscriptionId);
        if (months.isEmpty()) {
            throw ApiProblems.notFound("no reconciliation of subscription " + subscriptionId + " for partner " + partnerId);
        }
        ReconciliationView latest = months.get(0);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("partnerId", partnerId);
        answer.put("subscriptionId", subscriptionId);
        answer.put("customerName", latest.customerName());
        answer.put("providerName", latest.providerName());
        answer.put("planName", latest.planName());
        answer.put("months", months.stream().map(m -> Map.of("reconciliation", m, "operations", repository.operations(m.id()))).toList());
        return answer;
    }

    @PostMapping("/api/v1/partners/{p}/reconciliation/{id}/accept")
    ReconciliationView accept(@PathVariable("p") String partnerId, @PathVariable("id") long id) {
        return decisions.accept(partnerId, id);
    }

    @PostMapping("/api/v1/partners/{p}/reconciliation/{id}/reject")
    ReconciliationView reject(@PathVariable("p") String partnerId, @PathVariable("id") long id) {
        return decisions.reject(partnerId, id);
    }

    /** Accept of a selection, {@code {"ids":[…]}}: each id's outcome (status, or its problem). */
    @PostMapping(path = "/api/v1/partners/{p}/reconciliation/accept", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> acceptAll(@PathVariable("p") String partnerId, @RequestBody JsonNode body) {
        return Map.of("results", decisions.decideAll(partnerId, ids(body), true));
    }

    /** Reject of a selection, {@code {"ids":[…]}}. */
    @PostMapping(path = "/api/v1/partners/{p}/reconciliation/reject", consumes = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> rejectAll(@PathVariable("p") String partnerId, @RequestBody JsonNode body) {
        return Map.of("results", decisions.decideAll(partnerId, ids(body), false));
    }

    private static List<Long> ids(JsonNode body) {
        JsonNode ids = body == null ? null : body.get("ids");
        if (ids == null || !ids.isArray() || ids.isEmpty()) throw ApiProblems.badRequest("ids", "must be a non-empty array of reconciliation ids");
        if (ids.size() > 1000) throw ApiProblems.badRequest("ids", "at most 1000 ids at once");
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode id = ids.get(i);
            if (!id.canConvertToExactIntegral() || !id.canConvertToLong() || id.asLong() <= 0) {
                throw ApiProblems.badRequest("ids[" + i + "]", "must be a reconciliation id (a positive whole number)");
            }
            out.add(id.asLong());
        }
        return out;
    }

    /** Runs today's reconciliation now (what the daily timer does), for all partners. */
    @PostMapping("/api/v1/reconciliation/run")
    Object run() {
        return camel.requestBody("direct:billing-reconciliation", (Object) null);
    }

    private record Query(LocalDate from, LocalDate to, Set<ReconciliationStatus> statuses, String search, boolean grouped) {}

    private Query query(String fromText, String toText, String statusText, String search, String groupBy) {
        List<FieldProblem> problems = new ArrayList<>();
        LogFilter filter = LogFilter.read(fromText, toText, statusText, clock, ReconciliationController::date, problems);
        boolean grouped = false;
        if (groupBy != null && !groupBy.isBlank()) {
            String g = groupBy.trim().toLowerCase(Locale.ROOT).replace(" ", "");
            if (List.of("customer", "customer,provider,plan").contains(g)) grouped = true;
            else problems.add(new FieldProblem("groupBy", "must be customer (customer, then provider, then plan)"));
        }
        if (search != null && search.length() > 200) problems.add(new FieldProblem("q", "at most 200 characters"));
        if (!problems.isEmpty()) {
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST,
                    ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.", problems), null);
        }
        return new Query(filter.from(), filter.to(), filter.statuses(), search, grouped);
    }

    private static LocalDate date(String field, String text, LocalDate fallback, List<FieldProblem> problems) {
        if (text == null || text.isBlank()) return fallback;
        try {
            LocalDate day = LocalDate.parse(text.trim());
            if (day.getYear() >= MIN_YEAR && day.getYear() <= MAX_YEAR) return day;
            problems.add(new FieldProblem(field, "must be a date between 0001-01-01 and 9999-12-31"));
            return null;
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(field, "must be a date, e.g. 2024-02-01"));
            return null;
        }
    }
}
