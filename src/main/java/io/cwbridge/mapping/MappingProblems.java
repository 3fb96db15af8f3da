package io.cwbridge.mapping;

import io.cwbridge.api.ApiProblems;
import io.cwbridge.connectwise.ConnectWiseException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The mapping API's problem+json answers beyond {@link ApiProblems}' 400 and 404. */
final class MappingProblems {

    private MappingProblems() {}

    static ErrorResponseException noConnection(String partnerId) {
        return of(HttpStatus.CONFLICT, "Partner " + partnerId + " has no ConnectWise connection; save one with "
                + "PUT /api/v1/partners/" + partnerId + "/connection first.");
    }

    /**
     * ConnectWise did not do what was asked. Its refusal of our data (400) is ours to explain
     * (422); anything else is a failure of the upstream system (502). The text is ConnectWise's
     * own message, which never carries the partner's keys.
     */
    static ErrorResponseException connectWise(String what, ConnectWiseException e) {
        return e.status() == 400
                ? of(HttpStatus.UNPROCESSABLE_ENTITY, "ConnectWise refused to " + what + ": " + e.describe())
                : of(HttpStatus.BAD_GATEWAY, "ConnectWise could not " + what + ": " + e.describe());
    }

    /** 409 with a field-level reason and further members (e.g. the existing mapping, the owner). */
    static ErrorResponseException conflict(String detail, String field, String message, java.util.Map<String, Object> properties) {
        org.springframework.http.ProblemDetail problem = ApiProblems.problem(HttpStatus.CONFLICT, detail,
                List.of(new ApiProblems.FieldProblem(field, message)));
        properties.forEach(problem::setProperty);
        return new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
    }

    private static ErrorResponseException of(HttpStatus status, String detail) {
        return new ErrorResponseException(status, ApiProblems.problem(status, detail, List.of()), null);
    }
}
