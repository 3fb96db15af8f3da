package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdditionFieldsTest {

    private final AdditionFields delta = new AdditionFields(7L, new BigDecimal("2"), new BigDecimal("22.00"),
            new BigDecimal("18.70"), LocalDate.of(2024, 3, 15), LocalDate.of(2024, 3, 31), false,
            "M365 BP sub-1", null, null);

    @Test
    void createBodyUsesConnectWiseNamesAndExactDecimals() {
        Map<String, Object> body = delta.toCreateBody();
        assertThat(body).containsEntry("product", Map.of("id", 7L))
                .containsEntry("billCustomer", "Billable")
                .containsEntry("quantity", new BigDecimal("2"))
                .containsEntry("unitPrice", new BigDecimal("22.00"))
                .containsEntry("effectiveDate", "2024-03-15T00:00:00Z")
                .containsEntry("cancelledDate", "2024-03-31T00:00:00Z")
                .doesNotContainKeys("proratePrice", "prorateCost");
    }

    @Test
    void prorateAmountsAreSentOnlyWhenSet() {
        // R17a, proration MARKETPLACE: 15-31 March = 17/31 of 22.00 and 18.70.
        AdditionFields prorated = new AdditionFields(7L, new BigDecimal("2"), new BigDecimal("22.00"), new BigDecimal("18.70"),
                LocalDate.of(2024, 3, 15), LocalDate.of(2024, 3, 31), false, "M365 BP sub-1", null, null,
                new BigDecimal("12.06"), new BigDecimal("10.25"));
        assertThat(prorated.toCreateBody()).containsEntry("proratePrice", new BigDecimal("12.06"))
                .containsEntry("prorateCost", new BigDecimal("10.25"))
                .containsEntry("unitPrice", new BigDecimal("22.00"));
        assertThat(prorated.toPatch()).contains(JsonPatchOperation.replace("proratePrice", new BigDecimal("12.06")),
                JsonPatchOperation.replace("prorateCost", new BigDecimal("10.25")));
        assertThat(delta.toPatch()).noneMatch(op -> op.path().startsWith("prorate"));
    }

    @Test
    void patchReplacesOnlyTheFieldsThatAreSet() {
        AdditionFields quantityOnly = new AdditionFields(null, new BigDecimal("12"), null, null, null, null, false, null, null, null);
        assertThat(quantityOnly.toPatch()).containsExactly(JsonPatchOperation.replace("quantity", new BigDecimal("12")));
    }

    @Test
    void reopeningALineRemovesItsCancelledDate() {
        AdditionFields reopen = new AdditionFields(null, null, null, null, null, null, true, null, null, null);
        assertThat(reopen.toPatch()).containsExactly(JsonPatchOperation.remove("cancelledDate"));
    }

    @Test
    void r16IdentityAsksConnectWiseByExactFieldsOnly() {
        // No text in the conditions: a ConnectWise string condition is a pattern (* wildcard, [ written [[]); the
        // effective date is a window of a day either side, its day compared on the answer.
        assertThat(delta.identity().conditions()).isEqualTo("product/id=7 and quantity=2"
                + " and effectiveDate>=[2024-03-14T00:00:00Z] and effectiveDate<=[2024-03-16T00:00:00Z]");
        assertThat(new AdditionFields(null, null, null, null, null, null, false, "x", null, null).identity().conditions())
                .isNull();
    }

    @Test
    void r16IdentityComparesDescriptionExactlyAndDatesByTheirDay() throws Exception {
        String description = "M365 [NCE] * 2 | a\\b | \"Contoso\" | Subscription sub-1";
        AdditionFields fields = new AdditionFields(7L, new BigDecimal("2"), null, null, LocalDate.of(2024, 3, 15),
                LocalDate.of(2024, 3, 31), false, description, null, null);
        AdditionIdentity identity = fields.identity();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode line = mapper.createObjectNode();
        line.putObject("product").put("id", 7);
        line.put("quantity", 2.0).put("effectiveDate", "2024-03-15T00:00:00Z").put("cancelledDate", "2024-03-31T00:00:00Z")
                .put("description", description);

        assertThat(identity.matches(line)).isTrue();
        assertThat(identity.matches(line.deepCopy().put("effectiveDate", "2024-03-15T05:00:00+05:00"))).isTrue();
        assertThat(identity.matches(line.deepCopy().put("effectiveDate", "2024-03-14T00:00:00Z"))).isFalse();
        assertThat(identity.matches(line.deepCopy().put("cancelledDate", "2024-04-30T00:00:00Z"))).isFalse();
        assertThat(identity.matches(line.deepCopy().put("quantity", 3))).isFalse();
        assertThat(identity.matches(line.deepCopy().put("description", description.toUpperCase()))).isFalse();
        assertThat(identity.matches(line.deepCopy().put("description", "M365 [NCE] anything | Subscription sub-1"))).isFalse();
        assertThat(identity.matches(line.deepCopy().put("description", description.replace("sub-1", "sub-2")))).isFalse();
        ObjectNode otherProduct = line.deepCopy();
        otherProduct.putObject("product").put("id", 8);
        assertThat(identity.matches(otherProduct)).isFalse();
    }

    @Test
    void aConditionsStringIsWrittenAsTheDeveloperGuideSays() {
        // "Escaping Characters", URL Parameters: [string] -> [[]string]; no escape for " exists: the wildcard * stands in.
        assertThat(ConnectWiseConditions.text("M365 [NCE] \"E3\" * a\\b")).isEqualTo("\"M365 [[]NCE] *E3* * a\\b\"");
        assertThat(ConnectWiseConditions.date(LocalDate.of(2024, 3, 15))).isEqualTo("[2024-03-15T00:00:00Z]");
        assertThat(ConnectWiseConditions.sameDay("2024-03-15T00:00:00Z", LocalDate.of(2024, 3, 15))).isTrue();
        assertThat(ConnectWiseConditions.sameDay("2024-03-1", LocalDate.of(2024, 3, 1))).isFalse();
        assertThat(ConnectWiseConditions.sameDay(null, LocalDate.of(2024, 3, 1))).isFalse();
    }

    @Test
    void r16AnAdjustmentIsAskedByAmountAndDayAndComparedByItsDescriptionHere() {
        AdjustmentIdentity identity = new AdjustmentIdentity(new BigDecimal("-24.13"), LocalDate.of(2024, 4, 1),
                "Catch-up credit subscription sub-[1]: 34 licence-days * 2");
        assertThat(identity.conditions()).isEqualTo("amount=-24.13"
                + " and effectiveDate>=[2024-03-31T00:00:00Z] and effectiveDate<=[2024-04-02T00:00:00Z]");
        ObjectNode adjustment = new ObjectMapper().createObjectNode().put("id", 3).put("amount", -24.130)
                .put("effectiveDate", "2024-04-01T00:00:00Z").put("description", identity.description());
        assertThat(identity.matches(adjustment)).isTrue();
        assertThat(identity.lookup().and(a -> a.path("id").asLong() != 3).same().test(adjustment)).isFalse();
        assertThat(identity.matches(adjustment.deepCopy().put("description", "Catch-up credit subscription sub-[1]: other"))).isFalse();
        assertThat(identity.matches(adjustment.deepCopy().put("amount", -24.14))).isFalse();
        assertThat(identity.matches(adjustment.deepCopy().put("effectiveDate", "2024-04-02T00:00:00Z"))).isFalse();
    }
}
