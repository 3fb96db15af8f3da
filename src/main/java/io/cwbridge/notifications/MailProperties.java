package io.cwbridge.notifications;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * SMTP server the notification digests go through ({@code cwbridge.mail.*}, R33). With no
 * {@code host} the digests are not sent (the embedded default has no mail server).
 *
 * @param protocol {@code smtp} or {@code smtps} (TLS from the first byte)
 * @param starttls upgrade a plain {@code smtp} connection with STARTTLS (required when set)
 * @param password secret: never logged, never shown; {@link #toString()} leaves it out
 * @param from     sender address of the digests
 */
@ConfigurationProperties(prefix = "cwbridge.mail")
public record MailProperties(
        @DefaultValue("") String host,
        @DefaultValue("25") int port,
        @DefaultValue("smtp") String protocol,
        @DefaultValue("false") boolean starttls,
        @DefaultValue("") String username,
        @DefaultValue("") String password,
        @DefaultValue("cwbridge@localhost") String from) {

    public boolean configured() {
        return host != null && !host.isBlank();
    }

    public boolean authenticates() {
        return username != null && !username.isBlank();
    }

    @Override
    public String toString() {
        return "MailProperties[host=" + host + ", port=" + port + ", protocol=" + protocol + ", starttls=" + starttls
                + ", username=" + username + ", password=" + (password == null || password.isEmpty() ? "" : "****")
                + ", from=" + from + "]";
    }
}
