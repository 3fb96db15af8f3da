package io.cwbridge.sandbox;

import static io.cwbridge.sandbox.SandboxTestSupport.additions;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The sandbox over real HTTP: authentication, records, validation, queries and paging. */
class SandboxApiTest extends SandboxHttpTestBase {

    private static final Pattern LINK = Pattern.compile("<([^>]*)>;\\s*rel=\"(\\w+)\"");

    @Test
    void systemInfoAnswersWithTheRightKeysAndClientId() {
        SandboxHttp.Answer info = cw.get("system/info");

        assertThat(info.status()).isEqualTo(200);
        assertThat(info.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode json = info.json();
        assertThat(json.path("version").asText()).startsWith("v2026.4");
        assertThat(json.path("isCloud").isBoolean()).isTrue();
        assertThat(json.path("isCloud").asBoolean()).isFalse();
        assertThat(json.path("serverTimeZone").asText()).isEqualTo("Eastern Standard Time");
        assertThat(json.path("licenseBits").isArray()).isTrue();
        assertThat(json.path("cloudRegion").asText()).isEqualTo("NA");
    }

    @Test
    void refusesMissingOrWrongCredentialsWithoutEchoingThem() {
        String rightAuth = SandboxHttp.basic(properties.companyId() + "+" + properties.publicKey() + ":" + properties.privateKey());
        String wrongKey = SandboxHttp.basic(properties.companyId() + "+" + properties.publicKey() + ":wrong-private-XYZ");
        String otherCompany = SandboxHttp.basic("other_co+" + properties.publicKey() + ":" + properties.privateKey());

        List<SandboxHttp.Answer> refused = List.of(
                cw.as(null, properties.clientId()).get("system/info"),
                cw.as(wrongKey, properties.clientId()).get("system/info"),
                cw.as(otherCompany, properties.clientId()).get("company/companies"),
                cw.as("Basic !!!not-base64", properties.clientId()).get("system/info"),
                cw.as("Bearer token-XYZ", properties.clientId()).get("system/info"),
                cw.as(rightAuth, null).get("system/info"),
                cw.as(rightAuth, "not-the-client-XYZ").post("company/companies", SandboxTestSupport.companyBody("A")));

        for (SandboxHttp.Answer answer : refused) {
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.json().path("code").asText()).isEqualTo("Unauthorized");
            assertThat(answer.json().path("message").asText()).isNotBlank();
            assertThat(answer.text()).doesNotContain("XYZ").doesNotContain("wrong").doesNotContain("other_co")
                    .doesNotContain(properties.privateKey()).doesNotContain(properties.publicKey());
        }
        assertThat(cw.as(rightAuth, null).get("system/info").json().path("message").asText()).contains("clientId");
        assertThat(cw.get("company/companies/count").json().path("count").asInt()).isZero();
    }

    @Test
    void adminEndpointsNeedNoCredentials() {
        assertThat(cw.admin("GET", "calls", null).status()).isEqualTo(200);
        assertThat(cw.admin("GET", "state", null).status()).isEqualTo(200);
    }

