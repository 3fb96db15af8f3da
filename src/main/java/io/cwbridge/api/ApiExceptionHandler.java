package io.cwbridge.api;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers every API error as problem+json, with field-level reasons for bad input. Messages are
 * written here rather than passed through from Jackson, because parser messages quote the
 * request body, and a request body may hold keys.
 */
@RestControllerAdvice(basePackages = "io.cwbridge")
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<ApiProblems.FieldProblem> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new ApiProblems.FieldProblem(f.getField(), f.getDefaultMessage()))
                .sorted(Comparator.comparing(ApiProblems.FieldProblem::field))
                .toList();
        return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.", errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        if (e.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String message = mismatch instanceof InvalidFormatException format
                    ? "must be of type " + format.getTargetType().getSimpleName()
                    : "has the wrong type";
            return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.",
                    List.of(new ApiProblems.FieldProblem(path(mismatch), message))));
        }
        return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request body is not valid JSON.", List.of()));
    }

    private static ResponseEntity<Object> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
