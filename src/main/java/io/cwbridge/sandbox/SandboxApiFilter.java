package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * In front of every sandbox API call (not the admin endpoints): counts it, applies an injected
 * fault if one matches, then checks ConnectWise's authentication headers. Faults come before
 * authentication because throttling and gateway errors do on the real service too. After
 * authentication the member's security role is checked ({@link SandboxSecurityRole}).
 */
final class SandboxApiFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(SandboxApiFilter.class);
    private static final String ADMIN = ApiRoute.PREFIX + "admin";

    private final SandboxAuth auth;
    private final FaultInjector faults;
    private final CallCounter calls;
    private final SandboxSecurityRole role;

    SandboxApiFilter(SandboxAuth auth, FaultInjector faults, CallCounter calls, SandboxSecurityRole role) {
        this.auth = auth;
        this.faults = faults;
        this.calls = calls;
        this.role = role;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = path(request);
        return !path.startsWith(ApiRoute.PREFIX) || path.equals(ADMIN) || path.startsWith(ADMIN + "/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = path(request);
        String method = request.getMethod();
        calls.count(method + " " + endpoint(method, path));

        Optional<Fault> fault = faults.take(method, path);
        if (fault.isPresent() && !fault.get().afterCommit()) {
            sleep(fault.get().delayMillis());
            if (fault.get().status() > 0) {
                writeFault(response, fault.get());
                return;
            }
        }
        Optional<String> refusal = auth.refusal(request.getHeader("Authorization"), request.getHeader("clientId"));
        if (refusal.isPresent()) {
            write(response, 401, SandboxErrors.unauthorized(refusal.get()).body());
            return;
        }
        Optional<SandboxException> forbidden = ApiRoute.relativePath(path).flatMap(r -> ApiRoute.resolve(method, r))
                .flatMap(role::refusal);
        if (forbidden.isPresent()) {
            write(response, forbidden.get().status(), forbidden.get().body());
            return;
        }
        if (fault.isPresent() && fault.get().afterCommit()) {
            runThenFail(request, response, chain, fault.get());
            return;
        }
        chain.doFilter(request, response);
    }

    /** Carries the call out and stores its effect, then answers the fault instead of the result. */
    private void runThenFail(HttpServletRequest request, HttpServletResponse response, FilterChain chain, Fault fault)
            throws ServletException, IOException {
        ContentCachingResponseWrapper held = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, held);
        sleep(fault.delayMillis());
        if (fault.status() == 0) {
            held.copyBodyToResponse();
            return;
        }
        if (response.isCommitted()) {
            log.warn("Sandbox could not replace an already committed answer with fault {}", fault.status());
            return;
        }
        response.reset();
        writeFault(response, fault);
    }

    private static void writeFault(HttpServletResponse response, Fault fault) throws IOException {
        if (fault.status() == 429) {
            response.setHeader("Retry-After", Integer.toString(fault.retryAfterSeconds()));
        }
        write(response, fault.status(), SandboxErrors.faultBody(fault.status(), fault.retryAfterSeconds()));
    }

    static void write(HttpServletResponse response, int status, ObjectNode body) throws IOException {
        byte[] bytes = SandboxJson.write(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The path template a call is counted under; an unknown endpoint is counted under its own path. */
    private static String endpoint(String method, String path) {
        Optional<String> relative = ApiRoute.relativePath(path);
        return relative.flatMap(r -> ApiRoute.resolve(method, r)).map(ApiRoute::template)
                .orElseGet(() -> relative.map(r -> "/" + r).orElse(path));
    }

    static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
