package io.cwbridge.connectwise;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdditionFieldsTest {

    private final AdditionFields delta = new AdditionFields(7L, new BigDecimal("2"), new BigDecimal("11.35"),
            new BigDecimal("9.65"), LocalDate.of(2024, 3, 15), LocalDate.of(2024, 3, 31), false,
            "M365 BP sub-1", null, null);

    @Test
    void createBodyUsesConnectWiseNamesAndExactDecimals() {
        Map<String, Object> body = delta.toCreateBody();
        assertThat(body).containsEntry("product", Map.of("id", 7L))
                .containsEntry("billCustomer", "Billable")
                .containsEntry("quantity", new BigDecimal("2"))
                .containsEntry("unitPrice", new BigDecimal("11.35"))
                .containsEntry("effectiveDate", "2024-03-15T00:00:00Z")
                .containsEntry("cancelledDate", "2024-03-31T00:00:00Z");
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
