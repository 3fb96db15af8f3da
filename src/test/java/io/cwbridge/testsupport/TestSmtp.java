package io.cwbridge.testsupport;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

/**
 * The tests' one SMTP server (GreenMail on a free port, started on first use, for the whole JVM) with
 * the login user the bundle sends as ({@code cwbridge.mail.*} in {@code application-test.yaml});
 * {@link BundleTestBase} points every shared context's mail host and port at it.
 */
public final class TestSmtp {

    public static final String FROM = "cwbridge@bundle.example";
    public static final String USERNAME = "digest-sender";
    public static final String PASSWORD = "S3cret-Mail-Pass";

    private static GreenMail server;

    private TestSmtp() {
    }

    public static synchronized GreenMail server() {
        if (server == null) {
            GreenMail started = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
            started.start();
            started.setUser(FROM, USERNAME, PASSWORD);
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop));
            server = started;
        }
        return server;
    }
}
