package io.cwbridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cwbridge.testsupport.Tenant;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** The mapping workbench API (SPEC 3, 8.2) over HTTP with the sandbox as the partner's ConnectWise. */
class WorkbenchApiTest extends MappingApiTestBase {

    ResponseEntity<String> post(String path, Object body, Object... vars) {
        return api.post().uri(path, vars).contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(String.class);
    }

    void seedCustomer(String subscriptionId, String customerId, String name) {
        seedEvent(subscriptionId, "2024-03-15T14:02:00Z", Map.of("customer", Map.of("id", customerId, "name", name,
                "address", Map.of("line1", "1 Main St", "city", "Tampa", "country", "US"))), Map.of());
    }

    JsonNode row(String list, String idField, String id) {
        for (JsonNode item : json(get("/{p}/" + list + "?limit=500", partner)).path("items")) {
            if (id.equals(item.path(idField).asText())) return item;
        }
        throw new AssertionError(id + " not in " + list);
    }

    @Test
    void theAddressesAPersonTypesOpenTheWorkbench() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        // "/" is the console now (ConsoleHeadersTest); the workbench keeps its own addresses.
        for (String path : List.of("/workbench", "/workbench/")) {
            java.net.http.HttpResponse<Void> response = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + port + path)).GET().build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).as(path).isEqualTo(302);
            assertThat(response.headers().firstValue("Location").orElse("")).as(path).endsWith("/workbench/index.html");
        }
    }

    @Test
    void exactNameAutoMatchMapsWhileANearNameOnlyYieldsCandidatesR1() {
        seedCustomer("sub-a", "65533", "Chairs Unlimited");
        seedCustomer("sub-b", "777", "Contoso Dental");
        long chairs = company("ChairsUnlimited", "Chairs Unlimited");
        long clinic = company("ContosoDentalClinic", "Contoso Dental Clinic");
        long shouting = company("CONTOSODENTAL", "CONTOSO DENTAL"); // differs only in case: not an exact match (R1)
        company("Fabrikam", "Fabrikam Chairs");

        JsonNode dry = json(post("/{p}/auto-map?dryRun=true", Map.of(), partner));
        assertThat(dry.path("dryRun").asBoolean()).isTrue();
        assertThat(outcome(dry.path("customers"), "65533")).isEqualTo("WOULD_MAP");
        assertThat(outcome(dry.path("customers"), "777")).isEqualTo("NO_MATCH");
        assertThat(get("/{p}/customers/{c}/mapping", partner, "65533").getStatusCode().value()).isEqualTo(404);

        JsonNode report = json(post("/{p}/auto-map", Map.of(), partner));
        assertThat(outcome(report.path("customers"), "65533")).isEqualTo("MAPPED");
        assertThat(json(get("/{p}/customers/{c}/mapping", partner, "65533")).path("companyId").asLong()).isEqualTo(chairs);
        assertThat(get("/{p}/customers/{c}/mapping", partner, "777").getStatusCode().value()).isEqualTo(404);
        assertThat(row("customers", "customerId", "65533").path("status").asText()).isEqualTo("MAPPED");
        assertThat(row("customers", "customerId", "777").path("status").asText()).isEqualTo("UNMAPPED");

        JsonNode candidates = json(get("/{p}/customers/{c}/candidates", partner, "777"));
        List<Long> ids = candidates.findValues("id").stream().map(JsonNode::asLong).toList();
        assertThat(ids).contains(clinic, shouting).doesNotContain(chairs);
        assertThat(candidates.path(0).path("score").asDouble()).isGreaterThanOrEqualTo(candidates.path(1).path("score").asDouble());
    }

    @Test
    void productsAutoMatchOnMfgPartNumberR2() {
        seedEvent("sub-a", "2024-03-15T14:02:00Z");
        long item = tenant.catalogItem("M365BP", "M365 Business Premium", "Cloud Licensing",
                Map.of("customerDescription", "x", "manufacturerPartNumber", "CFQ7TTC0LCHC:0002:P1"));
        catalogItem("M365 Business Basic");

        JsonNode report = json(post("/{p}/auto-map", Map.of(), partner));

        assertThat(outcome(report.path("products"), "CFQ7TTC0LCHC:0002")).isEqualTo("MAPPED");
        assertThat(json(get("/{p}/products/{id}/mapping", partner, "CFQ7TTC0LCHC:0002")).path("catalogItemId").asLong()).isEqualTo(item);
        assertThat(row("products", "productId", "CFQ7TTC0LCHC:0002").path("catalogItemId").asLong()).isEqualTo(item);
    }

    @Test
    void aProductSubscriptionsAreUpgradedToIsListedToMapR19R20() {
        seedEvent("sub-up", "2024-02-14T09:00:00Z");
        seedEvent("sub-up", "2024-03-10T09:00:00Z", Map.of("quantity", 6, "previousQuantity", 10), Map.of("type", "CHANGE_ORDER",
                "action", "PARTIAL_UPGRADE", "upgradeTo", Map.of("subscriptionId", "sub-up-new", "quantity", 4,
                        "unitPrice", new java.math.BigDecimal("36.00"), "unitCost", new java.math.BigDecimal("30.60"),
                        "product", Map.of("id", "CFQ7TTC0LFLZ:0001", "provider", "Microsoft CSP", "providerId", 30,
                                "name", "Microsoft 365 NCE", "plan", "Microsoft 365 E3", "mfgPartNumber", "CFQ7TTC0LFLZ:0001:P1"))));
        JsonNode target = row("products", "productId", "CFQ7TTC0LFLZ:0001");
        assertThat(target.path("status").asText()).isEqualTo("UNMAPPED");
        assertThat(target.path("plan").asText()).isEqualTo("Microsoft 365 E3");
        assertThat(target.path("subscriptions").asInt()).isEqualTo(1);
        assertThat(json(get("/{p}/products?status=UNMAPPED&limit=500", partner)).path("items").findValuesAsText("productId"))
                .contains("CFQ7TTC0LFLZ:0001", "CFQ7TTC0LCHC:0002");
        // mapped, it is listed MAPPED
        long e3 = catalogItem("M365E3");
        assertThat(put("/{p}/products/{id}/mapping", Map.of("catalogItemId", e3), partner, "CFQ7TTC0LFLZ:0001").getStatusCode().value())
                .isEqualTo(200);
        assertThat(row("products", "productId", "CFQ7TTC0LFLZ:0001").path("status").asText()).isEqualTo("MAPPED");
    }

    @Test
    void createdCatalogItemTakesTheFirstMatchingProductDefaultRuleR3() {
        seedEvent("sub-a", "2024-03-15T14:02:00Z", Map.of("product", Map.of("id", "CFQ7TTC0LCHC:0002", "provider", "Microsoft CSP",
                "name", "Microsoft 365 NCE", "plan", "Microsoft 365 Business Premium", "mfgPartNumber", "CFQ7TTC0LCHC:0002:P1",
                "itemType", "OnlineServicesNCE")), Map.of());
        seedEvent("sub-b", "2024-03-15T14:02:00Z", Map.of("product", Map.of("id", "ADOBE-1", "provider", "Adobe",
                "name", "Acrobat", "mfgPartNumber", "ADOBE-ACRO")), Map.of());
        JsonNode nce = json(post("/{p}/product-default-rules", Map.of("name", "Microsoft NCE", "priority", 20,
                "conditions", List.of(Map.of("field", "publisher", "operator", "EQUALS", "value", "Microsoft CSP"),
                        Map.of("field", "itemType", "operator", "EQUALS", "value", "OnlineServicesNCE")),
                "category", "Microsoft", "subcategory", "NCE Licensing", "type", "NCE Subscription", "productClass", "Service"), partner));
        post("/{p}/product-default-rules", Map.of("name", "Any Microsoft, later", "priority", 30,
                "conditions", List.of(Map.of("field", "provider", "operator", "CONTAINS", "value", "microsoft")),
                "category", "Other", "subcategory", "Other", "type", "Other"), partner);
        post("/{p}/product-default-rules", Map.of("name", "Never", "priority", 10,
                "conditions", List.of(Map.of("field", "provider", "operator", "EQUALS", "value", "Google")),
                "category", "Google", "subcategory", "G", "type", "G"), partner);

        assertThat(json(get("/{p}/product-default-rules/{id}/products", partner, nce.path("ruleId").asLong())))
                .extracting(JsonNode::asText).containsExactly("CFQ7TTC0LCHC:0002");
        assertThat(json(get("/{p}/product-default-rules/default/products", partner))).extracting(JsonNode::asText)
                .containsExactly("ADOBE-1");

        JsonNode created = json(put("/{p}/products/{id}/mapping", Map.of("create", true), partner, "CFQ7TTC0LCHC:0002"));
        JsonNode item = client.get(cw, "procurement/catalog/" + created.path("catalogItemId").asLong(), Map.of());
        assertThat(item.path("category").path("name").asText()).isEqualTo("Microsoft");
        assertThat(item.path("subcategory").path("name").asText()).isEqualTo("NCE Licensing");
        assertThat(item.path("type").path("name").asText()).isEqualTo("NCE Subscription");
        assertThat(item.path("productClass").asText()).isEqualTo("Service");

        JsonNode adobe = json(put("/{p}/products/{id}/mapping", Map.of("create", true), partner, "ADOBE-1"));
        JsonNode other = client.get(cw, "procurement/catalog/" + adobe.path("catalogItemId").asLong(), Map.of());
        assertThat(other.path("category").path("name").asText()).isEqualTo("Cloud Services");
        assertThat(other.path("subcategory").path("name").asText()).isEqualTo("Cloud Licensing");
    }

    @Test
    void createdCompanyAppearsInTheSandboxWithTheCustomersFields() {
        seedCustomer("sub-a", "900", "Northwind Traders");

        JsonNode mapped = json(put("/{p}/customers/{c}/mapping", Map.of("create", true), partner, "900"));

        JsonNode company = client.get(cw, "company/companies/" + mapped.path("companyId").asLong(), Map.of());
        assertThat(company.path("name").asText()).isEqualTo("Northwind Traders");
        assertThat(company.path("city").asText()).isEqualTo("Tampa");
        assertThat(row("customers", "customerId", "900").path("status").asText()).isEqualTo("MAPPED");
    }

    @Test
    void ineligibleAgreementIsRefusedWithTheReasonAndTheOnlyEligibleOneIsTheDefaultR4R5() {
        seedEvent("sub-m", "2024-03-15T14:02:00Z"); // monthly, USD, starts 2024-02-14
        seedEvent("sub-y", "2024-03-15T14:02:00Z", Map.of("billingCycle", "YEARLY"), Map.of());
        long chairs = company("ChairsUnlimited", "Chairs Unlimited");
        put("/{p}/customers/{c}/mapping", Map.of("companyId", chairs), partner, "65533");
        long yearly = agreement(chairs, "Yearly", "Annual", "USD", "2024-01-01");
        long euro = agreement(chairs, "Euro", "Monthly", "EUR", "2024-01-01");
        long monthly = agreement(chairs, "Monthly", "Monthly", "USD", "2024-01-01");

        ResponseEntity<String> cycle = put("/{p}/subscriptions/{s}/mapping", Map.of("agreementId", yearly), partner, "sub-m");
        assertThat(cycle.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(cycle)).containsExactly("agreementId");
        assertThat(firstErrorMessage(cycle)).contains("R5").contains("billing cycle");
        ResponseEntity<String> currency = put("/{p}/subscriptions/{s}/mapping", Map.of("agreementId", euro), partner, "sub-m");
        assertThat(firstErrorMessage(currency)).contains("currency").contains("EUR");
        ResponseEntity<String> start = put("/{p}/subscriptions/{s}/mapping", Map.of("agreementId", yearly), partner, "sub-y");
        assertThat(firstErrorMessage(start)).contains("2024-02-01").contains("2024-01-01");
        assertThat(get("/{p}/subscriptions/{s}/mapping", partner, "sub-m").getStatusCode().value()).isEqualTo(404);

        JsonNode choices = json(get("/{p}/subscriptions/{s}/agreements", partner, "sub-m"));
        assertThat(choices.path(0).path("id").asLong()).isEqualTo(monthly);
        assertThat(choices.path(0).path("eligible").asBoolean()).isTrue();
        assertThat(choices.findValues("eligible").stream().filter(JsonNode::asBoolean).count()).isEqualTo(1);

        ResponseEntity<String> byDefault = put("/{p}/subscriptions/{s}/mapping", Map.of(), partner, "sub-m");
        assertThat(byDefault.getStatusCode().value()).as(byDefault.getBody()).isEqualTo(200);
        assertThat(json(byDefault).path("agreementId").asLong()).isEqualTo(monthly);
        ResponseEntity<String> none = put("/{p}/subscriptions/{s}/mapping", Map.of(), partner, "sub-y");
        assertThat(none.getStatusCode().value()).isEqualTo(400);
        assertThat(firstErrorMessage(none)).contains("0 eligible agreements");
    }

    long agreement(long company, String name, String cycle, String currency, String start) {
        return tenant.agreement(company, name, Tenant.Terms.CLOUD_SERVICES.cycle(cycle, currency).startingOn(start));
    }

    @Test
    void countsAndUnsynchronisedRevenueOfFiftyCustomersAndTwoHundredSubscriptions() {
        List<Map<String, Object>> book = new ArrayList<>();
        BigDecimal expected = BigDecimal.ZERO;
        List<String> mappedSubscriptions = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int customer = i % 50;
            int quantity = 1 + (i * 7) % 23;
            BigDecimal price = new BigDecimal("3.35").add(new BigDecimal(i).multiply(new BigDecimal("0.17")));
            boolean cancelled = i % 40 == 3;
            boolean mapped = customer < 10 && i % 2 == 0;
            book.add(Map.of("id", "sub-" + i,
                    "customer", Map.of("id", "cust-" + customer, "name", "Customer " + customer),
                    "product", Map.of("id", "prod-" + (i % 8), "name", "Product " + (i % 8), "mfgPartNumber", "P" + (i % 8)),
                    "quantity", quantity, "unitPrice", price, "currency", "USD", "billingCycle", "MONTHLY",
                    "startDate", "2024-02-14", "status", cancelled ? "CANCELLED" : "ACTIVE"));
            if (mapped) mappedSubscriptions.add("sub-" + i);
            else if (!cancelled) expected = expected.add(price.multiply(BigDecimal.valueOf(quantity)));
        }
        // snapshots only (no onboarding tasks, R7): the counts are the mapping's, not the sync's
        ResponseEntity<String> imported = post("/{p}/subscriptions/import?onboard=false", book, partner);
        assertThat(imported.getStatusCode().value()).as(imported.getBody()).isEqualTo(200);
        assertThat(json(imported).path("imported").asInt()).isEqualTo(200);
        JsonNode before = json(get("/{p}/summary", partner));
        assertThat(before.path("customers").path("UNMAPPED").asLong()).isEqualTo(50);
        assertThat(before.path("subscriptions").path("UNMAPPED").asLong()).isEqualTo(200);

        for (int c = 0; c < 10; c++) {
            long company = company("C" + c, "Company " + c);
            assertThat(put("/{p}/customers/{c}/mapping", Map.of("companyId", company), partner, "cust-" + c)
                    .getStatusCode().value()).isEqualTo(200);
            long agreement = agreement(company, "Cloud " + c, "Monthly", "USD", "2024-01-01");
            for (String s : mappedSubscriptions) {
                int i = Integer.parseInt(s.substring(4));
                if (i % 50 == c) {
                    ResponseEntity<String> r = put("/{p}/subscriptions/{s}/mapping", Map.of("agreementId", agreement), partner, s);
                    assertThat(r.getStatusCode().value()).as(r.getBody()).isEqualTo(200);
                }
            }
        }

        ResponseEntity<String> raw = get("/{p}/summary", partner);
        JsonNode summary = json(raw);
        assertThat(summary.path("customers").path("MAPPED").asLong()).isEqualTo(10);
        assertThat(summary.path("customers").path("UNMAPPED").asLong()).isEqualTo(40);
        assertThat(summary.path("unmappedCustomers").asLong()).isEqualTo(40);
        assertThat(summary.path("subscriptions").path("MAPPED").asLong()).isEqualTo(mappedSubscriptions.size());
        assertThat(summary.path("unmappedSubscriptions").asLong()).isEqualTo(200 - mappedSubscriptions.size());
        assertThat(summary.path("products").path("UNMAPPED").asLong()).isEqualTo(8);
        assertThat(summary.path("unsynchronisedRevenue").decimalValue())
                .isEqualByComparingTo(expected.setScale(2, RoundingMode.HALF_UP));
        // Money as a decimal of scale 2, exactly as the body spells it.
        assertThat(raw.getBody()).contains("\"unsynchronisedRevenue\":" + expected.setScale(2, RoundingMode.HALF_UP).toPlainString());

        JsonNode page = json(get("/{p}/customers?status=UNMAPPED&limit=15&offset=30", partner));
        assertThat(page.path("total").asLong()).isEqualTo(40);
        assertThat(page.path("items")).hasSize(10);
        assertThat(page.path("items").findValuesAsText("status")).containsOnly("UNMAPPED");
        JsonNode mapped = json(get("/{p}/subscriptions?status=MAPPED&limit=500", partner));
        assertThat(mapped.path("items").findValuesAsText("subscriptionId")).containsExactlyInAnyOrderElementsOf(mappedSubscriptions);
        assertThat(mapped.path("counts").path("UNMAPPED").asLong()).isEqualTo(200 - mappedSubscriptions.size());
    }

    @Test
    void badImportIsRefusedWithFieldErrorsAndImportsNothing() {
        ResponseEntity<String> response = post("/{p}/subscriptions/import", List.of(
                Map.of("id", "ok", "customer", Map.of("id", "1", "name", "A"), "product", Map.of("id", "p"), "quantity", 1,
                        "unitPrice", 1, "currency", "USD", "billingCycle", "MONTHLY", "startDate", "2024-01-01"),
                Map.of("id", "bad", "customer", Map.of("name", "B"), "product", Map.of("id", "p"), "quantity", -1,
                        "unitPrice", 1, "currency", "usd", "billingCycle", "WEEKLY", "startDate", "2024-01-01")), partner);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(response)).contains("[1].customer.id", "[1].quantity", "[1].currency", "[1].billingCycle");
        assertThat(json(get("/{p}/summary", partner)).path("subscriptions").path("UNMAPPED").asLong()).isZero();
    }

    @Test
    void anEventWinsOverAnImportOfTheSameSubscription() {
        post("/{p}/subscriptions/import", List.of(Map.of("id", "sub-a", "customer", Map.of("id", "65533", "name", "Old Name"),
                "product", Map.of("id", "p"), "quantity", 5, "unitPrice", 1, "currency", "USD", "billingCycle", "MONTHLY",
                "startDate", "2024-01-01"), Map.of("id", "sub-z", "customer", Map.of("id", "2", "name", "Imported Only"),
                "product", Map.of("id", "p"), "quantity", 3, "unitPrice", new BigDecimal("2.50"), "currency", "USD",
                "billingCycle", "MONTHLY", "startDate", "2024-01-01")), partner);
        seedEvent("sub-a", "2024-03-15T14:02:00Z"); // 12 × 22.00, customer "Chairs Unlimited"

        assertThat(row("subscriptions", "subscriptionId", "sub-a").path("quantity").asInt()).isEqualTo(12);
        assertThat(row("customers", "customerId", "65533").path("name").asText()).isEqualTo("Chairs Unlimited");
        assertThat(row("subscriptions", "subscriptionId", "sub-z").path("quantity").asInt()).isEqualTo(3);
        assertThat(json(get("/{p}/summary", partner)).path("unsynchronisedRevenue").decimalValue()).isEqualByComparingTo("271.50");
    }

    @Test
    void productDefaultRulesAreValidatedReplacedAndDeletedR3() {
        ResponseEntity<String> bad = post("/{p}/product-default-rules", Map.of("name", "", "category", "C", "subcategory", "S",
                "type", "T", "productClass", "Gadget"), partner);
        assertThat(bad.getStatusCode().value()).isEqualTo(400);
        assertThat(errorFields(bad)).contains("name", "productClass");

        long id = json(post("/{p}/product-default-rules", Map.of("name", "A", "category", "C", "subcategory", "S", "type", "T"),
                partner)).path("ruleId").asLong();
        ResponseEntity<String> replaced = put("/{p}/product-default-rules/{id}", Map.of("name", "B", "priority", 5,
                "category", "C2", "subcategory", "S2", "type", "T2"), partner, id);
        assertThat(json(replaced).path("category").asText()).isEqualTo("C2");
        put("/{p}/product-default-rules/default", Map.of("name", "Mine", "category", "D", "subcategory", "D", "type", "D"), partner);
        JsonNode rules = json(get("/{p}/product-default-rules", partner));
        assertThat(rules.findValuesAsText("name")).containsExactly("B", "Mine");
        assertThat(rules.path(1).path("defaultRule").asBoolean()).isTrue();

        assertThat(delete("/{p}/product-default-rules/{id}", partner, id).getStatusCode().value()).isEqualTo(204);
        assertThat(delete("/{p}/product-default-rules/{id}", partner, id).getStatusCode().value()).isEqualTo(404);
    }

    @Test
    void failedCreateLeavesTheCustomerFailedWithTheReasonUntilMapped() {
        seedCustomer("sub-a", "901", "Failing Co");
        sandbox.fault(Map.of("status", 400, "count", 1, "method", "POST", "pathContains", "company/companies"));

        ResponseEntity<String> response = put("/{p}/customers/{c}/mapping", Map.of("create", true), partner, "901");

        assertThat(response.getStatusCode().value()).isEqualTo(422);
        JsonNode failed = row("customers", "customerId", "901");
        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("reason").asText()).contains("ConnectWise refused");
        assertThat(json(get("/{p}/summary", partner)).path("customers").path("FAILED").asLong()).isEqualTo(1);
        assertThat(put("/{p}/customers/{c}/mapping", Map.of("create", true), partner, "901").getStatusCode().value()).isEqualTo(200);
        assertThat(row("customers", "customerId", "901").path("status").asText()).isEqualTo("MAPPED");
    }

    private static String outcome(JsonNode items, String id) {
        for (JsonNode item : items) {
            if (id.equals(item.path("id").asText())) return item.path("outcome").asText();
        }
        throw new AssertionError(id + " not in report " + items);
    }
}
