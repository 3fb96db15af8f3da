package io.cwbridge.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Which partners the current request may see and change, read from its authorities: every partner
 * ({@link #ALL_PARTNERS}: operators, the prod API user, the local operator of the embedded default)
 * or one ({@code PARTNER:<id>}: a partner user), or none (no authentication at all).
 */
public record PartnerScope(boolean allPartners, String partnerId) {

    /** The authority of users who may act on every partner. */
    public static final String ALL_PARTNERS = "PARTNERS_ALL";
    static final String PARTNER_PREFIX = "PARTNER:";
    public static final String ROLE_OPERATOR = "ROLE_" + ConsoleRole.OPERATOR.name();
    static final String ROLE_PARTNER = "ROLE_" + ConsoleRole.PARTNER.name();

    static final PartnerScope NONE = new PartnerScope(false, null);

    /** The scope of the request being handled (its Spring Security authentication). */
    public static PartnerScope current() {
        return of(SecurityContextHolder.getContext().getAuthentication());
    }

    public static PartnerScope of(Authentication authentication) {
        if (authentication == null) return NONE;
        return of(authentication.getAuthorities());
    }

    public static PartnerScope of(Collection<? extends GrantedAuthority> authorities) {
        String partner = null;
        for (GrantedAuthority authority : authorities) {
            String name = authority.getAuthority();
            if (ALL_PARTNERS.equals(name)) return new PartnerScope(true, null);
            if (name != null && name.startsWith(PARTNER_PREFIX)) partner = name.substring(PARTNER_PREFIX.length());
        }
        return new PartnerScope(false, partner);
    }

    /** May this request see and change partner {@code id}? */
    public boolean sees(String id) {
        return allPartners || (partnerId != null && partnerId.equals(id));
    }

    /** The authorities of a user of {@code role} ({@code partnerId} for a PARTNER user). */
    public static List<GrantedAuthority> authorities(ConsoleRole role, String partnerId) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority("ROLE_" + role.name()));
        if (role == ConsoleRole.OPERATOR) {
            authorities.add(new SimpleGrantedAuthority(ALL_PARTNERS));
        } else {
            authorities.add(new SimpleGrantedAuthority(PARTNER_PREFIX + partnerId));
        }
        return authorities;
    }
}
