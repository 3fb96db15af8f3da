package io.cwbridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cwbridge.access.ConsoleRole;
import io.cwbridge.access.PartnerScope;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The users of application.yaml and application-prod.yaml as Spring binds them: the embedded default has the
 * documented demo logins, prod none of them (its empty list replaces them) and no anonymous API access.
 */
class ConsoleUsersConfigurationTest {

    private final PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    private static ConsoleProperties bind(String... files) throws IOException {
        MutablePropertySources sources = new MutablePropertySources();
        for (String file : files) { // later files first: they win, as a profile's file does
            for (PropertySource<?> source : new YamlPropertySourceLoader().load(file, new ClassPathResource(file))) {
                sources.addFirst(source);
            }
        }
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources))
                .bindOrCreate("cwbridge.console", ConsoleProperties.class);
    }

    @Test
    void theEmbeddedDefaultHasTheDemoLogins() throws IOException {
        ConsoleProperties console = bind("application.yaml");
        assertThat(console.anonymousApiAccess()).isTrue();
        assertThat(console.loginRequired()).isFalse();
        BundleUsers users = new BundleUsers(console, encoder, null);
        assertThat(encoder.matches("demo", users.loadUserByUsername("demo").getPassword())).isTrue();
        assertThat(PartnerScope.of(users.loadUserByUsername("demo").getAuthorities())).isEqualTo(new PartnerScope(false, "demo"));
        assertThat(encoder.matches("operator", users.loadUserByUsername("operator").getPassword())).isTrue();
        assertThat(PartnerScope.of(users.loadUserByUsername("operator").getAuthorities()).allPartners()).isTrue();
        assertThat(console.loginHint()).contains("demo / demo (partner demo)", "operator / operator");
        assertThat(console.toString()).doesNotContain("{noop}");
    }

    @Test
    void prodHasNoneOfThemAndNoAnonymousApi() throws IOException {
        ConsoleProperties console = bind("application.yaml", "application-prod.yaml");
        assertThat(console.users()).isEmpty();
        assertThat(console.anonymousApiAccess()).isFalse();
        assertThat(console.databaseUsers()).isTrue();
        assertThat(console.loginHint()).isEmpty();
        assertThatThrownBy(() -> new BundleUsers(console, encoder, null))
                .hasMessageContaining("cwbridge.console.password");
    }

    @Test
    void aPartnerUserNeedsItsPartnerAndAPlainPasswordIsHashed() {
        ConsoleProperties.Oidc oidc = new ConsoleProperties.Oidc("partner_id", "groups", "cwbridge-operators");
        ConsoleProperties missing = new ConsoleProperties(false, "admin", null, "api", null,
                List.of(new ConsoleProperties.ConfiguredUser("x", "{noop}x", ConsoleRole.PARTNER, null)), true, false, oidc);
        assertThatThrownBy(() -> new BundleUsers(missing, encoder, null)).hasMessageContaining("users[0].partner-id");
        ConsoleProperties plain = new ConsoleProperties(false, "admin", null, "api", null,
                List.of(new ConsoleProperties.ConfiguredUser("acme-billing", "plain secret", ConsoleRole.PARTNER, "acme")), true, false, oidc);
        String stored = new BundleUsers(plain, encoder, null).loadUserByUsername("acme-billing").getPassword();
        assertThat(stored).startsWith("{bcrypt}").doesNotContain("plain secret");
        assertThatThrownBy(() -> new BundleUsers(plain, encoder, null).loadUserByUsername("nobody"))
                .isInstanceOf(UsernameNotFoundException.class);
    }
}
