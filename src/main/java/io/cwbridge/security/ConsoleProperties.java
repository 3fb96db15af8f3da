package io.cwbridge.security;

import io.cwbridge.access.ConsoleRole;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use the HTTP side of the bundle (console, API, Hawtio, Jolokia, metrics).
 *
 * @param loginRequired      false in the embedded default (a local demo: only the console's pages ask for a login),
 *                           true in {@code prod} (everything but the health probe does)
 * @param username           the operator's user name (role {@code OPERATOR}: API, metrics, Hawtio and Jolokia)
 * @param password           the operator's password; required when a login is required, never logged
 * @param apiUsername        an optional user for API clients and metrics scrapers (all partners), without Hawtio and Jolokia
 * @param apiPassword        that user's password; empty (the default): there is no such user
 * @param users              further users (every profile): operators and partner users bound to one partner
 * @param anonymousApiAccess an anonymous request to the API, Hawtio, Jolokia or metrics acts as the local operator
 *                           (true in the embedded default, where SPEC §8 is called without credentials; false in prod)
 * @param databaseUsers      also look users up in table {@code console_user} ({@link ConsoleUserStore}; on in prod)
 * @param oidc               how an OIDC provider's claims name the user's partner or make it an operator
 */
@ConfigurationProperties("cwbridge.console")
public record ConsoleProperties(@DefaultValue("false") boolean loginRequired, @DefaultValue("admin") String username,
        String password, @DefaultValue("api") String apiUsername, String apiPassword, @DefaultValue List<ConfiguredUser> users,
        @DefaultValue("false") boolean anonymousApiAccess, @DefaultValue("false") boolean databaseUsers, @DefaultValue Oidc oidc) {

    public ConsoleProperties {
        users = users == null ? List.of() : List.copyOf(users);
        if (oidc == null) oidc = new Oidc("partner_id", "groups", "cwbridge-operators");
    }

    /**
     * One user of {@code cwbridge.console.users[]}.
     *
     * @param password  {@code {bcrypt}…} or {@code {noop}…} (Spring Security's delegating form); plain text is hashed at start
     * @param role      {@link ConsoleRole#OPERATOR} (all partners) or {@link ConsoleRole#PARTNER} (one partner)
     * @param partnerId the partner of a PARTNER user
     */
    public record ConfiguredUser(String username, String password, @DefaultValue("PARTNER") ConsoleRole role, String partnerId) {
        @Override
        public String toString() {
            return "ConfiguredUser[username=" + username + ", password=****, role=" + role + ", partnerId=" + partnerId + "]";
        }
    }

    /**
     * @param partnerClaim  the ID token / user-info claim holding the user's partner id
     * @param operatorClaim the claim listing the user's groups (a string or a list of strings)
     * @param operatorGroup the group in that claim that makes the user an operator
     */
    public record Oidc(@DefaultValue("partner_id") String partnerClaim, @DefaultValue("groups") String operatorClaim,
            @DefaultValue("cwbridge-operators") String operatorGroup) {}

    /**
     * The demo logins for the start banner and the login page, e.g. {@code demo / demo (partner demo)}: the
     * configured users with a {@code {noop}} password (written in the configuration in the clear anyway, as
     * application.yaml's demo users are); empty when there is none, as in prod.
     */
    public String loginHint() {
        return users.stream().filter(u -> u.password() != null && u.password().startsWith("{noop}"))
                .map(u -> u.username() + " / " + u.password().substring("{noop}".length())
                        + (u.role() == ConsoleRole.OPERATOR ? " (operator: every partner, Hawtio)" : " (partner " + u.partnerId() + ")"))
                .collect(java.util.stream.Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return "ConsoleProperties[loginRequired=" + loginRequired + ", username=" + username + ", password=****, apiUsername="
                + apiUsername + ", apiPassword=****, users=" + users + ", anonymousApiAccess=" + anonymousApiAccess
                + ", databaseUsers=" + databaseUsers + ", oidc=" + oidc + "]";
    }
}
