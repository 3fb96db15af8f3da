package io.cwbridge.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns bad input into problem+json with field-level reasons. Messages are written here rather
 * than passed through from Jackson, because parser messages quote the request body, and a
 * request body may hold keys.
 */
@RestControllerAdvice(basePackages = "io.cwbridge")
public class ApiExceptionHandler {

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ProblemDetail invalid(MethodArgumentNotValidException e) {
        List<ApiProblems.FieldProblem> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new ApiProblems.FieldProblem(f.getField(), f.getDefaultMessage()))
                .sorted(java.util.Comparator.comparing(ApiProblems.FieldProblem::field))
                .toList();
        return ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.", errors);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        if (e.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = path(mismatch);
            String message = mismatch instanceof InvalidFormatException format
                    ? "must be of type " + format.getTargetType().getSimpleName()
                    : "has the wrong type";
            return ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.",
                    List.of(new ApiProblems.FieldProblem(field, message)));
        }
        return ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request body is not valid JSON.", List.of());
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
