package io.cwbridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

/**
 * One partner's tenant, set up only over real HTTP, so it works against the test context and a bundle
 * in a child JVM alike: its company, catalog item and agreements created through the sandbox's
 * ConnectWise API (as a script against ConnectWise would), the partner connected and its customer and
 * product mapped through the bundle's API; events submitted and their tasks awaited through the
 * bundle's API. The one copy of the tenant set-up the tests share.
 */
public final class Tenant {

    /** The sandbox's own ConnectWise credentials (application.yaml {@code cw-sandbox.*}). */
    public static final String COMPANY_ID = "demo_msp";
    public static final String PUBLIC_KEY = "sandboxPublicKey01";
    public static final String PRIVATE_KEY = "sandboxPrivateKey01";
    public static final String CLIENT_ID = "1d6b7e2a-6f0c-4a4e-9a53-0c5d8f1b2e77";
    public static final String AUTH = "Basic " + Base64.getEncoder()
            .encodeToString((COMPANY_ID + "+" + PUBLIC_KEY + ":" + PRIVATE_KEY).getBytes());
    /** The marketplace customer and product of {@link TestEvents}. */
    public static final String CUSTOMER = TestEvents.CUSTOMER;
    public static final String PRODUCT = TestEvents.PRODUCT;
    public static final String ADDITIONS_POST = "POST /finance/agreements/{parentId}/additions";
    public static final String ADDITIONS_PATCH = "PATCH /finance/agreements/{parentId}/additions/{id}";
    /** The task statuses other than PENDING (SPEC 8.2). */
    private static final String[] SETTLED = {"SYNCED", "FAILED", "NEEDS_MAPPING", "AWAITING_APPROVAL", "DISMISSED"};

