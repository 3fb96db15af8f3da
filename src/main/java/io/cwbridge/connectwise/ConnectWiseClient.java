package io.cwbridge.connectwise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the ConnectWise Manage REST API for one partner connection: authentication headers,
 * version pinning, paging, JSON Patch, the per-tenant rate limit ({@link RequestRateLimiter}) and
 * retries (decided by {@link ConnectWiseRetry}).
 *
 * <p>ConnectWise has no idempotency keys, so repeats are made safe here: GET, PUT, PATCH (replace)
 * and DELETE are repeatable; a create is only repeated after an ambiguous failure (5xx, time-out)
 * once a look-up has shown that the first attempt left nothing behind.
 *
 * <p>A 429 pauses the whole tenant ({@link RequestRateLimiter#throttled}) for its Retry-After (else
 * the back-off): the call's next attempt and every other call to that tenant wait for it.
 */
public class ConnectWiseClient {

    private static final Logger log = LoggerFactory.getLogger(ConnectWiseClient.class);
    private static final Pattern NEXT_LINK = Pattern.compile("<[^>]*>\\s*;\\s*rel=\"?next\"?");

    private final ConnectWiseSettings settings;
    private final ObjectMapper mapper;
    private final RequestRateLimiter rateLimiter;
    private final HttpClient http;
    private final ConnectWiseRetry retry;

    public ConnectWiseClient(ConnectWiseSettings settings, ObjectMapper mapper, RequestRateLimiter rateLimiter) {
        this.settings = settings;
        this.mapper = mapper;
        this.rateLimiter = rateLimiter;
        this.retry = new ConnectWiseRetry(settings);
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public JsonNode get(ConnectWiseConnection c, String path, Map<String, String> query) {
        return call(c, "GET", path, query, null, Repeat.SAFE);
    }

    /** Reads every page of a list resource, following ConnectWise's page/pageSize paging. */
    public List<JsonNode> getAll(ConnectWiseConnection c, String path, String conditions) {
        return getAll(c, path, conditions, settings.pageSize());
    }

    /**
     * The same with its own page size (1..1000, ConnectWise's maximum): a bulk read (the global
     * sync's read of an agreement's additions) takes fewer calls with large pages.
     */
    public List<JsonNode> getAll(ConnectWiseConnection c, String path, String conditions, int pageSize) {
        if (pageSize < 1 || pageSize > 1000) throw new IllegalArgumentException("pageSize must be 1..1000");
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            Map<String, String> query = new LinkedHashMap<>();
            if (conditions != null && !conditions.isBlank()) query.put("conditions", conditions);
            query.put("page", Integer.toString(page));
            query.put("pageSize", Integer.toString(pageSize));
            Page result = send(c, "GET", path, query, null, Repeat.SAFE);
            JsonNode items = result.body();
            if (!items.isArray()) {
                throw new ConnectWiseException(200, "UnexpectedResponse", "expected a list from " + path, List.of(), false);
            }
            items.forEach(all::add);
            boolean more = result.linkHeader() != null
                    ? NEXT_LINK.matcher(result.linkHeader()).find()
                    : items.size() == pageSize;
            if (!more || items.isEmpty()) {
                return all;
            }
        }
    }

    public long count(ConnectWiseConnection c, String path, String conditions) {
        Map<String, String> query = conditions == null || conditions.isBlank() ? Map.of() : Map.of("conditions", conditions);
        return get(c, path + "/count", query).path("count").asLong();
    }

    /**
     * Creates a record. {@code existing} finds the record this create would make (ConnectWise
     * conditions); after an ambiguous failure it is asked before trying again, so a create that
     * did land is never repeated. Without it, an ambiguous failure is not retried.
     */
    public JsonNode create(ConnectWiseConnection c, String path, Object body, String existing) {
        Supplier<Optional<JsonNode>> probe = existing == null ? null : () -> getAll(c, path, existing).stream().findFirst();
        return call(c, "POST", path, Map.of(), toJson(body), new Repeat(false, probe));
    }

    public JsonNode patch(ConnectWiseConnection c, String path, List<JsonPatchOperation> operations) {
        return call(c, "PATCH", path, Map.of(), toJson(operations), Repeat.SAFE);
    }

    public JsonNode put(ConnectWiseConnection c, String path, Object body) {
        return call(c, "PUT", path, Map.of(), toJson(body), Repeat.SAFE);
    }

    /** Deletes a record; a 404 on a repeat after an ambiguous failure means the first one landed. */
    public void delete(ConnectWiseConnection c, String path) {
        try {
            call(c, "DELETE", path, Map.of(), null, Repeat.SAFE);
        } catch (ConnectWiseException e) {
            if (!(e.status() == 404 && e.getCause() instanceof AmbiguousOutcome)) {
                throw e;
            }
        }
    }

    /**
     * One {@code GET system/info} with its own short time-out and no retry, for health checks:
     * the HTTP status, or 0 when ConnectWise could not be reached or did not answer in time.
     */
    public int probe(ConnectWiseConnection c, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(request(c, "GET", resolve(c, "system/info", Map.of()), null), (n, v) -> true)
                .timeout(timeout).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private JsonNode call(ConnectWiseConnection c, String method, String path, Map<String, String> query, String body, Repeat repeat) {
        return send(c, method, path, query, body, repeat).body();
    }

    private Page send(ConnectWiseConnection c, String method, String path, Map<String, String> query, String body, Repeat repeat) {
        URI uri = resolve(c, path, query);
        AmbiguousOutcome ambiguous = null;
        String tenant = c.rateLimitKey();
        for (int attempt = 1; ; attempt++) {
            Optional<Duration> retryAfter = Optional.empty();
            ConnectWiseException failure;
            boolean throttled = false;
            try {
                if (ambiguous != null && repeat.probe() != null) {
                    Optional<JsonNode> landed = repeat.probe().get();
                    if (landed.isPresent()) {
                        log.info("{} {} had landed before its failure; not repeating it", method, path);
                        return new Page(landed.get(), null);
                    }
                }
                rateLimiter.acquire(tenant);
                HttpResponse<String> response = http.send(request(c, method, uri, body), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                log.debug("ConnectWise {} {} -> {} (attempt {})", method, uri.getPath(), status, attempt);
                throttled = status == 429;
                if (!throttled) rateLimiter.answered(tenant);
                if (status < 300) {
                    return new Page(parse(response.body()), response.headers().firstValue("Link").orElse(null));
                }
                failure = errorOf(status, response.body());
                if (failure.status() == 404 && ambiguous != null) {
                    failure.initCause(ambiguous);
                }
                retryAfter = ConnectWiseRetry.retryAfter(response.headers().firstValue("Retry-After").orElse(null));
                if (status >= 500) {
                    ambiguous = new AmbiguousOutcome();
                }
            } catch (HttpTimeoutException e) {
                failure = new ConnectWiseException(0, "Timeout", "ConnectWise did not answer in time", List.of(), true);
                ambiguous = new AmbiguousOutcome();
            } catch (ConnectException e) {
                // Nothing reached the server, so even a create may simply be sent again.
                failure = new ConnectWiseException(0, "Unreachable", "ConnectWise could not be reached", List.of(), true);
            } catch (IOException e) {
                failure = new ConnectWiseException(0, "IOError", "connection to ConnectWise failed", List.of(), true);
                ambiguous = new AmbiguousOutcome();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectWiseException(0, "Interrupted", "interrupted while calling ConnectWise", List.of(), true);
            }
            boolean unsafeToRepeat = ambiguous != null && !repeat.idempotent() && repeat.probe() == null;
            Duration wait;
            if (throttled) {
                // Throttling is the tenant's, not this call's: every call of the tenant waits it out.
                wait = retry.throttlePause(attempt, rateLimiter.throttles(tenant), retryAfter);
                rateLimiter.throttled(tenant, wait);
            } else {
                wait = retry.afterFailure(attempt, retryAfter);
            }
            if (!retry.mayRepeat(attempt, failure, unsafeToRepeat)) {
                throw failure;
            }
            log.info("ConnectWise {} {} failed ({}); attempt {} of {} in {} ms",
                    method, uri.getPath(), failure.describe(), attempt + 1, retry.maxAttempts(), wait.toMillis());
            if (!throttled) {
                sleep(wait);
            } // else the next attempt's acquire waits out the tenant's pause
        }
    }

    private HttpRequest request(ConnectWiseConnection c, String method, URI uri, String body) {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(settings.requestTimeout())
                .header("Authorization", c.authorizationHeader())
                .header("clientId", c.clientId())
                .header("Accept", "application/vnd.connectwise.com+json; version=" + settings.apiVersion())
                .method(method, publisher);
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return builder.build();
    }

    static URI resolve(ConnectWiseConnection c, String path, Map<String, String> query) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        String queryString = query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
        return c.baseUri().resolve(queryString.isEmpty() ? relative : relative + "?" + queryString);
    }

    private ConnectWiseException errorOf(int status, String body) {
        String code = null;
        String message = "ConnectWise answered " + status;
        List<ConnectWiseException.FieldError> errors = new ArrayList<>();
        JsonNode json = parseQuietly(body);
        if (json.isObject()) {
            // The 429 body uses "error" where every other error uses "code".
            code = json.hasNonNull("code") ? json.get("code").asText() : json.path("error").asText(null);
            if (json.hasNonNull("message")) message = json.get("message").asText();
            for (JsonNode e : json.path("errors")) {
                errors.add(new ConnectWiseException.FieldError(e.path("code").asText(null), e.path("message").asText(null),
                        e.path("resource").asText(null), e.path("field").asText(null)));
            }
        }
        return new ConnectWiseException(status, code, message, errors, ConnectWiseRetry.isTransient(status));
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ConnectWiseException(200, "UnexpectedResponse", "ConnectWise answered with invalid JSON", List.of(), false);
        }
    }

    private JsonNode parseQuietly(String body) {
        try {
            return body == null || body.isBlank() ? MissingNode.getInstance() : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    private String toJson(Object body) {
        try {
            return body instanceof String s ? s : mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body cannot be written as JSON", e);
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectWiseException(0, "Interrupted", "interrupted while waiting to retry", List.of(), true);
        }
    }

    /** How a call may be repeated: idempotent calls freely; a create only behind its probe. */
    private record Repeat(boolean idempotent, Supplier<Optional<JsonNode>> probe) {
        static final Repeat SAFE = new Repeat(true, null);
    }

    private record Page(JsonNode body, String linkHeader) {}

    /** Marks that an earlier attempt may have been carried out by the server. */
    private static final class AmbiguousOutcome extends RuntimeException {
        AmbiguousOutcome() {
            super("an earlier attempt may have been applied", null, false, false);
        }
    }
}
