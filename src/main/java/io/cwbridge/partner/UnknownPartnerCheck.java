package io.cwbridge.partner;

import io.cwbridge.api.ApiProblems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * One check for every {@code /api/v1/partners/{p}/…} endpoint (issue 16): an unknown partner is a
 * 404 problem, not zeros or empty lists, and a malformed id a 400. Saving a connection
 * ({@code PUT …/connection}) is how a partner comes to exist, so it alone is let through.
 * Thrown problems go through the usual exception handling, so they are problem+json like any other.
 */
@Configuration(proxyBeanMethods = false)
public class UnknownPartnerCheck implements WebMvcConfigurer, HandlerInterceptor {

    static final String PREFIX = "/api/v1/partners/{";

    private final PartnerConnectionRepository partners;

    public UnknownPartnerCheck(PartnerConnectionRepository partners) {
        this.partners = partners;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/v1/partners/*", "/api/v1/partners/*/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (!(pattern instanceof String template) || !template.startsWith(PREFIX)) {
            return true;
        }
        String variable = template.substring(PREFIX.length(), template.indexOf('}'));
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String partnerId = variables == null ? null : variables.get(variable);
        PartnerIds.check(partnerId);
        if (isConnectionSave(request, template, variable)) {
            return true;
        }
        if (!partners.known(partnerId)) {
            throw ApiProblems.notFound("Unknown partner " + partnerId);
        }
        return true;
    }

    private static boolean isConnectionSave(HttpServletRequest request, String template, String variable) {
        return "PUT".equals(request.getMethod()) && template.equals(PREFIX + variable + "}/connection");
    }
}
