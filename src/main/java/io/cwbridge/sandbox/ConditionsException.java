package io.cwbridge.sandbox;

/** A {@code conditions} or {@code orderBy} string that cannot be read; answered as a 400. */
final class ConditionsException extends RuntimeException {
    ConditionsException(String message) {
        super(message, null, false, false);
    }
}
