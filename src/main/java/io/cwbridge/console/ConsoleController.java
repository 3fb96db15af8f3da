package io.cwbridge.console;

import io.cwbridge.api.ApiProblems.FieldProblem;
import io.cwbridge.ingest.IntakeResult;
import io.cwbridge.ingest.ParkedEvent;
import io.cwbridge.ingest.ParkedEventPage;
import io.cwbridge.ingest.ParkedEventReplay;
import io.cwbridge.ingest.ParkedEventRepository;
import io.cwbridge.mapping.KnownSubscriptions;
import io.cwbridge.mapping.MappingStatus;
import io.cwbridge.mapping.MappingWorkbench;
import io.cwbridge.mapping.WorkbenchRows;
import io.cwbridge.partner.PartnerConnectionRepository;
import io.cwbridge.partner.PartnerSummary;
import io.cwbridge.reconciliation.MonthlyRevenue;
import io.cwbridge.reconciliation.ReconciliationConsole;
import io.cwbridge.rules.reconciliation.ReconciliationStatus;
import io.cwbridge.access.PartnerScope;
import io.cwbridge.tasks.TaskActions;
import io.cwbridge.tasks.TaskPage;
import io.cwbridge.tasks.TaskRepository;
import io.cwbridge.sync.TaskRequests;
import io.cwbridge.tasks.TaskView;
import io.cwbridge.tasks.store.TaskStatus;
import jakarta.validation.Valid;
import java.security.Principal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console (issue 16): server-rendered pages over the same services as the API, no logic of
 * their own. A partner is part of every address ({@code /partners/{p}/…}), so an unknown one is a
 * 404 page rather than a screen of zeros. Actions are plain forms (POST, then a redirect to the
 * page that shows the result or the error), so they work without JavaScript; htmx only boosts
 * them into in-place swaps.
 */
@Controller
public class ConsoleController {

    /** The addresses of the console's pages (for its headers, {@link ConsoleHeaders}). */
    static final String[] PATHS = {"/", "/partners", "/partners/**"};
    static final int PAGE_SIZE = ConsolePager.PAGE_SIZE;

    private final PartnerConnectionRepository partners;
    /** The partner {@code /} opens first; a property, not the demo package, which the production jar leaves out. */
    private final String firstPartner;
    private final MappingWorkbench workbench;
    private final KnownSubscriptions subscriptions;
    private final TaskRepository tasks;
    private final TaskActions actions;
    private final ParkedEventRepository parked;
    private final ParkedEventReplay replay;
    private final ConsoleNames consoleNames;

    public ConsoleController(PartnerConnectionRepository partners,
            @org.springframework.beans.factory.annotation.Value("${cwbridge.demo.partner-id:demo}") String firstPartner, MappingWorkbench workbench,
                             KnownSubscriptions subscriptions, TaskRepository tasks, TaskActions actions,
                             ParkedEventRepository parked, ParkedEventReplay replay, ConsoleNames consoleNames) {
        this.consoleNames = consoleNames;
        this.partners = partners;
        this.firstPartner = firstPartner;
        this.workbench = workbench;
        this.subscriptions = subscriptions;
        this.tasks = tasks;
        this.actions = actions;
        this.parked = parked;
        this.replay = replay;
    }

    /**
     * A partner user's own overview; for an operator the demo partner's when it exists, else the first partner's;
     * a page saying how to add one when none.
     */
    @GetMapping("/")
    String home(Model model, jakarta.servlet.http.HttpServletResponse response) {
        PartnerScope scope = PartnerScope.current();
        if (!scope.allPartners()) {
            if (scope.partnerId() != null) return "redirect:" + partnerPage(scope.partnerId());
            response.setStatus(jakarta.servlet.http.HttpServletResponse.SC_FORBIDDEN);
            model.addAttribute("message", "This login is not bound to a partner. Ask an operator to give it one.");
            return "console/forbidden";
        }
        List<PartnerSummary> all = partners.partners();
        if (all.isEmpty()) {
            model.addAttribute("partners", all);
            return "console/no-partners";
        }
        String chosen = all.stream().map(PartnerSummary::partnerId).filter(firstPartner::equals).findFirst()
                .orElse(all.get(0).partnerId());
        return "redirect:/partners/" + chosen;
    }

