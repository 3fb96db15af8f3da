package io.cwbridge.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

/**
 * Keeps the ConnectWise credentials out of Apache HttpClient's own log, whatever level an operator sets. HttpClient's
 * header logger ({@code org.apache.hc.client5.http.headers}) prints each request header at DEBUG and its wire logger
 * ({@code …http.wire}) the request's bytes, so turning on DEBUG for {@code org.apache.hc} while troubleshooting put
 * {@code Authorization: Basic …} (company id, public and private key) in the log. The bundle's credentials are added
 * to the Apache request itself (ConnectWiseHttpAuth), below everything else that logs.
 *
 * <ul>
 *   <li>the header logger: a line of a credential header ({@link #CREDENTIAL_HEADERS}) is dropped, the others stay;</li>
 *   <li>the wire logger: what is sent ({@code >>}) is dropped, what is received ({@code <<}) stays. Sent bytes come in
 *       buffers whose cuts fall anywhere, so a credential could span two of them; the request's headers are in the
 *       header logger's lines and its body in the bundle's own request log.</li>
 * </ul>
 *
 * A Logback turbo filter, added to the logger context once this bean exists (eagerly, also under lazy initialisation;
 * no ConnectWise call is made before), and added again after any reset of the context (a configuration file reloaded
 * by {@code scan}, a JMX reload), which drops turbo filters.
 */
@Component
@Lazy(false)
public class CredentialLogFilter extends TurboFilter implements LoggerContextListener {

    static final String HEADERS_LOGGER = "org.apache.hc.client5.http.headers";
    static final String WIRE_LOGGER = "org.apache.hc.client5.http.wire";
    /** Headers that carry a credential, lower case: ConnectWise's Basic key pair and its client id; a proxy's. */
    static final List<String> CREDENTIAL_HEADERS = List.of("authorization", "proxy-authorization", "clientid", "cookie");

    public CredentialLogFilter() {
        setName("cwbridge-credential-log-filter");
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) install(context);
    }

    /** Filters {@code context}'s events from now on, and again after each of its resets. */
    void install(LoggerContext context) {
        start();
        register(context);
        context.addListener(this);
    }

    private void register(LoggerContext context) {
        if (context.getTurboFilterList().stream().noneMatch(f -> getName().equals(f.getName()))) context.addTurboFilter(this);
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }

    @Override
    public void onReset(LoggerContext context) {
        register(context);
    }

    @Override
    public void onStart(LoggerContext context) {
        register(context);
    }

    @Override
    public void onStop(LoggerContext context) {}

    @Override
    public void onLevelChange(Logger logger, Level level) {}

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // Called for every log statement and level check of the application: the name test comes first. A level check
        // (no format yet) is let through, so HttpClient goes on to log, and its lines come here.
        if (format == null || logger == null || !logger.getName().startsWith("org.apache.hc.client5.http.")) return FilterReply.NEUTRAL;
        String name = logger.getName();
        if (!name.equals(HEADERS_LOGGER) && !name.equals(WIRE_LOGGER)) return FilterReply.NEUTRAL;
        String line = MessageFormatter.arrayFormat(format, params).getMessage();
        if (name.equals(WIRE_LOGGER)) return sent(line) ? FilterReply.DENY : FilterReply.NEUTRAL;
        return sendsCredential(line) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }

    /** Whether a line of HttpClient's ({@code id >> …} sent, {@code id << …} received) is of what it sent. */
    static boolean sent(String line) {
        int space = line.indexOf(' ');
        return space >= 0 && line.startsWith(">>", space + 1);
    }

    /** Whether a header line ({@code id >> Name: value}) sends one of {@link #CREDENTIAL_HEADERS}. */
    static boolean sendsCredential(String line) {
        if (!sent(line)) return false;
        String header = line.substring(line.indexOf(">>") + 2).trim().toLowerCase(Locale.ROOT);
        return CREDENTIAL_HEADERS.stream().anyMatch(h -> header.startsWith(h + ":"));
    }
}
