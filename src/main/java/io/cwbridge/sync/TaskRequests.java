package io.cwbridge.sync;

import io.cwbridge.api.FreeText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Bodies of the task actions (R31). */
public final class TaskRequests {

    private TaskRequests() {}

    /** {@code {"taskIds":[…]}} or {@code {"all":true}}, exactly one of them. */
    public record Approve(@Size(max = 500) List<Long> taskIds, Boolean all) {}

    /**
     * A task override (R31, issue 15): the values to set (null = the rules' value) and why (required).
     * {@code billCustomer}: Billable, DoNotBill or NoCharge; {@code priceSource}: MARKETPLACE or CONNECTWISE_CATALOG.
     */
    public record Override(java.time.LocalDate effectiveDate, java.time.LocalDate cancelledDate,
                           @Size(max = 500) String description, java.math.BigDecimal quantity,
                           java.math.BigDecimal unitPrice, java.math.BigDecimal unitCost,
                           @Size(max = 20) String billCustomer, Boolean taxableFlag, @Size(max = 30) String priceSource,
                           @NotBlank @FreeText @Size(max = 1000) String reason) {}

    /** Why an override is cleared (kept in the task's history). */
    public record ClearOverride(@NotBlank @FreeText @Size(max = 1000) String reason) {}

    /** Why the task is dismissed (kept as its reason and in its history). */
    public record Dismiss(@NotBlank @FreeText @Size(max = 1000) String reason) {}
}
