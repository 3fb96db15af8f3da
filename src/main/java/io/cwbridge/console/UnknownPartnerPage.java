package io.cwbridge.console;

/** A console address names a partner (or a task, a parked event of it) the bundle does not know: a 404 page. */
class UnknownPartnerPage extends RuntimeException {

    UnknownPartnerPage(String message) {
        super(message);
    }
}
