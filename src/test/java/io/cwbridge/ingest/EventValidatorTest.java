package io.cwbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.api.ApiProblems.FieldProblem;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventValidatorTest {

    static final String SPEC_EXAMPLE = """
            {
              "eventId": "0f8e5a8e-2b1f-4a43-9a53-6f2f6f0a1c01",
              "partnerId": "acme-msp",
              "type": "CHANGE_ORDER",
              "action": "LICENSE_INCREASE",
              "occurredAt": "2024-03-15T14:02:00Z",
              "subscription": {
                "id": "e6024e7f-5b54-4878-df3b-9acaaddbe0de",
                "customer": { "id": "65533", "name": "Chairs Unlimited",
                              "address": { "line1": "1 Main St", "city": "Tampa", "state": "FL", "zip": "33601", "country": "US" } },
                "product": { "id": "CFQ7TTC0LCHC:0002", "provider": "Microsoft CSP", "providerId": 30,
                             "name": "Microsoft 365 NCE", "plan": "Microsoft 365 Business Premium",
                             "mfgPartNumber": "CFQ7TTC0LCHC:0002:P1", "description": "Business Premium, monthly" },
                "kind": "SAAS",
                "quantity": 12,
                "previousQuantity": 10,
                "unitPrice": 22.00,
                "unitCost": 18.70,
                "currency": "USD",
                "billingCycle": "MONTHLY",
                "startDate": "2024-02-14",
                "endDate": "2025-02-13",
                "autoRenew": true,
                "status": "ACTIVE"
              }
            }""";

    /** SPEC 8.1's example as a SALES_ORDER NEW of {@code partner}'s subscription, with its id and quantity (the intake tests' event). */
    static String salesOrder(String partner, String eventId, String subscriptionId, int quantity) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode event = (ObjectNode) json.readTree(SPEC_EXAMPLE);
        event.put("eventId", eventId).put("partnerId", partner).put("type", "SALES_ORDER").put("action", "NEW");
        ObjectNode subscription = (ObjectNode) event.get("subscription");
        subscription.put("id", subscriptionId).put("quantity", quantity);
        subscription.remove("previousQuantity");
        return json.writeValueAsString(event);
    }


    private final ObjectMapper mapper = io.cwbridge.config.StrictJsonConfiguration.newStrictMapper();
    /** Today is 2024-04-01: the window is 2014-04-01 .. 2029-04-01. */
    private final EventValidator validator = new EventValidator(Clock.fixed(Instant.parse("2024-04-01T00:00:00Z"), ZoneOffset.UTC), 10, 5);

    private ObjectNode example() throws Exception {
        return (ObjectNode) mapper.readTree(SPEC_EXAMPLE);
    }

    private List<String> fields(ObjectNode event) {
        return validator.validate(event).stream().map(FieldProblem::field).toList();
    }

    @Test
    void theSpecsExampleIsValid() throws Exception {
        assertThat(validator.validate(example())).isEmpty();
    }

    /** SPEC 2 "nothing is silently dropped": a misspelt member is refused where it stands, with the members that level has. */
    @Test
    void aMemberTheEventDoesNotHaveIsRefusedAtEveryLevelSoAMisspeltCancellationDateIsNotLost() throws Exception {
        ObjectNode event = example();
        event.put("type", "CANCELLATION_ORDER").put("action", "CANCEL").put("cancelationDate", "2024-03-20");
        ObjectNode subscription = (ObjectNode) event.get("subscription");
        subscription.remove("previousQuantity");
        subscription.put("previousQuantitty", 9);
        ((ObjectNode) subscription.get("customer").get("address")).put("street", "1 Main St");
        ((ObjectNode) subscription.get("product")).put("sku", "P1");
        event.putObject("usage").put("periodStart", "2024-03-01").put("periodEnd", "2024-03-31").put("overusedAmount", 1)
                .put("overusePrice", 1.00).put("overuseCost", 0.80).put("extra", true);

        List<FieldProblem> problems = validator.validate(event);

        assertThat(problems).extracting(FieldProblem::field).containsExactly("cancelationDate", "subscription.customer.address.street",
                "subscription.previousQuantitty", "subscription.product.sku", "usage.extra");
        assertThat(problems.get(0).message()).isEqualTo("is not a field of the event (SPEC 8.1: action, cancellationDate, eventId, "
                + "occurredAt, partnerId, subscription, type, upgradeTo, usage)");
        assertThat(problems.get(2).message()).startsWith("is not a field of subscription (SPEC 8.1: autoRenew, billingCycle, currency,");
        event.remove("cancelationDate");
        event.put("cancellationDate", "2024-03-20");
        subscription.remove("previousQuantitty");
        ((ObjectNode) subscription.get("customer").get("address")).remove("street");
        ((ObjectNode) subscription.get("product")).remove("sku");
        ((ObjectNode) event.get("usage")).remove("extra");
        assertThat(validator.validate(event)).isEmpty();
    }

    @Test
    void everyMissingFieldIsNamed() throws Exception {
        ObjectNode event = example();
        event.remove("eventId");
        ((ObjectNode) event.get("subscription")).remove("quantity");
        ((ObjectNode) event.get("subscription").get("customer")).remove("name");

        assertThat(validator.validate(event)).containsExactly(
                new FieldProblem("eventId", "is required"),
                new FieldProblem("subscription.customer.name", "is required"),
                new FieldProblem("subscription.quantity", "is required"));
    }

    @Test
    void wrongTypesNegativeLicencesAndUnknownTypeAreRejected() throws Exception {
        ObjectNode event = example();
        event.put("type", "REFUND_ORDER");
        ((ObjectNode) event.get("subscription")).put("quantity", -3);
        ((ObjectNode) event.get("subscription")).put("unitPrice", "twenty");
        event.put("occurredAt", "yesterday");

        assertThat(fields(event)).contains("type", "subscription.quantity", "subscription.unitPrice", "occurredAt");
    }

    @Test
    void actionMustBelongToItsType() throws Exception {
        ObjectNode event = example();
        event.put("type", "SALES_ORDER");
        assertThat(fields(event)).contains("action");
    }

    @Test
    void unknownCurrencyAndReversedDatesAreRejected() throws Exception {
        ObjectNode event = example();
        ((ObjectNode) event.get("subscription")).put("currency", "ZZZ");
        ((ObjectNode) event.get("subscription")).put("endDate", "2024-01-01");

        assertThat(validator.validate(event)).containsExactly(
                new FieldProblem("subscription.currency", "is not an ISO 4217 currency code"),
                new FieldProblem("subscription.endDate", "must not be before subscription.startDate"));
    }

    @Test
    void increaseMustIncrease() throws Exception {
        ObjectNode event = example();
        ((ObjectNode) event.get("subscription")).put("quantity", 9);
        assertThat(fields(event)).containsExactly("subscription.quantity");
    }

    @Test
    void upgradesNeedTheirTargetAndUsageNeedsItsPeriod() throws Exception {
        ObjectNode upgrade = example();
        upgrade.put("action", "FULL_UPGRADE");
        assertThat(fields(upgrade)).contains("upgradeTo");

        ObjectNode usage = example();
        usage.put("type", "BILLING_ORDER");
        usage.put("action", "USAGE");
        assertThat(fields(usage)).contains("usage");
    }

    @Test
    void usageRatesMayBeBelowTheMinorUnitR24() throws Exception {
        ObjectNode usage = example();
        usage.put("type", "BILLING_ORDER");
        usage.put("action", "USAGE");
        ObjectNode u = usage.putObject("usage");
        u.put("periodStart", "2024-03-01").put("periodEnd", "2024-03-31").put("overusedAmount", new java.math.BigDecimal("1250.5"))
                .put("overusePrice", new java.math.BigDecimal("0.0825")).put("overuseCost", new java.math.BigDecimal("0.000016"));
        assertThat(validator.validate(usage)).isEmpty();
        u.put("overuseCost", new java.math.BigDecimal("0.0000001"));
        assertThat(validator.validate(usage)).containsExactly(new FieldProblem("usage.overuseCost", "must have at most 6 decimal places"));
        u.put("overuseCost", new java.math.BigDecimal("-0.01"));
        assertThat(fields(usage)).contains("usage.overuseCost");
    }

    private List<FieldProblem> problems(String json) throws Exception {
        return validator.validate(mapper.readTree(json));
    }

    private String withSub(String member, String value) {
        return SPEC_EXAMPLE.replaceFirst("\"" + member + "\": [^,\n]+", "\"" + member + "\": " + value);
    }

    @Test
    void licencesAreWholeNumbersWithinBounds() throws Exception {
        String sale = SPEC_EXAMPLE.replace("CHANGE_ORDER", "SALES_ORDER").replace("LICENSE_INCREASE", "NEW")
                .replace("\"previousQuantity\": 10,", "");
        assertThat(validator.validate(mapper.readTree(sale))).isEmpty();
        assertThat(validator.validate(mapper.readTree(sale.replace("\"quantity\": 12", "\"quantity\": 0"))))
                .containsExactly(new FieldProblem("subscription.quantity", "must be between 1 and 1000000 on NEW"));
        assertThat(validator.validate(mapper.readTree(sale.replace("\"quantity\": 12", "\"quantity\": 2147483648"))))
                .containsExactly(new FieldProblem("subscription.quantity", "must be between 1 and 1000000 on NEW"));
        assertThat(validator.validate(mapper.readTree(sale.replace("\"quantity\": 12", "\"quantity\": 12.0"))))
                .containsExactly(new FieldProblem("subscription.quantity", "must be a whole number (no fraction or exponent)"));
        assertThat(validator.validate(mapper.readTree(sale.replace("\"quantity\": 12", "\"quantity\": 1e400"))))
                .containsExactly(new FieldProblem("subscription.quantity", "must be a whole number (no fraction or exponent)"));
        // A decrease may leave 0 licences (SPEC refuses only negative ones).
        String decrease = SPEC_EXAMPLE.replace("LICENSE_INCREASE", "LICENSE_DECREASE").replace("\"quantity\": 12", "\"quantity\": 0");
        assertThat(validator.validate(mapper.readTree(decrease))).isEmpty();
        assertThat(fields((ObjectNode) mapper.readTree(decrease.replace("\"quantity\": 0", "\"quantity\": -1"))))
                .containsExactly("subscription.quantity");
    }

    @Test
    void moneyHasAtMostTwelveIntegerDigitsAndTheCurrencysDecimals() throws Exception {
        assertThat(problems(withSub("unitPrice", "9".repeat(400)))).containsExactly(
                new FieldProblem("subscription.unitPrice", "must have at most 12 integer digits"));
        assertThat(problems(withSub("unitCost", "1e400"))).containsExactly(
                new FieldProblem("subscription.unitCost", "must have at most 12 integer digits"));
        assertThat(problems(withSub("unitPrice", "22." + "1".repeat(30)))).containsExactly(
                new FieldProblem("subscription.unitPrice", "must have at most 2 decimal places (the minor unit of USD)"));
        assertThat(problems(withSub("unitPrice", "999999999999.99"))).isEmpty();
        assertThat(problems(withSub("unitPrice", "22.000"))).as("trailing zeros are no decimals").isEmpty();
        String yen = SPEC_EXAMPLE.replace("\"USD\"", "\"JPY\"");
        assertThat(validator.validate(mapper.readTree(yen.replace("22.00", "2200").replace("18.70", "1870")))).isEmpty();
        assertThat(validator.validate(mapper.readTree(yen.replace("22.00", "22.50").replace("18.70", "1870")))).containsExactly(
                new FieldProblem("subscription.unitPrice", "must have at most 0 decimal places (the minor unit of JPY)"));
        assertThat(problems(SPEC_EXAMPLE.replace("\"USD\"", "\"XYZ\""))).containsExactly(
                new FieldProblem("subscription.currency", "is not an ISO 4217 currency code"));
        assertThat(problems(SPEC_EXAMPLE.replace("\"USD\"", "\"XAU\""))).extracting(FieldProblem::field)
                .contains("subscription.currency");
    }

    @Test
    void everyDateLiesWithinTheWindowAroundToday() throws Exception {
        assertThat(problems(withSub("endDate", "\"2999-02-13\""))).containsExactly(new FieldProblem("subscription.endDate",
                "must be between 2014-04-01 and 2029-04-01 (10 years back, 5 forward: cwbridge.validation.date-window-years-back / -forward)"));
        assertThat(problems(withSub("startDate", "\"9999-02-14\""))).extracting(FieldProblem::field).contains("subscription.startDate");
        assertThat(problems(SPEC_EXAMPLE.replace("2024-03-15T14:02:00Z", "2013-03-15T14:02:00Z")))
                .extracting(FieldProblem::field).containsExactly("occurredAt");
        assertThat(problems(SPEC_EXAMPLE.replace("2024-03-15T14:02:00Z", "2024-03-15T14:02:00+02:00"))).isEmpty();
        assertThat(problems(SPEC_EXAMPLE.replace("2024-03-15T14:02:00Z", "2024-06-30T23:59:60Z"))).containsExactly(
                new FieldProblem("occurredAt", "must be an ISO-8601 date-time such as 2024-03-15T14:02:00Z"));
    }

    @Test
    void stringsRefuseControlAndBidiCharacters() throws Exception {
        assertThat(problems(SPEC_EXAMPLE.replace("Chairs Unlimited", "Chairs\\u0000Unlimited"))).containsExactly(
                new FieldProblem("subscription.customer.name", "must not contain NUL (U+0000)"));
        assertThat(problems(SPEC_EXAMPLE.replace("Chairs Unlimited", "Chairs\\u202eUnlimited"))).containsExactly(
                new FieldProblem("subscription.customer.name", "must not contain bidirectional control character U+202E"));
        assertThat(problems(SPEC_EXAMPLE.replace("Chairs Unlimited", "Chairs\\u2066Unlimited"))).extracting(FieldProblem::field)
                .containsExactly("subscription.customer.name");
        assertThat(problems(SPEC_EXAMPLE.replace("Chairs Unlimited", "Chairs\\nUnlimited"))).containsExactly(
                new FieldProblem("subscription.customer.name", "must not contain control character U+000A"));
        assertThat(problems(SPEC_EXAMPLE.replace("0f8e5a8e", "0f8e\\u0001"))).extracting(FieldProblem::field).containsExactly("eventId");
        assertThat(problems(SPEC_EXAMPLE.replace("Chairs Unlimited", "Chairs \\ud800"))).extracting(FieldProblem::message)
                .containsExactly("must not contain an unpaired surrogate U+D800");
        // Free text may hold line feeds, nothing else.
        assertThat(problems(SPEC_EXAMPLE.replace("Business Premium, monthly", "Business Premium\\nmonthly"))).isEmpty();
        assertThat(problems(SPEC_EXAMPLE.replace("Business Premium, monthly", "Business Premium\\tmonthly"))).containsExactly(
                new FieldProblem("subscription.product.description", "must not contain control character U+0009 (only line feeds are allowed here)"));
        // Keys and strings the schema does not know are held to the same rules.
        assertThat(problems(SPEC_EXAMPLE.replace("\"kind\": \"SAAS\",", "\"kind\": \"SAAS\", \"x\\u0000\": 1,")))
                .containsExactly(new FieldProblem("subscription", "has a key that must not contain NUL (U+0000)"));
        assertThat(problems(SPEC_EXAMPLE.replace("\"kind\": \"SAAS\",", "\"kind\": \"SAAS\", \"note\": \"" + "x".repeat(6001) + "\",")))
                .containsExactly(new FieldProblem("subscription.note", "must be at most 6000 characters"));
    }

    @Test
    void idsTheMappingApiTakesAsAPathSegmentRefuseSlashBackslashSemicolonAndPercent() throws Exception {
        ObjectNode upgrade = example();
        upgrade.put("action", "FULL_UPGRADE");
        upgrade.putObject("upgradeTo").put("subscriptionId", "a4c1f0e2-0000-4000-8000-000000000001").put("quantity", 12)
                .putObject("product").put("id", "CFQ7TTC0LCHC:0003").put("name", "Microsoft 365 E3");
        assertThat(validator.validate(upgrade)).as("a GUID, a number and 'CFQ7TTC0LCHC:0002' are fine").isEmpty();

        List<String> ids = List.of("subscription.id", "subscription.customer.id", "subscription.product.id",
                "upgradeTo.subscriptionId", "upgradeTo.product.id");
        for (String field : ids) {
            for (String c : List.of("/", "\\", ";", "%")) {
                ObjectNode event = upgrade.deepCopy();
                String[] path = field.split("\\.");
                ObjectNode parent = event;
                for (int i = 0; i < path.length - 1; i++) parent = (ObjectNode) parent.get(path[i]);
                parent.put(path[path.length - 1], "CFQ7" + c + "0002");
                assertThat(validator.validate(event)).as(field + " with " + c).containsExactly(new FieldProblem(field,
                        "must not contain '/', '\\', ';' or '%' (it names a path segment of the mapping API, SPEC 8.2)"));
            }
        }
        // Other strings keep these characters.
        ObjectNode name = example();
        ((ObjectNode) name.get("subscription").get("customer")).put("name", "Chairs 100% / Tables; Desks \\ Co");
        assertThat(validator.validate(name)).isEmpty();
    }
}
