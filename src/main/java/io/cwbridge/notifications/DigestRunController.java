package io.cwbridge.notifications;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.camel.ProducerTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Runs the daily digests now (route {@code notification-digests}, as the timer does): for an operator
 * who just configured SMTP or wants today's approval mail (R35) without waiting for the cron. Each
 * digest still goes out once per partner and day, so a second run the same day sends nothing again.
 */
@RestController
@Tag(name = "Notifications")
public class DigestRunController {

    private final ProducerTemplate producer;
    private final NamedParameterJdbcTemplate jdbc;

    public DigestRunController(ProducerTemplate producer, NamedParameterJdbcTemplate jdbc) {
        this.producer = producer;
        this.jdbc = jdbc;
    }

    /** One digest this run handled and how it ended (SENT, or FAILED with the reason kept in notification_digest). */
    public record DigestRun(long digestId, String partnerId, DigestKind digest, String subject, LocalDate day, int rows,
            int recipients, String status) {}

    @PostMapping("/api/v1/notifications/digests")
    @Operation(summary = "Send today's digests now",
            description = "Runs the daily digests as the cwbridge.notifications.cron timer does and answers those sent by this "
                    + "run. Each digest goes out once per partner and day: a second run the same day answers []. Nothing is "
                    + "sent (and [] answered) while cwbridge.mail.host is not set.")
    public List<DigestRun> run() {
        List<?> handled = producer.requestBody("direct:notification-digests", null, List.class);
        if (handled == null) return List.of();
        return handled.stream().filter(DigestMail.class::isInstance).map(DigestMail.class::cast).map(d -> new DigestRun(d.digestId(),
                d.partnerId(), d.kind(), d.subject(), d.day(), d.rows(), d.recipients().size(), jdbc.queryForObject(
                        "SELECT status FROM notification_digest WHERE digest_id = :id", Map.of("id", d.digestId()), String.class)))
                .toList();
    }
}
