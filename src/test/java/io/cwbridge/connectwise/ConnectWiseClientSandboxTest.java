package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cwbridge.testsupport.BundleTestBase;
import io.cwbridge.testsupport.SandboxAdmin;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ProducerTemplate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

/** The client against the sandbox over real HTTP: headers, paging, JSON Patch, retries and refusals. */
class ConnectWiseClientSandboxTest extends BundleTestBase {

    private static final String ADDITIONS = "POST /finance/agreements/{parentId}/additions";

    @LocalServerPort int port;
    @Autowired Environment env;
    @Autowired ConnectWiseSettings settings;
    @Autowired ObjectMapper mapper;
    @Autowired RequestRateLimiter limiter;
    @Autowired ProducerTemplate producer;
    @Autowired ConnectWiseHttpAuth auth;
    /** The bundle's client with a page size of 3 and 4 attempts per call (the shared context keeps 100 and 5). */
    ConnectWiseClient client;

    SandboxAdmin sandbox;
    ConnectWiseConnection cw;

    @BeforeEach
    void setUp() {
        client = new ConnectWiseClient(new ConnectWiseSettings(settings.codebase(), settings.apiVersion(),
                settings.requestsPerMinute(), 4, settings.initialBackoff(), settings.maxBackoff(), settings.connectTimeout(),
                settings.requestTimeout(), 3, settings.taskRetryInitial(), settings.taskRetryMax()), mapper, limiter,
                new ConnectWiseHttp(producer, auth));
        sandbox = new SandboxAdmin(port, env);
        sandbox.reset();
        cw = sandbox.connection();
    }

    @Test
    void authenticatesWithCompanyPublicAndPrivateKeyAndClientId() {
        JsonNode info = client.get(cw, "system/info", Map.of());
        assertThat(info.path("version").asText()).isNotBlank();
    }

