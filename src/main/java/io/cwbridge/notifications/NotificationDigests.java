package io.cwbridge.notifications;

import io.cwbridge.approval.ApprovalMail;
import io.cwbridge.catchup.CatchUpRepository;
import io.cwbridge.catchup.CatchUpView;
import io.cwbridge.reconciliation.ThreeWaySummary;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The daily digests (route {@code notification-digests}). The digest of day D (the UTC date of the
 * injected clock when the route runs), each greeting the partner's account name (R33):
 * <ul>
 *   <li>Action Needed for Service Mapping (R33): the services that need action at that moment
 *       ({@link DigestQueries#servicesNeedingAction}), a reminder every day while they stay so, and the
 *       catch-ups of invoiced periods (R27) left for review or whose adjustment failed;</li>
 *   <li>Billing Reconciliation Status Synced (R33): the reconciliation status changes of the previous
 *       complete UTC day, [D-1 00:00, D 00:00), so a run at any hour of D misses nothing and repeats nothing;</li>
 *   <li>Approval Needed for Tasks (R35): every task AWAITING_APPROVAL with its plan and approve links
 *       ({@link ApprovalMail}); part of "errors and when my action is needed" (seed 001);</li>
 *   <li>Tasks Created and Synchronized (seed 001, only when asked for): the tasks created and synced on D-1.</li>
 * </ul>
 * A digest with no rows is not sent. Each (partner, digest, D) is claimed before it is sent, so it goes out
 * once however often the trigger fires and on however many instances.
 */
@Component("notificationDigests")
public class NotificationDigests {

    private static final Logger log = LoggerFactory.getLogger(NotificationDigests.class);
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    private final NotificationSettingsRepository settings;
    private final DigestQueries queries;
    private final MailProperties mail;
    private final Clock clock;
    private final CatchUpRepository catchUps;
    private final ThreeWaySummary threeWay;
    private final ApprovalMail approvals;

    public NotificationDigests(NotificationSettingsRepository settings, DigestQueries queries, MailProperties mail, Clock clock,
            CatchUpRepository catchUps, ThreeWaySummary threeWay, ApprovalMail approvals) {
        this.threeWay = threeWay;
        this.settings = settings;
        this.queries = queries;
        this.mail = mail;
        this.clock = clock;
        this.catchUps = catchUps;
        this.approvals = approvals;
    }

    /** The digests of today this run has claimed and must send; none when no SMTP server is configured. */
    public List<DigestMail> due() {
        Instant now = clock.instant();
        LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
        if (!mail.configured()) {
            // Nothing is claimed, so once cwbridge.mail.host is set a later run of the same day still sends.
            log.info("cwbridge.mail.host is not set: notification digests of {} are not sent", day);
            return List.of();
        }
        List<DigestMail> due = new ArrayList<>();
        for (Map.Entry<String, NotificationSettings> partner : settings.enabled().entrySet()) {
            for (DigestKind kind : DigestKind.values()) {
                if (partner.getValue().sends(kind)) {
                    build(partner.getKey(), partner.getValue(), kind, day, now).ifPresent(due::add);
                }
            }
        }
        return due;
    }

    private Optional<DigestMail> build(String partnerId, NotificationSettings preferences, DigestKind kind, LocalDate day,
            Instant now) {
        String greeting = preferences.greeting(partnerId);
        List<String> recipients = preferences.recipients();
        if (kind == DigestKind.TASK_APPROVAL) {
            return approval(partnerId, greeting, recipients, day, now);
        }
        String html;
        int rows;
        Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant dayBefore = day.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        switch (kind) {
            case SERVICE_MAPPING -> {
                List<ServiceMappingRow> services = queries.servicesNeedingAction(partnerId);
                List<CatchUpView> toReview = catchUps.toReview(partnerId);
                rows = services.size() + toReview.size();
                html = rows == 0 ? null : DigestHtml.serviceMapping(greeting, partnerId, services, toReview);
            }
            case BILLING_RECONCILIATION -> {
                LocalDate changedOn = day.minusDays(1);
                List<ReconciliationRow> changes = queries.reconciliationChanges(partnerId, dayBefore, dayStart);
                rows = changes.size();
                // R34: the billing month before the changed day, one line when its three-way check finds something off.
                html = rows == 0 ? null : DigestHtml.reconciliation(greeting, changedOn, changes,
                        threeWay.digestLine(partnerId, YearMonth.from(changedOn).minusMonths(1)).orElse(null));
            }
            default -> {
                List<TaskActivityRow> created = queries.taskActivity(partnerId, dayBefore, dayStart, false);
                List<TaskActivityRow> synced = queries.taskActivity(partnerId, dayBefore, dayStart, true);
                rows = created.size() + synced.size();
                html = rows == 0 ? null : DigestHtml.taskActivity(greeting, day.minusDays(1), created, synced);
            }
        }
        if (html == null) {
            return Optional.empty();
        }
        return claimed(partnerId, kind, day, recipients, rows).map(id -> new DigestMail(id, partnerId, kind, day, recipients, html, rows));
    }

    /** R35: claimed before the plans are computed and the links issued, so a day's second run issues none. */
    private Optional<DigestMail> approval(String partnerId, String greeting, List<String> recipients, LocalDate day, Instant now) {
        int waiting = queries.awaitingApproval(partnerId);
        if (waiting == 0) return Optional.empty();
        Optional<Long> claim = claimed(partnerId, DigestKind.TASK_APPROVAL, day, recipients, waiting);
        if (claim.isEmpty()) return Optional.empty();
        try {
            Optional<ApprovalMail.Content> content = approvals.build(partnerId, now);
            if (content.isEmpty()) {
                // approved meanwhile: nothing to send; a later run of the day may try again
                queries.markFailed(claim.get(), "no task waits for approval any more");
                return Optional.empty();
            }
            ApprovalMail.Content c = content.get();
            String html = DigestHtml.approval(greeting, partnerId, c.tasks(), c.approveAllUrl(), SHOWN.format(c.expiresAt()),
                    c.waiting() - c.tasks().size());
            return Optional.of(new DigestMail(claim.get(), partnerId, DigestKind.TASK_APPROVAL, day, recipients, html,
                    c.tasks().size()));
        } catch (RuntimeException e) {
            queries.markFailed(claim.get(), e.getClass().getSimpleName() + ": " + e.getMessage());
            throw e;
        }
    }

    private Optional<Long> claimed(String partnerId, DigestKind kind, LocalDate day, List<String> recipients, int rows) {
        Long digestId = queries.claim(partnerId, kind, day, settings.write(recipients), rows);
        if (digestId == null) {
            log.debug("Digest {} of partner {} for {} is already sent or being sent", kind, partnerId, day);
        }
        return Optional.ofNullable(digestId);
    }

    public void sent(DigestMail digest) {
        queries.markSent(digest.digestId());
        log.info("Sent digest {} of partner {} for {} ({} rows) to {} recipient(s)", digest.kind(), digest.partnerId(),
                digest.day(), digest.rows(), digest.recipients().size());
    }

    /** A failed send frees the claim: a later run of the same day tries again. */
    public void failed(DigestMail digest, Exception failure) {
        String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (reason.length() > 500) {
            reason = reason.substring(0, 500);
        }
        queries.markFailed(digest.digestId(), reason);
        log.warn("Digest {} of partner {} for {} was not sent: {}", digest.kind(), digest.partnerId(), digest.day(), reason);
    }
}
