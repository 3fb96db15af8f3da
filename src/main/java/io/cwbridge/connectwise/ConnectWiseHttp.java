package io.cwbridge.connectwise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.concurrent.RejectedExecutionException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.ManagementStrategy;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a ConnectWise call, sent through route {@code connectwise-http} (camel-http with
 * Apache HttpClient 5, bodies by camel-jackson). Each attempt is its own exchange, so nothing of one
 * call's headers leaks into another. The endpoint is the connection's base address with the
 * time-outs as endpoint options, e.g.
 * {@code https://api-na.myconnectwise.net/v4_6_release/apis/3.0?connectTimeout=5000&responseTimeout=30000&…};
 * its pool is the http component's ({@code camel.component.http.connections-per-route} …).
 *
 * <p>Failures without an answer are sorted as the client needs them: {@link NoAnswer.Kind#UNREACHABLE}
 * when nothing can have reached ConnectWise (refused, unknown host), else {@link NoAnswer.Kind#TIMEOUT}
 * or {@link NoAnswer.Kind#IO} — ambiguous, the request may have been carried out.
 */
final class ConnectWiseHttp {

    private static final Logger log = LoggerFactory.getLogger(ConnectWiseHttp.class);

    static final String ROUTE = "direct:connectwise-http";
    static final String ENDPOINT_VARIABLE = "connectWiseEndpoint";
    /**
     * How long a call made while Camel is still starting waits for it: the web server takes requests (the mapping
     * API reads ConnectWise) before Camel, which Spring starts last, runs the transport route.
     */
    static final Duration CAMEL_START_WAIT = Duration.ofSeconds(60);

    private final ProducerTemplate producer;
    private final ConnectWiseHttpAuth auth;
    /** The camel-http endpoint of each endpoint URI, resolved once (few: one per base address and time-outs). */
    private final ConcurrentHashMap<String, Endpoint> endpoints = new ConcurrentHashMap<>();

    ConnectWiseHttp(ProducerTemplate producer, ConnectWiseHttpAuth auth) {
        this.producer = producer;
        this.auth = auth;
    }

    /**
     * Sends one request and answers ConnectWise's status, JSON body (success) or text (error) and the
     * headers the client reads.
     *
     * @param rawQuery the encoded query string, empty for none
     * @param body     a value to be written as JSON by camel-jackson, JSON text, or null
     */
    Answer send(ConnectWiseConnection c, String method, String path, String rawQuery, Object body, String accept,
                Duration connectTimeout, Duration responseTimeout) throws NoAnswer {
        awaitCamel();
        Endpoint endpoint = endpoints.computeIfAbsent(endpoint(c.baseUri(), connectTimeout, responseTimeout), this::resolve);
        String key = auth.open(c);
        try {
            Exchange exchange = producer.send(ROUTE, e -> {
                // the endpoint itself: the route's toD sends to it as it is, with no URI to resolve and normalise per call
                e.setVariable(ENDPOINT_VARIABLE, endpoint);
                Message in = e.getMessage();
                // the enum camel-http reads, not its name: text would be converted on every call (issue 14 profile)
                in.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(method));
                in.setHeader(Exchange.HTTP_PATH, path);
                if (!rawQuery.isEmpty()) in.setHeader(Exchange.HTTP_RAW_QUERY, rawQuery);
                in.setHeader("Accept", accept);
                in.setHeader(ConnectWiseHttpAuth.CONNECTION_HEADER, key);
                if (body != null) in.setHeader(Exchange.CONTENT_TYPE, "application/json");
                in.setBody(body);
            });
            Exception failure = exchange.getException();
            Message out = exchange.getMessage();
            Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (failure != null) {
                throw noAnswer(failure, status);
            }
            if (status == null) {
                throw new IllegalStateException("route connectwise-http answered no HTTP status");
            }
            Object content = out.getBody();
            return new Answer(status, content instanceof JsonNode json ? json : null,
                    content instanceof String text ? text : null,
                    out.getHeader("Link", String.class), out.getHeader("Retry-After", String.class));
        } finally {
            auth.close(key);
        }
    }

    /** Waits while Camel is still starting; a stopping or stopped Camel takes nothing (Unreachable: never sent). */
    private void awaitCamel() throws NoAnswer {
        CamelContext camel = producer.getCamelContext();
        long deadline = System.nanoTime() + CAMEL_START_WAIT.toNanos();
        while (!camel.isStarted()) {
            ServiceStatus status = camel.getStatus();
            boolean starting = status == ServiceStatus.Initializing || status == ServiceStatus.Initialized
                    || status == ServiceStatus.Starting;
            if (!starting || System.nanoTime() > deadline) {
                throw new NoAnswer(NoAnswer.Kind.UNREACHABLE, new IllegalStateException("Camel is " + status));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NoAnswer(NoAnswer.Kind.UNREACHABLE, e);
            }
        }
    }

    /**
     * The camel-http endpoint of a base address: the same for every call with these time-outs. Its activity log stays
     * off whatever the component's {@code log-http-activity} says: it prints the request as sent, after the
     * configurer has added Authorization and clientId (security/CredentialLogFilter covers HttpClient's own loggers).
     */
    static String endpoint(URI baseUri, Duration connectTimeout, Duration responseTimeout) {
        String base = baseUri.toString();
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return base + "?throwExceptionOnFailure=false&httpClientConfigurer=#connectWiseHttpAuth&logHttpActivity=false"
                + "&connectTimeout=" + connectTimeout.toMillis() + "&responseTimeout=" + responseTimeout.toMillis();
    }

    /**
     * The endpoint of {@code uri}, the first time it is used. Camel leaves endpoints first used at run time (a toD's)
     * out of JMX; the ConnectWise ones are few (one per base address and time-outs) and are what an integration team
     * looks for in Hawtio, so they are put in.
     */
    private Endpoint resolve(String uri) {
        CamelContext camel = producer.getCamelContext();
        Endpoint endpoint = camel.getEndpoint(uri);
        if (endpoint instanceof HttpEndpoint http) {
            refuseActivityListener(http);
            answerOnly(http);
        }
        ManagementStrategy jmx = camel.getManagementStrategy();
        if (jmx == null || jmx.getManagementObjectStrategy() == null || jmx.getManagementAgent() == null) return endpoint;
        try {
            Object mbean = jmx.getManagementObjectStrategy().getManagedObjectForEndpoint(camel, endpoint);
            if (mbean != null && !jmx.isManaged(mbean)) jmx.manageObject(mbean);
        } catch (Exception e) {
            log.warn("ConnectWise endpoint {} not registered in JMX: {}", endpoint.getEndpointBaseUri(), e.toString());
        }
        return endpoint;
    }

    /**
     * A ConnectWise endpoint takes no {@code httpActivityListener}: camel-http hands one the request as sent, after
     * {@link ConnectWiseHttpAuth} has put Authorization and clientId on it, and the endpoint gets the http component's
     * ({@code camel.component.http.http-activity-listener}) whatever its own {@code logHttpActivity=false} says. Refused
     * before anything is sent; {@link ConnectWiseActivityListenerGuard} refuses it at start-up already.
     */
    static void refuseActivityListener(HttpEndpoint endpoint) {
        if (endpoint.getHttpActivityListener() != null) {
            throw new IllegalStateException(activityListenerRefusal(endpoint.getHttpActivityListener(), "endpoint "
                    + endpoint.getEndpointBaseUri()));
        }
    }

    static String activityListenerRefusal(Object listener, String where) {
        return "The ConnectWise calls refuse an httpActivityListener (" + listener.getClass().getName() + " on " + where
                + "): it would be given each request with its Authorization header. Remove it from the http component"
                + " (camel.component.http.http-activity-listener / camel.component.https.http-activity-listener).";
    }

    /**
     * The response headers {@link #send} reads: {@code Link} (the next page) and {@code Retry-After} (429, 503). The
     * others (Date, Content-Type, Server, …) are not put on the answer.
     */
    static final java.util.Set<String> RESPONSE_HEADERS = java.util.Set.of("link", "retry-after");

    /**
     * Issue 14 profile: the answer carries only what {@link #send} reads. By default camel-http copies the request's
     * headers into the answer ({@code copyHeaders}, a map copy per call) and every response header of ConnectWise;
     * here the answer holds the status ({@code CamelHttpResponseCode}, {@code CamelHttpResponseText}) and
     * {@link #RESPONSE_HEADERS}. The request side is the endpoint's own header filter, unchanged. Set on the endpoint
     * before its first call (camel-http reads both per call).
     */
    static void answerOnly(HttpEndpoint endpoint) {
        endpoint.setCopyHeaders(false);
        HeaderFilterStrategy outgoing = endpoint.getHeaderFilterStrategy();
        if (outgoing instanceof AnswerHeaders) return;
        endpoint.setHeaderFilterStrategy(new AnswerHeaders(outgoing));
    }

    /** The endpoint's header filter for requests; of a response's headers it lets only {@link #RESPONSE_HEADERS} in. */
    record AnswerHeaders(HeaderFilterStrategy outgoing) implements HeaderFilterStrategy {

        @Override
        public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
            return outgoing.applyFilterToCamelHeaders(name, value, exchange);
        }

        @Override
        public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
            return !RESPONSE_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))
                    || outgoing.applyFilterToExternalHeaders(name, value, exchange);
        }
    }

    static NoAnswer noAnswer(Exception failure, Integer status) {
        if (failure instanceof JsonProcessingException e) {
            if (status != null) {
                return new NoAnswer(NoAnswer.Kind.UNREADABLE, e);
            }
            throw new IllegalArgumentException("request body cannot be written as JSON", e);
        }
        // Nothing reached the server: the request may simply be sent again, even a create.
        // So is a request Camel could not take (its transport route not started yet, or stopped at shutdown):
        // it never left the bundle, and the client's retry sends it again once the route runs.
        if (failure instanceof HttpHostConnectException || failure instanceof ConnectException
                || failure instanceof UnknownHostException || failure instanceof NoRouteToHostException
                || failure instanceof DirectConsumerNotAvailableException || failure instanceof RejectedExecutionException) {
            return new NoAnswer(NoAnswer.Kind.UNREACHABLE, failure);
        }
        // A connect time-out counts as a time-out, as it always has (the JDK client's HttpConnectTimeoutException).
        if (failure instanceof SocketTimeoutException || failure instanceof ConnectTimeoutException) {
            return new NoAnswer(NoAnswer.Kind.TIMEOUT, failure);
        }
        if (failure instanceof IOException) {
            return new NoAnswer(NoAnswer.Kind.IO, failure);
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        throw new IllegalStateException("ConnectWise call failed", failure);
    }

    /** What ConnectWise answered: {@code json} on a success with a body, {@code text} on an error. */
    record Answer(int status, JsonNode json, String text, String link, String retryAfter) {}

    /** No (readable) answer came. */
    static final class NoAnswer extends Exception {

        enum Kind { UNREACHABLE, TIMEOUT, IO, UNREADABLE }

        private final Kind kind;

        NoAnswer(Kind kind, Throwable cause) {
            super(kind + ": " + cause.getClass().getSimpleName(), cause, false, false);
            this.kind = kind;
        }

        Kind kind() {
            return kind;
        }
    }
}
