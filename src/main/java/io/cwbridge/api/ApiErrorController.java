package io.cwbridge.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.autoconfigure.web.ErrorProperties;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.BasicErrorController;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * Spring Boot's error page ({@code /error}), which answers what no controller advice sees: an
 * unknown path (404), a method a path does not have (405), an exception that escaped a filter or
 * a handler. For requests under {@code /api/} it answers problem+json, whatever the Accept header;
 * everything else (Hawtio, the workbench page, actuator) keeps Spring Boot's answer.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ApiErrorController extends BasicErrorController {

    public ApiErrorController(ErrorAttributes errorAttributes, ServerProperties serverProperties,
                              org.springframework.beans.factory.ObjectProvider<org.springframework.boot.autoconfigure.web.servlet.error.ErrorViewResolver> resolvers) {
        super(errorAttributes, errorProperties(serverProperties), resolvers.orderedStream().toList());
    }

    private static ErrorProperties errorProperties(ServerProperties properties) {
        return properties.getError();
    }

    @Override
    @RequestMapping
    @SuppressWarnings({"unchecked", "rawtypes"})
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        if (!isApi(request)) return super.error(request);
        ProblemDetail problem = apiProblem(request);
        return (ResponseEntity) ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** A browser asking for an API path still gets problem+json, written here (the HTML page is for the rest). */
    @Override
    public org.springframework.web.servlet.ModelAndView errorHtml(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) {
        if (!isApi(request)) return super.errorHtml(request, response);
        ProblemDetail body = apiProblem(request);
        try {
            response.setStatus(body.getStatus());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            com.fasterxml.jackson.databind.node.ObjectNode json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            json.put("type", String.valueOf(body.getType())).put("title", body.getTitle()).put("status", body.getStatus())
                    .put("detail", body.getDetail()).put("instance", String.valueOf(body.getInstance()));
            response.getWriter().write(json.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return null;
    }

    private ProblemDetail apiProblem(HttpServletRequest request) {
        HttpStatus status = getStatus(request);
        String detail = switch (status) {
            case NOT_FOUND -> "No API resource at " + uri(request) + ".";
            case METHOD_NOT_ALLOWED -> "The method is not allowed on " + uri(request) + ".";
            case INTERNAL_SERVER_ERROR -> "The request could not be completed; the error was logged.";
            default -> status.getReasonPhrase() + ".";
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(java.net.URI.create(safePath(uri(request))));
        return problem;
    }

    private static boolean isApi(HttpServletRequest request) {
        return uri(request).startsWith("/api/");
    }

    private static String uri(HttpServletRequest request) {
        Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        return original instanceof String s ? s : request.getRequestURI();
    }

    private static String safePath(String path) {
        try {
            return new java.net.URI(null, null, path, null).toASCIIString();
        } catch (java.net.URISyntaxException e) {
            return "/api";
        }
    }
}
