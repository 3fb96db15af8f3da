package io.cwbridge.security;

import io.cwbridge.security.ProblemAccessDeniedHandler.CrossSiteRequestException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.Set;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses state-changing requests (POST, PUT, PATCH, DELETE) that a browser sends from a page of
 * another origin, whatever credentials ride along (none in the default run, a session cookie or
 * a cached Basic login in prod). The origin is the {@code Origin} header, which browsers send on
 * every such request; without it a {@code Sec-Fetch-Site} of {@code cross-site} or
 * {@code same-site} refuses, and otherwise the {@code Referer}'s origin decides. A request with
 * none of them (curl, the bundle's own ConnectWise client, Kafka tooling) is not from a page and
 * passes. Allowed: the origin the request was sent to and {@code cwbridge.security.allowed-origins}.
 *
 * <p>Spring Security has no origin check of its own (its CORS support passes a request it has no
 * configuration for, and says nothing about {@code Referer} or {@code Sec-Fetch-Site}), so this
 * is a filter in its chain; refusals go through the chain's {@link AccessDeniedHandler}.
 */
final class CrossSiteRequestFilter extends OncePerRequestFilter {

    private static final Set<String> UNSAFE = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Set<String> allowedOrigins;
    private final AccessDeniedHandler denied;

    CrossSiteRequestFilter(Collection<String> allowedOrigins, AccessDeniedHandler denied) {
        this.allowedOrigins = Origins.normalise(allowedOrigins);
        this.denied = denied;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = UNSAFE.contains(request.getMethod()) ? refusal(request) : null;
        if (refusal != null) {
            denied.handle(request, response, new CrossSiteRequestException(refusal));
            return;
        }
        chain.doFilter(request, response);
    }

    /** Why the request is refused, or null when it may pass. */
    private String refusal(HttpServletRequest request) {
        String origin = request.getHeader("Origin");
        if (origin != null) {
            return allowed(Origins.of(origin), request) ? null : "Cross-site request refused: origin " + clean(origin) + " may not "
                    + request.getMethod() + " here (cwbridge.security.allowed-origins).";
        }
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if ("cross-site".equalsIgnoreCase(fetchSite) || "same-site".equalsIgnoreCase(fetchSite)) {
            return "Cross-site request refused: Sec-Fetch-Site " + clean(fetchSite) + ".";
        }
        String referer = request.getHeader("Referer");
        if (referer != null && !allowed(Origins.of(referer), request)) {
            return "Cross-site request refused: sent from a page of another site (Referer).";
        }
        return null;
    }

    private boolean allowed(String origin, HttpServletRequest request) {
        return origin != null && (origin.equals(Origins.ofServer(request)) || allowedOrigins.contains(origin));
    }

    private static String clean(String header) {
        String shown = header.replaceAll("[^\\x20-\\x7e]", "");
        return shown.length() > 200 ? shown.substring(0, 200) + "…" : shown;
    }
}
