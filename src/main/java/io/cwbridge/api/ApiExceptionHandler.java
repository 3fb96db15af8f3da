package io.cwbridge.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
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
        Throwable cause = e.getCause();
        if (cause instanceof RefusedTextException refused) {
            return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.",
                    List.of(new ApiProblems.FieldProblem(fieldOf(refused), refused.reason()))));
        }
        InputCoercionException outOfRange = outOfRange(cause);
        if (outOfRange != null) {
            // Valid JSON, but a number beyond the target int/long: the parser's own exception, not a mapping one.
            String field = cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty() ? path(mapping)
                    : parserPath(outOfRange.getProcessor() == null ? null : outOfRange.getProcessor().getParsingContext());
            return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.",
                    List.of(new ApiProblems.FieldProblem(field.isEmpty() ? "$" : field, range(outOfRange.getTargetType())))));
        }
        if (cause instanceof PropertyBindingException unknown && !unknown.getPath().isEmpty()) {
            // a field the request does not have (misspelt, or meant for another endpoint): named, with the ones it has
            String known = unknown.getKnownPropertyIds() == null ? "" : unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.",
                    List.of(new ApiProblems.FieldProblem(InputText.storable(path(unknown)),
                            "is not a field of this request" + (known.isEmpty() ? "" : " (its fields: " + known + ")")))));
        }
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String message = mismatch instanceof InvalidFormatException format
                    ? "must be of type " + typeName(format.getTargetType()) + " (no coercion: a JSON " + jsonKind(format.getValue()) + " is not one)"
                    : "has the wrong type";
            return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.",
                    List.of(new ApiProblems.FieldProblem(path(mismatch), message))));
        }
        if (cause instanceof JsonProcessingException json && !(cause instanceof JsonMappingException)) {
            return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request body is not valid JSON.",
                    List.of(JsonProblems.of(json))));
        }
        if (cause instanceof MismatchedInputException trailing && String.valueOf(trailing.getOriginalMessage()).startsWith("Trailing token")) {
            return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request body is not valid JSON.",
                    List.of(JsonProblems.of(trailing))));
        }
        if (cause instanceof MismatchedInputException root && root.getPath().isEmpty()
                && !String.valueOf(root.getOriginalMessage()).startsWith("No content")) {
            // valid JSON of another kind than the body (an array for an object): not "is not valid JSON"
            Class<?> target = root.getTargetType();
            boolean array = target != null && (target.isArray() || Collection.class.isAssignableFrom(target));
            return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.",
                    List.of(new ApiProblems.FieldProblem("$", "must be a JSON " + (array ? "array" : "object")
                            + " (the body is JSON of another kind)"))));
        }
        return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, e.getCause() == null
                ? "The request body is missing or not readable." : "The request body is not valid JSON.",
                List.of(new ApiProblems.FieldProblem("$", e.getCause() == null ? "is required" : "is not valid JSON"))));
    }

    /**
     * A path or query parameter that does not convert ({@code ?status=BOGUS}, {@code /tasks/abc}): a field-level 400
     * naming the parameter and what it must be (the value itself is not echoed).
     */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(org.springframework.beans.TypeMismatchException e, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String name = e instanceof org.springframework.web.method.annotation.MethodArgumentTypeMismatchException m ? m.getName()
                : e.getPropertyName() == null ? "$" : e.getPropertyName();
        Class<?> type = e.getRequiredType();
        String message = type != null && type.isEnum()
                ? "must be one of " + java.util.Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "))
                : "must be of type " + typeName(type);
        return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.",
                List.of(new ApiProblems.FieldProblem(name, message))));
    }

    /** A required query parameter left out: a field-level 400 naming it. */
    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            org.springframework.web.bind.MissingServletRequestParameterException e, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        return problem(ApiProblems.problem(HttpStatus.BAD_REQUEST, "The request is invalid.",
                List.of(new ApiProblems.FieldProblem(e.getParameterName(), "is required"))));
    }

    /** Every answer of this handler, Spring's own errors (405, 406, 415…) included, is problem+json. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode statusCode,
                                                          WebRequest request) {
        HttpHeaders out = new HttpHeaders();
        if (headers != null) out.putAll(headers);
        if (body instanceof ProblemDetail) out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, out, statusCode);
    }

    private static ResponseEntity<Object> problem(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String fieldOf(JsonMappingException e) {
        String path = path(e);
        return path.isEmpty() ? "$" : path;
    }

    /** The out-of-range number behind {@code cause}: thrown as is, or wrapped with its path by databind. */
    private static InputCoercionException outOfRange(Throwable cause) {
        if (cause instanceof InputCoercionException coercion) return coercion;
        return cause instanceof JsonMappingException && cause.getCause() instanceof InputCoercionException coercion ? coercion : null;
    }

    /** The bounds, never the value (it may be anything the client sent). */
    private static String range(Class<?> type) {
        if (type == Integer.class || type == int.class) {
            return "must be an integer between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) return "must be an integer between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE;
        return "is out of range of " + typeName(type);
    }

    /** {@code a.b[2].c}: where the parser stood, from the root. */
    private static String parserPath(JsonStreamContext context) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) parts.add("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            else if (c.getCurrentName() != null) parts.add("." + InputText.storable(c.getCurrentName()));
        }
        Collections.reverse(parts);
        String joined = String.join("", parts);
        return joined.startsWith(".") ? joined.substring(1) : joined;
    }

    private static String typeName(Class<?> type) {
        if (type == null) return "the declared type";
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) return "integer";
        if (type == String.class) return "string";
        if (type == Boolean.class || type == boolean.class) return "boolean";
        if (type == java.time.LocalDate.class) return "date (YYYY-MM-DD)";
        return type.getSimpleName();
    }

    private static String jsonKind(Object value) {
        if (value instanceof String) return "string";
        if (value instanceof Boolean) return "boolean";
        if (value instanceof java.math.BigDecimal || value instanceof Double || value instanceof Float) return "number with a fraction or exponent";
        if (value instanceof Number) return "number";
        return "value of another type";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
