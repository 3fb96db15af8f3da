package io.cwbridge.api;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Builders for the API's problem+json answers; field errors go in an {@code errors} array. */
public final class ApiProblems {

    private ApiProblems() {}

    public static ErrorResponseException notFound(String detail) {
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem(HttpStatus.NOT_FOUND, detail, List.of()), null);
    }

    public static ErrorResponseException badRequest(String field, String message) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST,
                problem(HttpStatus.BAD_REQUEST, "The request is invalid.", List.of(new FieldProblem(field, message))), null);
    }

    /** 409: the resource is not in a state that allows the request (or another caller is acting on it). */
    public static ErrorResponseException conflict(String detail) {
        return new ErrorResponseException(HttpStatus.CONFLICT, problem(HttpStatus.CONFLICT, detail, List.of()), null);
    }

    /** 409 with field-level reasons and extra properties (e.g. the task that holds an eventId). */
    public static ErrorResponseException conflict(String detail, List<FieldProblem> errors, java.util.Map<String, Object> properties) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, detail, errors == null ? List.of() : errors);
        properties.forEach(problem::setProperty);
        return new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
    }

    public static ProblemDetail problem(HttpStatus status, String detail, List<FieldProblem> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }

    /** One field-level reason: {@code field} is a JSON path into the request body. */
    public record FieldProblem(String field, String message) {}
}
