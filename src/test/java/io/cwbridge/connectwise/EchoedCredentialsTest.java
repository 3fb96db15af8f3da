package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import io.cwbridge.testsupport.Tenant;
import io.cwbridge.testsupport.TestEvents;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * SPEC 7 (secrets are never logged or shown back): a server at the connection's {@code apiUrl} (ConnectWise, a proxy,
 * a look-alike host) that echoes the request's credentials in its error text. The partner's ConnectWise is the sandbox
 * behind a small local proxy that passes every call through except the ones a test makes it answer with an error whose
 * message, code and field error quote the Basic credential (decoded and as sent) and the private key. Each use of that
 * text (a mapping endpoint's 502 problem, a task's reason, the client's retry log line) keeps ConnectWise's message with
 * the keys masked.
 */
@ExtendWith(OutputCaptureExtension.class)
class EchoedCredentialsTest extends BundleTestBase {

    private static final String TOKEN = Tenant.AUTH.substring("Basic ".length());

    @LocalServerPort int port;
    @Autowired Environment env;

    final ObjectMapper mapper = new ObjectMapper();
    EchoingProxy proxy;
    Tenant tenant;
    Tenant.Ids chairs;

    @BeforeEach
    void partnerBehindAnEchoingProxy() throws IOException {
        new SandboxAdmin(port, env).reset();
        tenant = Tenant.connected("echo", port);
        chairs = tenant.chairs("", Tenant.Terms.MONTHLY_USD); // set up straight on the sandbox
        proxy = new EchoingProxy("http://localhost:" + port);
        Tenant.ok200(tenant.bundle().put().uri("/api/v1/partners/{p}/connection", tenant.partner())
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("companyId", Tenant.COMPANY_ID, "publicKey", Tenant.PUBLIC_KEY, "privateKey", Tenant.PRIVATE_KEY,
                        "apiUrl", proxy.site(), "clientId", Tenant.CLIENT_ID))
                .retrieve().toEntity(String.class));
    }

    @AfterEach
    void stopProxy() {
        proxy.stop();
    }

    @Test
    void spec7AMappingEndpointsProblemKeepsConnectWisesMessageWithoutTheKeys(CapturedOutput output) throws Exception {
        proxy.echo("GET", "company/companies", 401);
        proxy.echo("GET", "finance/agreements", 401);

        ResponseEntity<String> customer = put("/customers/{id}/mapping", "77001", Map.of("companyId", chairs.company()));
        ResponseEntity<String> subscription = put("/subscriptions/{id}/mapping", "sub-echo", Map.of("agreementId", chairs.agreement()));

        assertThat(proxy.echoed()).isGreaterThanOrEqualTo(2);
        for (ResponseEntity<String> answer : List.of(customer, subscription)) {
            assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(502);
            String detail = mapper.readTree(answer.getBody()).path("detail").asText();
            // ConnectWise's own message stays, for the operator
            assertThat(detail).contains("401 Unauthorized: Invalid credentials for " + ConnectWiseConnection.MASK);
            assertNoSecret(answer.getBody());
        }
        assertNoSecret(output.getAll());
    }

    @Test
    void spec7ATasksReasonAndTheRetryLogLineKeepConnectWisesMessageWithoutTheKeys(CapturedOutput output) throws Exception {
        proxy.echo("GET", "finance/agreements", 500, 1); // retried by the client, which logs the failure
        proxy.echo("POST", "/additions", 400);           // refused: the task fails with ConnectWise's reason

        long taskId = tenant.submit(TestEvents.event(tenant.partner(), "echo-sale", "echo-sub", "SALES_ORDER", "NEW",
                "2024-02-14T09:00:00Z", 5, null));
        JsonNode task = tenant.awaitTask(taskId, "FAILED");

        String reason = task.path("reason").asText();
        assertThat(reason).contains("400 Unauthorized: Invalid credentials for " + ConnectWiseConnection.MASK);
        assertNoSecret(task.toString());
        assertThat(output.getAll()).contains("failed (500 Unauthorized: Invalid credentials for " + ConnectWiseConnection.MASK);
        assertNoSecret(output.getAll());
    }

    private ResponseEntity<String> put(String path, String id, Object body) {
        return tenant.bundle().put().uri("/api/v1/partners/{p}" + path, tenant.partner(), id).contentType(MediaType.APPLICATION_JSON)
                .body(body).retrieve().toEntity(String.class);
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContainIgnoringCase(Tenant.PRIVATE_KEY).doesNotContainIgnoringCase(Tenant.PUBLIC_KEY)
                .doesNotContain(TOKEN.replace("=", ""));
    }

    /**
     * Passes every call on to the sandbox, except those of a queued echo: they answer its status with ConnectWise's
     * error shape, quoting the request's credentials.
     */
    static final class EchoingProxy {

        private record Echo(String method, String pathContains, int status, AtomicInteger remaining) {}

        private final String target;
        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(4);
        private final HttpClient client = HttpClient.newHttpClient();
        private final List<Echo> echoes = new CopyOnWriteArrayList<>();
        private final AtomicInteger echoed = new AtomicInteger();

        EchoingProxy(String target) throws IOException {
            this.target = target;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(threads);
            server.start();
        }

        /** The connection's apiUrl: the sandbox's site behind this proxy. */
        String site() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/cw-sandbox";
        }

        void echo(String method, String pathContains, int status) {
            echo(method, pathContains, status, Integer.MAX_VALUE);
        }

        void echo(String method, String pathContains, int status, int count) {
            echoes.add(new Echo(method, pathContains, status, new AtomicInteger(count)));
        }

        /** Calls answered with an echo so far. */
        int echoed() {
            return echoed.get();
        }

        void stop() {
            server.stop(0);
            threads.shutdownNow();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String method = exchange.getRequestMethod();
                String path = exchange.getRequestURI().getRawPath();
                byte[] body = exchange.getRequestBody().readAllBytes();
                for (Echo echo : echoes) {
                    if (echo.method().equals(method) && path.contains(echo.pathContains()) && echo.remaining().getAndDecrement() > 0) {
                        echoed.incrementAndGet();
                        answer(exchange, echo.status(), "application/json", echoing(exchange.getRequestHeaders().getFirst("Authorization")));
                        return;
                    }
                }
                String query = exchange.getRequestURI().getRawQuery();
                HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
                        .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                for (String header : List.of("Authorization", "clientId", "Accept", "Content-Type")) {
                    String value = exchange.getRequestHeaders().getFirst(header);
                    if (value != null) forward.header(header, value);
                }
                HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                for (String header : List.of("Link", "Retry-After")) {
                    response.headers().firstValue(header).ifPresent(v -> exchange.getResponseHeaders().set(header, v));
                }
                answer(exchange, response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** ConnectWise's error shape, with the credential decoded and as sent, and the private key, in it. */
        private static byte[] echoing(String authorization) {
            String token = authorization == null ? "" : authorization.replaceFirst("^Basic ", "");
            String decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
            String privateKey = decoded.substring(decoded.indexOf(':') + 1);
            String json = "{\"code\":\"Unauthorized\",\"message\":\"Invalid credentials for " + decoded + " (" + authorization + ")\","
                    + "\"errors\":[{\"code\":\"InvalidKey-" + privateKey.toUpperCase() + "\",\"message\":\"key " + privateKey
                    + " is not valid\",\"field\":\"" + token + "\"}]}";
            return json.getBytes(StandardCharsets.UTF_8);
        }

        private static void answer(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
            if (contentType != null) exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) exchange.getResponseBody().write(body);
        }
    }
}
