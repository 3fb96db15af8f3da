package io.cwbridge.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The demo logins of application.yaml ({@code cwbridge.console.users}), for tests that open the console: the
 * operator (every partner) and the demo partner's user. Browsers log in with {@link Chromium#login}; HTTP
 * clients send {@link #basic}.
 */
public final class ConsoleLogin {

    public static final String OPERATOR = "operator";
    public static final String OPERATOR_PASSWORD = "operator";
    public static final String DEMO = "demo";
    public static final String DEMO_PASSWORD = "demo";
    /** The partner of user {@link #DEMO}. */
    public static final String DEMO_PARTNER = "demo";

    private ConsoleLogin() {}

    /** An {@code Authorization} header value: HTTP Basic. */
    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The operator's {@code Authorization} header. */
    public static String operator() {
        return basic(OPERATOR, OPERATOR_PASSWORD);
    }
}
