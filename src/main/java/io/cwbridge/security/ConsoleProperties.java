package io.cwbridge.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use the HTTP side of the bundle (API, Hawtio, Jolokia, metrics).
 *
 * @param loginRequired false in the embedded default (a local demo), true in {@code prod}
 * @param username      the operator's user name
 * @param password      the operator's password; required when a login is required, never logged
 */
@ConfigurationProperties("cwbridge.console")
public record ConsoleProperties(@DefaultValue("false") boolean loginRequired, @DefaultValue("admin") String username,
        String password) {

    @Override
    public String toString() {
        return "ConsoleProperties[loginRequired=" + loginRequired + ", username=" + username + ", password=****]";
    }
}
