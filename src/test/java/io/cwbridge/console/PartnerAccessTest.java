package io.cwbridge.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.cwbridge.testsupport.ConsoleLogin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Seed 002, issue 16: a partner user sees and changes only its partner, on every endpoint. The handler
 * mappings are enumerated, so an endpoint added later is in here without anyone listing it: each one whose
 * path names a partner is called as the demo partner's user ({@code demo}, application.yaml) for another
 * partner (403) and for its own (neither 403 nor 5xx); the same for the endpoints that reach a partner
 * through a task, a parked event or an event's body; every other API endpoint is the operator's.
 */
class PartnerAccessTest extends ConsoleTestBase {

    /** Variables that name a partner, found more widely than the check itself does: a miss there fails here. */
    private static final Pattern VARIABLE = Pattern.compile("\\{\\*?([^}:/]+)(?::[^}]*)?}");

    @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;

    final HttpClient http = HttpClient.newHttpClient(); // follows no redirect

    /** An endpoint as the handler mappings know it: one method and one pattern. */
    record Endpoint(String method, String pattern, String contentType) {
        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }

    /** The demo user's partner exists (without a connection: nothing syncs for it in this shared context). */
    @BeforeEach
    void demoPartner() {
        jdbc.update("INSERT INTO partner (partner_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING",
                ConsoleLogin.DEMO_PARTNER, ConsoleLogin.DEMO_PARTNER);
    }

