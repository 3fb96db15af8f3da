package io.cwbridge.connectwise;

import java.util.List;

/**
 * A ConnectWise call that did not succeed. The message is ConnectWise's own (with its field
 * errors), never the request's headers, and with the connection's keys and Basic credential masked
 * where the remote text echoed them (ConnectWiseClient, SPEC 7), so it is safe to log, to record on
 * a task and to show a user.
 *
 * @param status        HTTP status, or 0 when no answer came (time-out, connection failure)
 * @param transientFailure  true for 429, 5xx and time-outs: worth trying again later
 */
public class ConnectWiseException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<FieldError> errors;
    private final boolean transientFailure;

    public ConnectWiseException(int status, String code, String message, List<FieldError> errors, boolean transientFailure) {
        super(message);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
        this.transientFailure = transientFailure;
    }

    public int status() { return status; }

    public String code() { return code; }

    public List<FieldError> errors() { return errors; }

    public boolean isTransient() { return transientFailure; }

    /** One line for a task's reason: ConnectWise's message followed by its field errors. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        if (status > 0) text.append(status).append(' ');
        if (code != null) text.append(code).append(": ");
        text.append(getMessage());
        for (FieldError e : errors) {
            text.append("; ").append(e.field() == null ? "" : e.field() + ": ").append(e.message());
        }
        return text.toString();
    }

    /** One entry of ConnectWise's {@code errors} array. */
    public record FieldError(String code, String message, String resource, String field) {}
}
