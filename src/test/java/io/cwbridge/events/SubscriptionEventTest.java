package io.cwbridge.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The SPEC §8.1 event model. */
class SubscriptionEventTest {

    private static final ObjectMapper JSON = JsonMapper.builder().findAndAddModules()
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE).build();

    private static final String EXAMPLE = """
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
            }
            """;

    @Test
    @DisplayName("the §8.1 example reads with the contract's field names; money exactly as written")
    void readsTheContractExample() throws Exception {
        SubscriptionEvent event = JSON.readValue(EXAMPLE, SubscriptionEvent.class);
        assertThat(event.eventId()).isEqualTo("0f8e5a8e-2b1f-4a43-9a53-6f2f6f0a1c01");
        assertThat(event.partnerId()).isEqualTo("acme-msp");
        assertThat(event.type()).isEqualTo(EventType.CHANGE_ORDER);
        assertThat(event.action()).isEqualTo(EventAction.LICENSE_INCREASE);
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2024-03-15T14:02:00Z"));
        Subscription sub = event.subscription();
        assertThat(sub.customer().address().city()).isEqualTo("Tampa");
        assertThat(sub.customer().address().line2()).isNull();
        assertThat(sub.product().providerId()).isEqualTo(30);
        assertThat(sub.product().mfgPartNumber()).isEqualTo("CFQ7TTC0LCHC:0002:P1");
        assertThat(sub.kind()).isEqualTo(SubscriptionKind.SAAS);
        assertThat(sub.quantity()).isEqualTo(12);
        assertThat(sub.previousQuantity()).isEqualTo(10);
        assertThat(sub.unitPrice()).isEqualTo(new BigDecimal("22.00"));
        assertThat(sub.unitCost()).isEqualTo(new BigDecimal("18.70"));
        assertThat(sub.billingCycle()).isEqualTo(BillingCycle.MONTHLY);
        assertThat(sub.termMonths()).isNull();
        assertThat(sub.setupAmount()).isNull();
        assertThat(sub.startDate()).isEqualTo(LocalDate.of(2024, 2, 14));
        assertThat(sub.renewsAutomatically()).isTrue();
        assertThat(event.changeDate()).isEqualTo(LocalDate.of(2024, 3, 15));
        assertThat(event.actionMatchesType()).isTrue();
    }

    @Test
    @DisplayName("writing and reading again gives the same event (helper methods are not properties)")
    void roundTrip() throws Exception {
        SubscriptionEvent event = JSON.readValue(EXAMPLE, SubscriptionEvent.class);
        String written = JSON.writeValueAsString(event);
        assertThat(written).doesNotContain("changeDate").doesNotContain("iaas").doesNotContain("occurredOn");
        assertThat(JSON.readValue(written, SubscriptionEvent.class)).isEqualTo(event);
    }

    @Test
    @DisplayName("the date of the change c is the UTC date of occurredAt; a cancellationDate wins for cancellations")
    void changeDate() throws Exception {
        String late = EXAMPLE.replace("2024-03-15T14:02:00Z", "2024-03-31T23:30:00-02:00");
        assertThat(JSON.readValue(late, SubscriptionEvent.class).changeDate()).isEqualTo(LocalDate.of(2024, 4, 1));
        String cancel = EXAMPLE.replace("\"CHANGE_ORDER\"", "\"CANCELLATION_ORDER\"").replace("\"LICENSE_INCREASE\"", "\"CANCEL\"")
                .replace("\"partnerId\": \"acme-msp\",", "\"partnerId\": \"acme-msp\", \"cancellationDate\": \"2024-03-10\",");
        SubscriptionEvent event = JSON.readValue(cancel, SubscriptionEvent.class);
        assertThat(event.changeDate()).isEqualTo(LocalDate.of(2024, 3, 10));
        assertThat(event.occurredOn()).isEqualTo(LocalDate.of(2024, 3, 15));
        SubscriptionEvent withoutDate = JSON.readValue(cancel.replace("\"cancellationDate\": \"2024-03-10\",", ""), SubscriptionEvent.class);
        assertThat(withoutDate.changeDate()).isEqualTo(LocalDate.of(2024, 3, 15));
    }

    @Test
    @DisplayName("upgradeTo and usage read; resourceDetails accepts one string or a list; unknown fields are ignored")
    void upgradeAndUsage() throws Exception {
        String upgrade = EXAMPLE.replace("\"partnerId\": \"acme-msp\",", """
                "partnerId": "acme-msp", "somethingNew": 1,
                "upgradeTo": { "subscriptionId": "s2", "product": { "name": "E3" }, "quantity": 12, "unitPrice": 36.00,
                               "unitCost": 30.60, "endDate": "2025-03-14" },
                "usage": { "periodStart": "2024-03-01", "periodEnd": "2024-03-31", "overusedAmount": 12.5,
                           "overusePrice": 0.0825, "overuseCost": 0.066, "resourceDetails": "vm-1: 720 h" },""");
        SubscriptionEvent event = JSON.readValue(upgrade, SubscriptionEvent.class);
        assertThat(event.upgradeTo().subscriptionId()).isEqualTo("s2");
        assertThat(event.upgradeTo().unitPrice()).isEqualTo(new BigDecimal("36.00"));
        assertThat(event.upgradeTo().endDate()).isEqualTo(LocalDate.of(2025, 3, 14));
        assertThat(event.usage().overusePrice()).isEqualTo(new BigDecimal("0.0825"));
        assertThat(event.usage().resourceDetails()).containsExactly("vm-1: 720 h");
        SubscriptionEvent list = JSON.readValue(upgrade.replace("\"vm-1: 720 h\"", "[\"a\", \"b\"]"), SubscriptionEvent.class);
        assertThat(list.usage().resourceDetails()).containsExactly("a", "b");
        assertThat(new Usage(null, null, null, null, null, null).resourceDetails()).isEmpty();
    }

    @Test
    @DisplayName("which actions belong to which type (SPEC §8.1)")
    void actionsPerType() {
        assertThat(EventType.SALES_ORDER.actions()).containsExactly(EventAction.NEW);
        assertThat(EventType.CHANGE_ORDER.actions()).isEqualTo(EnumSet.of(EventAction.LICENSE_INCREASE, EventAction.LICENSE_DECREASE,
                EventAction.FULL_UPGRADE, EventAction.PARTIAL_UPGRADE, EventAction.RENEWAL, EventAction.PRICE_CHANGE));
        assertThat(EventType.BILLING_ORDER.actions()).containsExactly(EventAction.USAGE);
        assertThat(EventType.CANCELLATION_ORDER.actions()).containsExactly(EventAction.CANCEL);
        assertThat(EventType.SALES_ORDER.allows(EventAction.CANCEL)).isFalse();
        assertThat(EventType.CHANGE_ORDER.allows(null)).isFalse();
        assertThat(List.of(EventAction.values())).allSatisfy(a -> assertThat(a.type().allows(a)).isTrue());
    }
}