    List<Endpoint> endpoints() {
        List<Endpoint> all = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mappings.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = entry.getKey();
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            String contentType = info.getConsumesCondition().getConsumableMediaTypes().stream()
                    .filter(t -> !t.isWildcardType() && !t.isWildcardSubtype()).map(MediaType::toString).findFirst()
                    .orElse(MediaType.APPLICATION_JSON_VALUE);
            for (String pattern : info.getPatternValues()) {
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                    all.add(new Endpoint(method.name(), pattern, contentType));
                }
            }
        }
        assertThat(all).as("the handler mappings were found").hasSizeGreaterThan(50);
        return all;
    }

    static List<String> partnerVariables(String pattern) {
        List<String> names = new ArrayList<>();
        Matcher m = VARIABLE.matcher(pattern);
        while (m.find()) {
            String name = m.group(1);
            if (name.toLowerCase(Locale.ROOT).contains("partner") || name.equals("p")
                    || pattern.substring(0, m.start()).endsWith("/partners/")) names.add(name);
        }
        return names;
    }

    /** The pattern with the partner variables set to {@code partnerId}, every other variable to {@code other}. */
    static String path(String pattern, String partnerId, String other) {
        List<String> partnerVariables = partnerVariables(pattern);
        Matcher m = VARIABLE.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(partnerVariables.contains(m.group(1)) ? partnerId : other));
        m.appendTail(out);
        return out.toString().replace("/**", "/x");
    }

    HttpResponse<String> call(Endpoint endpoint, String path, String authorization) throws Exception {
        boolean body = Set.of("POST", "PUT", "PATCH").contains(endpoint.method());
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .method(endpoint.method(), body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
        if (body) request.header("Content-Type", endpoint.contentType());
        if (authorization != null) request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String demo() {
        return ConsoleLogin.basic(ConsoleLogin.DEMO, ConsoleLogin.DEMO_PASSWORD);
    }

    @Test
    void everyEndpointThatNamesAPartnerRefusesAnotherPartnersUserAndServesItsOwn() throws Exception {
        List<Endpoint> partnerEndpoints = endpoints().stream().filter(e -> !partnerVariables(e.pattern()).isEmpty()).toList();
        assertThat(partnerEndpoints).as("API and console endpoints with a partner")
                .anyMatch(e -> e.pattern().startsWith("/api/v1/partners/")).anyMatch(e -> e.pattern().startsWith("/partners/"));
        List<String> escaped = new ArrayList<>();
        for (Endpoint endpoint : partnerEndpoints) {
            HttpResponse<String> foreign = call(endpoint, path(endpoint.pattern(), partner, "1"), demo());
            if (foreign.statusCode() != 403) {
                escaped.add(endpoint + " for another partner: " + foreign.statusCode() + " " + foreign.body());
            } else if (endpoint.pattern().startsWith("/api/")) {
                assertThat(foreign.headers().firstValue("Content-Type").orElse("")).as(endpoint.toString())
                        .startsWith("application/problem+json");
            } else {
                assertThat(foreign.headers().firstValue("Content-Type").orElse("")).as(endpoint.toString()).startsWith("text/html");
                assertThat(foreign.body()).as(endpoint.toString()).contains("Not allowed");
            }
            HttpResponse<String> own = call(endpoint, path(endpoint.pattern(), ConsoleLogin.DEMO_PARTNER, "1"), demo());
            if (own.statusCode() == 403 || own.statusCode() >= 500) {
                escaped.add(endpoint + " for its own partner: " + own.statusCode() + " " + own.body());
            }
        }
        assertThat(escaped).as("endpoints that do not keep a partner user to its partner").isEmpty();
        // the same address as the operator: not refused
        assertThat(call(new Endpoint("GET", "", ""), "/api/v1/partners/" + partner + "/sync-rules", ConsoleLogin.operator())
                .statusCode()).isEqualTo(200);
    }

    @Test
    void aTaskOrParkedEventOfAnotherPartnerIsRefusedAndEveryOtherApiEndpointIsTheOperators() throws Exception {
        long taskId = submitSale("sub-access", "Chairs Unlimited");
        String raw = "{\"eventId\":\"bad-access-" + UUID.randomUUID() + "\",\"partnerId\":\"" + partner + "\",\"type\":\"SALES_ORDER\"}";
        ResponseEntity<String> parked = api.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(raw)
                .retrieve().toEntity(String.class);
        assertThat(parked.getStatusCode().value()).as(parked.getBody()).isEqualTo(400);
        long parkedId = json(parked).path("parkedId").asLong();

        awaitTask(taskId, "NEEDS_MAPPING", "AWAITING_APPROVAL", "SYNCED", "FAILED");
        String history = json(api.get().uri("/api/v1/tasks/{id}", taskId).retrieve().toEntity(String.class)).path("history").toString();
        List<String> escaped = new ArrayList<>();
        int byId = 0;
        for (Endpoint endpoint : endpoints()) {
            String pattern = endpoint.pattern();
            if (!pattern.startsWith("/api/") || !partnerVariables(pattern).isEmpty()) continue;
            String path;
            if (pattern.startsWith("/api/v1/tasks/{taskId}")) {
                path = pattern.replace("{taskId}", String.valueOf(taskId));
            } else if (pattern.startsWith("/api/v1/parked-events/{parkedId}")) {
                path = pattern.replace("{parkedId}", String.valueOf(parkedId));
            } else if (pattern.equals("/api/v1/partners") || pattern.equals("/api/v1/events") || pattern.equals("/api/v1/plan")) {
                continue; // scoped by what they answer or by their body: below
            } else {
                path = path(pattern, partner, "1"); // the operator's: the parked-event list without partnerId, digests, ...
            }
            if (path.startsWith("/api/v1/tasks/") || path.startsWith("/api/v1/parked-events/")) byId++;
            HttpResponse<String> response = call(endpoint, path, demo());
            if (response.statusCode() != 403) escaped.add(endpoint + ": " + response.statusCode() + " " + response.body());
        }
        assertThat(escaped).as("API endpoints a partner user reaches another partner's data through").isEmpty();
        assertThat(byId).as("task and parked-event endpoints were among them").isGreaterThanOrEqualTo(6);

        // the operator reaches them, and the partner user its own parked events
        assertThat(call(new Endpoint("GET", "", ""), "/api/v1/tasks/" + taskId, ConsoleLogin.operator()).statusCode()).isEqualTo(200);
        assertThat(call(new Endpoint("GET", "", ""), "/api/v1/parked-events/" + parkedId, ConsoleLogin.operator()).statusCode())
                .isEqualTo(200);
        assertThat(call(new Endpoint("GET", "", ""), "/api/v1/parked-events?partnerId=demo", demo()).statusCode()).isEqualTo(200);
        assertThat(call(new Endpoint("GET", "", ""), "/api/v1/parked-events?partnerId=" + partner, demo()).statusCode()).isEqualTo(403);
        // the task is as it was: nothing of the refused calls (approve, retry, dismiss, override) happened
        assertThat(json(api.get().uri("/api/v1/tasks/{id}", taskId).retrieve().toEntity(String.class)).path("history").toString())
                .isEqualTo(history);
        assertThat(jdbc.queryForObject("SELECT status FROM parked_event WHERE parked_id = ?", String.class, parkedId)).isEqualTo("PARKED");
    }

    @Test
    void eventsAndPlansOfAnotherPartnerAreRefusedWholeAndThePartnerListShowsOnlyTheOwnPartner() throws Exception {
        Endpoint events = new Endpoint("POST", "/api/v1/events", MediaType.APPLICATION_JSON_VALUE);
        String foreignId = "access-" + UUID.randomUUID();
        String foreign = "{\"eventId\":\"" + foreignId + "\",\"partnerId\":\"" + partner + "\",\"type\":\"SALES_ORDER\"}";
        String own = "{\"eventId\":\"own-" + UUID.randomUUID() + "\",\"partnerId\":\"demo\",\"type\":\"SALES_ORDER\"}";
        for (String body : List.of(foreign, "[" + own + "," + foreign + "]")) {
            for (String path : List.of("/api/v1/events", "/api/v1/plan")) {
                HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base() + path))
                        .header("Authorization", demo()).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).as(path + " " + body).isEqualTo(403);
                assertThat(refused.body()).contains("may not see partner " + partner);
            }
        }
        // nothing of the refused bodies was stored, not even as a parked event
        assertThat(jdbc.queryForObject("SELECT count(*) FROM parked_event WHERE raw_payload LIKE ?", Integer.class, "%" + foreignId + "%"))
                .isZero();
        // its own partner's event is taken (parked here: it is invalid), and the anonymous local operator's as before
        HttpResponse<String> taken = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/events"))
                .header("Authorization", demo()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(own)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(400);
        assertThat(taken.body()).contains("parkedId");
        assertThat(call(events, "/api/v1/events", null).statusCode()).as("anonymous: the local operator").isEqualTo(400);

        HttpResponse<String> listed = call(new Endpoint("GET", "", ""), "/api/v1/partners", demo());
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(listed.body()).findValuesAsText("partnerId")).containsExactly("demo");
        assertThat(mapper.readTree(call(new Endpoint("GET", "", ""), "/api/v1/partners", null).body()).findValuesAsText("partnerId"))
                .contains("demo", partner);

        // the console's partner picker: the own partner only
        HttpResponse<String> overview = call(new Endpoint("GET", "", ""), "/partners/demo", demo());
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("value=\"demo\"").doesNotContain("value=\"" + partner + "\"");
        // Hawtio and Jolokia are the operator's
        assertThat(call(new Endpoint("GET", "", ""), "/actuator/jolokia/version", demo()).statusCode()).isEqualTo(403);
        assertThat(call(new Endpoint("GET", "", ""), "/actuator/jolokia/version", ConsoleLogin.operator()).statusCode()).isEqualTo(200);
    }
}
