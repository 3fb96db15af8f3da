package io.cwbridge.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * A request-body string that breaks {@link InputText}'s rules. Its message is the reason only
 * (never the value, which may be a key or hold the very characters refused).
 */
public class RefusedTextException extends MismatchedInputException {

    private final String reason;

    public RefusedTextException(JsonParser parser, String reason) {
        super(parser, reason, String.class);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
