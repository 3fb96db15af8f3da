package io.cwbridge.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Path segments and query parameters of {@code /api/**} follow {@link InputText}'s rules too: an id
 * in the path with NUL ({@code %00}) or a bidi override would otherwise reach a PostgreSQL column.
 * Such a request is answered 400 problem+json before any controller sees it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class ApiInputFilter extends OncePerRequestFilter {

    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem = null;
        String field = "path";
        try {
            for (String segment : request.getRequestURI().split("/", -1)) {
                problem = InputText.problem(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8), false);
                if (problem != null) break;
            }
            if (problem == null && request.getQueryString() != null) {
                for (String pair : request.getQueryString().split("&")) {
                    String[] kv = pair.split("=", 2);
                    String name = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
                    String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
                    problem = InputText.problem(name, false);
                    if (problem == null) problem = InputText.problem(value, false);
                    if (problem != null) {
                        field = InputText.problem(name, false) == null ? name : "query";
                        break;
                    }
                }
            }
        } catch (IllegalArgumentException e) {
            problem = "is not validly percent-encoded";
        }
        if (problem == null) {
            chain.doFilter(request, response);
            return;
        }
        ProblemDetail body = ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.",
                List.of(new ApiProblems.FieldProblem(InputText.storable(field), problem)));
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(Map.of("type", "about:blank", "title", "Bad Request", "status", 400,
                "detail", body.getDetail(), "errors", body.getProperties().get("errors"))));
    }
}