    /**
     * An agreement's terms as a test names them (R5 compares cycle, currency and start); a null field is
     * left out of the create, so the sandbox's default applies.
     */
    public record Terms(String type, String billingCycle, String currency, String startDate, String billStartDate,
                        Boolean prorate, Boolean invoiceProratedAdditions) {

        /** "Cloud", monthly, USD, from 1 January 2024: the agreement most tests bill on. */
        public static final Terms MONTHLY_USD = new Terms("Cloud", "Monthly", "USD", "2024-01-01", null, null, null);
        /** "Cloud Services" from 1 January 2024, cycle and currency the sandbox's defaults (the mapping tests'). */
        public static final Terms CLOUD_SERVICES = new Terms("Cloud Services", null, null, "2024-01-01", null, null, null);

        public Terms startingOn(String date) {
            return new Terms(type, billingCycle, currency, date, billStartDate, prorate, invoiceProratedAdditions);
        }

        public Terms cycle(String cycle, String currencyCode) {
            return new Terms(type, cycle, currencyCode, startDate, billStartDate, prorate, invoiceProratedAdditions);
        }

        /** ConnectWise's prorate settings (R17a), billing from the start date. */
        public Terms prorating(boolean prorateFlag, boolean invoiceProrated) {
            return new Terms(type, billingCycle, currency, startDate, startDate, prorateFlag, invoiceProrated);
        }

        Map<String, Object> body(String name, long company) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("type", Map.of("name", type));
            body.put("company", Map.of("id", company));
            body.put("contact", Map.of("name", "Billing"));
            if (startDate != null) body.put("startDate", startDate + "T00:00:00Z");
            if (billStartDate != null) body.put("billStartDate", billStartDate + "T00:00:00Z");
            if (billingCycle != null) body.put("billingCycle", Map.of("name", billingCycle));
            if (currency != null) body.put("currency", Map.of("currencyCode", currency));
            if (prorate != null) body.put("prorateFlag", prorate);
            if (invoiceProratedAdditions != null) body.put("invoiceProratedAdditionsFlag", invoiceProratedAdditions);
            return body;
        }
    }

    /** The ConnectWise ids of a customer's set-up: its company, the catalog item of the product, its agreement. */
    public record Ids(long company, long catalogItem, long agreement) {}

    private final ObjectMapper mapper = new ObjectMapper();
    private final String partner;
    private final String site;
    private final RestClient bundle;
    private final RestClient cw;
    private final SandboxAdmin sandbox;

    public Tenant(String partner, int bundlePort, int sandboxPort) {
        this.partner = partner;
        this.site = "http://localhost:" + sandboxPort + "/cw-sandbox";
        this.bundle = lenient("http://localhost:" + bundlePort);
        this.cw = RestClient.builder().baseUrl(site + "/v4_6_release/apis/3.0")
                .defaultHeader("Authorization", AUTH).defaultHeader("clientId", CLIENT_ID).build();
        this.sandbox = new SandboxAdmin(sandboxPort);
    }

    /** A new partner {@code prefix-<8 hex>} of the test context (bundle and sandbox on {@code port}), connected to the sandbox. */
    public static Tenant connected(String prefix, int port) {
        return new Tenant(prefix + "-" + UUID.randomUUID().toString().substring(0, 8), port, port).connect();
    }

    /** An HTTP client of the bundle that answers every status (the test asserts it). */
    public static RestClient lenient(String base) {
        return RestClient.builder().baseUrl(base).defaultStatusHandler(HttpStatusCode::isError, (req, res) -> { }).build();
    }

    public String partner() {
        return partner;
    }

    /** The sandbox's site, the {@code apiUrl} of a connection. */
    public String site() {
        return site;
    }

    /** The bundle over HTTP, every status answered. */
    public RestClient bundle() {
        return bundle;
    }

    public SandboxAdmin sandbox() {
        return sandbox;
    }

    // ---- the partner in the bundle

    /** PUT /api/v1/partners/{p}/connection with the sandbox's credentials. */
    public Tenant connect() {
        ok200(bundle.put().uri("/api/v1/partners/{p}/connection", partner).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("companyId", COMPANY_ID, "publicKey", PUBLIC_KEY, "privateKey", PRIVATE_KEY, "apiUrl", site,
                        "clientId", CLIENT_ID)).retrieve().toEntity(String.class));
        return this;
    }

    public void mapCustomer(String customerId, long company) {
        ok200(bundle.put().uri("/api/v1/partners/{p}/customers/{c}/mapping", partner, customerId).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("companyId", company)).retrieve().toEntity(String.class));
    }

    public void mapProduct(String productId, long catalogItem) {
        ok200(bundle.put().uri("/api/v1/partners/{p}/products/{id}/mapping", partner, productId).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("catalogItemId", catalogItem)).retrieve().toEntity(String.class));
    }

    /** The partner's sync rules (PUT, a partial document; the rest stay the defaults). */
    public void syncRules(Map<String, Object> rules) {
        ok200(bundle.put().uri("/api/v1/partners/{p}/sync-rules", partner).contentType(MediaType.APPLICATION_JSON).body(rules)
                .retrieve().toEntity(String.class));
    }

    // ---- the partner's ConnectWise (the sandbox's ConnectWise API)

    /** POST /company/companies; {@code extra} fields (city, …) as ConnectWise names them. */
    public long company(String identifier, String name, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("identifier", identifier, "name", name));
        body.putAll(extra);
        return create("/company/companies", body);
    }

    public long company(String identifier, String name) {
        return company(identifier, name, Map.of());
    }

    /** POST /procurement/catalog: a subscription item of subcategory {@code subcategory}; {@code extra} e.g. price, cost. */
    public long catalogItem(String identifier, String description, String subcategory, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("identifier", identifier, "description", description,
                "customerDescription", description, "subcategory", Map.of("name", subcategory), "type", Map.of("name", "Subscription")));
        body.putAll(extra);
        return create("/procurement/catalog", body);
    }

    /** POST /finance/agreements with the contact "Billing" and the terms given. */
    public long agreement(long company, String name, Terms terms) {
        return create("/finance/agreements", terms.body(name, company));
    }

    /**
     * Chairs Unlimited (identifier Chairs{@code suffix}), catalog item M365-BP{@code suffix} and agreement "Chairs
     * cloud" on {@code terms}, customer {@link #CUSTOMER} and product {@link #PRODUCT} mapped: the tenant most tests
     * start from. A sandbox that was not reset needs a suffix of its own (identifiers are unique in ConnectWise).
     */
    public Ids chairs(String suffix, Terms terms) {
        long item = catalogItem("M365-BP" + suffix, "M365 BP", "Cloud", Map.of());
        long company = company("Chairs" + suffix, "Chairs Unlimited");
        long agreement = agreement(company, "Chairs cloud", terms);
        mapCustomer(CUSTOMER, company);
        mapProduct(PRODUCT, item);
        return new Ids(company, item, agreement);
    }

    /** ConnectWise invoices the agreement through {@code date} (its next invoice date moves on). */
    public void invoiceThrough(long agreement, String date) {
        sandbox.invoice(agreement, date);
    }

    /** The agreement's additions as the sandbox's ConnectWise API answers them (one page of up to 1000, by id). */
    public List<JsonNode> additions(long agreement) {
        JsonNode page = json(ok(cw.get().uri("/finance/agreements/{id}/additions?pageSize=1000&orderBy=id", agreement)
                .retrieve().toEntity(String.class)));
        List<JsonNode> out = new java.util.ArrayList<>();
        page.forEach(out::add);
        return out;
    }

    private long create(String path, Map<String, Object> body) {
        return json(ok(cw.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class)))
                .path("id").asLong();
    }

    // ---- events and their tasks

    /** POST /api/v1/events, whatever the answer. */
    public ResponseEntity<String> post(Object event) {
        return bundle.post().uri("/api/v1/events").contentType(MediaType.APPLICATION_JSON).body(event.toString()).retrieve()
                .toEntity(String.class);
    }

    /** Submits a new event (202) and answers its task id. */
    public long submit(Object event) {
        ResponseEntity<String> response = post(event);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        return json(response).path("taskId").asLong();
    }

    /** GET /api/v1/tasks/{id}. */
    public JsonNode task(long taskId) {
        return json(ok(bundle.get().uri("/api/v1/tasks/{t}", taskId).retrieve().toEntity(String.class)));
    }

    /** Waits up to 45 s until the task has one of {@code expected}; answers it (fails with the task when it never does). */
    public JsonNode awaitTask(long taskId, String... expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        JsonNode task = task(taskId);
        while (!List.of(expected).contains(task.path("status").asText())) {
            if (System.nanoTime() > deadline) throw new AssertionError("task " + taskId + " is " + task + ", expected " + List.of(expected));
            sleep();
            task = task(taskId);
        }
        return task;
    }

    /** Waits until the task has left PENDING (the pipeline runs it asynchronously); answers it. */
    public JsonNode awaitSettled(long taskId) {
        return awaitTask(taskId, SETTLED);
    }

    /** Submits the event and waits until its task is SYNCED; answers the task. */
    public JsonNode sync(Object event) {
        JsonNode task = awaitSettled(submit(event));
        assertThat(task.path("status").asText()).as(task.toString()).isEqualTo("SYNCED");
        return task;
    }

    /** The partner's tasks, of {@code status} (null: all). */
    public long tasks(String status) {
        String query = status == null ? "/api/v1/partners/{p}/tasks?limit=1" : "/api/v1/partners/{p}/tasks?limit=1&status=" + status;
        return json(ok(bundle.get().uri(query, partner).retrieve().toEntity(String.class))).path("total").asLong();
    }

    // ---- answers

    /** Asserts a 2xx answer. */
    public static ResponseEntity<String> ok(ResponseEntity<String> response) {
        assertThat(response.getStatusCode().is2xxSuccessful()).as(response.getBody()).isTrue();
        return response;
    }

    /** Asserts a 200 answer (the bundle's PUTs answer 200). */
    public static ResponseEntity<String> ok200(ResponseEntity<String> response) {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(200);
        return response;
    }

    public JsonNode json(ResponseEntity<String> response) {
        try {
            return mapper.readTree(response.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
