package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

/**
 * Route "connectwise-http": every ConnectWise call leaves through one camel-http endpoint per base
 * address (route statistics and endpoint in JMX, i.e. Hawtio), the keys are on the wire only, and
 * failures without an answer are sorted as the retries need them (refused: repeatable; time-out: ambiguous).
 */
@ExtendWith(OutputCaptureExtension.class)
class ConnectWiseHttpRouteTest extends BundleTestBase {

    private static final String ROUTE_ID = "connectwise-http";

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired CamelContext camel;
    @Autowired ConnectWiseClient client;
    @Autowired ConnectWiseSettings settings;
    @Autowired ObjectMapper mapper;
    @Autowired RequestRateLimiter limiter;
    @Autowired ProducerTemplate producer;
    @Autowired ConnectWiseHttpAuth auth;

    SandboxAdmin sandbox;
    ConnectWiseConnection cw;

    @BeforeEach
    void setUp() {
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
    }

    @Test
    void everyCallLeavesThroughTheRouteAndOneCamelHttpEndpointPerBaseAddress() throws Exception {
        long before = exchangesCompleted();
        sandbox.resetCalls();

        client.get(cw, "system/info", Map.of());
        long id = client.create(cw, "company/companies", Map.of("identifier", "Http1", "name", "Http One"), null).path("id").asLong();
        assertThat(client.getAll(cw, "company/companies", "identifier=\"Http1\"")).hasSize(1);
        assertThat(client.patch(cw, "company/companies/" + id, List.of(JsonPatchOperation.replace("name", "Http Uno")))
                .path("name").asText()).isEqualTo("Http Uno");
        client.delete(cw, "company/companies/" + id);

        assertThat(exchangesCompleted() - before).as("route %s statistics (JMX, Hawtio)", ROUTE_ID).isEqualTo(5);
        assertThat(sandbox.totalCalls()).isEqualTo(5);
        String base = "http://localhost:" + port + "/cw-sandbox/v4_6_release/apis/3.0?";
        List<String> endpoints = camel.getEndpoints().stream().map(Endpoint::getEndpointUri)
                .filter(uri -> uri.startsWith("http")).toList();
        assertThat(endpoints).as("one endpoint per base address and time-outs, none per resource or query")
                .isNotEmpty().allMatch(uri -> uri.startsWith(base));
        HttpEndpoint calls = (HttpEndpoint) camel.getEndpoints().stream()
                .filter(e -> e.getEndpointUri().equals(endpointUri(settings.connectTimeout(), settings.requestTimeout())))
                .findFirst().orElseThrow();
        assertThat(calls.isThrowExceptionOnFailure()).isFalse();
        assertThat(((PoolingHttpClientConnectionManager) calls.getClientConnectionManager()).getDefaultMaxPerRoute())
                .as("camel.component.http.connections-per-route").isEqualTo(50);
        assertThat(camel.getComponent("https", HttpComponent.class).getConnectionsPerRoute())
                .as("the https component's (ConnectWise cloud sites)").isEqualTo(50);
        assertThat(auth.inFlight()).as("no connection held after the calls").isZero();
    }