    /** The partner picker's form (GET ?partner=…) lands here. */
    @GetMapping("/partners")
    String pick(@RequestParam(required = false) String partner) {
        if (partner == null || partner.isBlank()) return "redirect:/";
        return "redirect:" + partnerPage(partner);
    }

    private static String partnerPage(String partnerId) {
        return UriComponentsBuilder.fromPath("/partners/{p}").buildAndExpand(partnerId).encode().toUriString();
    }

    @GetMapping("/partners/{partnerId}")
    String overview(@PathVariable String partnerId, Model model) {
        layout(partnerId, "overview", model);
        WorkbenchRows.Summary summary = workbench.summary(partnerId);
        model.addAttribute("summary", summary);
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put("customers", byName(summary.customers()));
        counts.put("products", byName(summary.products()));
        counts.put("subscriptions", byName(summary.subscriptions()));
        model.addAttribute("counts", counts);
        Map<String, Long> actionNeeded = new LinkedHashMap<>();
        for (TaskStatus status : List.of(TaskStatus.NEEDS_MAPPING, TaskStatus.AWAITING_APPROVAL, TaskStatus.FAILED)) {
            actionNeeded.put(status.name(), tasks.list(partnerId, status, null, 1, 0).total());
        }
        model.addAttribute("actionNeeded", actionNeeded);
        model.addAttribute("parkedCount", parked.list(null, ParkedEvent.Status.PARKED, partnerId, 1, 0).total());
        // R32: lines waiting for an accept or reject, of any month
        model.addAttribute("reconciliationOpen", overviewParts.reconciliation().list(partnerId, java.time.LocalDate.of(1, 1, 1),
                java.time.LocalDate.of(9999, 12, 31), java.util.EnumSet.of(ReconciliationStatus.PENDING_REVIEW, ReconciliationStatus.FAILED)).size());
        model.addAttribute("reconciliationOpenStatus", ConsoleReconciliationController.OPEN);
        return "console/overview";
    }

    /**
     * The overview's revenue chart, loaded after the page (htmx, {@code hx-trigger="load"}): billed
     * needs ConnectWise, whose retries must not hold up what needs action today. Without htmx the
     * same chart is a page of its own.
     */
    @GetMapping("/partners/{partnerId}/revenue")
    String revenue(@PathVariable String partnerId, @org.springframework.web.bind.annotation.RequestHeader(name = "HX-Request",
            required = false) String htmx, Model model) {
        layout(partnerId, "overview", model);
        MonthlyRevenue.Revenue revenue = overviewParts.revenue().of(partnerId, java.time.YearMonth.now(overviewParts.clock()), REVENUE_MONTHS);
        model.addAttribute("revenue", revenue);
        model.addAttribute("charts", revenue.currencies().stream().map(RevenueChart::of).toList());
        return "true".equals(htmx) ? "console/revenue :: revenue" : "console/revenue";
    }

    /** Months of the overview's revenue chart, ending with the current one by the bundle's clock. */
    static final int REVENUE_MONTHS = 12;

    /** What the overview reads beyond the constructor's services (injected apart: other screens' edits share that constructor). */
    record OverviewParts(ReconciliationConsole reconciliation, MonthlyRevenue revenue, java.time.Clock clock) {}

    private OverviewParts overviewParts;

    @org.springframework.beans.factory.annotation.Autowired
    void overviewParts(ReconciliationConsole reconciliation, MonthlyRevenue revenue, java.time.Clock clock) {
        this.overviewParts = new OverviewParts(reconciliation, revenue, clock);
    }