    @Test
    void createsCompanyCatalogItemAgreementAndAdditionWithReferencesAndComputedFields() {
        JsonNode company = cw.post("company/companies", Map.of("identifier", "ChairsUnlimited", "name", "Chairs Unlimited",
                "addressLine1", "1 Main St", "city", "Tampa", "favouriteColour", "blue")).json();
        assertThat(company.path("id").asInt()).isEqualTo(1);
        assertThat(company.has("favouriteColour")).isFalse();
        assertThat(company.path("_info").path("dateEntered").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(company.path("_info").path("lastUpdated").asText()).isNotBlank();
        assertThat(company.path("_info").path("updatedBy").asText()).isNotBlank();

        SandboxHttp.Answer catalogAnswer = cw.post("procurement/catalog", SandboxTestSupport.catalogBody("AZ-365"));
        assertThat(catalogAnswer.status()).isEqualTo(201);
        JsonNode item = catalogAnswer.json();
        assertThat(item.path("id").asInt()).isEqualTo(1);
        assertThat(item.path("subcategory").path("name").asText()).isEqualTo("Cloud Licensing");

        JsonNode agreement = cw.post("finance/agreements", Map.of("name", "Chairs cloud", "type", Map.of("name", "Cloud"),
                "company", Map.of("identifier", "chairsunlimited"), "contact", Map.of("name", "Billing"),
                "startDate", "2024-01-01", "billStartDate", "2024-02-01T00:00:00Z")).json();
        assertThat(agreement.path("id").asInt()).isEqualTo(1);
        assertThat(agreement.path("company").path("id").asInt()).isEqualTo(1);
        assertThat(agreement.path("company").path("identifier").asText()).isEqualTo("ChairsUnlimited");
        assertThat(agreement.path("company").path("name").asText()).isEqualTo("Chairs Unlimited");
        assertThat(agreement.path("company").path("_info").isObject()).isTrue();
        assertThat(agreement.path("startDate").asText()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(agreement.path("agreementStatus").asText()).isEqualTo("Active");

        SandboxHttp.Answer created = cw.post(additions(1), """
                {"product": {"identifier": "AZ-365"}, "billCustomer": "Billable", "quantity": 10, "unitPrice": 22.00,
                 "unitCost": 18.70, "effectiveDate": "2024-02-14", "cancelledDate": "2024-03-31T00:00:00-00:00",
                 "description": "Business Premium", "taxableFlag": false}""");
        assertThat(created.status()).isEqualTo(201);
        JsonNode addition = created.json();
        assertThat(addition.path("id").asInt()).isEqualTo(1);
        assertThat(addition.path("agreementId").asInt()).isEqualTo(1);
        assertThat(addition.path("product").path("id").asInt()).isEqualTo(1);
        assertThat(addition.path("product").path("identifier").asText()).isEqualTo("AZ-365");
        assertThat(addition.path("effectiveDate").asText()).isEqualTo("2024-02-14T00:00:00Z");
        assertThat(addition.path("cancelledDate").asText()).isEqualTo("2024-03-31T00:00:00Z");
        assertThat(addition.path("unitPrice").toString()).isEqualTo("22.00");
        assertThat(addition.path("extPrice").toString()).isEqualTo("220.00");
        assertThat(addition.path("extCost").toString()).isEqualTo("187.00");
        assertThat(addition.path("margin").toString()).isEqualTo("33.00");
        assertThat(addition.path("billedQuantity").decimalValue()).isEqualByComparingTo("10");
        assertThat(addition.path("agreementStatus").asText()).isEqualTo("Active");
        assertThat(addition.path("taxableFlag").isBoolean()).isTrue();

        SandboxHttp.Answer read = cw.get(additions(1) + "/1");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(addition);
        assertThat(cw.get(additions(1) + "/count").json().path("count").asInt()).isEqualTo(1);
        assertThat(cw.get("finance/agreements/1").json().path("billStartDate").asText()).isEqualTo("2024-02-01T00:00:00Z");
        JsonNode second = records.addition(1, "{\"product\":{\"id\":1},\"billCustomer\":\"billable\",\"quantity\":1}");
        assertThat(second.path("id").asInt()).isEqualTo(2);
        assertThat(second.path("billCustomer").asText()).isEqualTo("Billable");
    }

    @Test
    void moneyStaysExact() {
        long agreement = records.agreement();
        records.catalogItem("P1");
        JsonNode addition = records.addition(agreement, """
                {"product": {"identifier": "P1"}, "billCustomer": "Billable", "quantity": 3, "unitPrice": 0.1,
                 "unitCost": 0.07, "effectiveDate": "2024-02-01"}""");
        assertThat(addition.path("extPrice").toString()).isEqualTo("0.3");
        assertThat(addition.path("extCost").toString()).isEqualTo("0.21");
        assertThat(addition.path("margin").toString()).isEqualTo("0.09");
    }

    @Test
    void answersValidationErrorsInConnectWisesShape() {
        long agreement = records.agreement();
        records.catalogItem("P1");

        JsonNode noProduct = cw.post(additions(agreement), Map.of("billCustomer", "Billable", "quantity", 1)).json();
        assertThat(noProduct.path("code").asText()).isEqualTo("InvalidObject");
        assertThat(noProduct.path("message").asText()).isEqualTo("addition object is invalid");
        assertThat(noProduct.path("errors")).hasSize(1);
        JsonNode error = noProduct.path("errors").get(0);
        assertThat(error.path("code").asText()).isEqualTo("NullValue");
        assertThat(error.path("message").asText()).isEqualTo("product may not be null");
        assertThat(error.path("resource").asText()).isEqualTo("addition");
        assertThat(error.path("field").asText()).isEqualTo("product");

        assertFields(cw.post(additions(agreement), Map.of()), "product", "billCustomer");
        assertFields(cw.post("company/companies", Map.of("identifier", "X")), "name");
        assertFields(cw.post("procurement/catalog", Map.of("identifier", "X", "price", "abc")),
                "description", "subcategory", "type", "customerDescription", "price");
        assertFields(cw.post("finance/agreements", Map.of("name", "A", "company", Map.of("id", 1))), "type", "contact");
        assertFields(cw.post(additions(agreement), Map.of("product", Map.of("id", 1), "billCustomer", "Sometimes")),
                "billCustomer");
        assertFields(cw.post(additions(agreement), Map.of("product", Map.of("id", 1), "billCustomer", "Billable",
                "serialNumber", "x".repeat(51), "invoiceDescription", "y".repeat(6001))), "serialNumber", "invoiceDescription");
        assertThat(cw.post(additions(agreement), Map.of("product", Map.of("id", 1), "billCustomer", "Billable",
                "serialNumber", "x".repeat(50), "invoiceDescription", "y".repeat(6000))).status()).isEqualTo(201);
        assertFields(cw.post(additions(agreement), Map.of("product", Map.of("id", 99), "billCustomer", "Billable")), "product");
        assertFields(cw.post(additions(agreement), Map.of("product", Map.of("identifier", "NOPE"), "billCustomer", "Billable")),
                "product");
        assertFields(cw.post(additions(agreement), Map.of("product", Map.of("id", 1), "billCustomer", "Billable",
                "effectiveDate", "14/02/2024", "quantity", "many")), "effectiveDate", "quantity");
        assertFields(cw.post("finance/agreements", SandboxTestSupport.agreementBody(999)), "company");
        assertFields(cw.post(additions(999), Map.of("product", Map.of("id", 1), "billCustomer", "Billable")), "agreementId");
        assertFields(cw.post("procurement/catalog", SandboxTestSupport.catalogBody("p1")), "identifier");

        SandboxHttp.Answer early = cw.post(additions(agreement), Map.of("product", Map.of("id", 1), "billCustomer", "Billable",
                "effectiveDate", "2023-12-31T00:00:00Z"));
        assertFields(early, "effectiveDate");
        assertThat(early.json().path("errors").get(0).path("message").asText())
                .isEqualTo("effectiveDate cannot be less than the agreement billing start date");
        assertThat(cw.post(additions(agreement), Map.of("product", Map.of("id", 1), "billCustomer", "Billable",
                "effectiveDate", "2024-01-01T00:00:00Z")).status()).isEqualTo(201);

        SandboxHttp.Answer malformed = cw.post(additions(agreement), "{\"product\": {\"id\": 1,");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("code").asText()).isEqualTo("InvalidObject");
        assertThat(cw.post(additions(agreement), "").status()).isEqualTo(400);
        assertThat(cw.post(additions(agreement), "[1]").status()).isEqualTo(400);
        assertThat(cw.get(additions(agreement) + "/count").json().path("count").asInt()).isEqualTo(2);
    }

    @Test
    void unknownEndpointsAndRecordsAre404s() {
        for (SandboxHttp.Answer answer : List.of(cw.get("service/tickets"), cw.get("company/companies/abc"),
                cw.delete("company/companies"), cw.get("system/infos"))) {
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.json().path("code").asText()).isEqualTo("ConnectWiseApi");
            assertThat(answer.json().path("message").asText()).isEqualTo("The endpoint does not exist.");
        }
        long agreement = records.agreement();
        SandboxHttp.Answer missing = cw.get(additions(agreement) + "/12");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("code").asText()).isEqualTo("NotFound");
        assertThat(missing.json().path("message").asText()).isEqualTo("Addition with id 12 was not found.");
        assertThat(cw.get("company/companies/42").json().path("message").asText()).isEqualTo("Company with id 42 was not found.");
        assertThat(cw.get(additions(999)).status()).isEqualTo(404);
        assertThat(cw.patch("procurement/catalog/5", "[{\"op\":\"replace\",\"path\":\"price\",\"value\":1}]").status())
                .isEqualTo(404);
    }

    @Test
    void anAdditionIsOnlyFoundUnderItsOwnAgreement() {
        long first = records.agreement();
        long second = records.agreement();
        records.catalogItem("P1");
        long id = records.addition(first, "{\"product\":{\"id\":1},\"billCustomer\":\"Billable\"}").path("id").asLong();

        assertThat(cw.get(additions(second) + "/" + id).status()).isEqualTo(404);
        assertThat(cw.delete(additions(second) + "/" + id).status()).isEqualTo(404);
        assertThat(cw.get(additions(second)).json()).isEmpty();
        assertThat(cw.get(additions(first)).json()).hasSize(1);
    }

    @Test
    void filtersWithConditionsAndPagesWithLinkHeaders() {
        for (int i = 1; i <= 23; i++) {
            records.company(String.format("Acme%02d", i));
        }
        records.company("Other");
        String conditions = "identifier like \"acme*\" and (id > 2 or name = \"Acme01 Inc\") and id != 5";

        assertThat(cw.get("company/companies/count", Map.of("conditions", conditions)).json().path("count").asInt()).isEqualTo(21);

        List<Integer> ids = new ArrayList<>();
        String next = cw.apiUrl("company/companies") + "?" + SandboxHttp.query(
                Map.of("conditions", conditions, "orderBy", "id desc", "pageSize", "5"));
        int pages = 0;
        while (next != null) {
            SandboxHttp.Answer page = cw.api("GET", next.substring(cw.apiUrl("").length()), null);
            assertThat(page.status()).isEqualTo(200);
            page.json().forEach(c -> ids.add(c.path("id").asInt()));
            Map<String, String> links = links(page.header("Link").orElseThrow());
            assertThat(links).containsKeys("first", "last");
            assertThat(links.get("last")).contains("page=5");
            assertThat(links.containsKey("prev")).isEqualTo(pages > 0);
            next = links.get("next");
            pages++;
        }
        assertThat(pages).isEqualTo(5);
        List<Integer> expected = new ArrayList<>();
        for (int id = 23; id >= 1; id--) {
            if (id != 5 && id != 2) expected.add(id);
        }
        assertThat(ids).isEqualTo(expected);

        SandboxHttp.Answer third = cw.get("company/companies", Map.of("page", "3", "pageSize", "10"));
        assertThat(third.json()).hasSize(4);
        assertThat(third.json().get(0).path("id").asInt()).isEqualTo(21);
        assertThat(cw.get("company/companies").json()).hasSize(24);
        assertThat(cw.get("company/companies", Map.of("pageSize", "20000")).json()).hasSize(24);
        assertThat(cw.get("company/companies", Map.of("page", "9")).json()).isEmpty();
        JsonNode selected = cw.get("company/companies", Map.of("conditions", "id=1", "fields", "id,name")).json().get(0);
        assertThat(selected.size()).isEqualTo(2);
        assertThat(selected.path("name").asText()).isEqualTo("Acme01 Inc");
    }

    @Test
    void defaultPageSizeIs25() {
        List<Map<String, Object>> companies = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            companies.add(SandboxTestSupport.companyBody("Bulk" + i));
        }
        assertThat(cw.admin("POST", "seed", Map.of("companies", companies)).status()).isEqualTo(201);

        SandboxHttp.Answer first = cw.get("company/companies");
        assertThat(first.json()).hasSize(25);
        assertThat(links(first.header("Link").orElseThrow()).get("next")).contains("page=2");
        assertThat(cw.get("company/companies", Map.of("page", "2")).json()).hasSize(5);
    }

    @Test
    void forwardOnlyPagingFollowsPageId() {
        for (int i = 1; i <= 7; i++) {
            records.company("F" + i);
        }
        List<Integer> ids = new ArrayList<>();
        String query = "pageSize=3";
        while (query != null) {
            SandboxHttp.Answer page = cw.api("GET", "company/companies?" + query, null, Map.of("pagination-type", "forward-only"));
            assertThat(page.status()).isEqualTo(200);
            page.json().forEach(c -> ids.add(c.path("id").asInt()));
            query = page.header("Link").map(SandboxApiTest::links).map(l -> l.get("next"))
                    .map(url -> url.substring(url.indexOf('?') + 1)).orElse(null);
            if (ids.size() > 10) break;
        }
        assertThat(ids).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(cw.api("GET", "company/companies?pageId=5", null, Map.of("pagination-type", "forward-only")).json())
                .extracting(c -> c.path("id").asInt()).containsExactly(6, 7);
        assertThat(cw.api("GET", "company/companies?orderBy=id%20desc", null, Map.of("pagination-type", "forward-only"))
                .status()).isEqualTo(400);
    }

    @Test
    void badQueriesAre400sInTheErrorShape() {
        for (Map<String, String> query : List.of(Map.of("conditions", "name = "), Map.of("conditions", "colour = \"red\""),
                Map.of("conditions", "name = \"x"), Map.of("orderBy", "name sideways"), Map.of("orderBy", "shoeSize"),
                Map.of("page", "two"), Map.of("fields", "id,nope"))) {
            SandboxHttp.Answer answer = cw.get("company/companies", query);
            assertThat(answer.status()).as(query.toString()).isEqualTo(400);
            assertThat(answer.json().path("code").asText()).isEqualTo("InvalidObject");
            assertThat(answer.json().path("errors").get(0).path("message").asText()).isNotBlank();
        }
        assertThat(cw.get("company/companies/count", Map.of("conditions", "(id = 1")).status()).isEqualTo(400);
    }

    @Test
    void childAndCustomFieldConditionsAreRefusedAsNotModelledOnListsAndCounts() {
        long agreement = records.agreement();
        for (String parameter : List.of("childConditions", "customFieldConditions")) {
            for (String path : List.of("company/companies", "company/companies/count", "finance/agreements",
                    "finance/agreements/count", additions(agreement), additions(agreement) + "/count")) {
                for (String value : List.of("types/id = 5", "caption = \"Renewal\" and value = \"x\"", "(((garbage")) {
                    SandboxHttp.Answer answer = cw.get(path, Map.of(parameter, value));
                    assertThat(answer.status()).as(path + "?" + parameter + "=" + value).isEqualTo(400);
                    JsonNode json = answer.json();
                    assertThat(json.path("code").asText()).isEqualTo("InvalidObject");
                    assertThat(json.path("message").asText()).isEqualTo(parameter + " is invalid");
                    assertThat(json.path("errors").get(0).path("field").asText()).isEqualTo(parameter);
                    assertThat(json.path("errors").get(0).path("message").asText())
                            .isEqualTo("The sandbox does not model " + parameter + "; leave it out (the real ConnectWise API filters by it)");
                }
                assertThat(cw.get(path, Map.of(parameter, "")).status()).as("empty " + parameter + " is none").isEqualTo(200);
            }
            assertThat(cw.get("finance/agreements", Map.of(parameter.toLowerCase(), "x = 1")).status()).isEqualTo(400);
        }
    }

    @Test
    void patchesWithJsonPatch() {
        long agreement = records.agreement();
        records.catalogItem("P1");
        records.catalogItem("P2");
        JsonNode created = records.addition(agreement, """
                {"product":{"id":1},"billCustomer":"Billable","quantity":10,"unitPrice":22.00,"unitCost":18.70,
                 "effectiveDate":"2024-02-14","description":"line"}""");
        String path = additions(agreement) + "/" + created.path("id").asInt();

        SandboxHttp.Answer patched = cw.patch(path, """
                [{"op":"replace","path":"quantity","value":12},
                 {"op":"replace","path":"/product","value":{"identifier":"P2"}},
                 {"op":"remove","path":"description"},
                 {"op":"add","path":"cancelledDate","value":"2024-04-30"}]""");

        assertThat(patched.status()).isEqualTo(200);
        JsonNode json = patched.json();
        assertThat(json.path("quantity").decimalValue()).isEqualByComparingTo("12");
        assertThat(json.path("extPrice").toString()).isEqualTo("264.00");
        assertThat(json.path("product").path("id").asInt()).isEqualTo(2);
        assertThat(json.has("description")).isFalse();
        assertThat(json.path("cancelledDate").asText()).isEqualTo("2024-04-30T00:00:00Z");
        assertThat(json.path("_info").path("dateEntered")).isEqualTo(created.path("_info").path("dateEntered"));
        assertThat(cw.get(path).json()).isEqualTo(json);

        assertFields(cw.patch(path, "[{\"op\":\"replace\",\"path\":\"Quantity\",\"value\":1}]"), "Quantity");
        assertFields(cw.patch(path, "[{\"op\":\"remove\",\"path\":\"product\"}]"), "product");
        assertFields(cw.patch(path, "[{\"op\":\"replace\",\"path\":\"effectiveDate\",\"value\":\"2023-01-01\"}]"), "effectiveDate");
        assertThat(cw.patch(path, "[{\"op\":\"move\",\"path\":\"quantity\",\"from\":\"unitCost\"}]").status()).isEqualTo(400);
        assertThat(cw.patch(path, "{\"quantity\": 1}").status()).isEqualTo(400);
        assertThat(cw.get(path).json()).isEqualTo(json);
    }

    @Test
    void putReplacesTheWholeRecord() {
        long agreement = records.agreement();
        records.catalogItem("P1");
        JsonNode created = records.addition(agreement, """
                {"product":{"id":1},"billCustomer":"Billable","quantity":10,"unitPrice":22.00,"description":"line",
                 "serialNumber":"SN-1"}""");
        String path = additions(agreement) + "/" + created.path("id").asInt();

        SandboxHttp.Answer replaced = cw.put(path, Map.of("product", Map.of("id", 1), "billCustomer", "DoNotBill", "quantity", 4));

        assertThat(replaced.status()).isEqualTo(200);
        JsonNode json = replaced.json();
        assertThat(json.path("billCustomer").asText()).isEqualTo("DoNotBill");
        assertThat(json.path("quantity").asInt()).isEqualTo(4);
        assertThat(json.has("description")).isFalse();
        assertThat(json.has("serialNumber")).isFalse();
        assertThat(json.has("unitPrice")).isFalse();
        assertThat(json.path("extPrice").decimalValue()).isZero();
        assertThat(json.path("id")).isEqualTo(created.path("id"));
        assertFields(cw.put(path, Map.of("quantity", 4)), "product", "billCustomer");
    }

    @Test
    void referencesShowTheCurrentIdentifierAndName() {
        long company = records.company("Before");
        long agreement = records.agreement(company);
        records.catalogItem("P1");
        JsonNode addition = records.addition(agreement, "{\"product\":{\"id\":1},\"billCustomer\":\"Billable\"}");

        assertThat(cw.put("company/companies/" + company, Map.of("identifier", "After", "name", "After Inc")).status()).isEqualTo(200);
        assertThat(cw.patch("procurement/catalog/1", "[{\"op\":\"replace\",\"path\":\"identifier\",\"value\":\"P1-NEW\"}]")
                .status()).isEqualTo(200);

        JsonNode ref = cw.get("finance/agreements/" + agreement).json().path("company");
        assertThat(ref.path("identifier").asText()).isEqualTo("After");
        assertThat(ref.path("name").asText()).isEqualTo("After Inc");
        JsonNode reread = cw.get(additions(agreement) + "/" + addition.path("id").asInt()).json();
        assertThat(reread.path("product").path("identifier").asText()).isEqualTo("P1-NEW");
        assertThat(reread.path("_info")).isEqualTo(addition.path("_info"));
        assertThat(cw.get(additions(agreement), Map.of("conditions", "product/identifier=\"P1-NEW\"")).json()).hasSize(1);
    }

    @Test
    void deletesRecordsButNotOnesStillReferenced() {
        long company = records.company("C1");
        long agreement = records.agreement(company);
        long item = records.catalogItem("P1");
        long id = records.addition(agreement, "{\"product\":{\"id\":1},\"billCustomer\":\"Billable\"}").path("id").asLong();
        records.addition(agreement, "{\"product\":{\"id\":1},\"billCustomer\":\"Billable\"}");

        assertThat(cw.delete("procurement/catalog/" + item).status()).isEqualTo(400);
        assertThat(cw.delete("company/companies/" + company).status()).isEqualTo(400);

        SandboxHttp.Answer deleted = cw.delete(additions(agreement) + "/" + id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.text()).isEmpty();
        assertThat(cw.get(additions(agreement) + "/" + id).status()).isEqualTo(404);
        assertThat(cw.delete(additions(agreement) + "/" + id).status()).isEqualTo(404);

        assertThat(cw.delete("finance/agreements/" + agreement).status()).isEqualTo(204);
        assertThat(cw.admin("GET", "state", null).json().path("additions")).isEmpty();
        assertThat(cw.delete("procurement/catalog/" + item).status()).isEqualTo(204);
        assertThat(cw.delete("company/companies/" + company).status()).isEqualTo(204);
    }

    static void assertFields(SandboxHttp.Answer answer, String... fields) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        assertThat(answer.json().path("code").asText()).isEqualTo("InvalidObject");
        List<String> reported = new ArrayList<>();
        answer.json().path("errors").forEach(e -> reported.add(e.path("field").asText()));
        assertThat(reported).as(answer.text()).containsExactlyInAnyOrder(fields);
    }

    static Map<String, String> links(String header) {
        Map<String, String> links = new java.util.LinkedHashMap<>();
        Matcher m = LINK.matcher(header);
        while (m.find()) {
            links.put(m.group(2), m.group(1));
        }
        return links;
    }
}
