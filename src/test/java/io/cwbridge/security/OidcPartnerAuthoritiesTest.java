package io.cwbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.access.PartnerScope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;

/** The claims of an OIDC login name its partner or make it an operator (cwbridge.console.oidc.*). */
class OidcPartnerAuthoritiesTest {

    private final OidcPartnerAuthorities mapper =
            new OidcPartnerAuthorities(new ConsoleProperties.Oidc("partner_id", "groups", "cwbridge-operators"));

    private PartnerScope scopeOf(Map<String, Object> claims) {
        OidcIdToken token = new OidcIdToken("token", Instant.now(), Instant.now().plusSeconds(60),
                new java.util.HashMap<>(Map.of("sub", "someone")) {{ putAll(claims); }});
        List<GrantedAuthority> authorities = List.copyOf(mapper.mapAuthorities(List.of(new OidcUserAuthority(token))));
        return PartnerScope.of(authorities);
    }

    @Test
    void theOperatorGroupGivesEveryPartner() {
        assertThat(scopeOf(Map.of("groups", List.of("staff", "cwbridge-operators"), "partner_id", "acme")).allPartners()).isTrue();
        assertThat(scopeOf(Map.of("groups", "cwbridge-operators")).allPartners()).isTrue();
    }

    @Test
    void thePartnerClaimGivesThatPartnerOnly() {
        PartnerScope scope = scopeOf(Map.of("groups", List.of("staff"), "partner_id", "acme"));
        assertThat(scope.allPartners()).isFalse();
        assertThat(scope.sees("acme")).isTrue();
        assertThat(scope.sees("globex")).isFalse();
    }

    @Test
    void withoutEitherClaimOrWithAMalformedPartnerNoPartnerIsSeen() {
        assertThat(scopeOf(Map.of())).isEqualTo(new PartnerScope(false, null));
        assertThat(scopeOf(Map.of("partner_id", "../other partner"))).isEqualTo(new PartnerScope(false, null));
    }
}
