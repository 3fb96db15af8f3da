package io.cwbridge.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Spring Boot starts the web server before the CamelContext (Camel starts on the context-refreshed event, some seconds
 * later), and every API call that stores or sends goes through a route: an event posted in that window was answered 500
 * "CamelContext is stopped" and not stored (SPEC 2: nothing is lost). A {@code /api/**} request that arrives while Camel
 * is starting waits for it, up to {@code cwbridge.api.start-wait} (30 s), and then goes on as usual; one that Camel does not
 * come up for in time, or that arrives while it stops, is answered 503 with {@code Retry-After}, saying nothing was done.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class StartingUpFilter extends OncePerRequestFilter {

    private static final long POLL_MILLIS = 50;

    private final ObjectMapper json = new ObjectMapper();
    private final CamelContext camel;
    private final Duration startWait;
    /** Camel has been seen started: not started any more means it stops. */
    private volatile boolean startedOnce;

    public StartingUpFilter(CamelContext camel, @Value("${cwbridge.api.start-wait:30s}") Duration startWait) {
        this.camel = camel;
        this.startWait = startWait;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (camelStarted()) {
            chain.doFilter(request, response);
            return;
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Service Unavailable");
        problem.put("status", 503);
        problem.put("detail", "The bundle is " + (startedOnce ? "stopping" : "starting")
                + "; nothing was stored or sent. Send the request again in a few seconds.");
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader("Retry-After", "5");
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(problem));
    }

    /** Started now, or within the wait before its first start (a stop does not come back: no wait then). */
    private boolean camelStarted() {
        if (camel.isStarted()) {
            startedOnce = true;
            return true;
        }
        long deadline = System.nanoTime() + startWait.toNanos();
        while (!startedOnce && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (camel.isStarted()) {
                startedOnce = true;
                return true;
            }
        }
        return false;
    }
}
