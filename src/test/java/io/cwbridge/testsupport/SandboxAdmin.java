package io.cwbridge.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.connectwise.ConnectWiseConnection;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * Drives the local ConnectWise sandbox's admin endpoints over real HTTP, as a test operator would: the
 * one HTTP helper of the sandbox ({@link Tenant} and the fault tests use it too).
 */
public final class SandboxAdmin {

    private final RestClient http;
    private final String site;
    private final Environment env;
    private final ObjectMapper mapper = new ObjectMapper();

    /** Without an {@link Environment} (a bundle in a child JVM): all but {@link #connection()}. */
    public SandboxAdmin(int port) {
        this(port, null);
    }

    public SandboxAdmin(int port, Environment env) {
        this.site = "http://localhost:" + port + "/cw-sandbox";
        this.http = RestClient.create(site + "/admin");
        this.env = env;
    }

    /** A connection with the sandbox's own credentials. */
    public ConnectWiseConnection connection() {
        return connection(env.getRequiredProperty("cw-sandbox.private-key"));
    }

    public ConnectWiseConnection connection(String privateKey) {
        if (env == null) throw new IllegalStateException("a SandboxAdmin without the test context's Environment has no connection");
        return new ConnectWiseConnection(site, "v4_6_release", env.getRequiredProperty("cw-sandbox.company-id"),
                env.getRequiredProperty("cw-sandbox.public-key"), privateKey, env.getRequiredProperty("cw-sandbox.client-id"));
    }

    public String site() {
        return site;
    }

    /**
     * The sandbox member's security role without these levels, e.g. {@code "Agreements", "Delete"}; none: all again.
     * Answers the sandbox's HTTP status.
     */
    public int securityRole(String... functionLevelPairs) {
        java.util.List<Map<String, String>> denied = new java.util.ArrayList<>();
        for (int i = 0; i < functionLevelPairs.length; i += 2) {
            denied.add(Map.of("function", functionLevelPairs[i], "level", functionLevelPairs[i + 1]));
        }
        return http.put().uri("/security-role").contentType(MediaType.APPLICATION_JSON).body(Map.of("denied", denied))
                .retrieve().toEntity(String.class).getStatusCode().value();
    }

    public void reset() {
        http.post().uri("/reset").retrieve().toBodilessEntity();
    }

    public void fault(Map<String, Object> fault) {
        http.post().uri("/faults").contentType(MediaType.APPLICATION_JSON).body(fault).retrieve().toBodilessEntity();
    }

    public void clearFaults() {
        http.delete().uri("/faults").retrieve().toBodilessEntity();
    }

    /** Seeds companies, agreements and catalog items in one call; answers them with their ids. */
    public JsonNode seed(String json) {
        return read(http.post().uri("/seed").contentType(MediaType.APPLICATION_JSON).body(json).retrieve().body(String.class));
    }

    /** The sandbox's records, id sequences, calls and faults. */
    public JsonNode state() {
        return read(http.get().uri("/state").retrieve().body(String.class));
    }

    /** POST, PATCH, PUT and DELETE calls received since the last reset of the counts. */
    public long writeCalls() {
        return callsByEndpoint().entrySet().stream().filter(e -> !e.getKey().startsWith("GET ")).mapToLong(Map.Entry::getValue).sum();
    }

    private JsonNode read(String body) {
        try {
            return mapper.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The faults not yet used up. */
    public JsonNode pendingFaults() {
        try {
            return mapper.readTree(http.get().uri("/faults").retrieve().body(String.class));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void invoice(long agreementId, String through) {
        http.post().uri("/agreements/{id}/invoice", agreementId).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("through", through)).retrieve().toBodilessEntity();
    }

    /** Invoices the agreement through a day and answers the invoice written (its {@code total}, {@code agreementAmount}). */
    public JsonNode invoiced(long agreementId, String through) {
        try {
            return mapper.readTree(http.post().uri("/agreements/{id}/invoice", agreementId).contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("through", through)).retrieve().body(String.class)).path("invoice");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public void resetCalls() {
        http.delete().uri("/calls").retrieve().toBodilessEntity();
    }

    /** Calls received by the sandbox for one endpoint, e.g. {@code "POST /finance/agreements/{parentId}/additions"}. */
    public long calls(String endpoint) {
        return callCounts().path("byEndpoint").path(endpoint).asLong(0);
    }

    public long totalCalls() {
        return callCounts().path("total").asLong();
    }

    /** Calls received per "METHOD /path/template" since the last reset. */
    public java.util.Map<String, Long> callsByEndpoint() {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        callCounts().path("byEndpoint").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        return counts;
    }

    private JsonNode callCounts() {
        try {
            return mapper.readTree(http.get().uri("/calls").retrieve().body(String.class));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