    @GetMapping("/partners/{partnerId}/tasks")
    String taskList(@PathVariable String partnerId, @RequestParam(required = false) String status,
                    @RequestParam(required = false) String type, @RequestParam(defaultValue = "1") int page, Model model) {
        layout(partnerId, "tasks", model);
        TaskStatus filter = Arrays.stream(TaskStatus.values()).filter(s -> s.name().equals(status)).findFirst().orElse(null);
        int current = Math.max(page, 1);
        io.cwbridge.events.EventType typeFilter = Arrays.stream(io.cwbridge.events.EventType.values())
                .filter(t -> t.name().equals(type)).findFirst().orElse(null);
        TaskPage found = tasks.list(partnerId, filter, typeFilter, null, PAGE_SIZE, (current - 1) * PAGE_SIZE);
        Map<String, Names> names = new LinkedHashMap<>();
        found.items().forEach(t -> names.computeIfAbsent(t.subscriptionId(), s -> names(partnerId, s)));
        model.addAttribute("page", found);
        model.addAttribute("names", names);
        model.addAttribute("statuses", TaskStatus.values());
        model.addAttribute("status", filter == null ? "" : filter.name());
        model.addAttribute("types", io.cwbridge.events.EventType.values());
        model.addAttribute("type", typeFilter == null ? "" : typeFilter.name());
        ConsolePager.put(model, current, found.total());
        return "console/tasks";
    }

    @GetMapping("/partners/{partnerId}/tasks/{taskId}")
    String task(@PathVariable String partnerId, @PathVariable long taskId, Model model) {
        layout(partnerId, "tasks", model);
        TaskView task = partnerTask(partnerId, taskId, () -> actions.show(taskId));
        model.addAttribute("task", task);
        model.addAttribute("names", names(partnerId, task.subscriptionId()));
        model.addAttribute("cw", consoleNames.forTask(partnerId, task)); // ConnectWise names next to ids (issue 16)
        return "console/task";
    }

    @PostMapping("/partners/{partnerId}/tasks/{taskId}/approve")
    String approve(@PathVariable String partnerId, @PathVariable long taskId, Principal principal, RedirectAttributes flash) {
        partnerTask(partnerId, taskId, () -> tasks.find(taskId).orElse(null));
        return act(flash, taskPage(partnerId, taskId), "Approved", () -> actions.approve(taskId, actor(principal)).status());
    }

    @PostMapping("/partners/{partnerId}/tasks/{taskId}/retry")
    String retry(@PathVariable String partnerId, @PathVariable long taskId, Principal principal, RedirectAttributes flash) {
        partnerTask(partnerId, taskId, () -> tasks.find(taskId).orElse(null));
        return act(flash, taskPage(partnerId, taskId), "Retried", () -> actions.retry(taskId, actor(principal)).status());
    }

    @PostMapping("/partners/{partnerId}/tasks/{taskId}/dismiss")
    String dismiss(@PathVariable String partnerId, @PathVariable long taskId, @Valid @ModelAttribute TaskRequests.Dismiss form,
                   BindingResult binding, Principal principal, RedirectAttributes flash) {
        partnerTask(partnerId, taskId, () -> tasks.find(taskId).orElse(null));
        if (binding.hasErrors()) {
            flash.addFlashAttribute("error", "Nothing was dismissed.");
            flash.addFlashAttribute("errors", binding.getFieldErrors().stream()
                    .map(e -> new FieldProblem(e.getField(), e.getDefaultMessage())).toList());
            return "redirect:" + taskPage(partnerId, taskId);
        }
        return act(flash, taskPage(partnerId, taskId), "Dismissed",
                () -> actions.dismiss(taskId, form.reason().strip(), actor(principal)).status());
    }

