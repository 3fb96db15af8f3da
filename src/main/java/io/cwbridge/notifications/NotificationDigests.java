package io.cwbridge.notifications;

import io.cwbridge.catchup.CatchUpRepository;
import io.cwbridge.catchup.CatchUpView;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The daily digests of R33 (route {@code notification-digests}). The digest of day D (the UTC date of
 * the injected clock when the route runs) lists:
 * <ul>
 *   <li>Action Needed for Service Mapping: the services that need action at that moment
 *       ({@link DigestQueries#servicesNeedingAction}), a reminder every day while they stay so, and the
 *       catch-ups of invoiced periods (R27) left for review or whose adjustment failed;</li>
 *   <li>Billing Reconciliation Status Synced: the reconciliation status changes of the previous complete
 *       UTC day, [D-1 00:00, D 00:00), so a run at any hour of D misses nothing and repeats nothing.</li>
 * </ul>
 * A digest with no rows is not sent. Each (partner, digest, D) is claimed before it is sent, so it goes out
 * once however often the trigger fires and on however many instances.
 */
@Component("notificationDigests")
public class NotificationDigests {

    private static final Logger log = LoggerFactory.getLogger(NotificationDigests.class);

    private final NotificationSettingsRepository settings;
    private final DigestQueries queries;
    private final MailProperties mail;
    private final Clock clock;
    private final CatchUpRepository catchUps;
    private final io.cwbridge.reconciliation.ThreeWaySummary threeWay;

    public NotificationDigests(NotificationSettingsRepository settings, DigestQueries queries, MailProperties mail, Clock clock,
            CatchUpRepository catchUps, io.cwbridge.reconciliation.ThreeWaySummary threeWay) {
        this.threeWay = threeWay;
        this.settings = settings;
        this.queries = queries;
        this.mail = mail;
        this.clock = clock;
        this.catchUps = catchUps;
    }

    /** The digests of today this run has claimed and must send; none when no SMTP server is configured. */
    public List<DigestMail> due() {
        LocalDate day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!mail.configured()) {
            // Nothing is claimed, so once cwbridge.mail.host is set a later run of the same day still sends.
            log.info("cwbridge.mail.host is not set: notification digests of {} are not sent", day);
            return List.of();
        }
        List<DigestMail> due = new ArrayList<>();
        for (Map.Entry<String, NotificationSettings> partner : settings.enabled().entrySet()) {
            for (DigestKind kind : DigestKind.values()) {
                if (partner.getValue().sends(kind)) {
                    build(partner.getKey(), kind, day, partner.getValue().recipients()).ifPresent(due::add);
                }
            }
        }
        return due;
    }

    private java.util.Optional<DigestMail> build(String partnerId, DigestKind kind, LocalDate day, List<String> recipients) {
        String html;
        int rows;
        if (kind == DigestKind.SERVICE_MAPPING) {
            List<ServiceMappingRow> services = queries.servicesNeedingAction(partnerId);
            List<CatchUpView> toReview = catchUps.toReview(partnerId);
            rows = services.size() + toReview.size();
            html = rows == 0 ? null : DigestHtml.serviceMapping(partnerId, services, toReview);
        } else {
            LocalDate changedOn = day.minusDays(1);
            List<ReconciliationRow> changes = queries.reconciliationChanges(partnerId,
                    changedOn.atStartOfDay(ZoneOffset.UTC).toInstant(), day.atStartOfDay(ZoneOffset.UTC).toInstant());
            rows = changes.size();
            // R34: the billing month before the changed day, one line when its three-way check finds something off.
            html = rows == 0 ? null : DigestHtml.reconciliation(partnerId, changedOn, changes,
                    threeWay.digestLine(partnerId, java.time.YearMonth.from(changedOn).minusMonths(1)).orElse(null));
        }
        if (html == null) {
            return java.util.Optional.empty();
        }
        Long digestId = queries.claim(partnerId, kind, day, settings.write(recipients), rows);
        if (digestId == null) {
            log.debug("Digest {} of partner {} for {} is already sent or being sent", kind, partnerId, day);
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new DigestMail(digestId, partnerId, kind, day, recipients, html, rows));
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
