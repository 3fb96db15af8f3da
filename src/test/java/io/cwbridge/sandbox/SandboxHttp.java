package io.cwbridge.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Calls the sandbox over real HTTP with java.net.http, as a script against ConnectWise would. */
final class SandboxHttp {

    /** One answer: status, headers and the body as JSON (null when empty). */
    record Answer(int status, Map<String, java.util.List<String>> headers, String text) {
        JsonNode json() {
            return text == null || text.isBlank() ? null : SandboxJson.parse(text);
        }

        Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }
    }

    static final String CODEBASE = "v4_6_release";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String site;
    private final String authorization;
    private final String clientId;

    SandboxHttp(int port, String companyId, String publicKey, String privateKey, String clientId) {
        this.site = "http://localhost:" + port + "/cw-sandbox";
        this.authorization = basic(companyId + "+" + publicKey + ":" + privateKey);
        this.clientId = clientId;
    }

    static String basic(String raw) {
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The same client with other headers (null leaves a header out). */
    SandboxHttp as(String authorization, String clientId) {
        return new SandboxHttp(this, authorization, clientId);
    }

    private SandboxHttp(SandboxHttp base, String authorization, String clientId) {
        this.site = base.site;
        this.authorization = authorization;
        this.clientId = clientId;
    }

    String apiUrl(String path) {
        return site + "/" + CODEBASE + "/apis/3.0/" + path;
    }

    Answer get(String path) {
        return api("GET", path, null);
    }

    Answer get(String path, Map<String, String> query) {
        return api("GET", path + "?" + query(query), null);
    }

    Answer post(String path, Object body) {
        return api("POST", path, body);
    }

    Answer put(String path, Object body) {
        return api("PUT", path, body);
    }

    Answer patch(String path, Object body) {
        return api("PATCH", path, body);
    }

    Answer delete(String path) {
        return api("DELETE", path, null);
    }

    Answer api(String method, String path, Object body) {
        return api(method, path, body, Map.of());
    }

    Answer api(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl(path)))
                .header("Accept", "application/vnd.connectwise.com+json; version=2026.4");
        headers.forEach(request::header);
        if (authorization != null) request.header("Authorization", authorization);
        if (clientId != null) request.header("clientId", clientId);
        return send(request, method, body);
    }

    Answer admin(String method, String path, Object body) {
        return send(HttpRequest.newBuilder(URI.create(site + "/admin/" + path)), method, body);
    }

    static String query(Map<String, String> query) {
        return new LinkedHashMap<>(query).entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
    }

    private Answer send(HttpRequest.Builder request, String method, Object body) {
        String text = body == null ? null : body instanceof String s ? s : SandboxJson.write(body);
        request.method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        if (text != null) request.header("Content-Type", "application/json");
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
