package io.cwbridge.connectwise;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Authenticates the ConnectWise requests of the {@code connectwise-http} route where no Camel tracer,
 * JMX attribute or log line can see it: on the Apache HttpClient request itself, after Camel has
 * turned the exchange into it. The exchange only carries header {@value #CONNECTION_HEADER}, a
 * key without secret ({@code companyId@apiUrl#n}) of the connection {@link #open opened} for that
 * call; this interceptor swaps it for {@code Authorization} (Basic companyId+publicKey:privateKey)
 * and {@code clientId}. Connections are held only while their call is in flight ({@link #close}).
 *
 * <p>As the endpoints' {@code httpClientConfigurer} it also switches off what the client decides
 * itself: HttpClient's own retries (it would repeat a 429 or 503 behind ConnectWiseRetry's back),
 * redirects, and cookies (partners on one site share the endpoint).
 */
public final class ConnectWiseHttpAuth implements HttpClientConfigurer {

    /** The one request header naming the call's connection; removed before the request leaves. */
    public static final String CONNECTION_HEADER = "CwConnection";

    private final Map<String, ConnectWiseConnection> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /** Holds {@code connection} for one call and answers the key its request names it by. */
    String open(ConnectWiseConnection connection) {
        String key = connection.rateLimitKey() + "#" + sequence.incrementAndGet();
        inFlight.put(key, connection);
        return key;
    }

    void close(String key) {
        inFlight.remove(key);
    }

    /** Calls in flight (their connections held); 0 when idle. */
    int inFlight() {
        return inFlight.size();
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .addRequestInterceptorLast(this::authenticate);
    }

    private void authenticate(HttpRequest request, EntityDetails entity, HttpContext context) throws ProtocolException {
        Header key = request.getFirstHeader(CONNECTION_HEADER);
        if (key == null) {
            throw new ProtocolException("a ConnectWise request needs header " + CONNECTION_HEADER);
        }
        request.removeHeaders(CONNECTION_HEADER);
        ConnectWiseConnection connection = inFlight.get(key.getValue());
        if (connection == null) {
            throw new ProtocolException("no ConnectWise connection is open under " + key.getValue());
        }
        request.setHeader("Authorization", connection.authorizationHeader());
        request.setHeader("clientId", connection.clientId());
    }
}
