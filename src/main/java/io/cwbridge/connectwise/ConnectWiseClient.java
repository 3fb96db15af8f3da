package io.cwbridge.connectwise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.net.URLEncoder;
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
 *
 * <p>Every attempt goes over the wire through route {@code connectwise-http} ({@link ConnectWiseHttp}:
 * camel-http, bodies written and read by camel-jackson), one Camel endpoint per base address.
 */
public class ConnectWiseClient {

    private static final Logger log = LoggerFactory.getLogger(ConnectWiseClient.class);
    /** ConnectWise's largest page ({@code pageSize}). */
    public static final int MAX_PAGE_SIZE = 1000;
    private static final Pattern NEXT_LINK = Pattern.compile("<[^>]*>\\s*;\\s*rel=\"?next\"?");

    private final ConnectWiseSettings settings;
    private final ObjectMapper mapper;
    private final RequestRateLimiter rateLimiter;
    private final ConnectWiseHttp http;
    private final ConnectWiseRetry retry;

    ConnectWiseClient(ConnectWiseSettings settings, ObjectMapper mapper, RequestRateLimiter rateLimiter, ConnectWiseHttp http) {
        this.settings = settings;
        this.mapper = mapper;
        this.rateLimiter = rateLimiter;
        this.retry = new ConnectWiseRetry(settings);
        this.http = http;
    }

    public JsonNode get(ConnectWiseConnection c, String path, Map<String, String> query) {
        return call(c, "GET", path, query, null, Repeat.SAFE);
    }

    /** Reads every page of a list resource, following ConnectWise's page/pageSize paging. */
    public List<JsonNode> getAll(ConnectWiseConnection c, String path, String conditions) {
        return getAll(c, path, conditions, settings.pageSize());
    }

    /**
     * The same with its own page size (1..{@value #MAX_PAGE_SIZE}, ConnectWise's maximum): a bulk read (the global
     * sync's read of an agreement's additions) takes fewer calls with large pages.
     */
    public List<JsonNode> getAll(ConnectWiseConnection c, String path, String conditions, int pageSize) {
        return getAll(c, path, conditions, pageSize, List.of());
    }

    /**
     * The same, each record with only {@code fields} (ConnectWise's {@code fields} parameter; none:
     * whole records): a read that needs a few fields of many records answers far less JSON. A
     * field the record has no value for may be left out of the answer, so it reads as absent.
     */
    public List<JsonNode> getAll(ConnectWiseConnection c, String path, String conditions, int pageSize, List<String> fields) {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new IllegalArgumentException("pageSize must be 1.." + MAX_PAGE_SIZE);
        String fieldList = String.join(",", fields);
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            Map<String, String> query = new LinkedHashMap<>();
            if (conditions != null && !conditions.isBlank()) query.put("conditions", conditions);
            if (!fieldList.isEmpty()) query.put("fields", fieldList);
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
     * conditions every answer of which is that record: exact, non-text fields only, see
     * {@link ConnectWiseConditions}); after an ambiguous failure it is asked before trying again, so a
     * create that did land is never repeated. Without it, an ambiguous failure is not retried.
     */
    public JsonNode create(ConnectWiseConnection c, String path, Object body, String existing) {
        return createOnce(c, path, body, existing == null ? null : ConnectWiseLookup.exactly(existing));
    }

    /**
     * The same with a look-up that compares text here ({@link ConnectWiseLookup}): a ConnectWise string condition is
     * a pattern ({@code *} a wildcard, {@code [} written {@code [[]}), so a description or name is matched exactly on
     * the answer, never by the condition alone.
     */
    public JsonNode createOnce(ConnectWiseConnection c, String path, Object body, ConnectWiseLookup existing) {
        Supplier<Optional<JsonNode>> probe = existing == null ? null : () -> find(c, path, existing);
        return call(c, "POST", path, Map.of(), body, new Repeat(false, probe));
    }

    /** The first record of {@code path} that {@code lookup} names: its conditions asked, its comparison applied here. */
    public Optional<JsonNode> find(ConnectWiseConnection c, String path, ConnectWiseLookup lookup) {
        return lookup.first(getAll(c, path, lookup.conditions()));
    }

    public JsonNode patch(ConnectWiseConnection c, String path, List<JsonPatchOperation> operations) {
        return call(c, "PATCH", path, Map.of(), operations, Repeat.SAFE);
    }

    /** The same with the JSON Patch as given: the operations, or already written as JSON (the sink Kamelet's). */
    JsonNode patchWith(ConnectWiseConnection c, String path, Object operations) {
        return call(c, "PATCH", path, Map.of(), operations, Repeat.SAFE);
    }