    @GetMapping("/partners/{partnerId}/parked")
    String parkedList(@PathVariable String partnerId, @RequestParam(required = false) String status,
                      @RequestParam(defaultValue = "1") int page, Model model) {
        layout(partnerId, "parked", model);
        ParkedEvent.Status filter = status == null ? ParkedEvent.Status.PARKED
                : Arrays.stream(ParkedEvent.Status.values()).filter(s -> s.name().equals(status)).findFirst().orElse(null);
        int current = Math.max(page, 1);
        ParkedEventPage found = parked.list(null, filter, partnerId, PAGE_SIZE, (current - 1) * PAGE_SIZE);
        model.addAttribute("page", found);
        model.addAttribute("statuses", ParkedEvent.Status.values());
        model.addAttribute("status", filter == null ? "" : filter.name());
        ConsolePager.put(model, current, found.total());
        return "console/parked";
    }

    @GetMapping("/partners/{partnerId}/parked/{parkedId}")
    String parkedEvent(@PathVariable String partnerId, @PathVariable long parkedId, Model model) {
        layout(partnerId, "parked", model);
        model.addAttribute("event", partnerParked(partnerId, parkedId));
        return "console/parked-event";
    }

    /**
     * Replays the stored raw text ("Replay as stored", no {@code body}) or the text fixed in the
     * editor, through the same intake as {@code POST /api/v1/events} (SPEC 2). Still invalid, the
     * fixed text is kept as a new parked event that supersedes this one: the page of that event
     * opens with the editor holding the text and the problems field by field.
     */
    @PostMapping("/partners/{partnerId}/parked/{parkedId}/replay")
    String replay(@PathVariable String partnerId, @PathVariable long parkedId, @RequestParam(required = false) String body,
                  RedirectAttributes flash) {
        partnerParked(partnerId, parkedId);
        String page = "/partners/" + partnerId + "/parked/" + parkedId;
        boolean edited = body != null;
        if (edited && body.isBlank()) {
            flash.addFlashAttribute("editError", "Nothing was replayed.");
            flash.addFlashAttribute("editErrors", List.of(new FieldProblem("$", "the edited text is empty (Replay as stored sends the stored text)")));
            return "redirect:" + page;
        }
        try {
            IntakeResult result = replay.replay(parkedId, edited ? body : null);
            if (result.outcome() == IntakeResult.Outcome.PARKED) {
                String still = "Still invalid: kept as parked event " + result.parkedId() + ", which supersedes this one.";
                if (edited && result.parkedId() != null) {
                    flash.addFlashAttribute("editError", "Still invalid: your edit is kept as this parked event (" + result.parkedId()
                            + "), which supersedes parked event " + parkedId + ". Fix the fields below and replay again.");
                    flash.addFlashAttribute("editErrors", result.errors());
                    return "redirect:/partners/" + partnerId + "/parked/" + result.parkedId();
                }
                flash.addFlashAttribute("error", still);
                flash.addFlashAttribute("errors", result.errors());
            } else {
                flash.addFlashAttribute("result", "Replayed: " + result.outcome()
                        + (result.taskId() == null ? "" : " (task " + result.taskId() + ")"));
                flash.addFlashAttribute("replayedTask", result.taskId());
            }
        } catch (ErrorResponseException e) {
            if (edited) {
                ProblemDetail problem = e.getBody();
                flash.addFlashAttribute("editError", problem.getDetail());
                flash.addFlashAttribute("editErrors", ConsoleRefusals.fields(problem)); // the parked editor shows them beside the text
                flash.addFlashAttribute("editedBody", body);
            } else {
                refused(flash, e);
            }
        }
        return "redirect:" + page;
    }