    @Test
    void theKeysAreOnTheWireOnlyNotOnTheExchangeInJmxOrInTheLog(CapturedOutput output) throws Exception {
        List<String> exchanges = new CopyOnWriteArrayList<>();
        List<String> requests = new CopyOnWriteArrayList<>();
        List<Map<String, Object>> answers = new CopyOnWriteArrayList<>();
        EventNotifierSupport seen = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                // what the route hands to camel-http, and what its exchange holds once done
                if (event instanceof CamelEvent.ExchangeSendingEvent sending && sending.getEndpoint() instanceof HttpEndpoint) {
                    Exchange e = sending.getExchange();
                    requests.add(e.getMessage().getHeaders() + " " + e.getVariables() + " " + e.getAllProperties());
                }
                if (event instanceof CamelEvent.ExchangeCompletedEvent done && ROUTE_ID.equals(done.getExchange().getFromRouteId())) {
                    Exchange e = done.getExchange();
                    exchanges.add(e.getMessage().getHeaders() + " " + e.getVariables() + " " + e.getAllProperties());
                    answers.add(Map.copyOf(e.getMessage().getHeaders()));
                }
            }
        };
        seen.start();
        camel.getManagementStrategy().addEventNotifier(seen);
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        // HttpClient's own loggers too: its wire and header loggers print the request as sent, Authorization included
        List<String> loggers = List.of("io.cwbridge", "org.apache.camel", "org.apache.hc");
        loggers.forEach(name -> logging.setLogLevel(name, LogLevel.DEBUG));
        try {
            assertThat(client.get(cw, "system/info", Map.of()).path("version").asText()).as("authenticated").isNotBlank();
            assertThatThrownBy(() -> client.get(sandbox.connection("wrong-private-key"), "system/info", Map.of()))
                    .isInstanceOfSatisfying(ConnectWiseException.class, e -> assertThat(e.status()).isEqualTo(401));
        } finally {
            loggers.forEach(name -> logging.setLogLevel(name, null));
            camel.getManagementStrategy().removeEventNotifier(seen);
        }

        List<String> secrets = List.of(env.getRequiredProperty("cw-sandbox.private-key"), "wrong-private-key",
                env.getRequiredProperty("cw-sandbox.public-key"), cw.authorizationHeader().substring("Basic ".length()),
                sandbox.connection("wrong-private-key").authorizationHeader().substring("Basic ".length()));
        assertThat(requests).as("the requests the route sent").hasSize(2);
        assertThat(requests).allSatisfy(request -> {
            assertThat(request).contains(ConnectWiseHttpAuth.CONNECTION_HEADER).doesNotContainIgnoringCase("authorization");
            secrets.forEach(secret -> assertThat(request).doesNotContain(secret));
        });
        assertThat(exchanges).as("the route's exchanges").hasSize(2);
        assertThat(exchanges).allSatisfy(exchange -> {
            assertThat(exchange).doesNotContainIgnoringCase("authorization");
            secrets.forEach(secret -> assertThat(exchange).doesNotContain(secret));
        });
        // issue 14: the answer holds the status and what the client reads of ConnectWise's headers, not the request's
        // headers copied back nor every response header (ConnectWiseHttp.answerOnly)
        assertThat(answers).allSatisfy(headers -> assertThat(headers.keySet()).as("the answer's headers")
                .contains(Exchange.HTTP_RESPONSE_CODE)
                .allMatch(name -> name.startsWith("CamelHttpResponse") || ConnectWiseHttp.RESPONSE_HEADERS.contains(name.toLowerCase())));
        String jmx = camelJmxText();
        assertThat(jmx).as("Camel's JMX endpoint URIs").contains("type=endpoints,name=\"http://localhost:" + port
                + "/cw-sandbox/v4_6_release/apis/3.0");
        secrets.forEach(secret -> assertThat(jmx).doesNotContain(secret));
        assertThat(output.getAll()).as("log at DEBUG").contains("ConnectWise GET system/info -> 401");
        // security/CredentialLogFilter drops HttpClient's credential lines only: the request's other headers and the
        // answer stay in its log, and no Authorization or clientId line is left (the 401's key pair was wrong)
        assertThat(output.getAll()).as("HttpClient's header log").contains(">> GET /cw-sandbox/v4_6_release/apis/3.0/system/info")
                .contains(">> Accept: application/vnd.connectwise.com+json").contains("<< HTTP/1.1 401")
                .doesNotContain(">> Authorization").doesNotContain(">> clientId")
                .doesNotContainPattern("client5\\.http\\.wire\\s+: \\S+ >>");
        secrets.forEach(secret -> assertThat(output.getAll()).doesNotContain(secret));
    }

    @Test
    void theBundleChecksTheHttpComponentsForAnActivityListenerAtStartUp(
            @Autowired java.util.List<org.apache.camel.spring.boot.CamelContextConfiguration> startUp) {
        // the check ConnectWiseActivityListenerGuardTest tests, run by camel-spring-boot before Camel starts
        assertThat(startUp).anyMatch(ConnectWiseActivityListenerGuard.class::isInstance);
        assertThat(camel.getComponent("https", org.apache.camel.component.http.HttpComponent.class).getHttpActivityListener()).isNull();
    }

    @Test
    void aRefusedConnectionIsRepeatedEvenForACreateATimeOutIsNot() {
        ConnectWiseClient quick = new ConnectWiseClient(new ConnectWiseSettings(settings.codebase(), settings.apiVersion(),
                settings.requestsPerMinute(), 3, Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofSeconds(2),
                Duration.ofMillis(800), settings.pageSize(), settings.taskRetryInitial(), settings.taskRetryMax()), mapper, limiter,
                new ConnectWiseHttp(producer, auth));
        // Nothing listens on port 1: nothing can have landed, so the create is tried all 3 times.
        ConnectWiseConnection nowhere = new ConnectWiseConnection("http://127.0.0.1:1", "v4_6_release", cw.companyId(),
                cw.publicKey(), cw.privateKey(), cw.clientId());
        assertThatThrownBy(() -> quick.create(nowhere, "company/companies", Map.of("identifier", "X", "name", "X"), null))
                .isInstanceOfSatisfying(ConnectWiseException.class, e -> {
                    assertThat(e.code()).isEqualTo("Unreachable");
                    assertThat(e.isTransient()).isTrue();
                });

        // The create is stored, then its answer takes longer than the 800 ms time-out: ambiguous, so a create without a
        // look-up is not sent again, and one with a look-up finds what landed instead of creating it twice.
        sandbox.fault(Map.of("status", 0, "delayMillis", 1500, "count", 2, "method", "POST", "pathContains", "companies",
                "afterCommit", true));
        sandbox.resetCalls();
        assertThatThrownBy(() -> quick.create(cw, "company/companies", Map.of("identifier", "Slow1", "name", "Slow"), null))
                .isInstanceOfSatisfying(ConnectWiseException.class, e -> assertThat(e.code()).isEqualTo("Timeout"));
        assertThat(sandbox.calls("POST /company/companies")).isEqualTo(1);
        long landed = quick.create(cw, "company/companies", Map.of("identifier", "Slow2", "name", "Slow"), "identifier=\"Slow2\"")
                .path("id").asLong();
        assertThat(sandbox.calls("POST /company/companies")).isEqualTo(2);
        assertThat(client.getAll(cw, "company/companies", "identifier like \"Slow*\"")).extracting(c -> c.path("id").asLong())
                .hasSize(2).contains(landed);
    }

    private String endpointUri(Duration connectTimeout, Duration responseTimeout) {
        return camel.getEndpoint(ConnectWiseHttp.endpoint(cw.baseUri(), connectTimeout, responseTimeout)).getEndpointUri();
    }

    private long exchangesCompleted() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName route = jmx.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"" + ROUTE_ID + "\",*"), null)
                .stream().filter(n -> n.getKeyProperty("context").equals(camel.getManagementName())).findFirst().orElseThrow();
        return (Long) jmx.getAttribute(route, "ExchangesCompleted");
    }

    /** The endpoint URIs Camel shows over JMX (Hawtio): its endpoints and routes. */
    private String camelJmxText() throws Exception {
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        List<String> text = new ArrayList<>();
        for (ObjectName name : jmx.queryNames(new ObjectName("org.apache.camel:context=" + camel.getManagementName() + ",*"), null)) {
            String type = name.getKeyProperty("type");
            if ("endpoints".equals(type) || "routes".equals(type)) {
                text.add(name + " " + jmx.getAttribute(name, "EndpointUri"));
            }
        }
        return String.join("\n", text);
    }
}
