package io.cwbridge.security;

import io.cwbridge.access.PartnerScope;
import io.cwbridge.api.ApiProblems;
import io.cwbridge.ingest.ParkedEvent;
import io.cwbridge.ingest.ParkedEventRepository;
import io.cwbridge.tasks.TaskRepository;
import io.cwbridge.tasks.TaskView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.View;
import org.springframework.web.servlet.ViewResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Seed 002 keeps each partner inside its own tenant (issue 16): one check, before every handler, that the
 * user may act on the partner the request reaches. Operators (and the embedded default's anonymous local
 * operator) reach every partner; a partner user only its own:
 * <ul>
 *   <li>every handler whose path pattern names a partner — a variable {@code {partnerId}} or {@code {p}}, or
 *       the one right after {@code /partners/} — in the API ({@code /api/v1/partners/{p}/…}) and the console
 *       ({@code /partners/{partnerId}/…}), whoever wrote the controller;</li>
 *   <li>{@code /api/v1/tasks/{taskId}/…} and {@code /api/v1/parked-events/{parkedId}/…}: the task's or parked
 *       event's partner; the parked-event list only with {@code ?partnerId=} its own;</li>
 *   <li>{@code POST /api/v1/events}, {@code /api/v1/plan} and a replay's fixed body: the partnerId of every event
 *       in the body ({@link PartnerBodyCheck});</li>
 *   <li>{@code GET /api/v1/partners}: only its own partner is listed;</li>
 *   <li>every other API endpoint (digests, reconciliation run, invoice intake, endpoints added later) is for
 *       operators: refused to a partner user until it is placed here.</li>
 * </ul>
 * The console's partner picker (model attribute {@code partners}) lists only the login's partners.
 * A refusal is a 403: problem+json for the API, the console's "not allowed" page for its pages. It comes
 * before the unknown-partner 404, so another partner's existence is not told.
 */
@Configuration(proxyBeanMethods = false)
public class PartnerAccessCheck implements WebMvcConfigurer, HandlerInterceptor {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^}:/]+)(?::[^}]*)?}");
    private static final Set<String> PARTNER_VARIABLES = Set.of("partnerId", "p");
    /** The API endpoints a partner user may call whose partner is not in the path (see above). */
    static final String PARTNER_LIST = "/api/v1/partners";
    static final String TASK = "/api/v1/tasks/{taskId}";
    static final String PARKED_LIST = "/api/v1/parked-events";
    static final String PARKED = "/api/v1/parked-events/{parkedId}";
    static final Set<String> BODY_SCOPED = Set.of("/api/v1/events", "/api/v1/plan", "/api/v1/parked-events/{parkedId}/replay");

    static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final TaskRepository tasks;
    private final ParkedEventRepository parked;
    private final ViewResolver views;

    public PartnerAccessCheck(TaskRepository tasks, ParkedEventRepository parked,
            @org.springframework.beans.factory.annotation.Qualifier("thymeleafViewResolver") ViewResolver views) {
        this.tasks = tasks;
        this.parked = parked;
        this.views = views;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/**").order(Ordered.HIGHEST_PRECEDENCE);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        if (!(handler instanceof HandlerMethod)) return true;
        PartnerScope scope = PartnerScope.current();
        if (scope.allPartners()) return true;
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (!(pattern instanceof String template)) return true;
        @SuppressWarnings("unchecked")
        Map<String, String> variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String refusal = refusal(scope, template, variables == null ? Map.of() : variables, request);
        if (refusal == null) return true;
        if (template.startsWith("/api/")) {
            throw new ErrorResponseException(HttpStatus.FORBIDDEN, ApiProblems.problem(HttpStatus.FORBIDDEN, refusal, java.util.List.of()), null);
        }
        page(request, response, refusal);
        return false;
    }

    /**
     * The partner picker of every console page (model attribute {@code partners}, whichever controller fills
     * it) lists only the partners the login may see.
     */
    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
            org.springframework.web.servlet.ModelAndView page) {
        if (page == null) return;
        PartnerScope scope = PartnerScope.current();
        if (scope.allPartners()) return;
        if (page.getModel().get("partners") instanceof java.util.List<?> listed) {
            page.addObject("partners", listed.stream()
                    .filter(p -> !(p instanceof io.cwbridge.partner.PartnerSummary summary) || scope.sees(summary.partnerId())).toList());
        }
    }

    /** The names of the path variables of {@code template} that name a partner. */
    static Set<String> partnerVariables(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(template);
        while (m.find()) {
            String name = m.group(1);
            if (PARTNER_VARIABLES.contains(name) || template.substring(0, m.start()).endsWith("/partners/")) names.add(name);
        }
        return names;
    }

    /** Why the request is refused to a user of {@code scope} (not an operator), or null when it may go on. */
    private String refusal(PartnerScope scope, String template, Map<String, String> variables, HttpServletRequest request) {
        Set<String> partnerVariables = partnerVariables(template);
        if (!partnerVariables.isEmpty()) {
            for (String name : partnerVariables) {
                String partnerId = variables.get(name);
                if (!scope.sees(partnerId)) return notYours(scope, "partner " + partnerId);
            }
            return null;
        }
        if (!template.startsWith("/api/")) return null; // the console's own addresses without a partner (/, the picker)
        if (template.equals(PARTNER_LIST) || BODY_SCOPED.contains(template)) {
            return template.equals("/api/v1/parked-events/{parkedId}/replay") ? parkedRefusal(scope, variables) : null;
        }
        if (template.equals(TASK) || template.startsWith(TASK + "/")) {
            Optional<String> partner = id(variables.get("taskId")).flatMap(tasks::find).map(TaskView::partnerId);
            return partner.isEmpty() || scope.sees(partner.get()) ? null : notYours(scope, "task " + variables.get("taskId"));
        }
        if (template.equals(PARKED_LIST)) {
            String asked = request.getParameter("partnerId");
            if (asked != null && scope.sees(asked)) return null;
            return scope.partnerId() == null ? notYours(scope, "any partner")
                    : "A partner user lists its own partner's parked events: add ?partnerId=" + scope.partnerId() + ".";
        }
        if (template.equals(PARKED) || template.startsWith(PARKED + "/")) return parkedRefusal(scope, variables);
        return "Only an operator may call " + request.getMethod().toUpperCase(Locale.ROOT) + " " + template + ".";
    }

    private String parkedRefusal(PartnerScope scope, Map<String, String> variables) {
        Optional<ParkedEvent> event = id(variables.get("parkedId")).flatMap(parked::find);
        // a parked event without a partner (its text named none) is the operator's to handle
        return event.isEmpty() || (event.get().partnerId() != null && scope.sees(event.get().partnerId())) ? null
                : notYours(scope, "parked event " + variables.get("parkedId"));
    }

    static String notYours(PartnerScope scope, String what) {
        return scope.partnerId() == null ? "This login may not see " + what + "."
                : "This login belongs to partner " + scope.partnerId() + " and may not see " + what + ".";
    }

    private static Optional<Long> id(String text) {
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return Optional.empty(); // the handler answers the 400
        }
    }

    private void page(HttpServletRequest request, HttpServletResponse response, String message) throws Exception {
        View view = views.resolveViewName("console/forbidden", request.getLocale());
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setHeader("Content-Security-Policy", PAGE_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (view == null) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, message);
            return;
        }
        view.render(Map.of("message", message), request, response);
    }
}
