package io.cwbridge.notifications;

import java.time.LocalDate;
import java.util.List;

/** One claimed digest ready to mail: the route sends it and reports back with {@link #digestId()}. */
public record DigestMail(long digestId, String partnerId, DigestKind kind, LocalDate day, List<String> recipients,
        String html, int rows) {

    public DigestMail {
        recipients = List.copyOf(recipients);
    }

    public String subject() {
        return kind.subject();
    }

    /** The To header: the validated addresses, comma separated. */
    public String to() {
        return String.join(", ", recipients);
    }
}
