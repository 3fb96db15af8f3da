package io.cwbridge.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * A request Spring Security's firewall refuses (an encoded {@code %}, a {@code ;}, a {@code //} or {@code ..} segment, a
 * method such as TRACE) as problem+json: 405 with {@code Allow} for a method, else 400. Before, the firewall's plain
 * {@code sendError} reached the error page through the same firewall again: a TRACE got an empty 400 and {@code a%25b}
 * a problem without reason (a black-box probe of stop 32). The refused address is not echoed.
 */
final class ProblemRequestRejectedHandler implements RequestRejectedHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The firewall's allowed methods (StrictHttpFirewall's defaults, which the bundle keeps). */
    private static final Set<String> METHODS = Set.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT");

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        if (response.isCommitted()) return;
        boolean method = !METHODS.contains(request.getMethod());
        HttpStatus status = method ? HttpStatus.METHOD_NOT_ALLOWED : HttpStatus.BAD_REQUEST;
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", method ? "The API does not answer this HTTP method."
                : "The request's address is refused: it holds an encoded '%', a ';', an empty or '..' segment, or another "
                        + "sequence the API does not accept. Ids with such characters cannot be sent in a path.");
        response.setStatus(status.value());
        if (method) response.setHeader("Allow", String.join(", ", new java.util.TreeSet<>(METHODS)));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        JSON.writeValue(response.getOutputStream(), problem);
    }
}
