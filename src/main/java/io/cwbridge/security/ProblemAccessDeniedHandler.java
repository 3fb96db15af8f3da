package io.cwbridge.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * Every 403 of the security layer (cross-site request, missing CSRF token, missing role) as
 * {@code application/problem+json}, in the shape the API's own problems have.
 */
final class ProblemAccessDeniedHandler implements AccessDeniedHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The console's "Not allowed" page for a browser on a console page; null: problem+json for everything. */
    private final org.springframework.web.servlet.ViewResolver pages;

    ProblemAccessDeniedHandler() {
        this(null);
    }

    ProblemAccessDeniedHandler(org.springframework.web.servlet.ViewResolver pages) {
        this.pages = pages;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        if (response.isCommitted()) return;
        if (pages != null && WebSecurityConfiguration.browserPage(request) && String.valueOf(request.getHeader("Accept")).contains("text/html")) {
            try {
                org.springframework.web.servlet.View page = pages.resolveViewName("console/forbidden", request.getLocale());
                if (page != null) {
                    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
                    response.setHeader("Content-Security-Policy", PartnerAccessCheck.PAGE_POLICY);
                    page.render(Map.of("message", denied instanceof CsrfException
                            ? "The form was sent without its security token (or with one of an older session). Open the page again and repeat."
                            : "This login may not open this page."), request, response);
                    return;
                }
            } catch (Exception e) {
                if (response.isCommitted()) return;
                response.reset(); // fall back to the problem below
            }
        }
        String detail;
        if (denied instanceof CrossSiteRequestException) {
            detail = denied.getMessage();
        } else if (denied instanceof CsrfException) {
            detail = "Missing or invalid CSRF token. A browser session sends the XSRF-TOKEN cookie's value in the "
                    + "X-XSRF-TOKEN header; API clients authenticate every request with HTTP Basic instead.";
        } else {
            detail = "Access denied.";
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Forbidden");
        problem.put("status", HttpServletResponse.SC_FORBIDDEN);
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), problem);
    }

    /** A state-changing request sent from a page of another site. */
    static final class CrossSiteRequestException extends AccessDeniedException {
        CrossSiteRequestException(String message) {
            super(message);
        }
    }
}
