package io.cwbridge.approval;

import io.cwbridge.tasks.store.TaskStatus;
import io.cwbridge.mail.DigestTable;
import io.cwbridge.mail.MailTemplates;
import io.cwbridge.tasks.TaskActions;
import io.cwbridge.tasks.TaskRepository;
import io.cwbridge.tasks.TaskView;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The pages behind the approve links of the approval mail (R35); no login (the signed link is the
 * credential, {@code WebSecurityConfiguration} permits {@value ApprovalLinks#PATH}**).
 *
 * <p>GET only shows what the link would approve with a button: mail scanners and link previews
 * fetch links, so a GET changes nothing. The button POSTs back to the same address. That form needs
 * no CSRF token of its own: the address carries the signed, single-use token, which a page of another
 * site cannot know, so it cannot forge the POST (and the origin check of {@code CrossSiteRequestFilter}
 * still applies: the form posts to its own origin). The POST approves through {@link TaskActions}, as
 * the console does, so the plan is computed again at that moment. A used, expired or changed link
 * shows a page saying so and changes nothing.
 */
@Controller
@RequestMapping(ApprovalLinks.PATH + "{token}")
public class ApprovalLinkController {

    private static final Logger log = LoggerFactory.getLogger(ApprovalLinkController.class);
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final List<String> TASK_HEADERS = List.of("Task", "Subscription ID", "Change", "Status", "Reason");

    private final ApprovalLinks links;
    private final TaskActions actions;
    private final TaskRepository tasks;

    public ApprovalLinkController(ApprovalLinks links, TaskActions actions, TaskRepository tasks) {
        this.links = links;
        this.actions = actions;
        this.tasks = tasks;
    }

    @GetMapping
    public ResponseEntity<String> confirm(@PathVariable String token) {
        ApprovalLinks.Check check = links.check(token);
        if (check.state() != ApprovalLinks.State.VALID) return refused(check);
        ApprovalLinks.Link link = check.link();
        List<TaskView> listed = listed(link);
        long waiting = listed.stream().filter(ApprovalLinkController::waiting).count();
        Map<String, Object> model = page("Approve " + (link.scope() == ApprovalLinks.Scope.ALL ? "the listed tasks" : "task "
                + link.taskIds().get(0)) + " in ConnectWise?");
        model.put("message", waiting == 0 ? "None of these tasks waits for approval any more; there is nothing left to approve."
                : "Approving sends " + (waiting == 1 ? "this task's" : "these " + waiting + " tasks'") + " changes to ConnectWise "
                + "now, computed against ConnectWise as it is at that moment. Tasks that no longer wait are left as they are. "
                + "This link works once and expires at " + SHOWN.format(link.expiresAt()) + ".");
        model.put("tasks", table(listed));
        model.put("action", waiting == 0 ? null : ApprovalLinks.PATH + token);
        model.put("button", waiting == 1 ? "Approve 1 task" : "Approve " + waiting + " tasks");
        return html(HttpStatus.OK, model);
    }

    @PostMapping
    public ResponseEntity<String> approve(@PathVariable String token) {
        ApprovalLinks.Check check = links.check(token);
        if (check.state() != ApprovalLinks.State.VALID) return refused(check);
        ApprovalLinks.Link link = check.link();
        if (!links.use(link)) return refused(links.check(token)); // used or expired a moment ago
        String actor = "mail link " + link.tokenId().substring(0, 8);
        List<Long> waiting = listed(link).stream().filter(ApprovalLinkController::waiting).map(TaskView::taskId).toList();
        String problem = null;
        try {
            if (link.scope() == ApprovalLinks.Scope.TASK && !waiting.isEmpty()) {
                actions.approve(waiting.get(0), actor);
            } else if (!waiting.isEmpty()) {
                actions.approve(link.partnerId(), waiting, false, actor);
            }
        } catch (ErrorResponseException e) {
            // e.g. approved in the console between the check and now: nothing was approved by this link.
            problem = e.getBody().getDetail();
        }
        List<TaskView> after = listed(link);
        Map<String, Object> model = page(waiting.isEmpty() ? "Nothing to approve" : "Approved");
        String outcome = problem != null ? "Nothing was approved: " + problem
                : waiting.isEmpty() ? "None of these tasks waited for approval any more; nothing was sent."
                : "Approved task(s) " + waiting + " and sent them to ConnectWise; their status now:";
        model.put("message", outcome);
        model.put("tasks", table(after));
        links.result(link, outcome + " " + after.stream().map(t -> t.taskId() + " " + t.status()).toList());
        log.info("Approval link {} of partner {} used: tasks {} approved", link.tokenId().substring(0, 8), link.partnerId(), waiting);
        return html(HttpStatus.OK, model);
    }

    /** A used, expired or unknown/changed link: a page saying so, nothing changed. */
    private ResponseEntity<String> refused(ApprovalLinks.Check check) {
        Map<String, Object> model;
        HttpStatus status;
        switch (check.state()) {
            case USED -> {
                model = page("This approval link was already used");
                model.put("message", "It was used on " + SHOWN.format(check.link().usedAt()) + " and works only once; nothing was "
                        + "changed now. " + Optional.ofNullable(check.link().result()).orElse(""));
                model.put("tasks", table(listed(check.link())));
                status = HttpStatus.GONE;
            }
            case EXPIRED -> {
                model = page("This approval link has expired");
                model.put("message", "It expired on " + SHOWN.format(check.link().expiresAt()) + "; nothing was changed. Approve "
                        + "in the console (POST /api/v1/tasks/{id}/approve) or use the links of a newer mail.");
                model.put("tasks", table(listed(check.link())));
                status = HttpStatus.GONE;
            }
            default -> {
                model = page("This approval link is not valid");
                model.put("message", "The link is incomplete or was changed (its signature does not match), so nothing was "
                        + "changed. Open the link exactly as the mail has it, or approve in the console.");
                status = HttpStatus.NOT_FOUND;
            }
        }
        return html(status, model);
    }

    private List<TaskView> listed(ApprovalLinks.Link link) {
        List<TaskView> found = new ArrayList<>();
        for (long id : link.taskIds()) tasks.find(id).filter(t -> t.partnerId().equals(link.partnerId())).ifPresent(found::add);
        return found;
    }

    private static boolean waiting(TaskView task) {
        return TaskStatus.AWAITING_APPROVAL.is(task.status());
    }

    private static DigestTable table(List<TaskView> listed) {
        List<List<String>> rows = listed.stream().map(t -> List.of(String.valueOf(t.taskId()), t.subscriptionId(),
                t.type() + " " + t.action() + " of " + t.occurredAt().toLocalDate(), t.status(),
                t.reason() == null || t.reason().isBlank() ? "-" : t.reason())).toList();
        return new DigestTable(null, TASK_HEADERS, rows, rows.size());
    }

    private static Map<String, Object> page(String title) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("tasks", null);
        model.put("action", null);
        return model;
    }

    private static ResponseEntity<String> html(HttpStatus status, Map<String, Object> model) {
        return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                // the token is in the address: it must not leave in a Referer or be indexed
                .header("Referrer-Policy", "no-referrer").header("X-Robots-Tag", "noindex, nofollow")
                .body(MailTemplates.render("approval-page", model));
    }
}
