package io.cwbridge.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 13, "strict input at every door", over real HTTP on the fault suite's context: every class
 * of input the attacker test found is refused as problem+json with field-level reasons (events and
 * invoice lines parked with a storable copy of their raw text), never a 5xx, and nothing of it
 * reaches ConnectWise.
 */
class StrictInputTest extends FaultsContext {

    @Autowired JdbcTemplate jdbc;
    @Value("${cwbridge.ingest.max-batch-events}") int maxBatchEvents;

    Tenant tenant;
    String valid;
    long writesBefore;

    @BeforeEach
    void setUp() {
        tenant = tenant(2);
        valid = tenant.event(0, 0);
        writesBefore = tenant.writeCalls();
    }

    /**
     * A test that posts a valid event leaves its sync writing to ConnectWise in the background: wait it out, so
     * the next test's count of writes is its own (malformedBodiesAreParkedNeverA500 once counted one more with
     * two test JVMs on 2 cores).
     */
    @AfterEach
    void tenantsSyncsDone() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> jdbc.queryForObject("SELECT count(*) FROM sync_task WHERE partner_id = ? AND status = 'PENDING'",
                        Long.class, tenant.partner) == 0);
    }

    private ResponseEntity<String> post(String path, String contentType, byte[] body) {
        return tenant.bundle.post().uri(path).header("Content-Type", contentType).body(body).retrieve().toEntity(String.class);
    }

    private ResponseEntity<String> postEvent(String body) {
        return post("/api/v1/events", "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertProblem(ResponseEntity<String> response, int status, String label) {
        assertThat(response.getStatusCode().value()).as(label + ": " + response.getBody()).isEqualTo(status);
        assertThat(String.valueOf(response.getHeaders().getContentType())).as(label).startsWith("application/problem+json");
    }

    /** 400 problem+json naming {@code field} (with {@code message} in its reason), parked; answers the parked row. */
    private JsonNode parked(String label, ResponseEntity<String> response, String field, String message) {
        assertProblem(response, 400, label);
        JsonNode problem = tenant.json(response);
        assertThat(problem.path("errors").findValuesAsText("field")).as(label + ": " + problem).contains(field);
        assertThat(problem.path("errors").toString()).as(label).contains(message);
        long parkedId = problem.path("parkedId").asLong();
        assertThat(parkedId).as(label + " parked").isPositive();
        JsonNode row = tenant.json(Tenant.ok(tenant.bundle.get().uri("/api/v1/parked-events/{id}", parkedId).retrieve().toEntity(String.class)));
        assertThat(row.path("status").asText()).as(label).isEqualTo("PARKED");
        System.out.println("STRICT " + label + ": parked " + parkedId + " " + problem.path("errors"));
        return row;
    }

    private String sub(String member, String value) {
        return valid.replaceFirst("\"" + member + "\":[^,}]+", "\"" + member + "\":" + value);
    }

    @Test
    void malformedBodiesAreParkedNeverA500() {
        JsonNode empty = parked("empty body", post("/api/v1/events", "application/json", new byte[0]), "$", "is empty");
        assertThat(empty.path("rawPayload").asText()).isEmpty();

        // NUL as a JSON escape in a name, and as a raw byte: refused, and kept storable (\u0000) without losing it.
        JsonNode escaped = parked("NUL escape in name", postEvent(valid.replace("Customer 0", "Cust\\u0000omer")),
                "subscription.customer.name", "NUL");
        assertThat(escaped.path("rawPayload").asText()).contains("Cust\\u0000omer");
        JsonNode rawNul = parked("raw NUL in id", postEvent(valid.replace("\"id\":\"" + tenant.subscriptions.get(0),
                "\"id\":\"x\u0000" + tenant.subscriptions.get(0))), "$", "not valid JSON");
        assertThat(rawNul.path("rawPayload").asText()).contains("x\\u0000" + tenant.subscriptions.get(0));
        parked("NUL in eventId", postEvent(valid.replaceFirst("\"eventId\":\"", "\"eventId\":\"\\\\u0000")), "eventId", "NUL");
        parked("NUL in a key", postEvent(valid.replace("\"kind\":", "\"k\\u0000\":1,\"kind\":")), "subscription", "NUL");

        parked("trailing garbage", postEvent(valid + " garbage"), "$", "not valid JSON");
        parked("two objects", postEvent(valid + valid), "$", "more after the first value");
        JsonNode duplicate = parked("duplicate key", postEvent(valid.replace("\"quantity\":10", "\"quantity\":10,\"quantity\":1000")),
                "subscription.quantity", "duplicate key");
        assertThat(duplicate.path("rawPayload").asText()).contains("\"quantity\":10,\"quantity\":1000");

        ByteArrayOutputStream invalidUtf8 = new ByteArrayOutputStream();
        byte[] text = valid.replace("Customer 0", "Customer @").getBytes(StandardCharsets.UTF_8);
        for (byte b : text) {
            if (b == '@') { invalidUtf8.write(0xC3); invalidUtf8.write(0x28); } else invalidUtf8.write(b);
        }
        JsonNode utf8 = parked("invalid UTF-8", post("/api/v1/events", "application/json", invalidUtf8.toByteArray()), "$", "not valid UTF-8");
        assertThat(utf8.path("rawPayload").asText()).contains("Customer \\xC3(");

        parked("empty batch", postEvent("[]"), "$", "one JSON object");
        ResponseEntity<String> batch = postEvent("[" + valid.replace("\"quantity\":10", "\"quantity\":10,\"quantity\":1000") + "]");
        parked("duplicate key in a batch", batch, "[0].subscription.quantity", "duplicate key");

        assertThat(tenant.writeCalls()).as("ConnectWise writes").isEqualTo(writesBefore);
    }

    @Test
    void wrongContentTypeIs415ProblemJson() {
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/xml")) {
            ResponseEntity<String> events = post("/api/v1/events", type, valid.getBytes(StandardCharsets.UTF_8));
            assertProblem(events, 415, "events as " + type);
            ResponseEntity<String> invoices = post("/api/v1/invoices", type, "{}".getBytes(StandardCharsets.UTF_8));
            assertProblem(invoices, 415, "invoices as " + type);
            ResponseEntity<String> plan = post("/api/v1/plan", type, valid.getBytes(StandardCharsets.UTF_8));
            assertProblem(plan, 415, "dry-run plan as " + type);
            ResponseEntity<String> mapping = tenant.bundle.put().uri("/api/v1/partners/{p}/customers/{c}/mapping", tenant.partner, "c-415")
                    .header("Content-Type", type).body("{\"companyId\":1}").retrieve().toEntity(String.class);
            assertProblem(mapping, 415, "mapping as " + type);
        }
        assertThat(tenant.tasks(null)).as("a valid event sent as text/plain is not taken").isZero();
    }

    @Test
    void everyApiErrorIsProblemJson() {
        assertProblem(tenant.bundle.get().uri("/api/v1/no-such-thing").retrieve().toEntity(String.class), 404, "unknown path");
        assertProblem(tenant.bundle.get().uri("/api/v1/no-such-thing").header("Accept", "text/html").retrieve().toEntity(String.class),
                404, "unknown path from a browser");
        assertProblem(tenant.bundle.method(HttpMethod.DELETE).uri("/api/v1/events").retrieve().toEntity(String.class), 405, "DELETE events");
        assertProblem(tenant.bundle.get().uri("/api/v1/parked-events/not-a-number").retrieve().toEntity(String.class), 400, "bad path variable");
        assertProblem(tenant.bundle.post().uri("/api/v1/events").header("Content-Type", "application/json")
                .header("Accept", "text/csv").body(valid.replace("\"quantity\":10", "\"quantity\":-1")).retrieve().toEntity(String.class),
                400, "invalid event with Accept: text/csv");
        assertProblem(tenant.bundle.get().uri("/api/v1/partners/{p}/tasks", tenant.partner).header("Accept", "application/xml")
                .retrieve().toEntity(String.class), 406, "tasks as XML");
        // Ids in the path and the query follow the text rules too (NUL would reach a PostgreSQL column).
        ResponseEntity<String> nulInPath = tenant.bundle.put().uri(java.net.URI.create("http://localhost:" + port
                        + "/api/v1/partners/" + tenant.partner + "/customers/a%00b/mapping"))
                .contentType(MediaType.APPLICATION_JSON).body("{\"companyId\":1}").retrieve().toEntity(String.class);
        assertThat(nulInPath.getStatusCode().value()).as(nulInPath.getBody()).isEqualTo(400);
        assertProblem(tenant.bundle.get().uri(java.net.URI.create("http://localhost:" + port + "/api/v1/partners/"
                + tenant.partner + "/tasks?subscriptionId=x%E2%80%AEy")).retrieve().toEntity(String.class), 400, "bidi in a query");
        String huge = valid.replace("\"name\":\"Customer 0\"", "\"name\":\"Customer 0\",\"padding\":\"" + "x".repeat(1_100_000) + "\"");
        assertProblem(postEvent(huge), 413, "1.1 MB body");
    }

    @Test
    void outOfRangeValuesAreRefusedAndParked() {
        parked("quantity 0 on a sale", postEvent(sub("quantity", "0")), "subscription.quantity", "between 1 and 1000000");
        parked("quantity 2147483648", postEvent(sub("quantity", "2147483648")), "subscription.quantity", "between 1 and 1000000");
        parked("quantity 10.0", postEvent(sub("quantity", "10.0")), "subscription.quantity", "whole number");
        parked("unit price of 400 digits", postEvent(sub("unitPrice", "9".repeat(400))), "subscription.unitPrice", "12 integer digits");
        parked("unit cost 1e400", postEvent(sub("unitCost", "1e400")), "subscription.unitCost", "12 integer digits");
        parked("30 decimals", postEvent(sub("unitPrice", "22." + "3".repeat(30))), "subscription.unitPrice", "at most 2 decimal places");
        parked("year 2999", postEvent(valid.replace("\"endDate\":\"2025-02-13\"", "\"endDate\":\"2999-02-13\"")), "subscription.endDate", "must be between");
        parked("year 9999", postEvent(valid.replace("2024-02-14T09:00:00Z", "9999-02-14T09:00:00Z")), "occurredAt", "must be between");
        parked("control character in a name", postEvent(valid.replace("Customer 0", "Customer\\u0007 0")), "subscription.customer.name", "U+0007");
        parked("right-to-left override", postEvent(valid.replace("Customer 0", "Customer \u202E0")), "subscription.customer.name", "U+202E");
        parked("currency XYZ", postEvent(valid.replace("\"USD\"", "\"XYZ\"")), "subscription.currency", "ISO 4217");
        parked("providerId beyond int", postEvent(sub("providerId", "2147483648")), "subscription.product.providerId", "between");
        assertThat(tenant.tasks(null)).as("none of them became a task").isZero();
        assertThat(tenant.writeCalls()).as("ConnectWise writes").isEqualTo(writesBefore);
    }

    @Test
    void repeatedEventIdWithAnotherBodyIsAConflict() throws Exception {
        ResponseEntity<String> first = postEvent(valid);
        assertThat(first.getStatusCode().value()).as(first.getBody()).isEqualTo(202);
        long taskId = tenant.json(first).path("taskId").asLong();

        // The same event, other spelling: keys in another order, 22.0 for 22.00, spacing.
        ObjectNode same = (ObjectNode) tenant.mapper.readTree(valid);
        ObjectNode reordered = tenant.mapper.createObjectNode();
        List.of("subscription", "occurredAt", "action", "type", "partnerId", "eventId").forEach(k -> reordered.set(k, same.get(k)));
        String respelled = tenant.mapper.writerWithDefaultPrettyPrinter().writeValueAsString(reordered).replace("22.00", "22.0");
        ResponseEntity<String> repeat = postEvent(respelled);
        assertThat(repeat.getStatusCode().value()).as(repeat.getBody()).isEqualTo(200);
        assertThat(tenant.json(repeat).path("taskId").asLong()).isEqualTo(taskId);
        // the same instant in another offset is the same event; another instant is not
        ResponseEntity<String> offset = postEvent(valid.replace("2024-02-14T09:00:00Z", "2024-02-14T11:00:00.000+02:00"));
        assertThat(offset.getStatusCode().value()).as(offset.getBody()).isEqualTo(200);
        assertThat(tenant.json(offset).path("taskId").asLong()).isEqualTo(taskId);
        assertProblem(postEvent(valid.replace("2024-02-14T09:00:00Z", "2024-02-14T09:00:00+02:00")), 409, "another instant");

        ResponseEntity<String> conflict = postEvent(valid.replace("\"quantity\":10", "\"quantity\":1000"));
        assertProblem(conflict, 409, "same eventId, other quantity");
        JsonNode problem = tenant.json(conflict);
        assertThat(problem.path("taskId").asLong()).isEqualTo(taskId);
        assertThat(problem.path("detail").asText()).contains("task " + taskId);
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("eventId");
        assertThat(tenant.tasks(null)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT payload->'subscription'->>'quantity' FROM subscription_event WHERE event_id = ?",
                String.class, tenant.partner + "-e0-0")).isEqualTo("10");
    }

    /** SPEC 8.2: a repeated eventId answers 200 with the first task id, in a batch too when every event of it is a repeat. */
    @Test
    void spec82ABatchOfOnlyRepeatsAnswers200AndOneWithANewEvent202() {
        String second = tenant.event(1, 0);
        ResponseEntity<String> stored = postEvent("[" + valid + "," + second + "]");
        assertThat(stored.getStatusCode().value()).as(stored.getBody()).isEqualTo(202);
        List<Long> tasks = tenant.json(stored).path("results").findValuesAsText("taskId").stream().map(Long::valueOf).toList();
        assertThat(tasks).hasSize(2);

        ResponseEntity<String> repeats = postEvent("[" + valid + "," + second + "]");
        assertThat(repeats.getStatusCode().value()).as(repeats.getBody()).isEqualTo(200);
        JsonNode results = tenant.json(repeats).path("results");
        assertThat(results.findValuesAsText("outcome")).containsExactly("DUPLICATE", "DUPLICATE");
        assertThat(results.findValuesAsText("taskId").stream().map(Long::valueOf).toList()).isEqualTo(tasks);

        ResponseEntity<String> withANewOne = postEvent("[" + valid + "," + tenant.event(0, 1) + "]");
        assertThat(withANewOne.getStatusCode().value()).as(withANewOne.getBody()).isEqualTo(202);
        assertThat(tenant.json(withANewOne).path("results").findValuesAsText("outcome")).containsExactly("DUPLICATE", "ACCEPTED");
    }

    /**
     * Probe 43 §9: one 969 kB batch of 35,000 '{"eventId":…}' made 35,000 parked rows, WARN lines and a 22 MB answer. A
     * batch above cwbridge.ingest.max-batch-events is refused whole (413, field "$") before anything is stored or parked.
     */
    @Test
    void aBatchAboveTheMaximumOfEventsIsRefusedWholeBeforeAnythingIsStored() {
        StringBuilder batch = new StringBuilder("[").append(valid);
        for (int i = 0; i < maxBatchEvents; i++) batch.append(",{\"eventId\":\"").append(tenant.partner).append("-many-").append(i).append("\"}");
        ResponseEntity<String> refused = postEvent(batch.append("]").toString());

        assertProblem(refused, 413, "too many events");
        JsonNode problem = tenant.json(refused);
        assertThat(problem.path("errors").get(0).path("field").asText()).isEqualTo("$");
        assertThat(problem.path("errors").get(0).path("message").asText())
                .isEqualTo("must hold at most " + maxBatchEvents + " events (it holds " + (maxBatchEvents + 1) + ")");
        assertThat(problem.has("results")).isFalse();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM parked_event WHERE event_id LIKE ? OR raw_payload LIKE ?", Long.class,
                tenant.partner + "-many-%", "%" + tenant.partner + "-many-%")).as("nothing parked").isZero();
        assertThat(tenant.tasks(null)).as("nothing stored, not even the valid event").isZero();

        // within the maximum a batch is taken as before
        ResponseEntity<String> within = postEvent("[" + valid + "," + tenant.event(1, 0) + "]");
        assertThat(within.getStatusCode().value()).as(within.getBody()).isEqualTo(202);
    }

    /**
     * Requests Tomcat refuses before the application sees them (an encoded slash or NUL in a path segment, a header
     * beyond the limit) are problem+json too, not Tomcat's HTML page (a black-box probe of stop 32), and echo nothing.
     */
    @Test
    void requestsTheServerRefusesBeforeTheApiAreProblemJsonToo() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String base = "http://localhost:" + port + "/api/v1/partners/" + tenant.partner + "/customers/";
        for (String segment : new String[] {"a%2Fb", "a%00b", "a%5Cb"}) {
            java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + segment + "/mapping"))
                    .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"companyId\":1}"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(segment + ": " + r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).as(segment + ": " + r.body()).startsWith("application/problem+json");
            assertThat(tenant.json(ResponseEntity.ok(r.body())).path("status").asInt()).as(segment).isEqualTo(400);
            assertThat(r.body()).as(segment).doesNotContain("Tomcat").doesNotContain(segment);
        }
        // refused by Spring Security's firewall: a method it does not take (405 naming the allowed ones), an encoded '%'
        java.net.http.HttpResponse<String> trace = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + port + "/api/v1/events")).method("TRACE", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(trace.statusCode()).as(trace.body()).isEqualTo(405);
        assertThat(trace.headers().firstValue("Content-Type").orElse("")).as(trace.body()).startsWith("application/problem+json");
        assertThat(trace.headers().firstValue("Allow").orElse("")).contains("POST");
        java.net.http.HttpResponse<String> percent = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "a%25b/mapping"))
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"companyId\":1}"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(percent.statusCode()).as(percent.body()).isEqualTo(400);
        assertThat(percent.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(percent.body()).contains("address is refused").doesNotContain("a%25b");
        java.net.http.HttpResponse<String> bigHeader = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "c1/mapping"))
                .header("X-Big", "x".repeat(20_000)).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(bigHeader.statusCode()).isEqualTo(400);
        assertThat(bigHeader.headers().firstValue("Content-Type").orElse("")).as(bigHeader.body()).startsWith("application/problem+json");
    }

    @Test
    void requestBodiesAreReadStrictly() {
        String p = tenant.partner;
        for (Map.Entry<String, String> c : Map.of(
                "{\"companyId\":1.5}", "companyId",
                "{\"companyId\":\"1\"}", "companyId",
                "{\"companyId\":1,\"companyId\":2}", "companyId",
                "{\"companyId\":1} {\"companyId\":2}", "$",
                // a field the request does not have is refused, not dropped (a probe of stop 32)
                "{\"companyID\":1}", "companyID",
                "{\"companyId\":1,\"bogus\":{\"a\":1e400}}", "bogus").entrySet()) {
            ResponseEntity<String> r = tenant.bundle.put().uri("/api/v1/partners/{p}/customers/{c}/mapping", p, "cust-strict")
                    .contentType(MediaType.APPLICATION_JSON).body(c.getKey()).retrieve().toEntity(String.class);
            assertProblem(r, 400, c.getKey());
            assertThat(tenant.json(r).path("errors").findValuesAsText("field")).as(c.getKey() + " " + r.getBody()).contains(c.getValue());
        }
        String connection = "{\"companyId\":\"demo_msp\",\"publicKey\":\"sandboxPublicKey01\",\"privateKey\":12345,"
                + "\"apiUrl\":\"" + tenant.sandboxSite + "\",\"clientId\":\"" + Tenant.CLIENT_ID + "\"}";
        for (String other : new String[] {"[]", "\"a\"", "12"}) {
            ResponseEntity<String> notAnObject = tenant.bundle.put().uri("/api/v1/partners/{p}/customers/{c}/mapping", p, "cust-strict")
                    .contentType(MediaType.APPLICATION_JSON).body(other).retrieve().toEntity(String.class);
            assertProblem(notAnObject, 400, other);
            assertThat(tenant.json(notAnObject).path("errors").toString()).as(other).contains("must be a JSON object");
        }
        ResponseEntity<String> misspelt = tenant.bundle.put().uri("/api/v1/partners/{p}/subscriptions/{s}/mapping", p, "sub-strict")
                .contentType(MediaType.APPLICATION_JSON).body("{\"agreementID\":3,\"fromdate\":\"2026-11-01\"}")
                .retrieve().toEntity(String.class);
        assertProblem(misspelt, 400, "misspelt subscription mapping fields");
        assertThat(tenant.json(misspelt).path("errors").findValuesAsText("field")).containsAnyOf("agreementID", "fromdate");
        assertThat(tenant.json(misspelt).path("errors").toString()).contains("is not a field of this request").contains("agreementId");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM subscription_mapping WHERE partner_id = ? AND subscription_id = 'sub-strict'",
                Long.class, p)).as("no mapping made").isZero();
        ResponseEntity<String> extraField = tenant.bundle.put().uri("/api/v1/partners/{p}/connection", p + "x")
                .contentType(MediaType.APPLICATION_JSON).body(connection.replace("12345", "\"k\",\"bogus\":1")).retrieve().toEntity(String.class);
        assertProblem(extraField, 400, "connection with a field it does not have");
        assertThat(tenant.json(extraField).path("errors").findValuesAsText("field")).contains("bogus");
        assertThat(extraField.getBody()).doesNotContain("sandboxPublicKey01");
        ResponseEntity<String> numberKey = tenant.bundle.put().uri("/api/v1/partners/{p}/connection", p + "x")
                .contentType(MediaType.APPLICATION_JSON).body(connection).retrieve().toEntity(String.class);
        assertProblem(numberKey, 400, "private key as a number");
        assertThat(tenant.json(numberKey).path("errors").findValuesAsText("field")).contains("privateKey");
        ResponseEntity<String> nulKey = tenant.bundle.put().uri("/api/v1/partners/{p}/connection", p + "x")
                .contentType(MediaType.APPLICATION_JSON).body(connection.replace("12345", "\"a\\u0000b\"")).retrieve().toEntity(String.class);
        assertProblem(nulKey, 400, "NUL in a private key");
        assertThat(tenant.bundle.get().uri("/api/v1/partners/{p}/connection", p + "x").retrieve().toEntity(String.class)
                .getStatusCode().value()).as("nothing stored").isEqualTo(404);
        ResponseEntity<String> rules = tenant.bundle.put().uri("/api/v1/partners/{p}/sync-rules", p)
                .contentType(MediaType.APPLICATION_JSON).body("{\"positiveChange\":\"ACTUAL_DATE\",\"positiveChange\":\"X\"}")
                .retrieve().toEntity(String.class);
        assertProblem(rules, 400, "duplicate key in sync rules");
        String imported = "[{\"id\":\"imp-1\",\"customer\":{\"id\":\"c1\",\"name\":\"Bell\\u0007 Corp\"},\"product\":{\"id\":\"p1\"},"
                + "\"quantity\":2147483648,\"unitPrice\":1e400,\"currency\":\"XYZ\",\"billingCycle\":\"MONTHLY\",\"startDate\":\"2024-01-01\"}]";
        ResponseEntity<String> importing = tenant.bundle.post().uri("/api/v1/partners/{p}/subscriptions/import", p)
                .contentType(MediaType.APPLICATION_JSON).body(imported).retrieve().toEntity(String.class);
        assertProblem(importing, 400, "bad import");
        assertThat(tenant.json(importing).path("errors").findValuesAsText("field"))
                .contains("[0].customer.name", "[0].quantity", "[0].unitPrice", "[0].currency");
        ResponseEntity<String> nulImport = tenant.bundle.post().uri("/api/v1/partners/{p}/subscriptions/import", p)
                .contentType(MediaType.APPLICATION_JSON).body(imported.replace("\\u0007", "\\u0000")).retrieve().toEntity(String.class);
        assertProblem(nulImport, 400, "NUL in an import");
    }

    @Test
    void invoicesAreHeldToTheSameRules() {
        String line = "{\"partnerId\":\"" + tenant.partner + "\",\"invoiceType\":\"RESELLER\",\"invoiceNumber\":\"INV-1\","
                + "\"subscriptionId\":\"" + tenant.subscriptions.get(0) + "\",\"providerId\":30,\"kind\":\"SAAS\","
                + "\"billingPeriod\":\"2024-02\",\"quantity\":10,\"amount\":187.00,\"currency\":\"USD\"}";
        parked("invoice currency XYZ", post("/api/v1/invoices", "application/json", line.replace("USD", "XYZ").getBytes(StandardCharsets.UTF_8)),
                "currency", "ISO 4217");
        parked("invoice amount 1e400", post("/api/v1/invoices", "application/json", line.replace("187.00", "1e400").getBytes(StandardCharsets.UTF_8)),
                "amount", "12 integer digits");
        parked("invoice NUL", post("/api/v1/invoices", "application/json", line.replace("INV-1", "INV\\u0000-1").getBytes(StandardCharsets.UTF_8)),
                "invoiceNumber", "NUL");
        parked("invoice duplicate key", post("/api/v1/invoices", "application/json",
                line.replace("\"amount\":187.00", "\"amount\":187.00,\"amount\":1.00").getBytes(StandardCharsets.UTF_8)), "amount", "duplicate key");
        parked("invoice empty body", post("/api/v1/invoices", "application/json", new byte[0]), "$", "is empty");
        parked("invoice year 2999", post("/api/v1/invoices", "application/json", line.replace("2024-02", "2999-02").getBytes(StandardCharsets.UTF_8)),
                "billingPeriod", "must be a month between");
        parked("invoice provider beyond int", post("/api/v1/invoices", "application/json",
                line.replace("\"providerId\":30", "\"providerId\":4294967326").getBytes(StandardCharsets.UTF_8)), "providerId", "out of range");
        String hugeInvoice = line.replace("\"currency\"", "\"padding\":\"" + "x".repeat(1_100_000) + "\",\"currency\"");
        assertProblem(post("/api/v1/invoices", "application/json", hugeInvoice.getBytes(StandardCharsets.UTF_8)), 413, "1.1 MB invoice");
        ResponseEntity<String> stored = post("/api/v1/invoices", "application/json", line.getBytes(StandardCharsets.UTF_8));
        assertThat(stored.getStatusCode().value()).as(stored.getBody()).isEqualTo(200);
    }

    @Test
    void anUnreadableStoredSnapshotFailsOnlyItsOwnRow() {
        // An event accepted before these bounds existed: 2^31 licences (its task FAILED "out of range of int").
        Tenant.ok(postEvent(valid));
        jdbc.update("""
                INSERT INTO subscription_event (event_id, partner_id, subscription_id, type, action, occurred_at, payload, source)
                VALUES (?, ?, ?, 'CHANGE_ORDER', 'LICENSE_INCREASE', '2024-03-01T00:00:00Z', CAST(? AS jsonb), 'HTTP')""",
                tenant.partner + "-legacy", tenant.partner, tenant.subscriptions.get(1), tenant.event(1, 0)
                        .replace("\"quantity\":11", "\"quantity\":2147483648").replace("SALES_ORDER", "CHANGE_ORDER"));
        for (Map.Entry<String, Integer> list : Map.of("customers", 2, "products", 1, "subscriptions", 2).entrySet()) {
            ResponseEntity<String> page = tenant.bundle.get().uri("/api/v1/partners/{p}/" + list.getKey(), tenant.partner)
                    .retrieve().toEntity(String.class);
            assertThat(page.getStatusCode().value()).as(list + ": " + page.getBody()).isEqualTo(200);
            assertThat(tenant.json(page).path("total").asLong()).as(list.getKey()).isEqualTo(list.getValue().longValue());
        }
        JsonNode subscriptions = tenant.json(tenant.bundle.get().uri("/api/v1/partners/{p}/subscriptions?status=FAILED", tenant.partner)
                .retrieve().toEntity(String.class));
        assertThat(subscriptions.path("total").asLong()).isEqualTo(1);
        JsonNode row = subscriptions.path("items").get(0);
        assertThat(row.path("subscriptionId").asText()).isEqualTo(tenant.subscriptions.get(1));
        assertThat(row.path("reason").asText()).contains("cannot be read").contains("quantity");
        assertThat(row.path("customerName").asText()).isEqualTo("Customer 1");
        ResponseEntity<String> summary = tenant.bundle.get().uri("/api/v1/partners/{p}/summary", tenant.partner).retrieve().toEntity(String.class);
        assertThat(summary.getStatusCode().value()).as(summary.getBody()).isEqualTo(200);
        assertThat(tenant.json(summary).path("subscriptions").path("FAILED").asLong()).isEqualTo(1);
    }
}
