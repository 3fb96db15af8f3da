package io.cwbridge.console;

import java.util.List;

/**
 * A test mail to a partner's notification recipients (R33), sent from the console's notifications
 * screen through route {@code notification-test-mail}: the same SMTP settings as the digests, plain
 * text (nothing in it needs markup, so nothing needs escaping).
 */
public record NotificationTestMail(List<String> recipients, String subject, String text) {

    public NotificationTestMail {
        recipients = List.copyOf(recipients);
    }

    /** The To header: the saved (validated) addresses, comma separated. */
    public String to() {
        return String.join(", ", recipients);
    }
}
