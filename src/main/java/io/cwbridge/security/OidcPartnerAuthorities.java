package io.cwbridge.security;

import io.cwbridge.access.ConsoleRole;
import io.cwbridge.access.PartnerScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.oauth2.core.user.OAuth2UserAuthority;

/**
 * Turns an OIDC login's claims into the bundle's roles ({@code cwbridge.console.oidc.*}): a user whose
 * group claim holds the operator group is an OPERATOR; otherwise the partner claim names the one
 * partner of a PARTNER user. A user with neither is logged in but sees no partner.
 */
final class OidcPartnerAuthorities implements GrantedAuthoritiesMapper {

    private static final Pattern PARTNER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final ConsoleProperties.Oidc oidc;

    OidcPartnerAuthorities(ConsoleProperties.Oidc oidc) {
        this.oidc = oidc;
    }

    @Override
    public Collection<? extends GrantedAuthority> mapAuthorities(Collection<? extends GrantedAuthority> authorities) {
        List<GrantedAuthority> mapped = new ArrayList<>(authorities);
        for (GrantedAuthority authority : authorities) {
            Map<String, Object> claims = authority instanceof OidcUserAuthority o
                    ? (o.getUserInfo() != null ? merged(o.getIdToken().getClaims(), o.getUserInfo().getClaims()) : o.getIdToken().getClaims())
                    : authority instanceof OAuth2UserAuthority a ? a.getAttributes() : null;
            if (claims == null) continue;
            if (groups(claims.get(oidc.operatorClaim())).contains(oidc.operatorGroup())) {
                mapped.addAll(PartnerScope.authorities(ConsoleRole.OPERATOR, null));
                return mapped;
            }
            Object partner = claims.get(oidc.partnerClaim());
            if (partner instanceof String id && PARTNER_ID.matcher(id).matches()) {
                mapped.addAll(PartnerScope.authorities(ConsoleRole.PARTNER, id));
                return mapped;
            }
        }
        return mapped;
    }

    private static Map<String, Object> merged(Map<String, Object> idToken, Map<String, Object> userInfo) {
        Map<String, Object> all = new java.util.HashMap<>(idToken);
        all.putAll(userInfo);
        return all;
    }

    private static Set<String> groups(Object claim) {
        if (claim instanceof String one) return Set.of(one);
        if (claim instanceof Collection<?> many) {
            return many.stream().filter(String.class::isInstance).map(String.class::cast).collect(java.util.stream.Collectors.toSet());
        }
        return Set.of();
    }
}