    public JsonNode put(ConnectWiseConnection c, String path, Object body) {
        return call(c, "PUT", path, Map.of(), body, Repeat.SAFE);
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
        try {
            return http.send(c, "GET", "system/info", "", null, accept(), timeout, timeout).status();
        } catch (ConnectWiseHttp.NoAnswer e) {
            return 0;
        }
    }

    private JsonNode call(ConnectWiseConnection c, String method, String path, Map<String, String> query, Object body, Repeat repeat) {
        return send(c, method, path, query, body, repeat).body();
    }

    /** @param body written as JSON by the route's camel-jackson step (JSON text is sent as it is) */
    private Page send(ConnectWiseConnection c, String method, String path, Map<String, String> query, Object body, Repeat repeat) {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        String rawQuery = rawQuery(query);
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
                ConnectWiseHttp.Answer answer = http.send(c, method, relative, rawQuery, body, accept(),
                        settings.connectTimeout(), settings.requestTimeout());
                int status = answer.status();
                log.debug("ConnectWise {} {} -> {} (attempt {})", method, relative, status, attempt);
                throttled = status == 429;
                if (!throttled) rateLimiter.answered(tenant);
                if (status < 300) {
                    return new Page(answer.json() == null ? MissingNode.getInstance() : answer.json(), answer.link());
                }
                failure = errorOf(c, status, answer.text());
                if (failure.status() == 404 && ambiguous != null) {
                    failure.initCause(ambiguous);
                }
                retryAfter = ConnectWiseRetry.retryAfter(answer.retryAfter());
                if (status >= 500) {
                    ambiguous = new AmbiguousOutcome();
                }
            } catch (ConnectWiseHttp.NoAnswer e) {
                failure = switch (e.kind()) {
                    case TIMEOUT -> new ConnectWiseException(0, "Timeout", "ConnectWise did not answer in time", List.of(), true);
                    // Nothing reached the server, so even a create may simply be sent again.
                    case UNREACHABLE -> new ConnectWiseException(0, "Unreachable", "ConnectWise could not be reached", List.of(), true);
                    case IO -> new ConnectWiseException(0, "IOError", "connection to ConnectWise failed", List.of(), true);
                    case UNREADABLE -> throw new ConnectWiseException(200, "UnexpectedResponse",
                            "ConnectWise answered with invalid JSON", List.of(), false);
                };
                if (e.kind() != ConnectWiseHttp.NoAnswer.Kind.UNREACHABLE) {
                    ambiguous = new AmbiguousOutcome();
                }
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
                    method, relative, failure.describe(), attempt + 1, retry.maxAttempts(), wait.toMillis());
            if (!throttled) {
                sleep(wait);
            } // else the next attempt's acquire waits out the tenant's pause
        }
    }

    private String accept() {
        return "application/vnd.connectwise.com+json; version=" + settings.apiVersion();
    }

    /** The query as ConnectWise reads it: values form-encoded, spaces as %20. */
    static String rawQuery(Map<String, String> query) {
        return query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(Collectors.joining("&"));
    }

    /**
     * ConnectWise's error as an exception: its code, message and field errors, each with the connection's secrets masked
     * ({@link ConnectWiseConnection#withoutSecrets}, SPEC 7). This is the one place a remote text enters the bundle, so
     * every use of it (retry log line, task and reconciliation reasons, problem details, reports) gets it masked; the
     * rest of ConnectWise's message is kept, for the operator.
     */
    private ConnectWiseException errorOf(ConnectWiseConnection c, int status, String body) {
        String code = null;
        String message = "ConnectWise answered " + status;
        List<ConnectWiseException.FieldError> errors = new ArrayList<>();
        JsonNode json = parseQuietly(body);
        if (json.isObject()) {
            // The 429 body uses "error" where every other error uses "code".
            code = c.withoutSecrets(json.hasNonNull("code") ? json.get("code").asText() : json.path("error").asText(null));
            if (json.hasNonNull("message")) message = c.withoutSecrets(json.get("message").asText());
            for (JsonNode e : json.path("errors")) {
                errors.add(new ConnectWiseException.FieldError(c.withoutSecrets(e.path("code").asText(null)),
                        c.withoutSecrets(e.path("message").asText(null)), c.withoutSecrets(e.path("resource").asText(null)),
                        c.withoutSecrets(e.path("field").asText(null))));
            }
        }
        return new ConnectWiseException(status, code, message, errors, ConnectWiseRetry.isTransient(status));
    }

    /** An error's text read quietly: ConnectWise's JSON error, or nothing from anything else (a proxy's page). */
    private JsonNode parseQuietly(String body) {
        try {
            return body == null || body.isBlank() ? MissingNode.getInstance() : mapper.readTree(body);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
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
