package io.cwbridge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cwbridge.api.ApiProblems.FieldProblem;
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

    private final ObjectMapper mapper = new ObjectMapper();
    private final EventValidator validator = new EventValidator();

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
}
