package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;

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
    void identityFindsTheLineACreateWouldMake() {
        assertThat(delta.identityConditions()).isEqualTo("product/id=7 and effectiveDate=[2024-03-15T00:00:00Z] and quantity=2"
                + " and cancelledDate=[2024-03-31T00:00:00Z] and description=\"M365 BP sub-1\"");
    }
}
