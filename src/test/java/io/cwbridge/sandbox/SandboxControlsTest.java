package io.cwbridge.sandbox;

import static io.cwbridge.sandbox.SandboxApiTest.assertFields;
import static io.cwbridge.sandbox.SandboxTestSupport.additions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/** The sandbox's test controls over real HTTP: invoicing, faults, call counts, reset, seed and persistence. */
class SandboxControlsTest extends SandboxHttpTestBase {

    @Autowired DataSource dataSource;
    @Autowired RecordStore store;

    @Test
    void anInvoicedAdditionRefusesChangesToWhatWasBilledButCanBeEndDated() {
        long agreement = records.agreement();
        records.catalogItem("P1");
        records.catalogItem("P2");
        JsonNode billed = records.addition(agreement, """
                {"product":{"id":1},"billCustomer":"Billable","quantity":10,"unitPrice":22.00,"unitCost":18.70,
                 "effectiveDate":"2024-02-14","description":"line"}""");
        JsonNode later = records.addition(agreement, """
                {"product":{"id":1},"billCustomer":"Billable","quantity":2,"effectiveDate":"2024-04-01"}""");
        String path = additions(agreement) + "/" + billed.path("id").asInt();
        String laterPath = additions(agreement) + "/" + later.path("id").asInt();

        SandboxHttp.Answer invoice = cw.admin("POST", "agreements/" + agreement + "/invoice", Map.of("through", "2024-03-31"));
        assertThat(invoice.status()).isEqualTo(200);
        assertThat(invoice.json().path("invoicedAdditions")).hasSize(1);
        assertThat(cw.get(path).json().path("billedQuantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(cw.get(laterPath).json().path("billedQuantity").decimalValue()).isEqualByComparingTo("2");

        for (String patch : List.of("{\"op\":\"replace\",\"path\":\"quantity\",\"value\":12}",
                "{\"op\":\"replace\",\"path\":\"unitPrice\",\"value\":20}",
                "{\"op\":\"replace\",\"path\":\"unitCost\",\"value\":1}",
                "{\"op\":\"replace\",\"path\":\"effectiveDate\",\"value\":\"2024-03-01\"}",
                "{\"op\":\"replace\",\"path\":\"product\",\"value\":{\"id\":2}}",
                "{\"op\":\"replace\",\"path\":\"cancelledDate\",\"value\":\"2024-03-15\"}")) {
            SandboxHttp.Answer refused = cw.patch(path, "[" + patch + "]");
            assertThat(refused.status()).as(patch).isEqualTo(400);
            assertThat(refused.json().path("errors").get(0).path("message").asText())
                    .startsWith("Since this period has already been invoiced");
        }
        SandboxHttp.Answer put = cw.put(path, Map.of("product", Map.of("id", 1), "billCustomer", "Billable", "quantity", 11,
                "unitPrice", 22.00, "unitCost", 18.70, "effectiveDate", "2024-02-14"));
        assertFields(put, "quantity");
        SandboxHttp.Answer delete = cw.delete(path);
        assertThat(delete.status()).isEqualTo(400);
        assertThat(delete.json().path("message").asText()).contains("already been invoiced");
        assertThat(cw.delete("finance/agreements/" + agreement).status()).isEqualTo(400);

        SandboxHttp.Answer ended = cw.patch(path, """
                [{"op":"replace","path":"cancelledDate","value":"2024-04-30T00:00:00Z"},
                 {"op":"replace","path":"description","value":"ended"},
                 {"op":"replace","path":"quantity","value":10.0}]""");
        assertThat(ended.status()).as(ended.text()).isEqualTo(200);
        assertThat(ended.json().path("cancelledDate").asText()).isEqualTo("2024-04-30T00:00:00Z");
        assertThat(ended.json().path("quantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(ended.json().path("billedQuantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(cw.patch(path, "[{\"op\":\"replace\",\"path\":\"cancelledDate\",\"value\":\"2024-03-31\"}]").status())
                .isEqualTo(200);

        assertThat(cw.patch(laterPath, "[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":3}]").status()).isEqualTo(200);
        assertThat(cw.delete(laterPath).status()).isEqualTo(204);
        // The agreement does not prorate: a new line may not start in the invoiced period either.
        SandboxBillingTest.invoicedRefusal(cw.post(additions(agreement),
                "{\"product\":{\"id\":1},\"billCustomer\":\"Billable\",\"effectiveDate\":\"2024-03-01\"}"), "effectiveDate");
        records.addition(agreement, "{\"product\":{\"id\":1},\"billCustomer\":\"Billable\",\"effectiveDate\":\"2024-04-01\"}");
        assertThat(cw.admin("POST", "agreements/999/invoice", Map.of()).status()).isEqualTo(404);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void invoicingAnIdThatIsNoRecordIdIsA400InTheErrorShapeWithoutAStackTrace(CapturedOutput output) {
        for (String id : List.of("abc", "1.5", "-1", "9999999999")) {
            SandboxHttp.Answer answer = cw.admin("POST", "agreements/" + id + "/invoice", "{}");
            assertThat(answer.status()).as(id).isEqualTo(400);
            assertThat(answer.json().path("code").asText()).isEqualTo("InvalidObject");
            assertThat(answer.json().path("message").asText()).isEqualTo("id must be a whole number such as 12.");
        }
        assertThat(cw.admin("POST", "agreements/999/invoice", "{}").json().path("code").asText()).isEqualTo("NotFound");
        assertThat(output.getAll()).doesNotContain("Sandbox failed unexpectedly").doesNotContain("MethodArgumentTypeMismatchException");
    }

    @Test
    void throttlingFaultAnswers429WithRetryAfterThenRecovers() {
        SandboxHttp.Answer added = cw.admin("POST", "faults",
                Map.of("status", 429, "count", 2, "retryAfterSeconds", 3, "pathContains", "system/info"));
        assertThat(added.status()).isEqualTo(201);
        assertThat(cw.admin("GET", "faults", null).json()).hasSize(1);

        assertThat(cw.get("company/companies").status()).isEqualTo(200);
        for (int i = 0; i < 2; i++) {
            SandboxHttp.Answer throttled = cw.get("system/info");
            assertThat(throttled.status()).isEqualTo(429);
            assertThat(throttled.header("Retry-After")).contains("3");
            assertThat(throttled.json().path("error").asText()).isEqualTo("ConnectWiseAPI");
            assertThat(throttled.json().path("message").asText()).isEqualTo("Too many requests. Please try again in 3 seconds.");
        }
        assertThat(cw.get("system/info").status()).isEqualTo(200);
        assertThat(cw.admin("GET", "faults", null).json()).isEmpty();
    }

    @Test
    void serverErrorFaultsMatchOnMethodAndPath() {
        long agreement = records.agreement();
        records.catalogItem("P1");
        cw.admin("POST", "faults", Map.of("status", 500, "count", 1, "method", "post", "pathContains", "additions"));
        cw.admin("POST", "faults", Map.of("status", 503, "count", 1, "method", "POST", "pathContains", "additions"));

        assertThat(cw.get(additions(agreement)).status()).isEqualTo(200);
        SandboxHttp.Answer first = cw.post(additions(agreement), "{\"product\":{\"id\":1},\"billCustomer\":\"Billable\"}");
        assertThat(first.status()).isEqualTo(500);
        assertThat(first.json().path("code").asText()).isEqualTo("UnexpectedError");
        assertThat(first.json().path("message").asText()).isEqualTo("An unexpected error occurred");
        assertThat(cw.post(additions(agreement), "{\"product\":{\"id\":1},\"billCustomer\":\"Billable\"}").status()).isEqualTo(503);
        assertThat(cw.get(additions(agreement) + "/count").json().path("count").asInt()).isZero();
        assertThat(cw.post(additions(agreement), "{\"product\":{\"id\":1},\"billCustomer\":\"Billable\"}").status()).isEqualTo(201);
    }

    @Test
    void afterCommitFaultStoresTheCallThenFails() {
        long agreement = records.agreement();
        records.catalogItem("P1");
        cw.admin("POST", "faults", Map.of("status", 500, "count", 1, "method", "POST", "pathContains", "additions",
                "afterCommit", true));

        SandboxHttp.Answer answer = cw.post(additions(agreement), "{\"product\":{\"id\":1},\"billCustomer\":\"Billable\",\"quantity\":3}");

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.json().path("code").asText()).isEqualTo("UnexpectedError");
        assertThat(answer.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode stored = cw.get(additions(agreement)).json();
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).path("quantity").asInt()).isEqualTo(3);
    }

    @Test
    void delayFaultSlowsACallThatThenSucceeds() {
        cw.admin("POST", "faults", Map.of("delayMillis", 400, "pathContains", "system/info"));
        long start = System.nanoTime();
        SandboxHttp.Answer slow = cw.get("system/info");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(slow.status()).isEqualTo(200);

        cw.admin("POST", "faults", Map.of("status", 503, "delayMillis", 200));
        start = System.nanoTime();
        assertThat(cw.get("company/companies").status()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void faultsCanBeListedClearedAndAreValidated() {
        cw.admin("POST", "faults", Map.of("status", 500, "count", 5));
        cw.admin("POST", "faults", Map.of("status", 429, "method", "GET"));
        JsonNode pending = cw.admin("GET", "faults", null).json();
        assertThat(pending).hasSize(2);
        assertThat(pending.get(0).path("remaining").asInt()).isEqualTo(5);
        assertThat(pending.get(1).path("retryAfterSeconds").asInt()).isEqualTo(1);

        assertThat(cw.admin("DELETE", "faults", null).status()).isEqualTo(204);
        assertThat(cw.admin("GET", "faults", null).json()).isEmpty();
        assertThat(cw.get("system/info").status()).isEqualTo(200);

        assertThat(cw.admin("POST", "faults", Map.of("status", 200)).status()).isEqualTo(400);
        assertThat(cw.admin("POST", "faults", Map.of("count", 2)).status()).isEqualTo(400);
        assertThat(cw.admin("POST", "faults", "not json").status()).isEqualTo(400);
    }

    @Test
    void countsEveryCallPerMethodAndPathTemplate() {
        long agreement = records.agreement();
        records.catalogItem("P1");
        assertThat(cw.admin("DELETE", "calls", null).status()).isEqualTo(204);
        cw.admin("POST", "faults", Map.of("status", 500, "count", 1, "pathContains", "count"));

        cw.get("system/info");
        cw.get("system/info");
        cw.as(null, null).get("system/info");
        cw.post(additions(agreement), "{\"product\":{\"id\":1},\"billCustomer\":\"Billable\"}");
        cw.patch(additions(agreement) + "/1", "[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":2}]");
        cw.get(additions(agreement) + "/count");
        cw.get("company/contacts");
        cw.admin("GET", "state", null);

        JsonNode calls = cw.admin("GET", "calls", null).json();
        assertThat(calls.path("total").asInt()).isEqualTo(7);
        JsonNode byEndpoint = calls.path("byEndpoint");
        assertThat(byEndpoint.path("GET /system/info").asInt()).isEqualTo(3);
        assertThat(byEndpoint.path("POST /finance/agreements/{parentId}/additions").asInt()).isEqualTo(1);
        assertThat(byEndpoint.path("PATCH /finance/agreements/{parentId}/additions/{id}").asInt()).isEqualTo(1);
        assertThat(byEndpoint.path("GET /finance/agreements/{parentId}/additions/count").asInt()).isEqualTo(1);
        assertThat(byEndpoint.path("GET /company/contacts").asInt()).isEqualTo(1);
        assertThat(byEndpoint.size()).isEqualTo(5);

        cw.admin("DELETE", "calls", null);
        assertThat(cw.admin("GET", "calls", null).json().path("total").asInt()).isZero();
    }

    @Test
    void resetDeletesEverythingAndRestartsIds() {
        long agreement = records.agreement();
        records.catalogItem("P1");
        records.addition(agreement, "{\"product\":{\"id\":1},\"billCustomer\":\"Billable\"}");
        cw.admin("POST", "faults", Map.of("status", 500, "pathContains", "nothing-matches"));

        assertThat(cw.admin("POST", "reset", null).status()).isEqualTo(204);

        JsonNode state = cw.admin("GET", "state", null).json();
        assertThat(state.path("companies")).isEmpty();
        assertThat(state.path("catalog")).isEmpty();
        assertThat(state.path("agreements")).isEmpty();
        assertThat(state.path("additions")).isEmpty();
        assertThat(state.path("faults")).isEmpty();
        assertThat(state.path("calls").path("total").asInt()).isZero();
        assertThat(records.company("Fresh")).isEqualTo(1);
        assertThat(records.catalogItem("P1")).isEqualTo(1);
    }

    @Test
    void seedCreatesATenantThroughTheApiValidationAndReferencesByIdentifier() {
        SandboxHttp.Answer seeded = cw.admin("POST", "seed", """
                {"companies": [{"identifier": "ChairsUnlimited", "name": "Chairs Unlimited", "city": "Tampa"},
                               {"identifier": "Contoso", "name": "Contoso"}],
                 "catalog": [{"identifier": "M365-BP", "description": "M365 BP", "customerDescription": "M365 BP",
                              "subcategory": {"name": "Cloud"}, "type": {"name": "Subscription"}, "price": 22.00}],
                 "agreements": [{"name": "Chairs cloud", "type": {"name": "Cloud"}, "company": {"identifier": "ChairsUnlimited"},
                                 "contact": {"name": "Billing"}, "startDate": "2024-01-01",
                                 "additions": [{"product": {"identifier": "M365-BP"}, "billCustomer": "Billable",
                                                "quantity": 10, "unitPrice": 22.00, "effectiveDate": "2024-02-14"}]}]}""");

        assertThat(seeded.status()).as(seeded.text()).isEqualTo(201);
        JsonNode json = seeded.json();
        assertThat(json.path("companies").get(1).path("id").asInt()).isEqualTo(2);
        assertThat(json.path("catalog").get(0).path("id").asInt()).isEqualTo(1);
        JsonNode agreement = json.path("agreements").get(0);
        assertThat(agreement.path("company").path("id").asInt()).isEqualTo(1);
        assertThat(agreement.path("additions").get(0).path("extPrice").toString()).isEqualTo("220.00");
        assertThat(cw.get(additions(agreement.path("id").asInt()), Map.of("conditions", "product/identifier=\"M365-BP\""))
                .json()).hasSize(1);
    }

    @Test
    void aSeedWithAnInvalidRecordCreatesNothing() {
        SandboxHttp.Answer refused = cw.admin("POST", "seed", """
                {"companies": [{"identifier": "Good", "name": "Good Inc"}],
                 "agreements": [{"name": "A", "type": {"name": "Cloud"}, "company": {"identifier": "Good"},
                                 "contact": {"name": "Billing"}, "additions": [{"quantity": 1}]}]}""");

        assertFields(refused, "product", "billCustomer");
        assertThat(cw.get("company/companies/count").json().path("count").asInt()).isZero();
        assertThat(records.company("First")).isEqualTo(1);
    }

    @Test
    void recordsSurviveARestartOfTheStore() {
        long agreement = records.agreement();
        records.catalogItem("P1");
        JsonNode addition = records.addition(agreement, """
                {"product":{"id":1},"billCustomer":"Billable","quantity":10,"unitPrice":22.00,"effectiveDate":"2024-02-14"}""");
        cw.admin("POST", "agreements/" + agreement + "/invoice", Map.of("through", "2024-02-29"));
        JsonNode before = cw.admin("GET", "state", null).json();

        RecordStore reloaded = new RecordStore(new SandboxDatabase(dataSource));

        for (Resource resource : Resource.values()) {
            List<StoredRecord> was = store.read(view -> view.all(resource));
            List<StoredRecord> now = reloaded.read(view -> view.all(resource));
            assertThat(now).as(resource.key()).isEqualTo(was);
        }
        StoredRecord reread = reloaded.read(view -> view.find(Resource.ADDITION, addition.path("id").asInt())).orElseThrow();
        assertThat(reread.doc().path("unitPrice").toString()).isEqualTo("22.00");
        assertThat(reread.doc().path("billedQuantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(reread.invoicedThrough()).isNull();
        assertThat(reloaded.read(view -> view.find(Resource.AGREEMENT, (int) agreement)).orElseThrow().invoicedThrough())
                .hasToString("2024-02-29");
        assertThat(SandboxJson.write(reread.doc())).isEqualTo(SandboxJson.write(
                store.read(view -> view.find(Resource.ADDITION, addition.path("id").asInt())).orElseThrow().doc()));
        assertThat(reloaded.sequences()).isEqualTo(store.sequences());
        assertThat(before.path("invoicedThrough").path(String.valueOf(agreement)).asText()).isEqualTo("2024-02-29");
        List<StoredRecord> invoices = reloaded.read(view -> view.all(Resource.INVOICE));
        assertThat(invoices).hasSize(1);

        RecordService service = new RecordService(reloaded, java.time.Clock.systemUTC());
        StoredRecord next = service.create(Resource.COMPANY, null, SandboxJson.MAPPER.valueToTree(
                SandboxTestSupport.companyBody("AfterRestart")));
        assertThat(next.id()).isEqualTo(store.sequences().get(Resource.COMPANY) + 1);
        java.util.Optional<StoredRecord> written = new RecordStore(new SandboxDatabase(dataSource))
                .read(view -> view.find(Resource.COMPANY, next.id()));
        assertThat(written).isPresent();
    }

    @Test
    void perAdditionInvoicedStateOfTheFirstSandboxMovesToTheAgreementOnStart() {
        long agreement = records.agreement();
        records.catalogItem("P1");
        JsonNode billed = records.addition(agreement, """
                {"product":{"id":1},"billCustomer":"Billable","quantity":10,"unitPrice":22.00,"effectiveDate":"2024-02-14"}""");
        JsonNode january = records.addition(agreement, """
                {"product":{"id":1},"billCustomer":"Billable","quantity":2,"lessIncluded":1,"effectiveDate":"2024-01-01"}""");
        JsonNode open = records.addition(agreement, """
                {"product":{"id":1},"billCustomer":"Billable","quantity":5,"effectiveDate":"2024-04-01"}""");
        // What the first sandbox stored: invoiced_through per addition, billedQuantity as its sign, a written nextInvoiceDate.
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        oldState(jdbc, "addition", billed, "2024-02-29", "billedQuantity", 10);
        oldState(jdbc, "addition", january, "2024-01-31", "billedQuantity", 2);
        oldState(jdbc, "addition", open, null, "billedQuantity", 0);
        JsonNode agreementDoc = cw.get("finance/agreements/" + agreement).json();
        oldState(jdbc, "agreement", agreementDoc, null, "nextInvoiceDate", "2099-01-01T00:00:00Z");

        RecordStore upgraded = new RecordStore(new SandboxDatabase(dataSource));
        StateUpgrade.run(upgraded, java.time.Clock.systemUTC());

        StoredRecord migrated = upgraded.read(view -> view.find(Resource.AGREEMENT, (int) agreement)).orElseThrow();
        assertThat(migrated.invoicedThrough()).hasToString("2024-02-29");
        assertThat(migrated.doc().path("nextInvoiceDate").asText()).isEqualTo("2024-03-01T00:00:00Z");
        List<StoredRecord> additions = upgraded.read(view -> view.all(Resource.ADDITION));
        assertThat(additions).allSatisfy(a -> assertThat(a.invoicedThrough()).isNull())
                .extracting(a -> a.doc().path("billedQuantity").decimalValue().intValue()).containsExactly(10, 1, 5);
        List<StoredRecord> invoices = upgraded.read(view -> view.all(Resource.INVOICE));
        assertThat(invoices).singleElement().satisfies(i -> {
            assertThat(i.doc().path("agreement").path("id").asLong()).isEqualTo(agreement);
            assertThat(i.doc().path("date").asText()).isEqualTo("2024-02-29T00:00:00Z");
        });
        assertThat(jdbc.queryForObject("SELECT count(*) FROM cw_sandbox.record WHERE resource = 'addition' AND invoiced_through IS NOT NULL",
                Integer.class)).isZero();
        // The additions starting before 1 March are now invoiced through their agreement; the April one is not.
        RecordService service = new RecordService(upgraded, java.time.Clock.systemUTC());
        SandboxException refused = org.junit.jupiter.api.Assertions.assertThrows(SandboxException.class, () -> service.patch(
                Resource.ADDITION, (int) agreement, january.path("id").asInt(),
                SandboxJson.parse("[{\"op\":\"replace\",\"path\":\"quantity\",\"value\":3}]")));
        assertThat(refused.body().path("errors").get(0).path("message").asText()).isEqualTo(SandboxErrors.INVOICED_PERIOD);

        // Done once: the next start writes nothing.
        List<String> rows = jdbc.queryForList("SELECT resource || id || doc::text || coalesce(invoiced_through::text, '') "
                + "FROM cw_sandbox.record ORDER BY resource, id", String.class);
        RecordStore again = new RecordStore(new SandboxDatabase(dataSource));
        StateUpgrade.run(again, java.time.Clock.systemUTC());
        assertThat(jdbc.queryForList("SELECT resource || id || doc::text || coalesce(invoiced_through::text, '') "
                + "FROM cw_sandbox.record ORDER BY resource, id", String.class)).isEqualTo(rows);
        assertThat(cw.admin("POST", "reset", null).status()).isEqualTo(204);
    }

    private static void oldState(JdbcTemplate jdbc, String resource, JsonNode doc, String invoicedThrough, String field,
                                 Object value) {
        com.fasterxml.jackson.databind.node.ObjectNode old = doc.deepCopy();
        old.set(field, SandboxJson.MAPPER.valueToTree(value));
        jdbc.update("UPDATE cw_sandbox.record SET doc = ?::json, invoiced_through = ?::date WHERE resource = ? AND id = ?",
                SandboxJson.write(old), invoicedThrough, resource, doc.path("id").asInt());
    }
}
