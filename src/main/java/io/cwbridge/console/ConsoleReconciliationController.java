package io.cwbridge.console;

import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.reconciliation.LogFilter;
import io.cwbridge.reconciliation.ReconciliationConsole;
import io.cwbridge.reconciliation.ReconciliationView;
import io.cwbridge.rules.reconciliation.ReconciliationStatus;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console's reconciliation log (issue 16, R32) and three-way check (R34): the API's rows,
 * decisions and CSV through {@link ReconciliationConsole}, filtered by billing months overlapping
 * [from, to] (default last month by the bundle's clock, as the API) and status, 25 rows a page.
 * Accept / reject act on the rows ticked in one form; each row then shows its own outcome.
 */
@Controller
class ConsoleReconciliationController {

    static final int PAGE_SIZE = ConsolePager.PAGE_SIZE;
    /** The filter's "open" choice: what waits for a person's accept or reject. */
    static final String OPEN = "PENDING_REVIEW,FAILED";

    private final PartnerConnectionRepository partners;
    private final ReconciliationConsole reconciliation;
    private final Clock clock;

    ConsoleReconciliationController(PartnerConnectionRepository partners, ReconciliationConsole reconciliation, Clock clock) {
        this.partners = partners;
        this.reconciliation = reconciliation;
        this.clock = clock;
    }

    /** A filter as typed, and what it means (null where a field is invalid: its problem says why). */
    public record Filter(String fromText, String toText, String statusText, LocalDate from, LocalDate to, Set<ReconciliationStatus> statuses,
                  List<FieldProblem> problems) {}

    @GetMapping("/partners/{partnerId}/reconciliation")
    String log(@PathVariable String partnerId, @RequestParam(required = false) String from, @RequestParam(required = false) String to,
               @RequestParam(required = false) String status, @RequestParam(defaultValue = "1") int page, Model model) {
        layout(partnerId, "reconciliation", model);
        Filter filter = filter(from, to, status);
        List<ReconciliationView> rows = filter.problems().isEmpty()
                ? reconciliation.list(partnerId, filter.from(), filter.to(), filter.statuses()) : List.of();
        int pages = ConsolePager.pages(rows.size());
        int current = Math.min(Math.max(page, 1), pages);
        model.addAttribute("filter", filter);
        model.addAttribute("fieldErrors", filter.problems().stream()
                .collect(Collectors.toMap(FieldProblem::field, FieldProblem::message, (a, b) -> a, LinkedHashMap::new)));
        model.addAttribute("rows", rows.subList((current - 1) * PAGE_SIZE, Math.min(rows.size(), current * PAGE_SIZE)));
        model.addAttribute("total", rows.size());
        ConsolePager.put(model, current, rows.size());
        model.addAttribute("statuses", ReconciliationStatus.values());
        model.addAttribute("open", OPEN);
        model.addAttribute("csvUrl", UriComponentsBuilder.fromPath("/partners/{p}/reconciliation/csv")
                .queryParam("from", filter.fromText()).queryParam("to", filter.toText()).queryParam("status", filter.statusText())
                .buildAndExpand(partnerId).encode().toUriString());
        if (!model.containsAttribute("outcomes")) model.addAttribute("outcomes", Map.of());
        return "console/reconciliation";
    }

    /** The API's CSV ({@code Accept: text/csv}) of the same filter, as a file a browser downloads. */
    @GetMapping("/partners/{partnerId}/reconciliation/csv")
    ResponseEntity<String> csv(@PathVariable String partnerId, @RequestParam(required = false) String from,
                               @RequestParam(required = false) String to, @RequestParam(required = false) String status) {
        known(partnerId);
        Filter filter = filter(from, to, status);
        if (!filter.problems().isEmpty()) {
            return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(filter.problems().stream()
                    .map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("\n")));
        }
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"reconciliation-" + filter.from() + "-" + filter.to() + ".csv\"")
                .body(reconciliation.csv(reconciliation.list(partnerId, filter.from(), filter.to(), filter.statuses())));
    }

    /** Accept or reject of the ticked rows, each on its own; back to the same filter and page, every row with its outcome. */
    @PostMapping("/partners/{partnerId}/reconciliation/decide")
    String decide(@PathVariable String partnerId, @RequestParam(required = false) List<String> ids,
                  @RequestParam(required = false) String decision, @RequestParam(required = false) String from,
                  @RequestParam(required = false) String to, @RequestParam(required = false) String status,
                  @RequestParam(defaultValue = "1") int page, RedirectAttributes flash) {
        known(partnerId);
        String back = "redirect:" + UriComponentsBuilder.fromPath("/partners/{p}/reconciliation").queryParam("from", blankToNull(from))
                .queryParam("to", blankToNull(to)).queryParam("status", blankToNull(status)).queryParam("page", page)
                .buildAndExpand(partnerId).encode().toUriString();
        List<FieldProblem> problems = new ArrayList<>();
        if (!"accept".equals(decision) && !"reject".equals(decision)) problems.add(new FieldProblem("decision", "must be accept or reject"));
        List<Long> chosen = new ArrayList<>();
        if (ids == null || ids.isEmpty()) {
            problems.add(new FieldProblem("ids", "tick at least one reconciliation line"));
        } else if (ids.size() > 1000) {
            problems.add(new FieldProblem("ids", "at most 1000 lines at once"));
        } else {
            for (String id : ids) {
                try {
                    long value = Long.parseLong(id.trim());
                    if (value <= 0) throw new NumberFormatException();
                    chosen.add(value);
                } catch (NumberFormatException e) {
                    problems.add(new FieldProblem("ids", "must be reconciliation ids (positive whole numbers)"));
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            flash.addFlashAttribute("error", "Nothing was decided.");
            flash.addFlashAttribute("errors", problems);
            return back;
        }
        boolean accept = "accept".equals(decision);
        List<Map<String, Object>> results;
        try {
            results = reconciliation.decide(partnerId, chosen, accept);
        } catch (RuntimeException e) {
            // e.g. the database gone mid-way: the lines decided before it keep their new status
            flash.addFlashAttribute("error", "The decision failed: " + e.getMessage());
            return back;
        }
        Map<Long, Map<String, Object>> outcomes = new LinkedHashMap<>();
        results.forEach(r -> outcomes.put(((Number) r.get("id")).longValue(), r));
        long failed = results.stream().filter(r -> r.containsKey("error")).count();
        String verb = accept ? "Accepted" : "Rejected";
        flash.addFlashAttribute("outcomes", outcomes);
        if (failed == 0) {
            flash.addFlashAttribute("result", verb + " " + results.size() + " line(s).");
        } else {
            flash.addFlashAttribute("error", verb + " " + (results.size() - failed) + " of " + results.size()
                    + " line(s); the others say why next to them.");
            List<FieldProblem> errors = new ArrayList<>();
            results.stream().filter(r -> r.containsKey("error")).forEach(r -> errors.add(new FieldProblem("ids[" + r.get("id") + "]",
                    String.valueOf(((Map<?, ?>) r.get("error")).get("detail")))));
            flash.addFlashAttribute("errors", errors);
        }
        return back;
    }

    /** R34: the three-way check of a month (default last month by the bundle's clock), its mismatches and their CSV. */
    @GetMapping("/partners/{partnerId}/reconciliation/three-way")
    String threeWay(@PathVariable String partnerId, @RequestParam(required = false) String month, Model model) {
        layout(partnerId, "reconciliation", model);
        String text = month == null || month.isBlank() ? YearMonth.now(clock).minusMonths(1).toString() : month.trim();
        model.addAttribute("month", text);
        YearMonth chosen = month(text);
        if (chosen == null) {
            model.addAttribute("monthError", "must be a month between 0001-01 and 9999-12, e.g. 2024-04");
            return "console/three-way";
        }
        if (!partners.exists(partnerId)) {
            model.addAttribute("error", "Partner " + partnerId + " has no ConnectWise connection.");
            return "console/three-way";
        }
        try {
            model.addAttribute("report", reconciliation.threeWay(partnerId, chosen));
            model.addAttribute("csvUrl", UriComponentsBuilder.fromPath("/partners/{p}/reconciliation/three-way/csv")
                    .queryParam("month", chosen.toString()).buildAndExpand(partnerId).encode().toUriString());
        } catch (ReconciliationConsole.Unreadable e) {
            model.addAttribute("error", "ConnectWise could not be read: " + e.getMessage());
        }
        return "console/three-way";
    }

    @GetMapping("/partners/{partnerId}/reconciliation/three-way/csv")
    ResponseEntity<String> threeWayCsv(@PathVariable String partnerId, @RequestParam(required = false) String month) {
        known(partnerId);
        YearMonth chosen = month(month == null ? "" : month.trim());
        if (chosen == null) return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body("month: must be a month, e.g. 2024-04");
        if (!partners.exists(partnerId)) {
            return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.TEXT_PLAIN)
                    .body("Partner " + partnerId + " has no ConnectWise connection.");
        }
        try {
            return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"three-way-" + chosen + ".csv\"")
                    .body(reconciliation.threeWay(partnerId, chosen).csv());
        } catch (ReconciliationConsole.Unreadable e) {
            return ResponseEntity.status(HttpStatus.BAD_GATEWAY).contentType(MediaType.TEXT_PLAIN)
                    .body("ConnectWise could not be read: " + e.getMessage());
        }
    }


    /** The API's rules for the same parameters: dates yyyy-mm-dd in years 1–9999, to not before from, known statuses. */
    private Filter filter(String fromText, String toText, String statusText) {
        List<FieldProblem> problems = new ArrayList<>();
        LogFilter read = LogFilter.read(fromText, toText, statusText, clock, ConsoleReconciliationController::date, problems);
        LocalDate from = read.from();
        LocalDate to = read.to();
        Set<ReconciliationStatus> statuses = read.statuses();
        String shownStatus = statuses.isEmpty() || !problems.stream().filter(p -> p.field().equals("status")).toList().isEmpty()
                ? blank(statusText) : statuses.stream().map(Enum::name).collect(Collectors.joining(","));
        return new Filter(fromText == null || fromText.isBlank() ? String.valueOf(from) : fromText.trim(),
                toText == null || toText.isBlank() ? String.valueOf(to) : toText.trim(), shownStatus, from, to, statuses, problems);
    }

    private static LocalDate date(String field, String text, LocalDate fallback, List<FieldProblem> problems) {
        if (text == null || text.isBlank()) return fallback;
        try {
            LocalDate day = LocalDate.parse(text.trim());
            if (day.getYear() >= 1 && day.getYear() <= 9999) return day;
        } catch (DateTimeParseException e) {
            // reported below
        }
        problems.add(new FieldProblem(field, "must be a date between 0001-01-01 and 9999-12-31, e.g. 2024-02-01"));
        return null;
    }

    private static YearMonth month(String text) {
        try {
            YearMonth m = YearMonth.parse(text);
            return m.getYear() >= 1 && m.getYear() <= 9999 ? m : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String blank(String text) {
        return text == null ? "" : text.trim();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    private void known(String partnerId) {
        ConsolePartners.requireKnown(partners, partnerId);
    }

    /** The partner picker and navigation (as {@code ConsoleController}'s pages); an unknown partner is the 404 page. */
    private void layout(String partnerId, String screen, Model model) {
        ConsolePartners.layout(partners.partners(), partnerId, screen, model);
    }
}