    @Test
    void wrongKeyIs401AndNotRetried() {
        sandbox.resetCalls();
        assertThatThrownBy(() -> client.get(sandbox.connection("not-the-key"), "system/info", Map.of()))
                .isInstanceOfSatisfying(ConnectWiseException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).doesNotContain("not-the-key");
                });
        assertThat(sandbox.calls("GET /system/info")).isEqualTo(1);
    }

    @Test
    void readsEveryPageOfAList() {
        for (int i = 1; i <= 7; i++) {
            client.create(cw, "company/companies", Map.of("identifier", "Co" + i, "name", "Company " + i), null);
        }
        client.create(cw, "company/companies", Map.of("identifier", "Other", "name", "Other Inc"), null);
        sandbox.resetCalls();

        List<JsonNode> companies = client.getAll(cw, "company/companies", "name like \"Company*\"");

        assertThat(companies).extracting(c -> c.path("identifier").asText())
                .containsExactlyInAnyOrder("Co1", "Co2", "Co3", "Co4", "Co5", "Co6", "Co7");
        assertThat(sandbox.calls("GET /company/companies")).isEqualTo(3); // page size 3
        assertThat(client.count(cw, "company/companies", "name like \"Company*\"")).isEqualTo(7);
    }

    @Test
    void readsOnlyTheNamedFieldsOfEveryPage() {
        for (int i = 1; i <= 7; i++) {
            client.create(cw, "company/companies", Map.of("identifier", "Co" + i, "name", "Company " + i, "city", "Springfield"), null);
        }
        sandbox.resetCalls();

        List<JsonNode> companies = client.getAll(cw, "company/companies", "name like \"Company*\"", 3, List.of("id", "name"));

        assertThat(companies).hasSize(7).allSatisfy(c -> {
            assertThat(c.path("id").asLong()).isPositive();
            assertThat(c.path("name").asText()).startsWith("Company ");
            assertThat(c.has("identifier")).as("%s", c).isFalse();
            assertThat(c.has("city")).as("%s", c).isFalse();
        });
        assertThat(sandbox.calls("GET /company/companies")).isEqualTo(3); // its own page size, still paged
        // In pages of ConnectWise's largest size, one call; without fields, whole records.
        sandbox.resetCalls();
        assertThat(client.getAll(cw, "company/companies", null, ConnectWiseClient.MAX_PAGE_SIZE, List.of())).hasSize(7)
                .allSatisfy(c -> assertThat(c.path("city").asText()).isEqualTo("Springfield"));
        assertThat(sandbox.calls("GET /company/companies")).isEqualTo(1);
    }

    @Test
    void updatesAnAdditionWithJsonPatch() {
        long agreement = agreement();
        JsonNode created = client.create(cw, additions(agreement), addition(10).toCreateBody(), null);

        JsonNode patched = client.patch(cw, additions(agreement) + "/" + created.path("id").asLong(),
                List.of(JsonPatchOperation.replace("quantity", new BigDecimal("12"))));

        assertThat(patched.path("quantity").decimalValue()).isEqualByComparingTo("12");
        assertThat(patched.path("unitPrice").decimalValue()).isEqualByComparingTo("22.00");
        JsonNode read = client.get(cw, additions(agreement) + "/" + created.path("id").asLong(), Map.of());
        assertThat(read.path("quantity").decimalValue()).isEqualByComparingTo("12");
    }

    @Test
    void throttlingIsRetriedAfterTheServersRetryAfter() {
        sandbox.fault(Map.of("status", 429, "count", 2, "retryAfterSeconds", 1, "pathContains", "system/info"));
        sandbox.resetCalls();
        long start = System.nanoTime();

        JsonNode info = client.get(cw, "system/info", Map.of());

        assertThat(info.path("version").asText()).isNotBlank();
        assertThat(sandbox.calls("GET /system/info")).isEqualTo(3);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aThrottledTenantHoldsBackItsOtherCallsUntilRetryAfter() throws Exception {
        // One call gets 429 with Retry-After 2 s; a second call of the same tenant, started meanwhile, waits for the
        // pause too instead of hitting ConnectWise at once.
        sandbox.fault(Map.of("status", 429, "count", 1, "retryAfterSeconds", 2, "pathContains", "system/info"));
        sandbox.resetCalls();
        CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(() -> client.get(cw, "system/info", Map.of()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> limiter.throttles(cw.rateLimitKey()) == 1);
        long throttledAt = System.nanoTime();

        JsonNode second = client.get(cw, "system/info", Map.of());
        Duration waited = Duration.ofNanos(System.nanoTime() - throttledAt);

        assertThat(second.path("version").asText()).isNotBlank();
        assertThat(first.get(10, TimeUnit.SECONDS).path("version").asText()).isNotBlank();
        assertThat(waited).as("the second call waited for the tenant's Retry-After").isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(sandbox.calls("GET /system/info")).as("the 429, then each call once").isEqualTo(3);
        assertThat(limiter.throttles(cw.rateLimitKey())).isZero();
    }

    @Test
    void serverErrorsAreRetriedThenSucceed() {
        long agreement = agreement();
        long id = client.create(cw, additions(agreement), addition(5).toCreateBody(), null).path("id").asLong();
        sandbox.fault(Map.of("status", 500, "count", 2, "method", "PATCH"));
        sandbox.resetCalls();

        JsonNode patched = client.patch(cw, additions(agreement) + "/" + id, List.of(JsonPatchOperation.replace("quantity", 6)));

        assertThat(patched.path("quantity").decimalValue()).isEqualByComparingTo("6");
        assertThat(sandbox.calls("PATCH /finance/agreements/{parentId}/additions/{id}")).isEqualTo(3);
    }

    @Test
    void createThatLandedBeforeA500IsNotRepeated() {
        long agreement = agreement();
        AdditionFields fields = addition(3);
        sandbox.fault(Map.of("status", 500, "count", 1, "method", "POST", "pathContains", "additions", "afterCommit", true));
        sandbox.resetCalls();

        JsonNode created = client.createOnce(cw, additions(agreement), fields.toCreateBody(), fields.identity().lookup());

        assertThat(client.getAll(cw, additions(agreement), null)).hasSize(1)
                .first().extracting(a -> a.path("id").asLong()).isEqualTo(created.path("id").asLong());
        assertThat(sandbox.calls(ADDITIONS)).isEqualTo(1);
    }

    @Test
    void createThatFailedBeforeLandingIsSentAgain() {
        long agreement = agreement();
        AdditionFields fields = addition(3);
        sandbox.fault(Map.of("status", 503, "count", 2, "method", "POST", "pathContains", "additions"));
        sandbox.resetCalls();

        client.createOnce(cw, additions(agreement), fields.toCreateBody(), fields.identity().lookup());

        assertThat(client.getAll(cw, additions(agreement), null)).hasSize(1);
        assertThat(sandbox.calls(ADDITIONS)).isEqualTo(3);
    }

    @Test
    void badRequestIsNotRetriedAndCarriesConnectWisesMessage() {
        long agreement = agreement();
        sandbox.resetCalls();

        assertThatThrownBy(() -> client.create(cw, additions(agreement), Map.of("quantity", 1), null))
                .isInstanceOfSatisfying(ConnectWiseException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.code()).isEqualTo("InvalidObject");
                    assertThat(e.errors()).extracting(ConnectWiseException.FieldError::field).contains("product");
                    assertThat(e.describe()).contains("product");
                });
        assertThat(sandbox.calls(ADDITIONS)).isEqualTo(1);
    }

    @Test
    void invoicedAdditionRefusesEditsButCanBeEndDated() {
        long agreement = agreement();
        long id = client.create(cw, additions(agreement), addition(10).toCreateBody(), null).path("id").asLong();
        sandbox.invoice(agreement, "2024-03-31");
        String path = additions(agreement) + "/" + id;

        assertThatThrownBy(() -> client.patch(cw, path, List.of(JsonPatchOperation.replace("quantity", 12))))
                .isInstanceOfSatisfying(ConnectWiseException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.describe()).containsIgnoringCase("invoiced");
                });
        assertThatThrownBy(() -> client.delete(cw, path)).isInstanceOf(ConnectWiseException.class);

        JsonNode ended = client.patch(cw, path, List.of(JsonPatchOperation.replace("cancelledDate", "2024-04-30T00:00:00Z")));
        assertThat(ended.path("cancelledDate").asText()).startsWith("2024-04-30");
        assertThat(client.get(cw, path, Map.of()).path("quantity").decimalValue()).isEqualByComparingTo("10");
    }

    private long agreement() {
        long catalog = client.create(cw, "procurement/catalog", Map.of("identifier", "M365-BP", "description", "M365 BP",
                "customerDescription", "M365 BP", "subcategory", Map.of("name", "Cloud"), "type", Map.of("name", "Subscription")),
                null).path("id").asLong();
        assertThat(catalog).isPositive();
        long company = client.create(cw, "company/companies", Map.of("identifier", "Chairs", "name", "Chairs Unlimited"), null)
                .path("id").asLong();
        return client.create(cw, "finance/agreements", Map.of("name", "Chairs cloud", "type", Map.of("name", "Cloud"),
                "company", Map.of("id", company), "contact", Map.of("name", "Billing"),
                "startDate", "2024-01-01T00:00:00Z"), null).path("id").asLong();
    }

    private AdditionFields addition(int quantity) {
        long product = client.getAll(cw, "procurement/catalog", "identifier=\"M365-BP\"").get(0).path("id").asLong();
        return new AdditionFields(product, new BigDecimal(quantity), new BigDecimal("22.00"), new BigDecimal("18.70"),
                LocalDate.of(2024, 2, 14), null, false, "M365 BP sub-1", null, null);
    }

    private static String additions(long agreement) {
        return "finance/agreements/" + agreement + "/additions";
    }
}
