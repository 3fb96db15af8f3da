package io.cwbridge.security;

import io.cwbridge.access.ConsoleRole;
import io.cwbridge.access.PartnerScope;
import io.cwbridge.partner.PartnerIds;
import io.cwbridge.security.ConsoleProperties.ConfiguredUser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The users who log in with a password: those of the configuration ({@code cwbridge.console.users[]}, and in prod
 * the operator {@code cwbridge.console.username} and the optional API user), then, with
 * {@code cwbridge.console.database-users}, table {@code console_user}. A configured user wins over a stored
 * one of the same name.
 */
final class BundleUsers implements UserDetailsService {

    private final Map<String, UserDetails> configured;
    private final ConsoleUserStore store;

    BundleUsers(ConsoleProperties console, PasswordEncoder encoder, ConsoleUserStore store) {
        this.store = store;
        Map<String, UserDetails> users = new LinkedHashMap<>();
        if (console.loginRequired()) {
            if (console.password() == null || console.password().isBlank()) {
                throw new IllegalStateException("cwbridge.console.password (CWBRIDGE_CONSOLE_PASSWORD) is required when a login is required");
            }
            List<GrantedAuthority> operator = new ArrayList<>(PartnerScope.authorities(ConsoleRole.OPERATOR, null));
            operator.add(new SimpleGrantedAuthority("ROLE_admin"));
            operator.add(new SimpleGrantedAuthority("ROLE_viewer"));
            users.put(console.username(), User.withUsername(console.username()).password(encoder.encode(console.password()))
                    .authorities(operator).build());
            if (console.apiPassword() != null && !console.apiPassword().isBlank()) {
                if (console.apiUsername().equals(console.username())) {
                    throw new IllegalStateException("cwbridge.console.api-username must differ from cwbridge.console.username");
                }
                // API clients and scrapers: every partner's data, no Hawtio or Jolokia (no OPERATOR role)
                users.put(console.apiUsername(), User.withUsername(console.apiUsername()).password(encoder.encode(console.apiPassword()))
                        .authorities(new SimpleGrantedAuthority("ROLE_api"), new SimpleGrantedAuthority(PartnerScope.ALL_PARTNERS)).build());
            }
        }
        for (int i = 0; i < console.users().size(); i++) {
            ConfiguredUser user = console.users().get(i);
            String at = "cwbridge.console.users[" + i + "]";
            if (user.username() == null || user.username().isBlank()) throw new IllegalStateException(at + ".username is required");
            if (user.password() == null || user.password().isBlank()) throw new IllegalStateException(at + ".password is required");
            if (user.role() == ConsoleRole.PARTNER) {
                try {
                    PartnerIds.check(user.partnerId());
                } catch (RuntimeException e) {
                    throw new IllegalStateException(at + ".partner-id must be a partner id (a PARTNER user has one)");
                }
            }
            if (users.containsKey(user.username())) throw new IllegalStateException(at + ": user " + user.username() + " is named twice");
            // {bcrypt}/{noop}… as given; plain text (e.g. from the environment) is hashed here
            String password = user.password().startsWith("{") ? user.password() : encoder.encode(user.password());
            users.put(user.username(), User.withUsername(user.username()).password(password)
                    .authorities(PartnerScope.authorities(user.role(), user.partnerId())).build());
        }
        this.configured = Map.copyOf(users);
    }

    boolean isEmpty() {
        return configured.isEmpty() && store == null;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserDetails user = configured.get(username);
        if (user != null) return User.withUserDetails(user).build(); // a copy: Spring erases the credentials of what it is given
        if (store != null) {
            return store.find(username).map(row -> User.withUsername(row.username()).password(row.passwordHash())
                            .authorities(PartnerScope.authorities(row.role(), row.partnerId())).build())
                    .orElseThrow(() -> new UsernameNotFoundException("no such user"));
        }
        throw new UsernameNotFoundException("no such user");
    }
}