    @PostMapping("/partners/{partnerId}/parked/{parkedId}/discard")
    String discard(@PathVariable String partnerId, @PathVariable long parkedId, @RequestParam(required = false) String reason,
                   RedirectAttributes flash) {
        partnerParked(partnerId, parkedId);
        String why = reason == null || reason.isBlank() ? null : reason.strip();
        if (why != null && (why.length() > 1000 || io.cwbridge.api.InputText.problem(why, true) != null)) {
            flash.addFlashAttribute("error", "Nothing was discarded.");
            flash.addFlashAttribute("errors", List.of(new FieldProblem("reason", why.length() > 1000
                    ? "must be at most 1000 characters" : io.cwbridge.api.InputText.problem(why, true))));
            return "redirect:/partners/" + partnerId + "/parked/" + parkedId;
        }
        return act(flash, "/partners/" + partnerId + "/parked/" + parkedId, "Discarded",
                () -> replay.discard(parkedId, why).status().name());
    }

    /** Counts per SPEC §3 status, each status present (0 when none). */
    private static Map<String, Long> byName(Map<MappingStatus, Long> counts) {
        Map<String, Long> named = new LinkedHashMap<>();
        for (MappingStatus status : MappingStatus.values()) named.put(status.name(), counts.getOrDefault(status, 0L));
        return named;
    }

    /** The customer's and product's names of a subscription, from its latest snapshot (ids alone otherwise). */
    public record Names(String customerId, String customerName, String productId, String productName) {}

    private Names names(String partnerId, String subscriptionId) {
        return subscriptions.one(partnerId, subscriptionId).map(k -> new Names(k.customerId(),
                        k.subscription().customer() == null ? null : k.subscription().customer().name(), k.productId(),
                        k.subscription().product() == null ? null
                                : firstNonBlank(k.subscription().product().plan(), k.subscription().product().name())))
                .orElse(new Names(null, null, null, null));
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    /**
     * The partner picker and navigation of every page; an unknown partner is the 404 page. The picker lists the
     * partners the login may see (a partner user: its own; PartnerAccessCheck refuses the others' pages).
     */
    private void layout(String partnerId, String screen, Model model) {
        PartnerScope scope = PartnerScope.current();
        ConsolePartners.layout(partners.partners().stream().filter(p -> scope.sees(p.partnerId())).toList(), partnerId, screen, model);
    }

    private TaskView partnerTask(String partnerId, long taskId, Supplier<TaskView> load) {
        ConsolePartners.requireKnown(partners, partnerId);
        TaskView task;
        try {
            task = load.get();
        } catch (ErrorResponseException e) {
            task = null;
        }
        if (task == null || !task.partnerId().equals(partnerId)) {
            throw new UnknownPartnerPage("Partner " + partnerId + " has no task " + taskId + ".");
        }
        return task;
    }

    private ParkedEvent partnerParked(String partnerId, long parkedId) {
        ConsolePartners.requireKnown(partners, partnerId);
        return parked.find(parkedId).filter(e -> partnerId.equals(e.partnerId()))
                .orElseThrow(() -> new UnknownPartnerPage("Partner " + partnerId + " has no parked event " + parkedId + "."));
    }

    private static String taskPage(String partnerId, long taskId) {
        return "/partners/" + partnerId + "/tasks/" + taskId;
    }

    /** Runs a decision; the page it redirects to shows the outcome, or the refusal with its fields. */
    private static String act(RedirectAttributes flash, String page, String done, Supplier<String> action) {
        try {
            flash.addFlashAttribute("result", done + ": now " + action.get());
        } catch (ErrorResponseException e) {
            refused(flash, e);
        } catch (RuntimeException e) {
            // e.g. ConnectWise unreachable during the sync: the task shows its own failure too
            flash.addFlashAttribute("error", "The action failed: " + e.getMessage());
        }
        return "redirect:" + page;
    }

    private static void refused(RedirectAttributes flash, ErrorResponseException e) {
        ProblemDetail problem = e.getBody();
        flash.addFlashAttribute("error", problem.getDetail());
        flash.addFlashAttribute("errors", ConsoleRefusals.fields(problem));
    }

    private static String actor(Principal principal) {
        return principal == null || principal.getName() == null || principal.getName().isBlank() ? "console" : principal.getName();
    }
}
