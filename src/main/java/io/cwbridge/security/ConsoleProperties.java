package io.cwbridge.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use the HTTP side of the bundle (API, Hawtio, Jolokia, metrics).
 *
 * @param loginRequired false in the embedded default (a local demo), true in {@code prod}
 * @param username      the operator's user name (role {@code OPERATOR}: API, metrics, Hawtio and Jolokia)
 * @param password      the operator's password; required when a login is required, never logged
 * @param apiUsername   an optional user for API clients and metrics scrapers, without Hawtio and Jolokia
 * @param apiPassword   that user's password; empty (the default): there is no such user
 */
@ConfigurationProperties("cwbridge.console")
public record ConsoleProperties(@DefaultValue("false") boolean loginRequired, @DefaultValue("admin") String username,
        String password, @DefaultValue("api") String apiUsername, String apiPassword) {

    @Override
    public String toString() {
        return "ConsoleProperties[loginRequired=" + loginRequired + ", username=" + username + ", password=****, apiUsername="
                + apiUsername + ", apiPassword=****]";
    }
}
